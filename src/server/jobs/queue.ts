import "server-only";
import PgBoss from "pg-boss";
import { Prisma } from "@/generated/prisma/client";
import { db, preparedStatementName, querySql, sqlPoolOf } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import { log } from "../log";

/**
 * The Postgres-backed job queue (pg-boss 10, schema "pgboss" in the app's database): services
 * enqueue here, `npm run worker` processes run the jobs through the handlers in handlers.ts
 * (imported by the worker alone). Job state lives in Postgres, so workers scale out and a job
 * survives a crash (it is retried after it expires; handlers resume where they stopped).
 *
 * There is no in-process fallback: work that spends money or sends messages never runs in a web
 * process. When the queue cannot take a job, `enqueue` throws QUEUE_UNAVAILABLE and nothing ran.
 *
 * Adding a job: one entry in JOBS below (name, payload type, queue options) and one in
 * handlers.ts (handler, optional cron schedule); TypeScript refuses either without the other.
 */

type QueueOptions = Omit<PgBoss.Queue, "name">;

/** A job kind: how the queue treats it, and (type only) the payload it carries. */
export type JobKind<Payload extends object> = { options: QueueOptions; payload?: Payload };
const job = <Payload extends object>(options: QueueOptions): JobKind<Payload> => ({ options });

/** Periodic jobs carry nothing; "stately" keeps at most one queued and one running. */
type NoPayload = Record<string, never>;
const PERIODIC: QueueOptions = { policy: "stately", retryLimit: 0, expireInSeconds: 10 * 60 };

export const JOBS = {
  // A crashed worker's import is retried after 15 minutes and resumes from processedRows.
  "leads-import": job<{ importJobId: string }>({ retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 }),
  "skip-trace-bulk": job<{ jobId: string }>({ retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 }),
  // "Add all results" of a search (search/add-all.ts): resumes from its cursor, never pays or adds a page twice.
  "search-add-all": job<{ jobId: string }>({ retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 }),
  // Never retried: a send that failed midway may have texted the person, and twice is worse than not at all.
  "sms-auto-reply": job<{ inboundMessageId: string; wasOptedOut?: boolean }>({ retryLimit: 0, expireInSeconds: 5 * 60 }),
  // Simulated sends only: one Twilio-shaped status callback, posted through the status route's handler (idempotent, so retried).
  "sms-simulated-callbacks": job<{ params: Record<string, string> }>({ retryLimit: 3, retryDelay: 2, expireInSeconds: 60 }),
  // A campaign's dispatch, per lane (campaigns/state.ts): at most one queued job per lane ("short");
  // retried, because every send it makes is claimed exactly once whatever happens to the job.
  // A run works one slice (dispatcher.ts, 1 minute) then queues the next: far inside its expiry.
  "campaign-dispatch": job<{ campaignId: string; lane: number }>({ policy: "short", retryLimit: 3, retryDelay: 5, expireInSeconds: 10 * 60 }),
  "campaign-sweep": job<NoPayload>(PERIODIC),
  // Follow-up sequences (automation/sequences.ts): recipients enter, steps are written when the last one ended.
  "sequence-sweep": job<NoPayload>(PERIODIC),
  // After an inbound text is recorded (queued by its webhook, in the same statement or transaction):
  // what follows a reply (inbox/inbound-followup.ts). Retried: every step is idempotent.
  "sms-inbound-followup": job<{ inboundMessageId: string }>({ retryLimit: 3, retryDelay: 5, expireInSeconds: 5 * 60 }),
  // An inbox reply held back by quiet hours, run at the window's opening (startAfter). Not retried as a
  // job: a claim its worker left mid-send is taken over by scheduled-reply-recovery (never texted twice).
  "inbox-scheduled-reply": job<{ scheduledReplyId: string }>({ retryLimit: 0, expireInSeconds: 5 * 60 }),
  "scheduled-reply-recovery": job<NoPayload>(PERIODIC),
  "realtime-event-expiry": job<NoPayload>(PERIODIC),
  "reservation-reaper": job<NoPayload>(PERIODIC),
  "search-cache-expiry": job<NoPayload>(PERIODIC),
  "idempotency-key-expiry": job<NoPayload>(PERIODIC),
  "auth-records-expiry": job<NoPayload>(PERIODIC),
  // Outbound webhooks (webhooks/dispatch.ts): woken when a delivery is added (LISTEN leadflow_webhooks) and every
  // minute; at most one queued and one running. Never retried as a job: each delivery keeps its own retry schedule.
  "webhook-dispatch": job<NoPayload>({ ...PERIODIC, expireInSeconds: 15 * 60 }),
  "webhook-log-expiry": job<NoPayload>(PERIODIC),
  // The analytics rollup (analytics/rollup.ts): the last two days every 10 minutes, the last 45 nightly.
  "analytics-rollup": job<NoPayload>(PERIODIC),
  "analytics-rollup-nightly": job<NoPayload>({ ...PERIODIC, expireInSeconds: 60 * 60 }),
};

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = (typeof JOBS)[N] extends JobKind<infer Payload> ? Payload : never;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

type QueueRole = "client" | "worker";

/** How often a worker evaluates the schedules and moves due jobs into their queues; tests shorten them. */
export type WorkerTuning = { cronMonitorIntervalSeconds?: number; cronWorkerIntervalSeconds?: number };

type QueueState = {
  boss: PgBoss | null;
  starting: Promise<PgBoss | null> | null;
  failedAt: number | null;
  role: QueueRole | null;
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

/** After a failed start, a web process tries pg-boss again this much later (enqueue refuses meanwhile). */
const RETRY_START_MS = 30_000;

function createBoss(role: QueueRole, tuning: WorkerTuning) {
  const options: PgBoss.ConstructorOptions & { connectionTimeoutMillis: number } = {
    connectionString: env.DATABASE_URL,
    schema: "pgboss",
    application_name: `leadflow-${role}`,
    // Web processes only send; workers also fetch and maintain. Small pools fit PGlite's 10.
    max: role === "worker" ? 2 : 1,
    // An unreachable database fails the start (and the user's request) in seconds, not minutes.
    connectionTimeoutMillis: 10_000,
    supervise: role === "worker",
    // Workers run the cron: each checks the schedules every 30 s and pg-boss lets one instance
    // per interval send what is due (minute granularity, deduplicated per minute). Clock skew
    // against the database is measured every 10 minutes and corrected for.
    schedule: role === "worker",
    ...(role === "worker" ? tuning : {}),
  };
  return new PgBoss(options);
}

async function startBoss(role: QueueRole, tuning: WorkerTuning): Promise<PgBoss | null> {
  const boss = createBoss(role, tuning);
  boss.on("error", (error) => log.warn({ err: error }, "job queue error"));
  try {
    await boss.start();
    for (const name of JOB_NAMES) await boss.createQueue(name, { name, ...JOBS[name].options });
    state.boss = boss;
    state.role = role;
    state.failedAt = null;
    return boss;
  } catch (error) {
    log.error({ err: error, role }, "job queue (pg-boss) could not start");
    state.failedAt = Date.now();
    await boss.stop({ graceful: false }).catch(() => {});
    return null;
  }
}

/**
 * The process's queue, started on first use; null when pg-boss cannot start. A worker start
 * replaces a client (send-only) instance the process may have started first.
 */
export async function startQueue(role: QueueRole = "client", tuning: WorkerTuning = {}): Promise<PgBoss | null> {
  while (state.starting) await state.starting;
  if (state.boss && (role === "client" || state.role === "worker")) return state.boss;
  if (role === "client" && state.failedAt !== null && Date.now() - state.failedAt < RETRY_START_MS) return null;
  const replaced = state.boss;
  state.starting = (async () => {
    if (replaced) {
      state.boss = null;
      state.role = null;
      await replaced.stop({ graceful: false }).catch(() => {});
    }
    return startBoss(role, tuning);
  })().finally(() => {
    state.starting = null;
  });
  return state.starting;
}

function queueUnavailable(cause?: unknown) {
  const retryAfterSeconds = state.failedAt === null ? 30 : Math.max(1, Math.ceil((state.failedAt + RETRY_START_MS - Date.now()) / 1000));
  return new AppError(
    "QUEUE_UNAVAILABLE",
    "The background job queue is unavailable right now, so this was not started: nothing ran and nothing was charged. Try again in a minute.",
    undefined,
    { retryAfterSeconds, cause },
  );
}

/**
 * Queues a job for a worker and returns its queue id (null when a singleton key made it a
 * duplicate). Throws QUEUE_UNAVAILABLE when the queue cannot take it; the job did not run.
 */
/**
 * Jobs are inserted on the app's connection pool: pg-boss's own pool in a web process is a single
 * connection, which queued every enqueue behind the previous one under load (inbound keywords).
 */
function appPool(): PgBoss.Db | undefined {
  const pool = sqlPoolOf(db);
  return pool ? { executeSql: (text: string, values: unknown[] = []) => pool.query({ name: preparedStatementName(text), text, values }) } : undefined;
}

export async function enqueue<N extends JobName>(name: N, data: JobPayload<N>, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const boss = await startQueue("client");
  if (!boss) throw queueUnavailable();
  try {
    const onAppPool = appPool();
    return await boss.send(name, data, { ...(onAppPool ? { db: onAppPool } : {}), ...options });
  } catch (error) {
    log.error({ err: error, job: name }, "could not queue the job");
    throw queueUnavailable(error);
  }
}

/** Aborted when this process's queue stops: running handlers stop at their next safe point. */
export function shutdownSignal(): AbortSignal {
  return state.shutdown.signal;
}

/**
 * Stops this process's queue: running handlers are told to stop at their next safe point
 * (imports between batches) and get `timeoutMs` to do so; unfinished jobs are retried later.
 */
export async function stopQueue({ timeoutMs = 20_000 } = {}) {
  state.shutdown.abort();
  while (state.starting) await state.starting;
  const boss = state.boss;
  state.boss = null;
  state.role = null;
  state.failedAt = null;
  await boss?.stop({ graceful: true, timeout: timeoutMs, wait: true });
  state.shutdown = new AbortController();
}

/**
 * Queues a job inside the caller's Prisma transaction: it commits or rolls back with the rows that
 * asked for it (pg-boss's own insert, run on the transaction's connection).
 */
export async function enqueueInTransaction<N extends JobName>(tx: Prisma.TransactionClient, name: N, data: JobPayload<N>, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const boss = await startQueue("client");
  if (!boss) throw queueUnavailable();
  const onTransaction: PgBoss.Db = { executeSql: async (text: string, values: unknown[] = []) => ({ rows: await tx.$queryRawUnsafe(text, ...values) }) };
  return boss.send(name, data, { ...options, db: onTransaction });
}

/**
 * A job queued by the caller's own SQL statement, for a hot path that writes in one statement:
 * a CTE body inserting one `name` job per row of `from` (the caller's CTEs) where `where` holds,
 * with `data` a jsonb expression over those rows, so the job commits with them. It writes the row
 * boss.send writes under pg-boss 10's schema (pinned in package.json; queue.int.test compares the
 * two column by column), the queue's options read from pgboss.queue as send does (no queue row:
 * no job, and the caller's RETURNING count says so). It needs only pg-boss's tables, not this
 * process's pg-boss: a web process whose pg-boss failed to start still queues the STOP
 * confirmation. Null only while pg-boss has never created its tables in this database.
 */
export async function jobInsertSql<N extends JobName>(name: N, parts: { data: Prisma.Sql; from: Prisma.Sql; where: Prisma.Sql }): Promise<Prisma.Sql | null> {
  if (!jobTablesExist) {
    jobTablesExist = state.boss !== null || (await queueTablesExist());
    if (!jobTablesExist && (await startQueue("client"))) jobTablesExist = true;
    if (!jobTablesExist) return null;
  }
  return Prisma.sql`
    INSERT INTO pgboss.job ("name", "data", "singleton_key", "retry_limit", "retry_delay", "retry_backoff", "expire_in", "keep_until", "policy", "dead_letter")
    SELECT q."name", ${parts.data}, NULL, COALESCE(q."retry_limit", 2),
      CASE WHEN COALESCE(q."retry_backoff", false) THEN GREATEST(COALESCE(q."retry_delay", 0), 1) ELSE COALESCE(q."retry_delay", 0) END,
      COALESCE(q."retry_backoff", false),
      COALESCE(q."expire_seconds" * interval '1s', interval '15 minutes'),
      now() + CAST(COALESCE((q."retention_minutes" * 60)::text, '14 days') AS interval),
      q."policy", q."dead_letter"
    FROM pgboss.queue q, ${parts.from}
    WHERE q."name" = ${name} AND (${parts.where})
    ON CONFLICT DO NOTHING
    RETURNING "id"`;
}

/** Once pg-boss's tables exist in this database they stay: checked until seen, then never again. */
let jobTablesExist = false;
async function queueTablesExist(): Promise<boolean> {
  const [row] = await querySql<{ exists: boolean }>(db, Prisma.sql`SELECT to_regclass('pgboss.queue') IS NOT NULL AS "exists"`);
  return row?.exists ?? false;
}
