import { z } from "zod";
import { isoCalendarDate } from "@/lib/text-schema";
import { paidProviderSchema } from "../budget/schema";

/** The longest range one request may ask for. */
export const MAX_RANGE_DAYS = 366;

const sourceSchema = z.enum(["attom", "sandbox", "csv", "manual"]);
const int = () => z.number().int();
const cents = () => z.number().int();
const ratio = () => z.number().nullable();

/** A range of org-local calendar days, both ends included. Omitted: the last 30 days. */
export const analyticsRangeInput = z
  .object({ from: isoCalendarDate(), to: isoCalendarDate() })
  .refine((range) => range.from <= range.to, { message: "The start of the range must not be after its end.", path: ["from"] })
  .optional();

const funnelRow = z.object({
  campaignId: z.string().nullable(),
  name: z.string(),
  sent: int(),
  delivered: int(),
  replied: int(),
  interested: int(),
  underContract: int(),
  closed: int(),
  optedOut: int(),
  filtered: int(),
  failed: int(),
  costCents: cents(),
  rates: z.object({ delivery: ratio(), reply: ratio(), optOut: ratio(), filtered: ratio(), failure: ratio() }),
});

const breakdownRow = z.object({
  provider: paidProviderSchema,
  operation: z.string(),
  label: z.string(),
  calls: int(),
  cents: cents(),
  perLeadCents: cents().nullable(),
  perContactableLeadCents: cents().nullable(),
});

export const analyticsOverviewOutput = z.object({
  range: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), today: z.string() }),
  refreshedAt: z.date(),
  leads: z.object({
    perDay: z.array(z.object({ day: z.string(), bySource: z.record(sourceSchema, int()), total: int() })),
    bySource: z.array(z.object({ source: sourceSchema, added: int(), hasPhone: int(), textable: int() })),
    added: int(),
    hasPhone: int(),
    textable: int(),
    hasPhoneRate: ratio(),
    textableRate: ratio(),
  }),
  skipTrace: z.object({
    perDay: z.array(z.object({ day: z.string(), matched: int(), noMatch: int(), failed: int(), hitRate: ratio() })),
    runs: int(),
    matched: int(),
    noMatch: int(),
    failed: int(),
    /** matched / (matched + no match): failed runs (errors) are not counted either way. */
    hitRate: ratio(),
  }),
  spend: z.object({
    providers: z.array(z.object({ provider: paidProviderSchema, name: z.string(), dailyCapCents: cents(), cents: cents(), calls: int(), daysAtCap: int() })),
    perDay: z.array(z.object({ day: z.string(), cents: z.record(paidProviderSchema, cents()), total: cents() })),
    totalCents: cents(),
    combinedDailyCapCents: cents(),
  }),
  costPerLead: z.object({
    leads: int(),
    contactableLeads: int(),
    totalCents: cents(),
    perLeadCents: cents().nullable(),
    perContactableLeadCents: cents().nullable(),
    breakdown: z.array(breakdownRow),
  }),
  funnel: z.object({ overall: funnelRow, campaigns: z.array(funnelRow) }),
  revenue: z.object({
    won: int(),
    revenueCents: cents(),
    spendCents: cents(),
    /** revenue / spend; null with no spend. */
    roi: ratio(),
    bySource: z.array(z.object({ source: sourceSchema, won: int(), revenueCents: cents(), allocatedSpendCents: cents(), roi: ratio() })),
    byCampaign: z.array(z.object({ campaignId: z.string().nullable(), name: z.string(), won: int(), revenueCents: cents(), costCents: cents(), roi: ratio() })),
    timeToClose: z.object({ count: int(), medianDays: z.number().nullable(), meanDays: z.number().nullable() }),
  }),
});

export const usageOutput = z.object({
  month: z.string(),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  refreshedAt: z.date(),
  providers: z.array(
    z.object({
      provider: paidProviderSchema,
      name: z.string(),
      unit: z.string(),
      dailyCapCents: cents(),
      todaySpentCents: cents(),
      todayRemainingCents: cents(),
      monthCents: cents(),
      monthCalls: int(),
      /** The month's days so far times today's cap: the most the caps would have let through. */
      monthCapCents: cents(),
      daysAtCap: int(),
    }),
  ),
  counts: z.object({ leadsAdded: int(), skipTraces: int(), skipTraceMatches: int(), campaignMessages: int() }),
  totalCents: cents(),
});

export type AnalyticsOverview = z.infer<typeof analyticsOverviewOutput>;
export type Usage = z.infer<typeof usageOutput>;
