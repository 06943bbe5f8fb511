import { afterAll, describe, it } from "vitest";
import { createDb } from "@/server/db";
import { createTeam } from "@/test/factories";
import { expectAFewRowsRead, keepAutovacuumOff, organizationOnYoungStatistics, rowsReadBy, seedLeadsWithPhones, suppressOtherNumbers } from "@/test/rows-read";

/**
 * The lead phone flags' recount, on a connection that has run it many times while the tables were
 * small: Postgres keeps a function's plans per connection, and a plan made for small tables (a
 * scan, or a probe by organization alone) reads every row of the organization once they have
 * grown. This file has a database of its own, so its tables start nearly empty.
 */

const WARM_UP_LEADS = 12;
const connection = createDb({ max: 1 });
afterAll(() => connection.$disconnect());

describe("the lead phone flags' recount on a connection that ran it while the tables were small", () => {
  it("reads a few rows once the organization has thousands of phones and suppressions", async () => {
    // Autovacuum's ANALYZE would drop the plans this test means to keep.
    await keepAutovacuumOff();
    const { org: small } = await createTeam();
    await seedLeadsWithPhones(small.id, "warm", "739", WARM_UP_LEADS);
    // Each suppression recounts its number's lead on this one connection, more often than Postgres
    // needs (five runs) before it may keep a plan made for these small tables.
    for (let i = 1; i <= WARM_UP_LEADS; i++) {
      const number = `+1739${String(i).padStart(7, "0")}`;
      await connection.$executeRaw`
        INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "liveKey") VALUES (${`warm-stop-${i}`}, ${small.id}, ${number}, 'keyword', 'STOP', ${`${number}|`})`;
    }

    const { org } = await organizationOnYoungStatistics("grown", "740", { statistics: "as they are" });
    await suppressOtherNumbers(org.id, "grown", "512");
    const number = "+17400000042";
    const reads = await rowsReadBy(connection, () => connection.$executeRaw`
      INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "liveKey") VALUES ('grown-stop', ${org.id}, ${number}, 'keyword', 'STOP', ${`${number}|`})`);
    expectAFewRowsRead(reads);
  });
});
