import "server-only";
import PgBoss from "pg-boss";
import { db } from "../db";
import { env } from "../env";
import { log } from "../log";
import { runImport } from "../leads/import/run";
import { skipTraceProvider } from "../providers/registry";
import { runBulkSkipTrace } from "../skip-trace/run-job";

/**
 * The Postgres-backed job queue (pg-boss 10, schema "pgboss" in the app's database): web
 * processes enqueue, `npm run worker` processes run the jobs. Job state lives in Postgres, so
 * workers scale out and a job survives a crash (it is retried after it expires; handlers resume
 * where they stopped).
 *
 * One PgBoss instance per process. If the queue cannot start (database without the rights to
 * create its schema, an engine pg-boss cannot run on), `enqueue` runs the job in this process
 * instead (setImmediate) and logs that it did: slower to recover from a crash, never lost work
 * for the user. pg-boss 10.4 runs on the embedded PGlite, so dev uses the real queue too.
 */

/** The jobs, their payloads and how the queue treats them. */
export type JobPayloads = {
  "leads-import": { importJobId: string };
  "skip-trace-bulk": { jobId: string };
};
export type JobName = keyof JobPayloads;

type JobContext = { signal: AbortSignal; finalAttempt: boolean };
type Handler<N extends JobName> = (data: JobPayloads[N], context: JobContext) => Promise<void>;

class JobInterrupted extends Error {}

const HANDLERS: { [N in JobName]: Handler<N> } = {
  "leads-import": async ({ importJobId }, context) => {
    const result = await runImport(db, importJobId, { signal: context.signal, finalAttempt: context.finalAttempt });
    // Thrown so pg-boss hands the job to a worker again; it resumes from the last batch.
    if (result.outcome === "interrupted") throw new JobInterrupted(`Import ${importJobId} interrupted by shutdown`);
  },
  "skip-trace-bulk": async ({ jobId }, context) => {
    const outcome = await runBulkSkipTrace(db, jobId, skipTraceProvider(), { signal: context.signal });
    if (outcome === "interrupted") throw new JobInterrupted(`Bulk skip trace ${jobId} interrupted by shutdown`);
  },
};

const QUEUE_OPTIONS: { [N in JobName]: Omit<PgBoss.Queue, "name"> } = {
  // A crashed worker's import is retried after 15 minutes and resumes from processedRows.
  "leads-import": { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
  "skip-trace-bulk": { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
};

type QueueState = {
  boss: PgBoss | null;
  starting: Promise<PgBoss | null> | null;
  failedAt: number | null;
  role: "client" | "worker" | null;
  shutdown: AbortController;
};

const globalForQueue = globalThis as unknown as { leadflowQueue?: QueueState };
const state: QueueState = (globalForQueue.leadflowQueue ??= {
  boss: null,
  starting: null,
  failedAt: null,
  role: null,
  shutdown: new AbortController(),
});

/** After a failed start, try pg-boss again this much later (jobs meanwhile run in process). */
const RETRY_START_MS = 60_000;

function createBoss(role: "client" | "worker") {
  return new PgBoss({
    connectionString: env.DATABASE_URL,
    schema: "pgboss",
    application_name: `leadflow-${role}`,
    // Web processes only send; workers also fetch and maintain. Small pools fit PGlite's 10.
    max: role === "worker" ? 2 : 1,
    supervise: role === "worker",
    schedule: false,
  });
}

async function startBoss(role: "client" | "worker"): Promise<PgBoss | null> {
  const boss = createBoss(role);
  boss.on("error", (error) => log.warn({ err: error }, "job queue error"));
  try {
    await boss.start();
    for (const name of Object.keys(QUEUE_OPTIONS) as JobName[]) await boss.createQueue(name, { name, ...QUEUE_OPTIONS[name] });
    state.boss = boss;
    state.role = role;
    state.failedAt = null;
    return boss;
  } catch (error) {
    log.warn({ err: error }, "job queue (pg-boss) could not start; jobs run inside this process");
    state.failedAt = Date.now();
    await boss.stop({ graceful: false }).catch(() => {});
    return null;
  }
}

/** The process's queue, started on first use; null when pg-boss cannot run here. */
export async function startQueue(role: "client" | "worker" = "client"): Promise<PgBoss | null> {
  if (state.boss) return state.boss;
  if (state.failedAt !== null && Date.now() - state.failedAt < RETRY_START_MS) return null;
  state.starting ??= startBoss(role).finally(() => {
    state.starting = null;
  });
  return state.starting;
}

function runInProcess<N extends JobName>(name: N, data: JobPayloads[N]) {
  const handler = HANDLERS[name] as Handler<N>;
  setImmediate(() => {
    handler(data, { signal: state.shutdown.signal, finalAttempt: true }).catch((error: unknown) =>
      log.error({ err: error, job: name }, "in-process job failed"),
    );
  });
}

export type EnqueueResult = { queueJobId: string | null; ranInProcess: boolean };

/** Queues a job for a worker; runs it in this process when the queue is unavailable. */
export async function enqueue<N extends JobName>(name: N, data: JobPayloads[N], options: PgBoss.SendOptions = {}): Promise<EnqueueResult> {
  const boss = await startQueue("client");
  if (boss) {
    try {
      return { queueJobId: await boss.send(name, data, options), ranInProcess: false };
    } catch (error) {
      log.warn({ err: error, job: name }, "could not queue the job; running it in this process");
    }
  }
  runInProcess(name, data);
  return { queueJobId: null, ranInProcess: true };
}

/** Registers every handler on this process's queue. For the worker process (scripts/worker.ts). */
export async function startWorkers(options: { pollingIntervalSeconds?: number } = {}) {
  const boss = await startQueue("worker");
  if (!boss) throw new Error("The job queue could not start; see the log above. Is DATABASE_URL reachable?");
  for (const name of Object.keys(HANDLERS) as JobName[]) {
    // Each name is paired with its own handler; TypeScript cannot follow that through the loop.
    const handler = HANDLERS[name] as Handler<JobName> as (data: unknown, context: JobContext) => Promise<void>;
    await boss.work<JobPayloads[typeof name]>(
      name,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
      async ([job]) => {
        if (!job) return;
        await handler(job.data, { signal: state.shutdown.signal, finalAttempt: job.retryCount >= job.retryLimit });
      },
    );
  }
  return boss;
}

/**
 * Stops this process's queue: running handlers are told to stop at their next safe point
 * (imports between batches) and get `timeoutMs` to do so; unfinished jobs are retried later.
 */
export async function stopQueue({ timeoutMs = 20_000 } = {}) {
  state.shutdown.abort();
  const boss = state.boss ?? (await state.starting);
  state.boss = null;
  state.role = null;
  state.failedAt = null;
  await boss?.stop({ graceful: true, timeout: timeoutMs, wait: true });
  state.shutdown = new AbortController();
}
