import "server-only";
import type { KillSwitchKind, PaidProvider } from "@/generated/prisma/enums";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import { killSwitchError } from "./kill-switches";
import { defaultBudget } from "./settings";

export type ProviderBudget = {
  provider: PaidProvider;
  dailyCapCents: number;
  /** Price of one billed unit (a search call, a matched record, a lookup, a segment). */
  unitCents: number;
  customized: boolean;
  /** Today's spend and open reservations as of the load (or the last settle in this request). */
  spentCents: number;
  reservedCents: number;
};

/**
 * What a request needs to decide about spending, read once: the organization's time zone and
 * "today", the caps and prices of the providers involved, today's spend on them, and the kill
 * switches. Services load it at the start of a request and pass it down to `budget/`.
 */
export type BillingContext = {
  orgId: string;
  timeZone: string;
  /** The organization's today, YYYY-MM-DD. */
  day: string;
  budgets: Partial<Record<PaidProvider, ProviderBudget>>;
  killSwitches: Partial<Record<KillSwitchKind, { engaged: boolean; reason: string | null }>>;
};

type Row = {
  timeZone: string;
  day: string;
  budgets: { provider: PaidProvider; dailyCapCents: number | null; costPerCallCents: number | null }[] | null;
  spend: { provider: PaidProvider; spentCents: number; reservedCents: number }[] | null;
  switches: { kind: KillSwitchKind; engaged: boolean; reason: string | null }[] | null;
};

/** One statement: the organization, its budget settings, today's spend and its kill switches. */
export async function loadBillingContext(db: Db | Prisma.TransactionClient, orgId: string, providers: readonly PaidProvider[]): Promise<BillingContext> {
  // On the pool as a prepared statement (db.ts querySql): every search, send and trace runs it.
  const rows = await querySql<Row>(db, Prisma.sql`
    WITH org AS (
      SELECT o.id, o."timeZone", (now() AT TIME ZONE o."timeZone")::date AS day FROM "Organization" o WHERE o.id = ${orgId}
    )
    SELECT org."timeZone", org.day::text AS day,
      (SELECT json_agg(json_build_object('provider', b.provider, 'dailyCapCents', b."dailyCapCents", 'costPerCallCents', b."costPerCallCents"))
         FROM "BudgetSetting" b WHERE b."organizationId" = org.id AND b.provider::text = ANY(${providers as string[]}::text[])) AS budgets,
      (SELECT json_agg(json_build_object('provider', d.provider, 'spentCents', d."spentCents", 'reservedCents', d."reservedCents"))
         FROM "DailySpend" d WHERE d."organizationId" = org.id AND d.day = org.day AND d.provider::text = ANY(${providers as string[]}::text[])) AS spend,
      (SELECT json_agg(json_build_object('kind', k.kind, 'engaged', k.engaged, 'reason', k.reason))
         FROM "KillSwitch" k WHERE k."organizationId" = org.id) AS switches
    FROM org`);
  const row = rows[0];
  if (!row) throw new AppError("NOT_FOUND", "That organization was not found.");
  const budgets: BillingContext["budgets"] = {};
  for (const provider of providers) {
    const setting = row.budgets?.find((b) => b.provider === provider);
    const today = row.spend?.find((d) => d.provider === provider);
    const defaults = defaultBudget(provider);
    budgets[provider] = {
      provider,
      dailyCapCents: setting?.dailyCapCents ?? defaults.dailyCapCents,
      unitCents: setting?.costPerCallCents ?? defaults.costPerCallCents,
      customized: setting?.dailyCapCents != null || setting?.costPerCallCents != null,
      spentCents: today?.spentCents ?? 0,
      reservedCents: today?.reservedCents ?? 0,
    };
  }
  const killSwitches: BillingContext["killSwitches"] = {};
  for (const entry of row.switches ?? []) killSwitches[entry.kind] = { engaged: entry.engaged, reason: entry.reason };
  return { orgId, timeZone: row.timeZone, day: row.day, budgets, killSwitches };
}

export function budgetIn(context: BillingContext, provider: PaidProvider): ProviderBudget {
  const budget = context.budgets[provider];
  if (!budget) throw new Error(`The billing context was loaded without the ${provider} budget`);
  return budget;
}

/** The kill switch as of the request's start; refuses before any provider call when engaged. */
export function assertSwitchOffIn(context: BillingContext, kind: KillSwitchKind): void {
  if (env.GLOBAL_KILL_SWITCHES.includes(kind)) throw killSwitchError(kind, { global: true });
  const row = context.killSwitches[kind];
  if (row?.engaged) throw killSwitchError(kind, { global: false, reason: row.reason });
}

export function switchEngagedIn(context: BillingContext, kind: KillSwitchKind): boolean {
  return env.GLOBAL_KILL_SWITCHES.includes(kind) || !!context.killSwitches[kind]?.engaged;
}
