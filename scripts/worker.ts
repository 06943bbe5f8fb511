/**
 * `npm run worker`: the background job process. Runs the queued jobs (CSV imports, later bulk
 * skip traces and campaign dispatch) from the pg-boss queue in the app's Postgres. Start as
 * many as you like against the same DATABASE_URL; `npm run dev` starts one next to Next.js.
 * SIGTERM/SIGINT stop it gracefully: running jobs stop at their next safe point (an import
 * between batches) and are picked up again by a worker later, resuming where they stopped.
 */
import { db } from "@/server/db";
import { startWorkers, stopQueue } from "@/server/jobs/queue";
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
