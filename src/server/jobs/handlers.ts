import "server-only";
import { db } from "../db";
import { log } from "../log";
import { deleteOldAuthRecords } from "../auth/login-rate-limit";
import { refreshRecentRollups, ROLLUP_RECENT_DAYS } from "../analytics/rollup";
import { releaseExpiredReservations } from "../budget/ledger";
import { runCampaignDispatch } from "../campaigns/dispatcher";
import { campaignsDueForDispatch, enqueueCampaignDispatch, REQUEUE_HORIZON_MS } from "../campaigns/state";
import { runSequenceSweep } from "../automation/sequences";
import { deleteExpiredIdempotencyKeys } from "../idempotency";
import { runInboundFollowup } from "../inbox/inbound-followup";
import { recoverStaleScheduledReplies, runScheduledReply } from "../inbox/service";
import { runImport } from "../leads/import/run";
import { sendAutoReply } from "../messaging/auto-reply";
import { deliverSimulatedStatusCallback } from "../messaging/simulated-callbacks";
import { skipTraceProvider, smsSender } from "../providers/registry";
import { deleteExpiredRealtimeEvents } from "../realtime/raise";
import { deleteExpiredCacheEntries } from "../search/cache";
import { runAddAll } from "../search/add-all";
import { runBulkSkipTrace } from "../skip-trace/run-job";
import { clearExpiredPreviousSecrets, deleteOldWebhookDeliveries, nextWebhookDueAt, runWebhookDispatch } from "../webhooks/dispatch";
import { listenForWork } from "./wake";
import { enqueue, JOB_NAMES, shutdownSignal, startQueue, type JobName, type JobPayload, type WorkerTuning } from "./queue";

/**
 * The registry of job handlers: what a worker runs for each job of queue.ts's JOBS, and the
 * periodic ones' schedules. Only the worker (scripts/worker.ts) and tests import this module —
 * the handlers import the capabilities, which import queue.ts to enqueue (lint enforces it).
 */

export type JobContext = { signal: AbortSignal; finalAttempt: boolean };

export type JobHandler<N extends JobName> = {
  run: (data: JobPayload<N>, context: JobContext) => Promise<void>;
  /** Periodic work: pg-boss enqueues `data` on this cron (5 fields, UTC, minute granularity). */
  schedule?: { cron: string; data: JobPayload<N> };
  /** Jobs of this name one process runs at once (default 1). */
  concurrency?: number;
  /** A Postgres NOTIFY channel that queues this job (no payload) when the database signals work. */
  wakeOn?: string;
};

class JobInterrupted extends Error {}

/** Rounds of the ledger's batch per reaper run, so one run ends even if expiries keep coming. */
const REAPER_ROUNDS = 20;

/** Gives back the reservations of processes that died before settling them: the cap is whole again. */
async function reapExpiredReservations(): Promise<number> {
  let released = 0;
  for (let round = 0; round < REAPER_ROUNDS; round++) {
    const count = await releaseExpiredReservations(db);
    released += count;
    if (count === 0) break;
  }
  return released;
}

export const JOB_HANDLERS: { [N in JobName]: JobHandler<N> } = {
  "leads-import": {
    run: async ({ importJobId }, context) => {
      const result = await runImport(db, importJobId, { signal: context.signal, finalAttempt: context.finalAttempt });
      // Thrown so pg-boss hands the job to a worker again; it resumes from the last batch.
      if (result.outcome === "interrupted") throw new JobInterrupted(`Import ${importJobId} interrupted by shutdown`);
    },
  },
  "skip-trace-bulk": {
    run: async ({ jobId }, context) => {
      const outcome = await runBulkSkipTrace(db, jobId, skipTraceProvider(), { signal: context.signal });
      if (outcome === "interrupted") throw new JobInterrupted(`Bulk skip trace ${jobId} interrupted by shutdown`);
    },
  },
  "search-add-all": {
    run: async ({ jobId }, context) => {
      const outcome = await runAddAll(db, jobId, { signal: context.signal, finalAttempt: context.finalAttempt });
      if (outcome === "interrupted") throw new JobInterrupted(`Add-all ${jobId} interrupted by shutdown`);
    },
  },
  "sms-auto-reply": {
    run: async ({ inboundMessageId, wasOptedOut }) => {
      await sendAutoReply(db, inboundMessageId, smsSender(), { wasOptedOut });
    },
  },
  "sms-simulated-callbacks": {
    run: async (data) => {
      await deliverSimulatedStatusCallback(data);
    },
  },
  "campaign-dispatch": {
    run: async ({ campaignId }, context) => {
      const { nextRunAt } = await runCampaignDispatch(db, campaignId, { signal: context.signal, sender: smsSender() });
      if (nextRunAt && nextRunAt.getTime() - Date.now() <= REQUEUE_HORIZON_MS) await enqueueCampaignDispatch(campaignId, nextRunAt);
    },
    // Lanes of several campaigns run side by side; each one's sends are paced by its organization's clock.
    concurrency: 4,
  },
  "campaign-sweep": {
    run: async () => {
      for (const due of await campaignsDueForDispatch(db)) await enqueueCampaignDispatch(due.id, due.startAfter);
    },
    schedule: { cron: "* * * * *", data: {} },
  },
  "sequence-sweep": {
    run: async () => {
      // Steps written now may be due now (a 0-day delay): their campaigns dispatch without waiting for the campaign sweep.
      const { campaignIds } = await runSequenceSweep(db);
      for (const campaignId of campaignIds) await enqueueCampaignDispatch(campaignId);
    },
    schedule: { cron: "* * * * *", data: {} },
  },
  "reservation-reaper": {
    run: async () => {
      await reapExpiredReservations();
    },
    schedule: { cron: "* * * * *", data: {} },
  },
  "search-cache-expiry": {
    run: async () => {
      const deleted = await deleteExpiredCacheEntries(db);
      if (deleted > 0) log.info({ deleted }, "deleted search cache entries of past days");
    },
    schedule: { cron: "7 * * * *", data: {} },
  },
  "idempotency-key-expiry": {
    run: async () => {
      const deleted = await deleteExpiredIdempotencyKeys(db);
      if (deleted > 0) log.info({ deleted }, "deleted expired idempotency keys");
    },
    schedule: { cron: "17 * * * *", data: {} },
  },
  "sms-inbound-followup": {
    run: async ({ inboundMessageId }) => {
      await runInboundFollowup(db, inboundMessageId);
    },
    concurrency: 4,
  },
  "scheduled-reply-recovery": {
    run: async () => {
      await recoverStaleScheduledReplies(db, smsSender());
    },
    schedule: { cron: "* * * * *", data: {} },
  },
  "inbox-scheduled-reply": {
    run: async ({ scheduledReplyId }) => {
      await runScheduledReply(db, scheduledReplyId, smsSender());
    },
  },
  "realtime-event-expiry": {
    run: async () => {
      const deleted = await deleteExpiredRealtimeEvents(db);
      if (deleted > 0) log.info({ deleted }, "deleted live events older than a day");
    },
    schedule: { cron: "37 * * * *", data: {} },
  },
  "webhook-dispatch": {
    run: async (_data, context) => {
      await runWebhookDispatch(db, { signal: context.signal });
      // A retry due before the next minute's sweep: queued for then.
      const next = await nextWebhookDueAt(db);
      if (next && next.getTime() - Date.now() < 60_000 && !context.signal.aborted) {
        await enqueue("webhook-dispatch", {}, { startAfter: new Date(Math.max(next.getTime(), Date.now() + 1_000)) });
      }
    },
    schedule: { cron: "* * * * *", data: {} },
    wakeOn: "leadflow_webhooks",
  },
  "webhook-log-expiry": {
    run: async () => {
      const deleted = await deleteOldWebhookDeliveries(db);
      if (deleted > 0) log.info({ deleted }, "deleted webhook deliveries past the log's retention");
      await clearExpiredPreviousSecrets(db);
    },
    schedule: { cron: "47 * * * *", data: {} },
  },
  "auth-records-expiry": {
    run: async () => {
      const deleted = await deleteOldAuthRecords(db);
      if (deleted.loginAttempts + deleted.sessions > 0) log.info(deleted, "deleted old sign-in attempts and ended sessions");
    },
    schedule: { cron: "27 * * * *", data: {} },
  },
  "analytics-rollup": {
    run: async () => {
      await refreshRecentRollups(db, 2);
    },
    schedule: { cron: "*/10 * * * *", data: {} },
  },
  "analytics-rollup-nightly": {
    run: async () => {
      const refreshed = await refreshRecentRollups(db, ROLLUP_RECENT_DAYS);
      log.info({ refreshed, days: ROLLUP_RECENT_DAYS }, "refreshed the analytics rollups");
    },
    schedule: { cron: "43 3 * * *", data: {} },
  },
};

/**
 * Starts this process as a worker: registers every handler and (re)writes the periodic jobs'
 * schedules in pgboss.schedule. For scripts/worker.ts.
 */
export async function startWorkers(options: { pollingIntervalSeconds?: number } & WorkerTuning = {}) {
  const { pollingIntervalSeconds = 1, ...tuning } = options;
  const boss = await startQueue("worker", tuning);
  if (!boss) throw new Error("The job queue could not start; see the log above. Is DATABASE_URL reachable?");
  for (const name of JOB_NAMES) {
    // Each name is paired with its own handler; TypeScript cannot follow that through the loop.
    const handler = JOB_HANDLERS[name] as unknown as JobHandler<JobName> & { run: (data: unknown, context: JobContext) => Promise<void> };
    for (let worker = 0; worker < (handler.concurrency ?? 1); worker++) {
      await boss.work<unknown>(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, async ([job]) => {
        if (!job) return;
        await handler.run(job.data, { signal: shutdownSignal(), finalAttempt: job.retryCount >= job.retryLimit });
      });
    }
    if (handler.schedule) await boss.schedule(name, handler.schedule.cron, handler.schedule.data, { tz: "UTC" });
    else await boss.unschedule(name);
  }
  const wakers = new Map(JOB_NAMES.flatMap((name) => (JOB_HANDLERS[name].wakeOn ? [[JOB_HANDLERS[name].wakeOn!, name] as const] : [])));
  await listenForWork([...wakers.keys()], (channel) => {
    const name = wakers.get(channel);
    if (name) void enqueue(name, {} as never).catch((err: unknown) => log.warn({ err, job: name }, "could not queue a woken job"));
  }, shutdownSignal());
  return boss;
}
