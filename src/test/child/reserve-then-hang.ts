/**
 * A process that dies holding money: reserves `cents` of ATTOM spend for an organization, prints
 * the reservation as one JSON line, then waits to be killed. Spawned by the reaper test with
 * `tsx --conditions=react-server` and the test's DATABASE_URL.
 */
import { reserve } from "@/server/budget/ledger";
import { db } from "@/server/db";

const [orgId, cents] = process.argv.slice(2);
const reservation = await reserve(db, { orgId: orgId!, provider: "attom", operation: "crash_test", cents: Number(cents) });
process.stdout.write(`${JSON.stringify(reservation)}\n`);
setInterval(() => {}, 60_000);
