import "server-only";
import type { Db } from "../db";
import { log } from "../log";
import { assertSwitchOff } from "../budget/kill-switches";
import { notifyCapReached, notifySkipTraceFinished } from "../notifications/producers";
import { SKIP_TRACE_BATCH_SIZE, type SkipTraceProvider } from "../providers/skip-trace";
import { traceLeads } from "./trace";

export type BulkRunOutcome = "completed" | "stopped_cap" | "cancelled" | "stopped_kill_switch" | "interrupted";

/**
 * Runs (or resumes) a bulk skip trace: leads that already have a record from this job are not
 * traced again, so a restart never pays twice. Stops cleanly at the daily cap, on cancel and
 * when the kill switch is engaged, with the report in the job row.
 */
export async function runBulkSkipTrace(db: Db, jobId: string, provider: SkipTraceProvider, opts: { signal?: AbortSignal } = {}): Promise<BulkRunOutcome> {
  const job = await db.skipTraceJob.findUnique({ where: { id: jobId } });
  if (!job || !["pending", "running"].includes(job.status)) return "completed";
  await db.skipTraceJob.update({ where: { id: jobId }, data: { status: "running", startedAt: job.startedAt ?? new Date() } });
  const settings = await db.organizationSettings.findUnique({ where: { organizationId: job.organizationId }, select: { skipTraceRecencyDays: true } });
  const recencyDays = settings?.skipTraceRecencyDays ?? 90;

  const done = new Set((await db.skipTraceRecord.findMany({ where: { jobId }, select: { leadId: true } })).map((record) => record.leadId));
  const remaining = job.leadIds.filter((id) => !done.has(id));
  // The job's creator is notified in the transaction that finishes it: once, and only if it did.
  const finish = (status: "completed" | "stopped_cap" | "cancelled", stopReason: string | null) =>
    db.$transaction(async (tx) => {
      const updated = await tx.skipTraceJob.updateMany({ where: { id: jobId, status: "running" }, data: { status, stopReason, finishedAt: new Date() } });
      if (updated.count > 0) await notifySkipTraceFinished(tx, jobId);
      return updated;
    });

  for (let offset = 0; offset < remaining.length; offset += SKIP_TRACE_BATCH_SIZE) {
    if (opts.signal?.aborted) return "interrupted";
    const current = await db.skipTraceJob.findUnique({ where: { id: jobId }, select: { status: true } });
    if (current?.status === "cancelled") return "cancelled";
    try {
      await assertSwitchOff(db, job.organizationId, "skip_trace");
    } catch (error) {
      await finish("cancelled", (error as Error).message);
      return "stopped_kill_switch";
    }
    const batch = remaining.slice(offset, offset + SKIP_TRACE_BATCH_SIZE);
    const { outcomes, capReached } = await traceLeads(
      { db, orgId: job.organizationId, userId: job.createdById, jobId, requestId: `job-${jobId}` },
      batch,
      provider,
      { force: job.force, recencyDays, fitToCap: true },
    ).catch(async (error: unknown) => {
      log.error({ err: error, jobId }, "bulk skip trace batch failed");
      return { outcomes: batch.map((leadId) => ({ leadId, outcome: "failed" as const })), capReached: false, failedBatch: true };
    });
    const count = (kind: string) => outcomes.filter((o) => o.outcome === kind).length;
    const counted = outcomes.filter((o) => o.outcome !== "in_progress").length;
    const costCents = outcomes.reduce((sum, o) => sum + ("costCents" in o ? o.costCents : 0), 0);
    await db.skipTraceJob.update({
      where: { id: jobId },
      data: {
        processed: { increment: counted },
        matched: { increment: count("matched") },
        noMatch: { increment: count("no_match") },
        failed: { increment: count("failed") },
        skippedRecent: { increment: count("skipped_recent") + count("in_progress") },
        skippedNoAddress: { increment: count("skipped_no_address") },
        costCents: { increment: costCents },
      },
    });
    if (capReached) {
      await notifyCapReached(db, { orgId: job.organizationId, provider: "batchdata" }).catch((err: unknown) => log.warn({ err, jobId }, "could not notify the admins of the BatchData cap"));
      await finish("stopped_cap", "The BatchData daily cap was reached: the rest were not traced and nothing was charged over the cap.");
      return "stopped_cap";
    }
  }
  await finish("completed", null);
  return "completed";
}
