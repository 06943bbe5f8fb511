/**
 * `npm run worker`: the background job process, and the only one that imports the job handlers.
 * Runs the queued jobs (CSV imports, bulk skip traces) from the pg-boss queue in the app's
 * Postgres, and the periodic ones on their pg-boss schedules (releasing the spend reservations of
 * crashed processes every minute, expiring old search cache rows and idempotency keys hourly).
 * Start as many as you like against the same DATABASE_URL; `npm run dev` starts one next to
 * Next.js. Web processes only enqueue: without a worker, queued work waits.
 * SIGTERM/SIGINT stop it gracefully: running jobs stop at their next safe point (an import
 * between batches) and are picked up again by a worker later, resuming where they stopped.
 */
import { db } from "@/server/db";
import { startWorkers } from "@/server/jobs/handlers";
import { stopQueue } from "@/server/jobs/queue";
import { log } from "@/server/log";

await startWorkers();
log.info({ pid: process.pid }, "worker started: waiting for jobs");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping");
  try {
    await stopQueue({ timeoutMs: 20_000 });
    await db.$disconnect();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
