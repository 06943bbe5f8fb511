import "server-only";
import type { PaidProvider } from "@/generated/prisma/enums";
import type { Db } from "../db";
import { providerForBudget } from "../providers/registry";

export const PAID_PROVIDERS = ["attom", "batchdata", "twilio_lookup", "twilio_sms", "openai"] as const satisfies readonly PaidProvider[];

/** The environment's cap and unit price for a budget (an organization may override both). */
export function defaultBudget(provider: PaidProvider): { dailyCapCents: number; costPerCallCents: number } {
  const defaults = providerForBudget(provider).defaults();
  if (!defaults) throw new Error(`The ${provider} budget has no defaults in the provider registry`);
  return { dailyCapCents: defaults.dailyCapCents, costPerCallCents: defaults.unitCents };
}

/** Name and unit of a budget, from the provider registry. */
export function budgetLabel(provider: PaidProvider): { name: string; unit: string } {
  const entry = providerForBudget(provider);
  return { name: entry.label, unit: entry.unit };
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
