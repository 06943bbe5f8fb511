import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, db, type Db } from "@/server/db";
import { createSandboxPropertySearch } from "@/server/providers/sandbox/property-search";
import { propertySearchQuerySchema } from "@/server/providers/property-search";
import { providerStatus } from "@/server/admin/provider-status";
import { callerFor, createTeam } from "@/test/factories";
import { clearInProcessCache } from "./cache";
import { flushSearchHistory, recordSearchRunLater } from "./history";
import { searchProperties } from "./service";

/**
 * A search answered from the cache writes nothing while the request waits: run on a connection
 * whose every transaction is read-only, it still answers (a write would fail the request); its
 * history row arrives with the next flush, so the history and the admin's counts keep every hit.
 */

const provider = createSandboxPropertySearch();
const query = propertySearchQuerySchema.parse({ location: { zips: ["78745"] }, filters: { bedsMin: 2 } });
let readOnly: Db;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  team = await createTeam();
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set("options", "-c default_transaction_read_only=on");
  readOnly = createDb({ connectionString: url.toString(), max: 2 });
});
afterAll(async () => {
  await readOnly.$disconnect();
});

describe("a cached search hit", () => {
  it("answers on a read-only connection, from the in-process cache and from the persisted cache", async () => {
    const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "paid" };
    const paid = await searchProperties(ctx, query, provider);
    expect(paid.cacheHit).toBe(false);
    expect(await db.searchRun.count({ where: { organizationId: team.org.id } })).toBe(1); // a paid search writes its row at once

    // The read-only connection really refuses writes.
    await expect(readOnly.searchRun.create({ data: { organizationId: team.org.id, provider: "sandbox", query: {}, page: 1, resultCount: 0, total: 0, costCents: 0, cacheHit: true } })).rejects.toThrow(/read-only/);

    const hitCtx = { db: readOnly, orgId: team.org.id, userId: team.manager.id, requestId: "hit" };
    const fromMemory = await searchProperties(hitCtx, query, provider);
    clearInProcessCache();
    const fromTable = await searchProperties(hitCtx, query, provider);
    for (const hit of [fromMemory, fromTable]) {
      expect(hit).toMatchObject({ cacheHit: true, costCents: 0 });
      expect(hit.rows).toEqual(paid.rows);
    }
    expect(fromMemory.searchRunId).not.toBe(fromTable.searchRunId);

    await flushSearchHistory();
    const runs = await db.searchRun.findMany({ where: { organizationId: team.org.id }, orderBy: { createdAt: "asc" } });
    expect(runs.map((run) => [run.id === paid.searchRunId || run.id === fromMemory.searchRunId || run.id === fromTable.searchRunId, run.cacheHit, run.requestId])).toEqual([
      [true, false, "paid"],
      [true, true, "hit"],
      [true, true, "hit"],
    ]);
  });

  it("is counted in search history and the admin's cache-hit figures once flushed", async () => {
    const other = await createTeam();
    const caller = callerFor(other.manager);
    for (let i = 0; i < 5; i++) await caller.search.run({ location: { zips: ["78746"] } });
    await flushSearchHistory();
    // The history shows the search once (issue 14: no duplicate rows), with its five runs: one paid, four from cache.
    const history = await caller.search.history({ limit: 10 });
    const paid = await db.searchRun.aggregate({ where: { organizationId: other.org.id, cacheHit: false }, _sum: { costCents: true } });
    expect(history.map((run) => [run.cacheHit, run.runs, run.totalCostCents])).toEqual([[true, 5, paid._sum.costCents]]);
    expect(await db.searchRun.count({ where: { organizationId: other.org.id } })).toBe(5);
    expect((await providerStatus(db, other.org.id)).searchCache).toMatchObject({ searches: 5, hits: 4 });
  });
});

describe("the history flush", () => {
  it("writes each queued row exactly as queued (one statement for the batch), and a row queued twice once", async () => {
    const createdAt = new Date("2026-11-30T09:15:42.123Z");
    const rows = [
      { id: `run-a-${Date.now()}`, organizationId: team.org.id, userId: team.manager.id, provider: "sandbox", query: { location: { city: "São Paulo", state: "TX" }, filters: { note: "it's \"quoted\"", list: [1, null] } }, page: 3, resultCount: 25, total: 900, costCents: 0, cacheHit: true, requestId: "req-1", createdAt },
      { id: `run-b-${Date.now()}`, organizationId: team.org.id, userId: null, provider: "attom", query: {}, page: 1, resultCount: 0, total: 0, costCents: 0, cacheHit: true, requestId: null, createdAt: new Date(createdAt.getTime() + 1) },
    ];
    for (const row of [...rows, rows[0]!]) recordSearchRunLater(row);
    await flushSearchHistory();
    const stored = await db.searchRun.findMany({ where: { id: { in: rows.map((r) => r.id) } }, orderBy: { createdAt: "asc" } });
    expect(stored).toEqual(rows);
  });
});
