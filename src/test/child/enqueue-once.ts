/**
 * Enqueues one bulk skip-trace job and prints what happened as one JSON line: the queue job id,
 * or the error's code, message and Retry-After. Spawned with an unreachable DATABASE_URL by the
 * queue tests.
 */
import { isAppError } from "@/server/errors";
import { enqueue } from "@/server/jobs/queue";

const startedAt = Date.now();
try {
  const queueJobId = await enqueue("skip-trace-bulk", { jobId: "no-such-job" });
  process.stdout.write(`${JSON.stringify({ queueJobId, ms: Date.now() - startedAt })}\n`);
} catch (error) {
  const appCode = isAppError(error) ? error.appCode : null;
  const retryAfterSeconds = isAppError(error) ? error.retryAfterSeconds : null;
  process.stdout.write(`${JSON.stringify({ appCode, message: (error as Error).message, retryAfterSeconds, ms: Date.now() - startedAt })}\n`);
}
// Anything enqueue might have started in this process gets a moment to show itself, then we leave.
setTimeout(() => process.exit(0), 1000);
