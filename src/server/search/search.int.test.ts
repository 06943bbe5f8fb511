import { beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createSandboxPropertySearch } from "@/server/providers/sandbox/property-search";
import { propertySearchQuerySchema, type PropertySearchProvider, type PropertySearchQuery, type PropertySearchQueryInput } from "@/server/providers/property-search";
import { createTeam } from "@/test/factories";
import { ProviderCallError } from "@/server/providers/billing";
import { raceTest } from "@/test/database-kind";
import { clearInProcessCache } from "./cache";
import { flushSearchHistory } from "./history";
import { addSearchResultsToLeads, searchProperties, searchResultsInLeads } from "./service";

const sandbox = createSandboxPropertySearch();
const parse = (input: PropertySearchQueryInput) => propertySearchQuerySchema.parse(input);

/** The sandbox behind a counter, optionally slow or failing, to watch what the service pays for. */
function countingProvider(opts: { delayMs?: number; fail?: (query: PropertySearchQuery) => Error | null } = {}) {
  const calls: PropertySearchQuery[] = [];
  const provider: PropertySearchProvider = {
    name: "sandbox",
    simulated: true,
    supportsCityCounty: true,
    async search(query) {
      calls.push(query);
      if (opts.delayMs) await new Promise((resolve) => setTimeout(resolve, opts.delayMs));
      const failure = opts.fail?.(query);
      if (failure) throw failure;
      return sandbox.search(query);
    },
  };
  return { provider, calls };
}

async function setup({ capCents, costPerCallCents = 10 }: { capCents?: number; costPerCallCents?: number } = {}) {
  const team = await createTeam();
  if (capCents !== undefined) {
    await db.budgetSetting.create({ data: { organizationId: team.org.id, provider: "attom", dailyCapCents: capCents, costPerCallCents } });
  }
  const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-test" };
  const ledger = () => db.spendEntry.findMany({ where: { organizationId: team.org.id } });
  const daily = () => db.dailySpend.findFirst({ where: { organizationId: team.org.id, provider: "attom" } });
  return { team, ctx, ledger, daily };
}

const codeOf = (error: unknown) => (error as TRPCError).code;

beforeEach(() => clearInProcessCache());

describe("search: never pay twice", () => {
  it("charges the first search and answers the identical second one from cache for free", async () => {
    const { ctx, ledger, daily } = await setup({ capCents: 1500, costPerCallCents: 10 });
    const { provider, calls } = countingProvider();
    const query = parse({ location: { zips: ["78701"] } });

    const first = await searchProperties(ctx, query, provider);
    expect(first).toMatchObject({ cacheHit: false, costCents: 10, simulatedCost: true });
    expect(first.rows.length).toBeGreaterThan(0);
    expect(first.budget).toMatchObject({ spentCents: 10, dailyCapCents: 1500, remainingCents: 1490 });

    const second = await searchProperties(ctx, parse({ location: { zips: [" 78701 "] } }), provider);
    expect(second).toMatchObject({ cacheHit: true, costCents: 0 });
    expect(second.rows).toEqual(first.rows);

    expect(calls).toHaveLength(1);
    expect(await ledger()).toEqual([expect.objectContaining({ provider: "attom", operation: "property_search", cents: 10, simulated: true, requestId: "req-test" })]);
    expect(await daily()).toMatchObject({ spentCents: 10, reservedCents: 0 });
    await flushSearchHistory(); // a cached answer's history row is written off the request path
    const runs = await db.searchRun.findMany({ where: { organizationId: ctx.orgId }, orderBy: { createdAt: "asc" } });
    expect(runs.map((run) => [run.cacheHit, run.costCents])).toEqual([[false, 10], [true, 0]]);
  });

  it("still answers from the persisted cache after a restart (in-process cache cleared)", async () => {
    const { ctx, ledger } = await setup();
    const { provider, calls } = countingProvider();
    const query = parse({ location: { zips: ["30301"] }, filters: { bedsMin: 3 } });
    await searchProperties(ctx, query, provider);
    clearInProcessCache();
    const again = await searchProperties(ctx, query, provider);
    expect(again).toMatchObject({ cacheHit: true, costCents: 0 });
    expect(calls).toHaveLength(1);
    expect(await ledger()).toHaveLength(1);
  });

  it("pays for a different page or different filters", async () => {
    const { ctx, ledger } = await setup();
    const { provider, calls } = countingProvider();
    await searchProperties(ctx, parse({ location: { zips: ["30301"] } }), provider);
    await searchProperties(ctx, parse({ location: { zips: ["30301"] }, page: 2 }), provider);
    await searchProperties(ctx, parse({ location: { zips: ["30301"] }, filters: { absentee: "absentee" } }), provider);
    expect(calls).toHaveLength(3);
    expect(await ledger()).toHaveLength(3);
  });

  it("makes one provider call for 20 identical concurrent searches", async () => {
    const { ctx, ledger } = await setup();
    const { provider, calls } = countingProvider({ delayMs: 150 });
    const query = parse({ location: { zips: ["60601"] } });
    const results = await Promise.all(Array.from({ length: 20 }, () => searchProperties(ctx, query, provider)));
    expect(calls).toHaveLength(1);
    expect(results.filter((r) => !r.cacheHit)).toHaveLength(1);
    expect(await ledger()).toHaveLength(1);
  });

  it("does not share cached answers between organizations", async () => {
    const ours = await setup();
    const theirs = await setup();
    const { provider, calls } = countingProvider();
    const query = parse({ location: { zips: ["10001"] } });
    await searchProperties(theirs.ctx, query, provider);
    const mine = await searchProperties(ours.ctx, query, provider);
    expect(mine.cacheHit).toBe(false);
    expect(calls).toHaveLength(2);
    expect(await ours.ledger()).toHaveLength(1);
  });
});

describe("search: the daily cap is a guarantee", () => {
  raceTest("lets exactly 5 of 50 concurrent paid searches through a cap that fits 5, and charges 0 cents over", async () => {
    const { ctx, ledger, daily } = await setup({ capCents: 50, costPerCallCents: 10 });
    const { provider, calls } = countingProvider({ delayMs: 20 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => searchProperties(ctx, parse({ location: { zips: ["78701"] }, page: i + 1 }), provider)),
    );
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
    expect(calls).toHaveLength(5);
    expect(refused).toHaveLength(45);
    for (const o of refused) expect(codeOf((o as PromiseRejectedResult).reason)).toBe("PRECONDITION_FAILED");
    const entries = await ledger();
    expect(entries).toHaveLength(5);
    expect(entries.reduce((sum, e) => sum + e.cents, 0)).toBe(50);
    expect(await daily()).toMatchObject({ spentCents: 50, reservedCents: 0 });
  });

  it("refuses before any call with a message naming provider, cap, spend, reset time and who can raise it", async () => {
    const { ctx } = await setup({ capCents: 10, costPerCallCents: 10 });
    const { provider, calls } = countingProvider();
    await searchProperties(ctx, parse({ location: { zips: ["78701"] } }), provider);
    const error = await searchProperties(ctx, parse({ location: { zips: ["78702"] } }), provider).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("PRECONDITION_FAILED");
    const message = (error as Error).message;
    expect(message).toContain("ATTOM property data daily cap reached");
    expect(message).toContain("$0.10 of $0.10");
    // In the organization's time zone (America/New_York unless set), never a raw UTC instant.
    expect(message).toMatch(/resets at midnight your time \(12:00 AM E[SD]T on [A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}\)/);
    expect(message).not.toMatch(/\d{4}-\d{2}-\d{2}T|Z\b/);
    expect(message).toContain("an admin can raise it");
    expect(calls).toHaveLength(1);
  });

  it("reserves one call per ZIP and charges for each", async () => {
    const { ctx, ledger } = await setup({ capCents: 1000, costPerCallCents: 10 });
    const result = await searchProperties(ctx, parse({ location: { zips: ["78701", "78702", "78703"] } }), sandbox);
    expect(result.costCents).toBe(30);
    expect((await ledger())[0]?.cents).toBe(30);
  });
});

describe("search: failures and kill switch", () => {
  it("charges nothing when the provider fails, and the next identical search tries again", async () => {
    const { ctx, ledger, daily } = await setup();
    let failing = true;
    const { provider, calls } = countingProvider({ fail: () => (failing ? new Error("ATTOM timed out") : null) });
    const query = parse({ location: { zips: ["78701"] } });
    await expect(searchProperties(ctx, query, provider)).rejects.toThrow("ATTOM timed out");
    expect(await ledger()).toHaveLength(0);
    expect(await daily()).toMatchObject({ spentCents: 0, reservedCents: 0 });
    expect(await db.providerStatus.findUnique({ where: { provider: "sandbox" } })).toMatchObject({ lastErrorMessage: "ATTOM timed out" });

    failing = false;
    const retry = await searchProperties(ctx, query, provider);
    expect(retry.cacheHit).toBe(false);
    expect(calls).toHaveLength(2);
    expect(await ledger()).toHaveLength(1);
  });

  it("shows and caches the ZIPs that answered when one fails, charging only what was billed, and a repeat pays only for the failed ZIP", async () => {
    const { ctx, ledger, daily } = await setup({ capCents: 1000, costPerCallCents: 10 });
    let failing = true;
    const { provider, calls } = countingProvider({
      fail: (query) => (failing && "zips" in query.location && query.location.zips[0] === "78701" ? new ProviderCallError("PROVIDER_UNAVAILABLE", "ATTOM is having problems (HTTP 500).") : null),
    });
    const query = parse({ location: { zips: ["78701", "78702", "78703"] } });

    const first = await searchProperties(ctx, query, provider);
    expect(first.costCents).toBe(20);
    expect(first.locations).toEqual([
      { location: "78701", ok: false, cacheHit: false, costCents: 0, resultCount: 0, error: { code: "PROVIDER_UNAVAILABLE", message: "ATTOM is having problems (HTTP 500)." } },
      expect.objectContaining({ location: "78702", ok: true, cacheHit: false, costCents: 10, error: null }),
      expect.objectContaining({ location: "78703", ok: true, cacheHit: false, costCents: 10, error: null }),
    ]);
    expect(first.rows.length).toBeGreaterThan(0);
    expect(first.rows.every((row) => row.address.zip !== "78701")).toBe(true);
    expect((await ledger()).map((e) => e.cents)).toEqual([20]);
    expect(await daily()).toMatchObject({ spentCents: 20, reservedCents: 0 });

    // The same search again: the two good ZIPs come from cache, only the failed one is paid for.
    failing = false;
    const again = await searchProperties(ctx, query, provider);
    expect(again.costCents).toBe(10);
    expect(again.locations.map((l) => [l.location, l.ok, l.cacheHit, l.costCents])).toEqual([
      ["78701", true, false, 10],
      ["78702", true, true, 0],
      ["78703", true, true, 0],
    ]);
    expect(calls.map((q) => ("zips" in q.location ? q.location.zips[0] : null))).toEqual(["78701", "78702", "78703", "78701"]);
    expect((await ledger()).map((e) => e.cents).sort()).toEqual([10, 20]);
    expect(await daily()).toMatchObject({ spentCents: 30, reservedCents: 0 });
  });

  it("charges what a failed ZIP still cost (billed, or possibly billed) and fails the search when every ZIP failed", async () => {
    const { ctx, ledger, daily } = await setup({ capCents: 1000, costPerCallCents: 10 });
    const { provider } = countingProvider({
      fail: () => new ProviderCallError("PROVIDER_TIMEOUT", "ATTOM did not answer in time.", { units: 1, possiblyBilled: true }),
    });
    const error = await searchProperties(ctx, parse({ location: { zips: ["78701", "78702"] } }), provider).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("GATEWAY_TIMEOUT");
    expect((await ledger()).map((e) => e.cents)).toEqual([20]);
    expect(await daily()).toMatchObject({ spentCents: 20, reservedCents: 0 });
    expect(await db.providerCacheEntry.count({ where: { organizationId: ctx.orgId } })).toBe(0);
  });

  it("blocks paid searches with no provider call when the kill switch is engaged, but still serves today's cache", async () => {
    const { ctx, team } = await setup();
    const { provider, calls } = countingProvider();
    const cachedQuery = parse({ location: { zips: ["78701"] } });
    await searchProperties(ctx, cachedQuery, provider);
    await db.killSwitch.create({ data: { organizationId: team.org.id, kind: "search", engaged: true, reason: "over budget this week", changedById: team.admin.id } });

    const error = await searchProperties(ctx, parse({ location: { zips: ["78702"] } }), provider).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("PRECONDITION_FAILED");
    expect((error as Error).message).toContain("switched off for your organization (over budget this week)");
    expect(calls).toHaveLength(1);

    expect(await searchProperties(ctx, cachedQuery, provider)).toMatchObject({ cacheHit: true, costCents: 0 });
  });
});

describe("search: add to leads", () => {
  it("adds the page once and reports duplicates, matching address variants already in leads", async () => {
    const { ctx } = await setup();
    const query = parse({ location: { zips: ["78701"] }, pageSize: 10 });
    const result = await searchProperties(ctx, query, sandbox);
    const first = result.rows[0]!;
    // A lead already imported with a differently written address and owner name.
    const street = first.address.line1.replace(/\bST\b/i, "Street").replace(/\bAVE\b/i, "Avenue").toLowerCase();
    await db.lead.create({
      data: {
        organizationId: ctx.orgId,
        source: "csv",
        addressLine1: street,
        city: first.address.city,
        state: first.address.state,
        zip: first.address.zip,
        normalizedAddress: "x",
        normalizedOwner: "x",
        dedupKey: (await import("@/server/lead-records/from-property")).propertyDedupKey({ address: { ...first.address, line1: street }, ownerName: first.ownerName?.toLowerCase() ?? null }),
      },
    });

    const added = await addSearchResultsToLeads(ctx, { query }, sandbox);
    expect(added).toEqual({ added: result.rows.length - 1, alreadyInLeads: 1, requested: result.rows.length });
    expect(await addSearchResultsToLeads(ctx, { query }, sandbox)).toEqual({ added: 0, alreadyInLeads: result.rows.length, requested: result.rows.length });

    const rerun = await searchProperties(ctx, query, sandbox);
    expect(rerun.rows.every((row) => row.alreadyLead)).toBe(true);
    const lead = await db.lead.findFirstOrThrow({ where: { organizationId: ctx.orgId, externalId: result.rows[1]!.externalId } });
    expect(lead).toMatchObject({ source: "sandbox", score: result.rows[1]!.score, temperature: result.rows[1]!.temperature });
    const timeline = await db.activityEvent.findMany({ where: { leadId: lead.id } });
    expect(timeline.map((event) => [event.kind, event.details])).toEqual([["created", { source: "search", provider: "sandbox" }]]);
  });

  it("refreshes the In-leads flags read-only after adding: no provider call, no charge, no search-history row", async () => {
    const { ctx, ledger } = await setup();
    const { provider, calls } = countingProvider();
    const query = parse({ location: { zips: ["30301", "30302"] }, pageSize: 5 });
    const { rows } = await searchProperties(ctx, query, provider);
    const picked = [rows[0]!.externalId, rows[rows.length - 1]!.externalId];
    expect(await searchResultsInLeads(ctx, { query }, provider)).toEqual({ externalIds: [] });

    await addSearchResultsToLeads(ctx, { query, externalIds: picked }, provider);
    expect((await searchResultsInLeads(ctx, { query }, provider)).externalIds.sort()).toEqual([...picked].sort());

    expect(calls).toHaveLength(2);
    expect(await ledger()).toHaveLength(1);
    expect(await db.searchRun.count({ where: { organizationId: ctx.orgId } })).toBe(1);
  });

  it("answers In-leads only for a search run today (NOT_FOUND otherwise, never a provider call)", async () => {
    const { ctx } = await setup();
    const { provider, calls } = countingProvider();
    const error = await searchResultsInLeads(ctx, { query: parse({ location: { zips: ["99501"] } }) }, provider).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("NOT_FOUND");
    expect(calls).toHaveLength(0);
  });

  it("adds only the selected rows", async () => {
    const { ctx } = await setup();
    const query = parse({ location: { zips: ["30301"] }, pageSize: 10 });
    const { rows } = await searchProperties(ctx, query, sandbox);
    const picked = rows.slice(0, 3).map((row) => row.externalId);
    expect(await addSearchResultsToLeads(ctx, { query, externalIds: picked }, sandbox)).toEqual({ added: 3, alreadyInLeads: 0, requested: 3 });
    expect(await db.lead.count({ where: { organizationId: ctx.orgId } })).toBe(3);
  });

  it("never calls the provider: a search not run today is NOT_FOUND", async () => {
    const { ctx, ledger } = await setup();
    const { provider, calls } = countingProvider();
    const error = await addSearchResultsToLeads(ctx, { query: parse({ location: { zips: ["99501"] } }) }, provider).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("NOT_FOUND");
    expect(calls).toHaveLength(0);
    expect(await ledger()).toHaveLength(0);
  });
});
