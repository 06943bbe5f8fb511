-- OpenAI requests are paid under their own budget (daily cap, price per request) and kill switch
ALTER TYPE "PaidProvider" ADD VALUE IF NOT EXISTS 'openai'
;
ALTER TYPE "KillSwitchKind" ADD VALUE IF NOT EXISTS 'ai'
;
