import { afterAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/server/env";
import { createSandboxPropertySearch } from "@/server/providers/sandbox/property-search";
import { propertySearchQuerySchema } from "@/server/providers/property-search";
import { createTeam } from "@/test/factories";
import { clearInProcessCache } from "./cache";
import { searchProperties } from "./service";

// How many SQL statements one search costs, counted from Prisma's query events: the org's time
// zone, budget, spend and kill switch are read once per request (one statement), not per step.
const statements: string[] = [];
const counted = new PrismaClient({
  adapter: new PrismaPg({ connectionString: env.DATABASE_URL, max: 4 }),
  log: [{ emit: "event", level: "query" }],
});
counted.$on("query", (event) => statements.push(event.query));
afterAll(() => counted.$disconnect());

async function countStatements(run: () => Promise<unknown>) {
  statements.length = 0;
  await run();
  return statements.length;
}

const sandbox = createSandboxPropertySearch();
const query = (zips: string[]) => propertySearchQuerySchema.parse({ location: { zips } });

describe("statements per search", () => {
  it("reads the organization's billing context once: a paid search, a persisted-cache hit and an in-process hit", async () => {
    const team = await createTeam();
    const ctx = { db: counted, orgId: team.org.id, userId: team.manager.id, requestId: "req-count" };
    clearInProcessCache();

    const paid = await countStatements(() => searchProperties(ctx, query(["78701"]), sandbox));
    const paidThreeZips = await countStatements(() => searchProperties(ctx, query(["78702", "78703", "78704"]), sandbox));
    clearInProcessCache();
    const persistedHit = await countStatements(() => searchProperties(ctx, query(["78701"]), sandbox));
    const lruHit = await countStatements(() => searchProperties(ctx, query(["78701"]), sandbox));

    console.info(`statements per search: paid (1 ZIP) ${paid}, paid (3 ZIPs) ${paidThreeZips}, persisted-cache hit ${persistedHit}, in-process cache hit ${lruHit}`);
    // billing context + leads (the history row of a cached answer is written later, off the request: search/history.ts)
    expect(lruHit).toBe(2);
    // + one read of the persisted cache
    expect(persistedHit).toBe(3);
    // + lease, reservation (transaction: begin, upsert, reservation row, commit), cache write,
    //   settle (begin, close reservation, spend row, ledger entry, commit), provider status
    expect(paid).toBeLessThanOrEqual(17);
    expect(statements.filter((sql) => sql.includes('"Organization"')).length).toBe(1);
  });
});
