import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { ServiceContext } from "../context";
import { querySql, type Db } from "../db";
import { AppError, isAppError, notFound } from "../errors";
import { log } from "../log";
import { loadBillingContext } from "../budget/context";
import { enqueue } from "../jobs/queue";
import { propertySearchQuerySchema, splitByLocation, type PropertySearchPage, type PropertySearchProvider, type PropertySearchQuery } from "../providers/property-search";
import type { PlaceResolver } from "../providers/place-resolver";
import { placeResolver, propertySearchProvider } from "../providers/registry";
import { hashQuery, peekMany } from "./cache";
import { cacheKeyOf } from "./pages";
import { resolveQueryFromCache } from "./places";
import { insertPropertiesAsLeads, searchProperties } from "./service";

/**
 * "Add all N results to leads" (issue 14 item 7). The user asks from a search they ran; a worker
 * walks every page of it (ZIP by ZIP) through searchProperties — the interactive search's own
 * path: today's cache answers a page already paid for, a missing page is reserved under the daily
 * cap, paid once and cached, the kill switch refuses it — and adds each page's properties to leads
 * (a lead already there, by the dedup key, is counted as already in leads).
 *
 * The job's cursor (partIndex, nextPage) moves in the transaction that adds the page's leads and
 * counts them, and only from the position it was read at: a redelivered or duplicated job resumes
 * after the last page added, re-reads the page it may have paid for from the cache (free), and
 * never adds or counts a page twice. The cost shown is what the job's own searches paid (their
 * search-history rows carry the job's request id), so a page paid just before a crash is counted.
 */

/** Results one job adds at most per location (a ZIP, a city or a county); the rest of a larger area is left. */
export const MAX_ADD_ALL_RESULTS_PER_LOCATION = 5000;

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId">;

const jobSelect = {
  id: true, status: true, total: true, pagesDone: true, added: true, alreadyInLeads: true, costCents: true, stopReason: true,
  createdAt: true, finishedAt: true,
} as const;

const requestIdOf = (jobId: string) => `add-all-${jobId}`;

/** What the job's searches paid: their history rows (paid ones are written at once) carry its request id. */
async function paidByJob(db: Db, orgId: string, jobId: string, since: Date): Promise<number> {
  const [row] = await querySql<{ cents: number }>(
    db,
    Prisma.sql`SELECT COALESCE(sum("costCents"), 0)::int AS cents FROM "SearchRun" WHERE "organizationId" = ${orgId} AND "createdAt" >= ${since} AND "requestId" = ${requestIdOf(jobId)} AND NOT "cacheHit"`,
  );
  return row?.cents ?? 0;
}

export async function getAddAllJob(ctx: Pick<Ctx, "db" | "orgId">, id: string) {
  const job = await ctx.db.searchAddAllJob.findFirst({ where: { id, organizationId: ctx.orgId }, select: jobSelect });
  if (!job) throw notFound("That add-all job");
  const finished = job.status !== "pending" && job.status !== "running";
  return { ...job, costCents: finished ? job.costCents : await paidByJob(ctx.db, ctx.orgId, job.id, job.createdAt) };
}

/**
 * Queues the job for a search the user ran today (its answer is in today's cache; nothing is paid
 * here). The same search already being added returns that job instead of starting a second one.
 */
export async function startAddAll(ctx: Ctx, input: { query: PropertySearchQuery }, provider: PropertySearchProvider = propertySearchProvider()) {
  const billing = await loadBillingContext(ctx.db, ctx.orgId, []);
  const asRun = await resolveQueryFromCache(ctx.db, provider, input.query);
  // The page the user is on, else page 1 (any page of the search tells its total).
  let found = new Map<number, PropertySearchPage>();
  for (const page of new Set([asRun.page, 1])) {
    const parts = splitByLocation({ ...asRun, page });
    found = await peekMany<PropertySearchPage>(ctx.db, parts.map((part) => cacheKeyOf(ctx, billing, provider, part)));
    if (found.size > 0) break;
  }
  if (found.size === 0) throw new AppError("NOT_FOUND", "Those search results were not found (results are kept for the day). Run the search again, then add all.");
  const total = [...found.values()].reduce((sum, page) => sum + page.total, 0);
  const query = { ...asRun, page: 1 };

  const active = await ctx.db.searchAddAllJob.findMany({ where: { organizationId: ctx.orgId, status: { in: ["pending", "running"] } }, select: { id: true, query: true } });
  const same = active.find((job) => hashQuery(job.query) === hashQuery(query));
  if (same) return getAddAllJob(ctx, same.id);

  const job = await ctx.db.searchAddAllJob.create({ data: { organizationId: ctx.orgId, createdById: ctx.userId, query, total }, select: { id: true } });
  await enqueue("search-add-all", { jobId: job.id }).catch(async (error: unknown) => {
    await ctx.db.searchAddAllJob.update({
      where: { id: job.id },
      data: { status: "failed", stopReason: "Not started: the background job queue was unavailable. Nothing was added or charged.", finishedAt: new Date() },
    });
    throw error;
  });
  return getAddAllJob(ctx, job.id);
}

export type AddAllOutcome = "completed" | "stopped_cap" | "stopped_kill_switch" | "failed" | "interrupted" | "not_running";

/** Runs (or resumes) an add-all job; see the module comment. Throws a provider failure so the queue retries the job, unless it is the final attempt. */
export async function runAddAll(
  db: Db,
  jobId: string,
  opts: { provider?: PropertySearchProvider; resolver?: PlaceResolver; signal?: AbortSignal; finalAttempt?: boolean } = {},
): Promise<AddAllOutcome> {
  const provider = opts.provider ?? propertySearchProvider();
  const resolver = opts.resolver ?? placeResolver();
  const job = await db.searchAddAllJob.findUnique({ where: { id: jobId } });
  if (!job || (job.status !== "pending" && job.status !== "running")) return "not_running";
  await db.searchAddAllJob.update({ where: { id: jobId }, data: { status: "running", startedAt: job.startedAt ?? new Date() } });
  const parsed = propertySearchQuerySchema.safeParse(job.query);
  const ctx = { db, orgId: job.organizationId, userId: job.createdById ?? "", requestId: requestIdOf(jobId) };

  const finish = async (status: "completed" | "stopped_cap" | "stopped_kill_switch" | "failed", stopReason: string | null) => {
    const costCents = await paidByJob(db, job.organizationId, jobId, job.createdAt);
    await db.searchAddAllJob.updateMany({ where: { id: jobId, status: "running" }, data: { status, stopReason, costCents, finishedAt: new Date() } });
    return status;
  };
  if (!parsed.success) return finish("failed", "This search can no longer be run (its filters changed since). Run it again and add all from there.");
  const parts = splitByLocation(parsed.data);

  for (;;) {
    if (opts.signal?.aborted) return "interrupted";
    const at = await db.searchAddAllJob.findUnique({ where: { id: jobId }, select: { status: true, partIndex: true, nextPage: true } });
    if (!at || at.status !== "running") return "not_running";
    const part = parts[at.partIndex];
    if (!part) return finish("completed", null);

    let answer: Awaited<ReturnType<typeof searchProperties>>;
    try {
      answer = await searchProperties(ctx, { ...part, page: at.nextPage }, provider, resolver);
    } catch (error) {
      if (isAppError(error, "CAP_EXCEEDED")) {
        return finish("stopped_cap", "The daily search cap was reached: the pages added so far are kept, the rest were not searched and nothing was charged over the cap.");
      }
      if (isAppError(error, "KILL_SWITCH_ON")) return finish("stopped_kill_switch", "Paid search was switched off: the pages added so far are kept, the rest were not searched.");
      if (opts.finalAttempt) {
        log.error({ err: error, jobId }, "add-all job gave up");
        return finish("failed", `Stopped after repeated errors: ${error instanceof Error ? error.message : String(error)} The pages added so far are kept.`);
      }
      throw error;
    }

    const lastPage = Math.max(1, Math.min(Math.ceil(answer.total / part.pageSize), Math.ceil(MAX_ADD_ALL_RESULTS_PER_LOCATION / part.pageSize)));
    const next = at.nextPage >= lastPage ? { partIndex: at.partIndex + 1, nextPage: 1 } : { partIndex: at.partIndex, nextPage: at.nextPage + 1 };
    await db.$transaction(async (tx) => {
      // Only from where this run read the cursor: a page another delivery already added is not added or counted again.
      const claimed = await tx.searchAddAllJob.updateMany({
        where: { id: jobId, status: "running", partIndex: at.partIndex, nextPage: at.nextPage },
        data: { ...next, pagesDone: { increment: 1 } },
      });
      if (claimed.count === 0) return;
      const added = await insertPropertiesAsLeads(tx, ctx, answer.rows, provider.name);
      await tx.searchAddAllJob.update({ where: { id: jobId }, data: { added: { increment: added }, alreadyInLeads: { increment: answer.rows.length - added } } });
    });
  }
}
