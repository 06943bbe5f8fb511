import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import superjson from "superjson";
import { db } from "@/server/db";
import { scoreProperty } from "@/server/lead-records/from-property";
import { createSandboxPropertySearch } from "@/server/providers/sandbox/property-search";
import { propertySearchQuerySchema } from "@/server/providers/property-search";
import { serializeFast } from "@/lib/superjson-fast";
import { callerFor, createTeam } from "@/test/factories";
import { clearInProcessCache } from "./cache";
import { flushSearchHistory } from "./history";
import { addSearchResultsToLeads, searchProperties } from "./service";

/**
 * A cached hit reuses the dedup keys and scored rows of its result page (service.ts preparedPage)
 * and its plain-JSON answer skips superjson's walk (lib/superjson-fast.ts): it must still answer
 * exactly what a miss, or the same page read cold from the persisted cache, answers — the
 * In-leads flags as they are now, the scores as of now — and write nothing while the request waits.
 */

const provider = createSandboxPropertySearch();
const query = propertySearchQuerySchema.parse({ location: { zips: ["78702"] }, filters: { bedsMin: 2 } });
/** What varies per answer by design: the history row's id. */
const comparable = <T extends { searchRunId: string }>({ searchRunId: _id, ...rest }: T) => rest;

beforeEach(() => clearInProcessCache());
afterEach(() => vi.useRealTimers());

describe("a cached search hit from the prepared page", () => {
  it("answers what the miss answered, and what a cold read of the persisted page answers", async () => {
    const team = await createTeam();
    const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "prepared" };
    const miss = await searchProperties(ctx, query, provider);
    expect(miss.cacheHit).toBe(false);
    const hit = await searchProperties(ctx, query, provider);
    const hitAgain = await searchProperties(ctx, query, provider);
    clearInProcessCache();
    const cold = await searchProperties(ctx, query, provider);
    expect([hit.cacheHit, hitAgain.cacheHit, cold.cacheHit]).toEqual([true, true, true]);
    expect(hit.rows.length).toBeGreaterThan(0);
    // The miss paid (its budget and cost differ); its rows are the hits' rows.
    expect(hit.rows).toEqual(miss.rows);
    expect(comparable(hitAgain)).toEqual(comparable(hit));
    expect(comparable(cold)).toEqual(comparable(hit));
    // Every row scored as scoring it afresh now gives.
    for (const row of hit.rows) {
      const score = scoreProperty(row);
      expect([row.score, row.temperature, row.scoreFactors]).toEqual([score.score, score.temperature, score.factors]);
    }
  });

  it("shows In-leads flags as they are on each answer, not as they were when the page was prepared", async () => {
    const team = await createTeam();
    const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "prepared" };
    const first = await searchProperties(ctx, query, provider);
    expect(first.rows.every((row) => !row.alreadyLead)).toBe(true);
    const picked = first.rows.slice(0, 2).map((row) => row.externalId);
    await addSearchResultsToLeads(ctx, { query, externalIds: picked }, provider);
    const after = await searchProperties(ctx, query, provider);
    expect(after.rows.filter((row) => row.alreadyLead).map((row) => row.externalId).sort()).toEqual([...picked].sort());
    // The shared prepared rows were not changed by either answer.
    expect(first.rows.every((row) => !row.alreadyLead)).toBe(true);
  });

  it("scores again once a whole year since a last sale has passed (the score's time key moved)", async () => {
    const team = await createTeam();
    const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "prepared" };
    await searchProperties(ctx, query, provider);
    const now = await searchProperties(ctx, query, provider);
    const sold = now.rows.find((row) => row.lastSaleDate);
    expect(sold).toBeDefined();

    // A year and a day later (the cache entry is the same object: only the clock moved).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 366 * 86_400_000 });
    const later = await searchProperties(ctx, query, provider);
    for (const row of later.rows) {
      const score = scoreProperty(row);
      expect([row.score, row.temperature, row.scoreFactors]).toEqual([score.score, score.temperature, score.factors]);
    }
    const years = (row: { scoreFactors: { factor: string; detail: string }[] }) => row.scoreFactors.find((f) => f.factor === "years_owned")?.detail;
    expect(years(later.rows.find((row) => row.externalId === sold!.externalId)!)).not.toBe(years(sold!));
  });

  it("sends the same bytes through tRPC as superjson would, and writes no row while the request waits", async () => {
    const team = await createTeam();
    const caller = callerFor(team.manager);
    const miss = await caller.search.run(query);
    await flushSearchHistory();
    const runsBefore = await db.searchRun.count({ where: { organizationId: team.org.id } });
    const hit = await caller.search.run(query);
    expect(await db.searchRun.count({ where: { organizationId: team.org.id } })).toBe(runsBefore);
    expect(JSON.stringify(serializeFast(hit))).toBe(JSON.stringify(superjson.serialize(hit)));
    expect(serializeFast(hit).meta).toBeUndefined(); // plain JSON: the fast path was taken
    expect(hit.rows).toEqual(miss.rows);
    await flushSearchHistory();
    expect(await db.searchRun.count({ where: { organizationId: team.org.id } })).toBe(runsBefore + 1);
  });
});
