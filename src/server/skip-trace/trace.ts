import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { isAppError } from "../errors";
import { budgetIn, loadBillingContext } from "../budget/context";
import { release, reserve, reserveUpTo, settle, type Reservation } from "../budget/ledger";
import { notifyIfCapReached, notifyIfCircuitOpen } from "../notifications/producers";
import { billingOfFailure } from "../providers/billing";
import { PROVIDER_HTTP_DEFAULTS } from "../providers/http";
import { recordActivities } from "../lead-records/activity";
import { settleBestPhones } from "../lead-records/phones";
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

  const billingContext = await loadBillingContext(ctx.db, ctx.orgId, ["batchdata"]);
  const { unitCents } = budgetIn(billingContext, "batchdata");
  const simulated = provider.simulated;
  const spend = { orgId: ctx.orgId, provider: "batchdata" as const, operation: "skip_trace", requestId: ctx.requestId };
  let reservation: Reservation;
  let grantedUnits = batch.length;
  try {
    // A bulk run takes as many leads as the cap still allows; a single trace is all or nothing.
    if (options.fitToCap) {
      const upTo = await reserveUpTo(ctx.db, { ...spend, unitCents, maxUnits: batch.length }, billingContext);
      reservation = upTo;
      grantedUnits = upTo.units;
    } else {
      reservation = await reserve(ctx.db, { ...spend, cents: batch.length * unitCents }, billingContext);
    }
  } catch (error) {
    await unclaim(batch.map((lead) => lead.id));
    await notifyIfCapReached(ctx.db, ctx.orgId, error);
    if (options.fitToCap && isAppError(error, "CAP_EXCEEDED")) return { outcomes, capReached: true };
    throw error;
  }
  const capReached = grantedUnits < batch.length;
  if (capReached) {
    await unclaim(batch.slice(grantedUnits).map((lead) => lead.id));
    batch = batch.slice(0, grantedUnits);
  }

  const requests = batch.map(requestFor);
  const requestOf = new Map(requests.map((request) => [request.requestId, request]));
  let results: SkipTraceResult[];
  let billedUnits: number;
  try {
    const traced = await provider.trace(requests, { deadlineMs: ctx.jobId ? PROVIDER_HTTP_DEFAULTS.backgroundDeadlineMs : undefined });
    results = traced.value;
    billedUnits = traced.billing.units;
  } catch (error) {
    // The provider may have billed a batch we never heard back from: keep that money counted.
    const billing = billingOfFailure(error);
    if (billing.units > 0) {
      const cents = billing.units * unitCents;
      await settle(ctx.db, reservation, { cents, unconfirmedCents: billing.possiblyBilled ? cents : 0, operation: "skip_trace", simulated, requestId: ctx.requestId });
    }
    else await release(ctx.db, reservation);
    await unclaim(batch.map((lead) => lead.id));
    await notifyIfCircuitOpen(ctx.db, ctx.orgId, error);
    throw error;
  }

  await settle(ctx.db, reservation, { cents: billedUnits * unitCents, operation: "skip_trace", simulated, relatedType: ctx.jobId ? "skip_trace_job" : "lead", relatedId: ctx.jobId ?? batch[0]?.id, requestId: ctx.requestId });

  const byId = new Map(results.map((result) => [result.requestId, result]));
  const stored = await storeResults(
    ctx,
    batch.map((lead) => ({
      lead,
      request: requestOf.get(lead.id)!,
      result: byId.get(lead.id) ?? { requestId: lead.id, matched: false, persons: [], confidence: null, error: "The provider did not answer for this lead", raw: null },
    })),
    { provider: provider.name, costPerMatchCents: unitCents, simulated },
  );
  outcomes.push(...stored);
  return { outcomes, capReached };
}

type TraceItem = { lead: LeadRow; request: SkipTraceRequest; result: SkipTraceResult };

/**
 * Stores one batch's results in one transaction with set-based writes: lineage records, new
 * phones and emails (existing phones keep the status a user gave them), best phones, the
 * Contactable flag and the timeline.
 */
async function storeResults(
  ctx: TraceContext,
  items: TraceItem[],
  billing: { provider: string; costPerMatchCents: number; simulated: boolean },
): Promise<TraceOutcome[]> {
  const prepared = items.map(({ lead, request, result }) => {
    const phones = new Map<string, SkipTracePhone>();
    const litigator = result.persons.some((person) => person.litigator);
    for (const person of result.persons) {
      for (const phone of person.phones) if (!phones.has(phone.number)) phones.set(phone.number, { ...phone, tcpa: phone.tcpa || litigator });
    }
    const emails = [...new Set(result.persons.flatMap((person) => person.emails))];
    const best = chooseBestPhone([...phones.values()]);
    const outcome = result.matched ? ("matched" as const) : result.error ? ("failed" as const) : ("no_match" as const);
    return { lead, request, result, phones, emails, best, outcome, costCents: result.matched ? billing.costPerMatchCents : 0 };
  });
  const leadIds = items.map((item) => item.lead.id);

  return ctx.db.$transaction(
    async (tx) => {
      const records = await tx.skipTraceRecord.createManyAndReturn({
        data: prepared.map((p) => ({
          organizationId: ctx.orgId,
          leadId: p.lead.id,
          provider: billing.provider,
          outcome: p.outcome,
          matched: p.result.matched,
          request: p.request as Prisma.InputJsonValue,
          rawResponse: { persons: p.result.persons, vendor: p.result.raw ?? null } as Prisma.InputJsonValue,
          costCents: p.costCents,
          simulated: billing.simulated,
          confidence: p.result.confidence === null ? null : Math.round(p.result.confidence),
          error: p.result.error,
          jobId: ctx.jobId,
          requestId: ctx.requestId,
          createdById: ctx.userId,
        })),
        select: { id: true, leadId: true },
      });
      const recordOf = new Map(records.map((record) => [record.leadId, record.id]));

      const existing = await tx.leadPhone.findMany({ where: { leadId: { in: leadIds } } });
      const existingKey = new Set(existing.map((phone) => `${phone.leadId}|${phone.number}`));
      const fresh: Prisma.LeadPhoneCreateManyInput[] = [];
      for (const p of prepared) {
        for (const phone of p.phones.values()) {
          const data = { type: phone.type, carrier: phone.carrier, dnc: phone.dnc, tcpa: phone.tcpa, score: phone.score === null ? null : Math.round(phone.score), source: billing.provider };
          if (existingKey.has(`${p.lead.id}|${phone.number}`)) {
            await tx.leadPhone.update({ where: { leadId_number: { leadId: p.lead.id, number: phone.number } }, data });
          } else fresh.push({ organizationId: ctx.orgId, leadId: p.lead.id, number: phone.number, ...data });
        }
      }
      if (fresh.length > 0) await tx.leadPhone.createMany({ data: fresh, skipDuplicates: true });
      const emails = prepared.flatMap((p) => p.emails.map((email) => ({ organizationId: ctx.orgId, leadId: p.lead.id, email, source: billing.provider })));
      if (emails.length > 0) await tx.leadEmail.createMany({ data: emails, skipDuplicates: true });

      const withBest = prepared.filter((p) => p.best.phone);
      if (withBest.length > 0) {
        await tx.leadPhone.updateMany({ where: { leadId: { in: withBest.map((p) => p.lead.id) } }, data: { isBest: false } });
        await tx.$executeRaw`
          UPDATE "LeadPhone" AS phone SET "isBest" = true
          FROM unnest(${withBest.map((p) => p.lead.id)}::text[], ${withBest.map((p) => p.best.phone!.number)}::text[]) AS best("leadId", number)
          WHERE phone."leadId" = best."leadId" AND phone.number = best.number`;
      }
      // A phone a teammate verified stays the best one; a chosen phone that cannot take a text (a
      // user's mark, an opt-out, the internal DNC list) is not. The lead's "has a phone" and
      // "textable" flags follow the phone rows by themselves (triggers, same transaction).
      await settleBestPhones(tx, prepared.filter((p) => p.phones.size > 0).map((p) => p.lead.id));
      await tx.$executeRaw`UPDATE "Lead" SET "skipTraceClaimedAt" = NULL WHERE id = ANY(${leadIds}::text[])`;
      const traced = prepared.filter((p) => p.outcome !== "failed").map((p) => p.lead.id);
      if (traced.length > 0) await tx.lead.updateMany({ where: { id: { in: traced } }, data: { skipTracedAt: new Date() } });

      await recordActivities(
        tx,
        prepared.map((p) => ({
          orgId: ctx.orgId,
          leadId: p.lead.id,
          actorId: ctx.userId,
          kind: "skip_traced" as const,
          details: {
            outcome: p.outcome,
            provider: billing.provider,
            costCents: p.costCents,
            simulated: billing.simulated,
            phones: p.phones.size,
            emails: p.emails.length,
            bestPhone: p.best.phone?.number ?? null,
            bestPhoneReason: p.best.reason,
            recordId: recordOf.get(p.lead.id) ?? null,
            jobId: ctx.jobId ?? null,
          },
        })),
      );
      return prepared.map((p) => ({
        leadId: p.lead.id,
        outcome: p.outcome,
        recordId: recordOf.get(p.lead.id)!,
        costCents: p.costCents,
        bestPhone: p.best.phone?.number ?? null,
        bestPhoneReason: p.best.reason,
      }));
    },
    { timeout: 60_000 },
  );
}
