import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { AppError } from "../errors";
import { CapExceededError, release, reserve, settle, type Reservation } from "../budget/ledger";
import { effectiveBudget } from "../budget/settings";
import { recordActivities } from "../leads/activity";
import {
  chooseBestPhone,
  skipTraceAddressProblem,
  type SkipTracePhone,
  type SkipTraceProvider,
  type SkipTraceRequest,
  type SkipTraceResult,
} from "../providers/skip-trace";

/** A claim older than this belongs to a process that died mid-trace. */
const STALE_CLAIM = "5 minutes";

export type TraceOutcome =
  | { leadId: string; outcome: "matched" | "no_match" | "failed"; recordId: string; costCents: number; bestPhone: string | null; bestPhoneReason: string }
  | { leadId: string; outcome: "skipped_recent"; lastTracedAt: Date }
  | { leadId: string; outcome: "skipped_no_address"; reason: string }
  | { leadId: string; outcome: "in_progress" };

export type TraceContext = { db: Db; orgId: string; userId: string | null; requestId?: string; jobId?: string };

type LeadRow = {
  id: string;
  addressLine1: string;
  city: string;
  state: string;
  zip: string;
  ownerName: string | null;
  ownerIsCorporate: boolean;
  skipTracedAt: Date | null;
};

function requestFor(lead: LeadRow): SkipTraceRequest {
  const words = (lead.ownerName ?? "").trim().split(/\s+/).filter(Boolean);
  const person = !lead.ownerIsCorporate && words.length >= 2;
  return {
    requestId: lead.id,
    address: { street: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip },
    ownerName: person ? { first: words.slice(0, -1).join(" "), last: words.at(-1)! } : null,
  };
}

/**
 * Traces up to one provider batch of leads, paying at most once per lead within the recency
 * window: the recency check and an in-flight claim are one atomic UPDATE, so racing requests
 * (any process) cannot both pay. The cost of every lead that could match is reserved under the
 * daily cap first; only matches are settled. `fitToCap` traces as many as the cap still allows
 * instead of refusing the batch (bulk runs).
 */
export async function traceLeads(
  ctx: TraceContext,
  leadIds: string[],
  provider: SkipTraceProvider,
  options: { force: boolean; recencyDays: number; fitToCap?: boolean },
): Promise<{ outcomes: TraceOutcome[]; capReached: boolean }> {
  const leads = await ctx.db.lead.findMany({
    where: { organizationId: ctx.orgId, id: { in: leadIds } },
    select: { id: true, addressLine1: true, city: true, state: true, zip: true, ownerName: true, ownerIsCorporate: true, skipTracedAt: true },
  });
  const outcomes: TraceOutcome[] = [];
  const traceable: LeadRow[] = [];
  const windowStart = new Date(Date.now() - options.recencyDays * 86_400_000);
  for (const lead of leads) {
    const problem = skipTraceAddressProblem({ street: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip });
    if (problem) outcomes.push({ leadId: lead.id, outcome: "skipped_no_address", reason: problem });
    else if (!options.force && lead.skipTracedAt && lead.skipTracedAt > windowStart) {
      outcomes.push({ leadId: lead.id, outcome: "skipped_recent", lastTracedAt: lead.skipTracedAt });
    } else traceable.push(lead);
  }
  if (traceable.length === 0) return { outcomes, capReached: false };

  const claimed = new Set(
    (
      await ctx.db.$queryRaw<{ id: string }[]>`
        UPDATE "Lead" SET "skipTraceClaimedAt" = now()
        WHERE "organizationId" = ${ctx.orgId} AND id = ANY(${traceable.map((lead) => lead.id)}::text[])
          AND ("skipTraceClaimedAt" IS NULL OR "skipTraceClaimedAt" < now() - ${STALE_CLAIM}::interval)
          AND (${options.force} OR "skipTracedAt" IS NULL OR "skipTracedAt" <= ${windowStart})
        RETURNING id`
    ).map((row) => row.id),
  );
  let batch = traceable.filter((lead) => claimed.has(lead.id));
  for (const lead of traceable) if (!claimed.has(lead.id)) outcomes.push({ leadId: lead.id, outcome: "in_progress" });
  const unclaim = (ids: string[]) =>
    ids.length === 0 ? Promise.resolve() : ctx.db.lead.updateMany({ where: { id: { in: ids } }, data: { skipTraceClaimedAt: null } }).then(() => undefined);
  if (batch.length === 0) return { outcomes, capReached: false };

  const { costPerCallCents } = await effectiveBudget(ctx.db, ctx.orgId, "batchdata");
  const simulated = provider.name === "sandbox";
  let reservation: Reservation | null = null;
  let capReached = false;
  try {
    reservation = await reserve(ctx.db, { orgId: ctx.orgId, provider: "batchdata", operation: "skip_trace", cents: batch.length * costPerCallCents, requestId: ctx.requestId });
  } catch (error) {
    if (!(error instanceof CapExceededError) || !options.fitToCap || costPerCallCents === 0) {
      await unclaim(batch.map((lead) => lead.id));
      throw error;
    }
    capReached = true;
    const remaining = Number(error.details?.capCents) - Number(error.details?.spentCents) - Number(error.details?.reservedCents);
    const fits = Math.max(0, Math.floor(remaining / costPerCallCents));
    await unclaim(batch.slice(fits).map((lead) => lead.id));
    batch = batch.slice(0, fits);
    if (batch.length === 0) return { outcomes, capReached };
    reservation = await reserve(ctx.db, { orgId: ctx.orgId, provider: "batchdata", operation: "skip_trace", cents: batch.length * costPerCallCents, requestId: ctx.requestId }).catch(async (again: unknown) => {
      await unclaim(batch.map((lead) => lead.id));
      if (again instanceof CapExceededError) return null;
      throw again;
    });
    if (!reservation) return { outcomes, capReached };
  }

  const requests = batch.map(requestFor);
  let results: SkipTraceResult[];
  try {
    results = (await provider.trace(requests)).results;
  } catch (error) {
    // The provider may have billed a batch we never heard back from: keep that money counted.
    const possiblyBilled = error instanceof AppError && error.details?.possiblyBilled === true;
    if (possiblyBilled) await settle(ctx.db, reservation, { cents: reservation.cents, operation: "skip_trace", simulated, requestId: ctx.requestId });
    else await release(ctx.db, reservation);
    await unclaim(batch.map((lead) => lead.id));
    throw error;
  }

  const matchedCount = results.filter((result) => result.matched).length;
  await settle(ctx.db, reservation, { cents: matchedCount * costPerCallCents, operation: "skip_trace", simulated, relatedType: ctx.jobId ? "skip_trace_job" : "lead", relatedId: ctx.jobId ?? batch[0]?.id, requestId: ctx.requestId });

  const byId = new Map(results.map((result) => [result.requestId, result]));
  for (const lead of batch) {
    const result = byId.get(lead.id) ?? { requestId: lead.id, matched: false, persons: [], confidence: null, error: "The provider did not answer for this lead", raw: null };
    outcomes.push(await storeResult(ctx, lead, requestFor(lead), result, { provider: provider.name, costCents: result.matched ? costPerCallCents : 0, simulated }));
  }
  return { outcomes, capReached };
}

async function storeResult(
  ctx: TraceContext,
  lead: LeadRow,
  request: SkipTraceRequest,
  result: SkipTraceResult,
  billing: { provider: string; costCents: number; simulated: boolean },
): Promise<TraceOutcome> {
  const phones = new Map<string, SkipTracePhone>();
  for (const person of result.persons) for (const phone of person.phones) if (!phones.has(phone.number)) phones.set(phone.number, phone);
  const emails = [...new Set(result.persons.flatMap((person) => person.emails))];
  const best = chooseBestPhone([...phones.values()]);
  const outcome = result.matched ? "matched" : result.error ? "failed" : "no_match";
  const litigator = result.persons.some((person) => person.litigator);

  const recordId = await ctx.db.$transaction(async (tx) => {
    const record = await tx.skipTraceRecord.create({
      data: {
        organizationId: ctx.orgId,
        leadId: lead.id,
        provider: billing.provider,
        outcome,
        matched: result.matched,
        request: request as Prisma.InputJsonValue,
        rawResponse: { persons: result.persons, vendor: result.raw ?? null } as Prisma.InputJsonValue,
        costCents: billing.costCents,
        simulated: billing.simulated,
        confidence: result.confidence === null ? null : Math.round(result.confidence),
        error: result.error,
        jobId: ctx.jobId,
        requestId: ctx.requestId,
        createdById: ctx.userId,
      },
      select: { id: true },
    });
    for (const phone of phones.values()) {
      const data = { type: phone.type, carrier: phone.carrier, dnc: phone.dnc, tcpa: phone.tcpa || litigator, score: phone.score === null ? null : Math.round(phone.score), source: billing.provider };
      await tx.leadPhone.upsert({
        where: { leadId_number: { leadId: lead.id, number: phone.number } },
        create: { organizationId: ctx.orgId, leadId: lead.id, number: phone.number, ...data },
        update: data,
      });
    }
    if (emails.length > 0) {
      await tx.leadEmail.createMany({ data: emails.map((email) => ({ organizationId: ctx.orgId, leadId: lead.id, email, source: billing.provider })), skipDuplicates: true });
    }
    if (best.phone) {
      await tx.leadPhone.updateMany({ where: { leadId: lead.id }, data: { isBest: false } });
      await tx.leadPhone.update({ where: { leadId_number: { leadId: lead.id, number: best.phone.number } }, data: { isBest: true } });
    }
    const textable = await tx.leadPhone.count({ where: { leadId: lead.id, type: "mobile", dnc: false, tcpa: false, status: "ok" } });
    await tx.lead.update({
      where: { id: lead.id },
      data: { skipTraceClaimedAt: null, hasPhone: textable > 0, ...(outcome === "failed" ? {} : { skipTracedAt: new Date() }) },
    });
    await recordActivities(tx, [
      {
        orgId: ctx.orgId,
        leadId: lead.id,
        actorId: ctx.userId,
        kind: "skip_traced",
        details: { outcome, provider: billing.provider, costCents: billing.costCents, simulated: billing.simulated, phones: phones.size, emails: emails.length, bestPhone: best.phone?.number ?? null, bestPhoneReason: best.reason, recordId: record.id, jobId: ctx.jobId ?? null },
      },
    ]);
    return record.id;
  });
  return { leadId: lead.id, outcome, recordId, costCents: billing.costCents, bestPhone: best.phone?.number ?? null, bestPhoneReason: best.reason };
}
