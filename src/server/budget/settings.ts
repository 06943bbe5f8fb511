import "server-only";
import type { PaidProvider } from "@/generated/prisma/enums";
import type { Db } from "../db";
import { env } from "../env";

export const PAID_PROVIDERS = ["attom", "batchdata", "twilio_lookup", "twilio_sms"] as const satisfies readonly PaidProvider[];

export const PROVIDER_LABELS: Record<PaidProvider, { name: string; unit: string }> = {
  attom: { name: "ATTOM property data", unit: "search call" },
  batchdata: { name: "BatchData skip tracing", unit: "matched record" },
  twilio_lookup: { name: "Twilio Lookup", unit: "lookup" },
  twilio_sms: { name: "Twilio SMS", unit: "segment" },
};

export function defaultBudget(provider: PaidProvider): { dailyCapCents: number; costPerCallCents: number } {
  switch (provider) {
    case "attom":
      return { dailyCapCents: env.DAILY_CAP_ATTOM_CENTS, costPerCallCents: env.COST_ATTOM_SEARCH_CENTS };
    case "batchdata":
      return { dailyCapCents: env.DAILY_CAP_BATCH_CENTS, costPerCallCents: env.COST_BATCH_MATCH_CENTS };
    case "twilio_lookup":
      return { dailyCapCents: env.DAILY_CAP_LOOKUP_CENTS, costPerCallCents: env.COST_LOOKUP_CENTS };
    case "twilio_sms":
      return { dailyCapCents: env.DAILY_CAP_SMS_CENTS, costPerCallCents: env.COST_SMS_SEGMENT_CENTS };
  }
}

export type EffectiveBudget = { provider: PaidProvider; dailyCapCents: number; costPerCallCents: number; customized: boolean };

export async function effectiveBudget(db: Pick<Db, "budgetSetting">, orgId: string, provider: PaidProvider): Promise<EffectiveBudget> {
  const row = await db.budgetSetting.findUnique({ where: { organizationId_provider: { organizationId: orgId, provider } } });
  const defaults = defaultBudget(provider);
  return {
    provider,
    dailyCapCents: row?.dailyCapCents ?? defaults.dailyCapCents,
    costPerCallCents: row?.costPerCallCents ?? defaults.costPerCallCents,
    customized: row?.dailyCapCents != null || row?.costPerCallCents != null,
  };
}
