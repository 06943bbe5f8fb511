/**
 * A process that keeps paying: reserve, settle, reserve, release … for an organization's BatchData
 * budget, as fast as it can, until it is killed. Prints {"ready":true} first. Spawned by the ledger
 * crash test with `tsx --conditions=react-server` and the test's DATABASE_URL.
 */
import { release, reserve, settle } from "@/server/budget/ledger";
import { db } from "@/server/db";

const [orgId] = process.argv.slice(2);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for (let i = 0; ; i++) {
  const reservation = await reserve(db, { orgId: orgId!, provider: "batchdata", operation: "crash_loop", cents: 10 }).catch(() => null);
  if (!reservation) continue;
  if (i % 2 === 0) await settle(db, reservation, { cents: 10, operation: "crash_loop" });
  else await release(db, reservation);
}
