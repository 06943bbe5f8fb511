import { z } from "zod";

export const paidProviderSchema = z.enum(["attom", "batchdata", "twilio_lookup", "twilio_sms", "openai"]);
export const killSwitchKindSchema = z.enum(["search", "skip_trace", "sms", "ai"]);

export const budgetTodayOutput = z.object({
  provider: paidProviderSchema,
  name: z.string(),
  unit: z.string(),
  dailyCapCents: z.number().int(),
  costPerCallCents: z.number().int(),
  defaultCapCents: z.number().int(),
  defaultCostPerCallCents: z.number().int(),
  spentCents: z.number().int(),
  reservedCents: z.number().int(),
  remainingCents: z.number().int(),
});
