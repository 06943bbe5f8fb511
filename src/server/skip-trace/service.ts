import "server-only";
import type { ServiceContext } from "../context";
import type { Db } from "../db";
import { AppError, notFound } from "../errors";
import { assertSwitchOff } from "../budget/kill-switches";
import { assertSwitchOffIn, loadBillingContext, type BillingContext } from "../budget/context";
import { budgetTodayIn } from "../budget/overview";
import { withIdempotency } from "../idempotency";
import { enqueue } from "../jobs/queue";
import { leadWhere } from "../lead-records/filters";
import type { LeadFilters } from "../leads/schema";
import type { SkipTraceProvider } from "../providers/skip-trace";
import { skipTraceProvider } from "../providers/registry";
import { skipTraceAddressProblem } from "../providers/skip-trace";
import { log } from "../log";
import { traceLeads, type TraceOutcome } from "./trace";
import { validatePhones } from "./validate";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId">;

const MAX_BULK_LEADS = 10_000;

async function recencyDays(db: Db, orgId: string) {
  const settings = await db.organizationSettings.findUnique({ where: { organizationId: orgId }, select: { skipTraceRecencyDays: true } });
  return settings?.skipTraceRecencyDays ?? 90;
}

/** What the skip-trace button shows before anything is spent. */
export async function skipTraceEstimate(ctx: Ctx, leadId: string) {
  const lead = await ctx.db.lead.findFirst({
    where: { id: leadId, organizationId: ctx.orgId },
    select: { addressLine1: true, city: true, state: true, zip: true, skipTracedAt: true },
  });
  if (!lead) throw notFound("That lead");
  const [billing, days] = await Promise.all([loadBillingContext(ctx.db, ctx.orgId, ["batchdata"]), recencyDays(ctx.db, ctx.orgId)]);
  const budget = budgetTodayIn(billing, "batchdata");
  const killSwitch = killSwitchMessage(billing);
  const recent = lead.skipTracedAt && lead.skipTracedAt.getTime() > Date.now() - days * 86_400_000 ? lead.skipTracedAt : null;
  return {
    provider: skipTraceProvider().name,
    costIfMatchedCents: budget.costPerCallCents,
    budget,
    recencyDays: days,
    lastTracedAt: lead.skipTracedAt,
    tracedRecently: recent !== null,
    addressProblem: skipTraceAddressProblem({ street: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip }),
    killSwitch,
  };
}

/** Why skip tracing is switched off, or null when it is on. */
function killSwitchMessage(billing: BillingContext): string | null {
  try {
    assertSwitchOffIn(billing, "skip_trace");
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function describeOutcome(outcome: TraceOutcome) {
  switch (outcome.outcome) {
    case "skipped_recent":
      return { ...outcome, message: `Already traced on ${outcome.lastTracedAt.toISOString().slice(0, 10)}; trace again to pay for a fresh lookup.` };
    case "skipped_no_address":
      return { ...outcome, message: outcome.reason };
    case "in_progress":
      throw new AppError("CONFLICT", "A skip trace of this lead is already running. Its result will appear on the lead in a moment.");
    default:
      return { ...outcome, message: outcome.outcome === "matched" ? `Found the owner. ${outcome.bestPhoneReason}` : outcome.outcome === "no_match" ? "No match: nothing was charged." : "The trace failed: nothing was charged." };
  }
}

/** With the organization's setting on, the new best phone's line type is checked (Lookup cap). */
async function validateBestPhoneIfEnabled(ctx: Ctx, outcome: TraceOutcome) {
  if (outcome.outcome !== "matched" || !outcome.bestPhone) return;
  const settings = await ctx.db.organizationSettings.findUnique({ where: { organizationId: ctx.orgId }, select: { validateBestPhone: true } });
  if (!settings?.validateBestPhone) return;
  const best = await ctx.db.leadPhone.findFirst({ where: { leadId: outcome.leadId, number: outcome.bestPhone }, select: { id: true } });
  if (!best) return;
  // A refused lookup (its own cap reached) must not undo a paid trace.
  await validatePhones(ctx, { leadId: outcome.leadId, phoneIds: [best.id] }).catch((error: unknown) => log.warn({ err: error }, "best-phone validation skipped"));
}

/** Skip traces one lead now. An idempotency key makes a retry return the first result. */
export async function skipTraceLead(
  ctx: Ctx,
  input: { leadId: string; force: boolean; idempotencyKey?: string },
  provider: SkipTraceProvider = skipTraceProvider(),
) {
  const exists = await ctx.db.lead.findFirst({ where: { id: input.leadId, organizationId: ctx.orgId }, select: { id: true } });
  if (!exists) throw notFound("That lead");
  await assertSwitchOff(ctx.db, ctx.orgId, "skip_trace");
  const run = async () => {
    const { outcomes } = await traceLeads(ctx, [input.leadId], provider, { force: input.force, recencyDays: await recencyDays(ctx.db, ctx.orgId) });
    await validateBestPhoneIfEnabled(ctx, outcomes[0]!);
    const described = describeOutcome(outcomes[0]!);
    return JSON.parse(JSON.stringify(described)) as ReturnType<typeof describeOutcome>;
  };
  const result = input.idempotencyKey
    ? (await withIdempotency(ctx.db, { orgId: ctx.orgId, scope: "skip_trace", key: input.idempotencyKey, payload: { leadId: input.leadId, force: input.force } }, run)).result
    : await run();
  return result;
}

export async function startBulkSkipTrace(ctx: Ctx, input: { target: { ids: string[] } | { filters: LeadFilters }; force: boolean }) {
  const where = "ids" in input.target ? { organizationId: ctx.orgId, id: { in: input.target.ids } } : leadWhere(ctx.orgId, input.target.filters);
  const leads = await ctx.db.lead.findMany({ where, select: { id: true }, orderBy: { createdAt: "asc" }, take: MAX_BULK_LEADS + 1 });
  if (leads.length > MAX_BULK_LEADS) throw new AppError("BAD_REQUEST", `Bulk skip trace takes at most ${MAX_BULK_LEADS.toLocaleString()} leads; narrow the selection.`);
  if ("ids" in input.target && leads.length !== new Set(input.target.ids).size) throw notFound("One or more of the selected leads");
  if (leads.length === 0) throw new AppError("BAD_REQUEST", "No leads match this selection.");
  await assertSwitchOff(ctx.db, ctx.orgId, "skip_trace");
  const job = await ctx.db.skipTraceJob.create({
    data: { organizationId: ctx.orgId, createdById: ctx.userId, leadIds: leads.map((lead) => lead.id), total: leads.length, force: input.force },
  });
  await enqueue("skip-trace-bulk", { jobId: job.id }).catch(async (error: unknown) => {
    await ctx.db.skipTraceJob.update({
      where: { id: job.id },
      data: { status: "failed", stopReason: "Not started: the background job queue was unavailable. Nothing was traced or charged.", finishedAt: new Date() },
    });
    throw error;
  });
  return getBulkJob(ctx, job.id);
}

const jobSelect = {
  id: true, status: true, total: true, processed: true, matched: true, noMatch: true, failed: true,
  skippedRecent: true, skippedNoAddress: true, costCents: true, stopReason: true, force: true,
  createdAt: true, startedAt: true, finishedAt: true,
} as const;

export async function getBulkJob(ctx: Pick<Ctx, "db" | "orgId">, id: string) {
  const job = await ctx.db.skipTraceJob.findFirst({ where: { id, organizationId: ctx.orgId }, select: jobSelect });
  if (!job) throw notFound("That bulk skip trace");
  return job;
}

export async function listBulkJobs(ctx: Pick<Ctx, "db" | "orgId">) {
  return ctx.db.skipTraceJob.findMany({ where: { organizationId: ctx.orgId }, orderBy: { createdAt: "desc" }, take: 20, select: jobSelect });
}

export async function cancelBulkJob(ctx: Ctx, id: string) {
  const changed = await ctx.db.skipTraceJob.updateMany({
    where: { id, organizationId: ctx.orgId, status: { in: ["pending", "running"] } },
    data: { status: "cancelled", stopReason: "Cancelled by a user", finishedAt: new Date() },
  });
  if (changed.count === 0) await getBulkJob(ctx, id);
  return getBulkJob(ctx, id);
}

export async function skipTraceHistory(ctx: Pick<Ctx, "db" | "orgId">, leadId: string) {
  const lead = await ctx.db.lead.findFirst({ where: { id: leadId, organizationId: ctx.orgId }, select: { id: true } });
  if (!lead) throw notFound("That lead");
  const records = await ctx.db.skipTraceRecord.findMany({
    where: { leadId, organizationId: ctx.orgId },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { id: true, provider: true, outcome: true, matched: true, costCents: true, simulated: true, confidence: true, error: true, rawResponse: true, createdAt: true, jobId: true },
  });
  return records.map(({ rawResponse, ...record }) => ({ ...record, persons: ((rawResponse as { persons?: unknown[] } | null)?.persons ?? []) as unknown[] }));
}
