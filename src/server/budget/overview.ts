import "server-only";
import type { PaidProvider } from "@/generated/prisma/enums";
import { lastOrgDays, nextOrgMidnight, orgDay } from "@/lib/org-day";
import type { Db } from "../db";
import { recordAudit } from "../audit/record";
import { budgetIn, loadBillingContext, type BillingContext } from "./context";
import { budgetLabel, defaultBudget, effectiveBudget, PAID_PROVIDERS } from "./settings";

const dayDate = (day: string) => new Date(`${day}T00:00:00Z`);

export type ProviderBudgetToday = {
  provider: PaidProvider;
  name: string;
  unit: string;
  dailyCapCents: number;
  costPerCallCents: number;
  defaultCapCents: number;
  defaultCostPerCallCents: number;
  spentCents: number;
  reservedCents: number;
  remainingCents: number;
};

/** A budget's state for display, from the request's billing context (no further reads). */
export function budgetTodayIn(context: BillingContext, provider: PaidProvider): ProviderBudgetToday {
  const budget = budgetIn(context, provider);
  const defaults = defaultBudget(provider);
  return {
    provider,
    ...budgetLabel(provider),
    dailyCapCents: budget.dailyCapCents,
    costPerCallCents: budget.unitCents,
    defaultCapCents: defaults.dailyCapCents,
    defaultCostPerCallCents: defaults.costPerCallCents,
    spentCents: budget.spentCents,
    reservedCents: budget.reservedCents,
    remainingCents: Math.max(0, budget.dailyCapCents - budget.spentCents - budget.reservedCents),
  };
}

export async function budgetToday(db: Db, orgId: string, provider: PaidProvider): Promise<ProviderBudgetToday> {
  return budgetTodayIn(await loadBillingContext(db, orgId, [provider]), provider);
}

export async function budgetOverview(db: Db, orgId: string) {
  const context = await loadBillingContext(db, orgId, PAID_PROVIDERS);
  const { timeZone } = context;
  const days = lastOrgDays(timeZone, 30);
  const providers = PAID_PROVIDERS.map((provider) => budgetTodayIn(context, provider));
  const [history, unconfirmed] = await Promise.all([
    db.dailySpend.findMany({
      where: { organizationId: orgId, day: { gte: dayDate(days[0]!) } },
      select: { provider: true, day: true, spentCents: true },
    }),
    // Spend counted for calls the vendor never answered (timeouts): in the cap, but not confirmed billed.
    db.$queryRaw<{ provider: PaidProvider; cents: number }[]>`
      SELECT e.provider, SUM(e."unconfirmedCents")::int AS cents
      FROM "SpendEntry" e JOIN "SpendReservation" r ON r.id = e."reservationId"
      WHERE e."organizationId" = ${orgId} AND r.day = ${context.day}::date AND e."unconfirmedCents" > 0
      GROUP BY e.provider`,
  ]);
  const byDay = new Map(days.map((day) => [day, Object.fromEntries(PAID_PROVIDERS.map((p) => [p, 0])) as Record<PaidProvider, number>]));
  for (const row of history) {
    const entry = byDay.get(row.day.toISOString().slice(0, 10));
    if (entry) entry[row.provider] += row.spentCents;
  }
  return {
    timeZone,
    today: orgDay(timeZone),
    resetsAt: nextOrgMidnight(timeZone),
    providers: providers.map((budget) => ({ ...budget, unconfirmedCents: unconfirmed.find((row) => row.provider === budget.provider)?.cents ?? 0 })),
    history: days.map((day) => ({ day, spentCents: byDay.get(day)! })),
  };
}

type BudgetChanger = { orgId: string; userId: string; requestId?: string };
type BudgetValues = { dailyCapCents: number; costPerCallCents: number };

/** A budget change in the audit log, with the cap and unit price before and after. */
async function auditBudgetChange(tx: Parameters<typeof recordAudit>[0], ctx: BudgetChanger, action: string, provider: PaidProvider, before: BudgetValues, after: BudgetValues) {
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actorId: ctx.userId,
    action,
    targetType: "provider",
    targetId: provider,
    details: {
      before: { dailyCapCents: before.dailyCapCents, costPerCallCents: before.costPerCallCents },
      after: { dailyCapCents: after.dailyCapCents, costPerCallCents: after.costPerCallCents },
    },
    requestId: ctx.requestId,
  });
}

export async function updateBudget(
  db: Db,
  ctx: BudgetChanger,
  input: { provider: PaidProvider; dailyCapCents: number; costPerCallCents: number },
) {
  await db.$transaction(async (tx) => {
    const before = await effectiveBudget(tx, ctx.orgId, input.provider);
    await tx.budgetSetting.upsert({
      where: { organizationId_provider: { organizationId: ctx.orgId, provider: input.provider } },
      create: { organizationId: ctx.orgId, provider: input.provider, dailyCapCents: input.dailyCapCents, costPerCallCents: input.costPerCallCents, updatedById: ctx.userId },
      update: { dailyCapCents: input.dailyCapCents, costPerCallCents: input.costPerCallCents, updatedById: ctx.userId },
    });
    await auditBudgetChange(tx, ctx, "budget.updated", input.provider, before, input);
  });
  return budgetOverview(db, ctx.orgId);
}

/**
 * The organization's cap and unit price go back to the provider's defaults, and follow them from
 * now on (a later change of the defaults applies here too): the setting's values are cleared,
 * not copied. Audited like an update, with what it was before.
 */
export async function resetBudgetToDefaults(db: Db, ctx: BudgetChanger, input: { provider: PaidProvider }) {
  await db.$transaction(async (tx) => {
    const before = await effectiveBudget(tx, ctx.orgId, input.provider);
    await tx.budgetSetting.updateMany({
      where: { organizationId: ctx.orgId, provider: input.provider },
      data: { dailyCapCents: null, costPerCallCents: null, updatedById: ctx.userId },
    });
    const defaults = defaultBudget(input.provider);
    await auditBudgetChange(tx, ctx, "budget.reset_to_defaults", input.provider, before, defaults);
  });
  return budgetOverview(db, ctx.orgId);
}
