import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { PaidProvider } from "@/generated/prisma/enums";
import { addDays, centsPer, dayDiff, daysBetween, median, monthOf, rate } from "@/lib/analytics";
import { loadBillingContext } from "../budget/context";
import { budgetTodayIn } from "../budget/overview";
import { PAID_PROVIDERS } from "../budget/settings";
import type { ServiceContext } from "../context";
import { querySql } from "../db";
import { AppError } from "../errors";
import { ensureRollup } from "./rollup";
import { MAX_RANGE_DAYS, type AnalyticsOverview, type Usage } from "./schema";

type Ctx = Pick<ServiceContext, "db" | "orgId">;
type Source = "attom" | "sandbox" | "csv" | "manual";
const SOURCES: readonly Source[] = ["sandbox", "attom", "csv", "manual"];

/** What a ledger operation is, for people (the breakdown of cost per lead). */
const OPERATION_LABELS: Record<string, string> = {
  property_search: "Property searches",
  place_lookup: "Place lookups",
  skip_trace: "Skip traces",
  phone_lookup: "Phone lookups",
  "sms.send": "Text messages",
  lead_summary: "AI lead summaries",
  suggested_reply: "AI suggested replies",
  reply_intent: "AI reply reading",
};

type DailyRow = { day: string; metric: string; key: string; value: number };
type TotalRow = { metric: string; key: string; value: number };

/** Per-day rows of the metrics a chart draws by day (days × a handful of keys). */
async function dailyRows(ctx: Ctx, from: string, to: string, metrics: readonly string[]): Promise<DailyRow[]> {
  return querySql<DailyRow>(
    ctx.db,
    Prisma.sql`SELECT day::text AS day, metric, key, value::float8 AS value FROM "AnalyticsDaily"
      WHERE "organizationId" = ${ctx.orgId} AND metric = ANY(${[...metrics]}::text[]) AND day >= ${from}::date AND day <= ${to}::date`,
  );
}

/** The range's totals per metric and key, summed in Postgres (an index-only scan of the rollup). */
async function totalRows(ctx: Ctx, from: string, to: string, metrics: readonly string[]): Promise<TotalRow[]> {
  return querySql<TotalRow>(
    ctx.db,
    Prisma.sql`SELECT metric, key, sum(value)::float8 AS value FROM "AnalyticsDaily"
      WHERE "organizationId" = ${ctx.orgId} AND metric = ANY(${[...metrics]}::text[]) AND day >= ${from}::date AND day <= ${to}::date
      GROUP BY metric, key`,
  );
}

/** Totals by (metric, key) and values by (metric, key, day). */
class Figures {
  private readonly total = new Map<string, number>();
  private readonly daily = new Map<string, number>();
  private readonly keys = new Map<string, Set<string>>();
  constructor(totals: readonly TotalRow[], days: readonly DailyRow[] = []) {
    for (const row of totals) {
      this.total.set(`${row.metric}|${row.key}`, row.value);
      if (!this.keys.has(row.metric)) this.keys.set(row.metric, new Set());
      this.keys.get(row.metric)!.add(row.key);
    }
    for (const row of days) this.daily.set(`${row.metric}|${row.key}|${row.day}`, row.value);
  }
  sum(metric: string, key: string): number {
    return this.total.get(`${metric}|${key}`) ?? 0;
  }
  on(metric: string, key: string, day: string): number {
    return this.daily.get(`${metric}|${key}|${day}`) ?? 0;
  }
  keysOf(metric: string): string[] {
    return [...(this.keys.get(metric) ?? [])];
  }
}

function resolveRange(today: string, input: { from: string; to: string } | undefined): { from: string; to: string } {
  const range = input ?? { from: addDays(today, -29), to: today };
  if (dayDiff(range.from, range.to) + 1 > MAX_RANGE_DAYS) {
    throw new AppError("BAD_REQUEST", `A range can cover at most ${MAX_RANGE_DAYS} days; this one covers ${dayDiff(range.from, range.to) + 1}.`);
  }
  return range;
}

const providerOf = (key: string) => key.slice(0, key.indexOf(":")) as PaidProvider;
const operationOf = (key: string) => key.slice(key.indexOf(":") + 1);

type WonRow = { source: Source; wonAt: string; createdDay: string; amountCents: number; campaignId: string | null };

/** Won leads of the range (live: the index on (organizationId, wonAt) keeps it to the won rows). */
async function wonLeads(ctx: Ctx, from: string, to: string, timeZone: string): Promise<WonRow[]> {
  return querySql<WonRow>(
    ctx.db,
    Prisma.sql`SELECT l.source::text AS source, l."wonAt"::text AS "wonAt",
        ((l."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date::text AS "createdDay",
        COALESCE(l."wonAmountCents", 0)::float8 AS "amountCents",
        (SELECT c."lastCampaignId" FROM "Conversation" c
          WHERE c."organizationId" = l."organizationId" AND c."leadId" = l.id AND c."lastCampaignId" IS NOT NULL
          ORDER BY c."lastMessageAt" DESC NULLS LAST, c.id LIMIT 1) AS "campaignId"
      FROM "Lead" l
      WHERE l."organizationId" = ${ctx.orgId} AND l."wonAt" >= ${from}::date AND l."wonAt" <= ${to}::date`,
  );
}

async function campaignNames(ctx: Ctx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.campaign.findMany({ where: { organizationId: ctx.orgId, id: { in: [...ids] } }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name]));
}

const FUNNEL_METRICS = ["camp_sent", "camp_delivered", "camp_filtered", "camp_failed", "camp_replied", "camp_opted_out", "camp_interested", "camp_under_contract", "camp_closed", "camp_cost"] as const;

function funnelRow(campaignId: string | null, name: string, get: (metric: (typeof FUNNEL_METRICS)[number]) => number): AnalyticsOverview["funnel"]["overall"] {
  const sent = get("camp_sent");
  const filtered = get("camp_filtered");
  const failed = get("camp_failed");
  return {
    campaignId,
    name,
    sent,
    delivered: get("camp_delivered"),
    replied: get("camp_replied"),
    interested: get("camp_interested"),
    underContract: get("camp_under_contract"),
    closed: get("camp_closed"),
    optedOut: get("camp_opted_out"),
    filtered,
    failed,
    costCents: get("camp_cost"),
    rates: {
      delivery: rate(get("camp_delivered"), sent),
      reply: rate(get("camp_replied"), sent),
      optOut: rate(get("camp_opted_out"), sent),
      filtered: rate(filtered, sent),
      failure: rate(failed, sent),
    },
  };
}

/**
 * Every figure of the analytics page for a range of org-local days: leads by source and day,
 * phone rates, skip-trace hit rate, spend by provider and day against the caps, cost per lead and
 * per contactable lead with what they are made of, the campaign funnel, revenue, ROI and time to close.
 * Reads the rollup (see rollup.ts) and the range's won leads; nothing scans leads, the ledger or messages.
 */
export async function analyticsOverview(ctx: Ctx, input?: { from: string; to: string }): Promise<AnalyticsOverview> {
  // Caps and the rollup's state at once (the range is settled against the org's today inside).
  const [billing, { refreshedAt, today, timeZone }] = await Promise.all([
    loadBillingContext(ctx.db, ctx.orgId, PAID_PROVIDERS),
    ensureRollup(ctx.db, ctx.orgId, (today) => resolveRange(today, input).from),
  ]);
  const { from, to } = resolveRange(today, input);
  const days = daysBetween(from, to);
  const [totals, perDay, won] = await Promise.all([
    totalRows(ctx, from, to, ["leads_added", "leads_has_phone", "leads_textable", "skip_trace_runs", "spend_cents", "spend_calls", ...FUNNEL_METRICS]),
    dailyRows(ctx, from, to, ["leads_added", "skip_trace_runs", "spend_cents"]),
    wonLeads(ctx, from, to, timeZone),
  ]);
  const f = new Figures(totals, perDay);

  // Leads
  const bySource = SOURCES.map((source) => ({ source, added: f.sum("leads_added", source), hasPhone: f.sum("leads_has_phone", source), textable: f.sum("leads_textable", source) }));
  const added = bySource.reduce((sum, row) => sum + row.added, 0);
  const hasPhone = bySource.reduce((sum, row) => sum + row.hasPhone, 0);
  const textable = bySource.reduce((sum, row) => sum + row.textable, 0);
  const leadsPerDay = days.map((day) => {
    const counts = Object.fromEntries(SOURCES.map((source) => [source, f.on("leads_added", source, day)])) as Record<Source, number>;
    return { day, bySource: counts, total: SOURCES.reduce((sum, source) => sum + counts[source], 0) };
  });

  // Skip tracing
  const skipPerDay = days.map((day) => {
    const matched = f.on("skip_trace_runs", "matched", day);
    const noMatch = f.on("skip_trace_runs", "no_match", day);
    return { day, matched, noMatch, failed: f.on("skip_trace_runs", "failed", day), hitRate: rate(matched, matched + noMatch) };
  });
  const matched = f.sum("skip_trace_runs", "matched");
  const noMatch = f.sum("skip_trace_runs", "no_match");
  const skipFailed = f.sum("skip_trace_runs", "failed");

  // Spend, from the ledger's entries
  const spendKeys = f.keysOf("spend_cents").concat(f.keysOf("spend_calls").filter((key) => !f.keysOf("spend_cents").includes(key)));
  const providerDay = (provider: PaidProvider, day: string) => spendKeys.filter((key) => providerOf(key) === provider).reduce((sum, key) => sum + f.on("spend_cents", key, day), 0);
  const spendPerDay = days.map((day) => {
    const cents = Object.fromEntries(PAID_PROVIDERS.map((provider) => [provider, providerDay(provider, day)])) as Record<PaidProvider, number>;
    return { day, cents, total: PAID_PROVIDERS.reduce((sum, provider) => sum + cents[provider], 0) };
  });
  const budgets = PAID_PROVIDERS.map((provider) => budgetTodayIn(billing, provider));
  const providers = budgets.map((budget) => {
    const keys = spendKeys.filter((key) => providerOf(key) === budget.provider);
    return {
      provider: budget.provider,
      name: budget.name,
      dailyCapCents: budget.dailyCapCents,
      cents: keys.reduce((sum, key) => sum + f.sum("spend_cents", key), 0),
      calls: keys.reduce((sum, key) => sum + f.sum("spend_calls", key), 0),
      daysAtCap: budget.dailyCapCents > 0 ? spendPerDay.filter((row) => row.cents[budget.provider] >= budget.dailyCapCents).length : 0,
    };
  });
  const totalCents = providers.reduce((sum, row) => sum + row.cents, 0);

  // Cost per lead and per contactable lead, and what each is made of
  const breakdown = spendKeys
    .map((key) => {
      const provider = providerOf(key);
      const operation = operationOf(key);
      const cents = f.sum("spend_cents", key);
      return {
        provider,
        operation,
        label: `${OPERATION_LABELS[operation] ?? operation} (${budgets.find((b) => b.provider === provider)?.name ?? provider})`,
        calls: f.sum("spend_calls", key),
        cents,
        perLeadCents: centsPer(cents, added),
        perContactableLeadCents: centsPer(cents, textable),
      };
    })
    .sort((a, b) => b.cents - a.cents || a.label.localeCompare(b.label));

  // Campaign funnel
  const campaignIds = f.keysOf("camp_sent").concat(f.keysOf("camp_cost")).filter((id, i, all) => all.indexOf(id) === i);
  const wonCampaignIds = won.map((row) => row.campaignId).filter((id): id is string => !!id);
  const names = await campaignNames(ctx, [...new Set([...campaignIds, ...wonCampaignIds])]);
  const nameOf = (id: string) => names.get(id) ?? "Deleted campaign";
  const campaigns = campaignIds.map((id) => funnelRow(id, nameOf(id), (metric) => f.sum(metric, id))).sort((a, b) => b.sent - a.sent || a.name.localeCompare(b.name));
  const overall = funnelRow(null, "All campaigns", (metric) => campaignIds.reduce((sum, id) => sum + f.sum(metric, id), 0));

  // Revenue, ROI, time to close
  const revenueCents = won.reduce((sum, row) => sum + row.amountCents, 0);
  const revenueBySource = SOURCES.map((source) => {
    const wins = won.filter((row) => row.source === source);
    const revenue = wins.reduce((sum, row) => sum + row.amountCents, 0);
    const leadsOfSource = bySource.find((row) => row.source === source)!.added;
    // The range's spend shared out by each source's part of the leads added.
    const allocatedSpendCents = added > 0 ? Math.round((totalCents * leadsOfSource) / added) : 0;
    return { source, won: wins.length, revenueCents: revenue, allocatedSpendCents, roi: rate(revenue, allocatedSpendCents) };
  }).filter((row) => row.won > 0 || row.allocatedSpendCents > 0);
  const byCampaignIds = [...new Set<string | null>([...campaignIds, ...won.map((row) => row.campaignId)])];
  const revenueByCampaign = byCampaignIds
    .map((id) => {
      const wins = won.filter((row) => row.campaignId === id);
      const revenue = wins.reduce((sum, row) => sum + row.amountCents, 0);
      const costCents = id ? f.sum("camp_cost", id) : 0;
      return { campaignId: id, name: id ? nameOf(id) : "Not from a campaign", won: wins.length, revenueCents: revenue, costCents, roi: rate(revenue, costCents) };
    })
    .filter((row) => row.won > 0 || row.costCents > 0)
    .sort((a, b) => b.revenueCents - a.revenueCents || b.costCents - a.costCents || a.name.localeCompare(b.name));
  const closeDays = won.map((row) => dayDiff(row.createdDay, row.wonAt));

  return {
    range: { from, to, timeZone, today },
    refreshedAt,
    leads: { perDay: leadsPerDay, bySource, added, hasPhone, textable, hasPhoneRate: rate(hasPhone, added), textableRate: rate(textable, added) },
    skipTrace: { perDay: skipPerDay, runs: matched + noMatch + skipFailed, matched, noMatch, failed: skipFailed, hitRate: rate(matched, matched + noMatch) },
    spend: { providers, perDay: spendPerDay, totalCents, combinedDailyCapCents: budgets.reduce((sum, b) => sum + b.dailyCapCents, 0) },
    costPerLead: { leads: added, contactableLeads: textable, totalCents, perLeadCents: centsPer(totalCents, added), perContactableLeadCents: centsPer(totalCents, textable), breakdown },
    funnel: { overall, campaigns },
    revenue: {
      won: won.length,
      revenueCents,
      spendCents: totalCents,
      roi: rate(revenueCents, totalCents),
      bySource: revenueBySource,
      byCampaign: revenueByCampaign,
      timeToClose: {
        count: closeDays.length,
        medianDays: median(closeDays),
        meanDays: closeDays.length > 0 ? Math.round((closeDays.reduce((a, b) => a + b, 0) / closeDays.length) * 10) / 10 : null,
      },
    },
  };
}

/**
 * This month's usage (org-local calendar month to today): spend and billed calls per provider
 * against the daily caps, days a cap was reached, and the month's counts. Exported as CSV by the page.
 */
export async function usageThisMonth(ctx: Ctx): Promise<Usage> {
  const [billing, { refreshedAt, today, timeZone }] = await Promise.all([
    loadBillingContext(ctx.db, ctx.orgId, PAID_PROVIDERS),
    ensureRollup(ctx.db, ctx.orgId, (today) => monthOf(today).from),
  ]);
  const { month, from } = monthOf(today);
  const [totals, capDays] = await Promise.all([
    totalRows(ctx, from, today, ["spend_cents", "spend_calls", "leads_added", "skip_trace_runs", "camp_sent"]),
    // The cap counters (DailySpend, one row per provider and day): which days a cap was reached.
    ctx.db.dailySpend.findMany({
      where: { organizationId: ctx.orgId, day: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${today}T00:00:00Z`) } },
      select: { provider: true, spentCents: true },
    }),
  ]);
  const f = new Figures(totals);
  const elapsedDays = dayDiff(from, today) + 1;
  const providers = PAID_PROVIDERS.map((provider) => {
    const budget = budgetTodayIn(billing, provider);
    const keys = f.keysOf("spend_calls").concat(f.keysOf("spend_cents")).filter((key, i, all) => providerOf(key) === provider && all.indexOf(key) === i);
    return {
      provider,
      name: budget.name,
      unit: budget.unit,
      dailyCapCents: budget.dailyCapCents,
      todaySpentCents: budget.spentCents,
      todayRemainingCents: budget.remainingCents,
      monthCents: keys.reduce((sum, key) => sum + f.sum("spend_cents", key), 0),
      monthCalls: keys.reduce((sum, key) => sum + f.sum("spend_calls", key), 0),
      monthCapCents: budget.dailyCapCents * elapsedDays,
      daysAtCap: budget.dailyCapCents > 0 ? capDays.filter((row) => row.provider === provider && row.spentCents >= budget.dailyCapCents).length : 0,
    };
  });
  const sumMetric = (metric: string) => f.keysOf(metric).reduce((sum, key) => sum + f.sum(metric, key), 0);
  return {
    month,
    from,
    to: today,
    timeZone,
    refreshedAt,
    providers,
    counts: {
      leadsAdded: sumMetric("leads_added"),
      skipTraces: sumMetric("skip_trace_runs"),
      skipTraceMatches: f.sum("skip_trace_runs", "matched"),
      campaignMessages: sumMetric("camp_sent"),
    },
    totalCents: providers.reduce((sum, row) => sum + row.monthCents, 0),
  };
}
