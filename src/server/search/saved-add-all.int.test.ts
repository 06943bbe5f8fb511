import { beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createSandboxPropertySearch } from "@/server/providers/sandbox/property-search";
import { ProviderCallError } from "@/server/providers/billing";
import { propertySearchQuerySchema, type PropertySearchProvider, type PropertySearchQuery, type PropertySearchQueryInput } from "@/server/providers/property-search";
import { callerFor, createTeam } from "@/test/factories";
import { clearInProcessCache } from "./cache";
import { flushSearchHistory } from "./history";
import { runAddAll } from "./add-all";
import { searchProperties } from "./service";

/**
 * Issue 14 items 6 and 7: saved searches (re-run through the cache), recent searches without
 * duplicate rows, and "add all N results" as a job under the daily cap, safe to redeliver.
 */

const sandbox = createSandboxPropertySearch();
const parse = (input: PropertySearchQueryInput) => propertySearchQuerySchema.parse(input);
const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));

/** The sandbox behind a counter (same provider name, so it shares the app's cache), optionally failing. */
function countingProvider(opts: { fail?: (query: PropertySearchQuery, call: number) => Error | null } = {}) {
  const calls: PropertySearchQuery[] = [];
  const provider: PropertySearchProvider = {
    name: "sandbox",
    simulated: true,
    supportsCityCounty: true,
    async search(query) {
      calls.push(query);
      const failure = opts.fail?.(query, calls.length);
      if (failure) throw failure;
      return sandbox.search(query);
    },
  };
  return { provider, calls };
}

async function setup({ capCents = 100_000, costPerCallCents = 10 } = {}) {
  const team = await createTeam();
  await db.budgetSetting.create({ data: { organizationId: team.org.id, provider: "attom", dailyCapCents: capCents, costPerCallCents } });
  const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-test" };
  const spent = async () => (await db.spendEntry.aggregate({ where: { organizationId: team.org.id }, _sum: { cents: true } }))._sum.cents ?? 0;
  const leads = () => db.lead.count({ where: { organizationId: team.org.id } });
  return { team, ctx, spent, leads, manager: callerFor(team.manager) };
}

/** Every result of a ZIP with these filters, straight from the sandbox (what "all" means). */
async function everything(query: PropertySearchQuery) {
  const first = await sandbox.search({ ...query, page: 1, pageSize: 100 });
  return first.value.total;
}

/** An add-all job row for a query, as search.addAll writes it (tests run the job without the queue). */
async function addAllJob(orgId: string, userId: string, query: PropertySearchQuery, total: number) {
  return db.searchAddAllJob.create({ data: { organizationId: orgId, createdById: userId, query: { ...query, page: 1 }, total } });
}

beforeEach(() => clearInProcessCache());

describe("saved searches", () => {
  it("saves a search by name (page left out), replaces it under the same name, and re-runs it from the cache for free", async () => {
    const { manager, spent } = await setup();
    const query = { location: { zips: ["78704"] }, filters: { bedsMin: 3, absentee: "absentee" as const }, page: 2, pageSize: 10 };
    const first = await manager.search.run({ ...query, page: 1 });
    expect(first.cacheHit).toBe(false);
    const paid = await spent();

    const saved = await manager.search.save({ name: "  Austin absentee 3bd ", query });
    expect(saved).toMatchObject({ name: "Austin absentee 3bd", query: { location: { zips: ["78704"] }, filters: { bedsMin: 3, absentee: "absentee" }, page: 1, pageSize: 10 } });
    const list = await manager.search.saved();
    expect(list.map((s) => s.name)).toEqual(["Austin absentee 3bd"]);

    // Re-running it is search.run with the saved query: today's cache answers it, nothing is paid.
    const rerun = await manager.search.run(list[0]!.query);
    expect(rerun).toMatchObject({ cacheHit: true, costCents: 0, total: first.total });
    expect(rerun.rows).toEqual(first.rows);
    expect(await spent()).toBe(paid);

    // Same name: replaced, not duplicated.
    const replaced = await manager.search.save({ name: "Austin absentee 3bd", query: { location: { zips: ["78705"] } } });
    expect(replaced.id).toBe(saved.id);
    expect((await manager.search.saved()).map((s) => s.query.location)).toEqual([{ zips: ["78705"] }]);

    await manager.search.deleteSaved({ id: saved.id });
    expect(await manager.search.saved()).toEqual([]);
    expect(codeOf(await manager.search.deleteSaved({ id: saved.id }).catch((e: unknown) => e))).toBe("NOT_FOUND");
  });

  it("are the organization's: another organization neither lists nor deletes them, and a plain user cannot save one", async () => {
    const ours = await setup();
    const theirs = await setup();
    const saved = await ours.manager.search.save({ name: "Ours", query: { location: { zips: ["78704"] } } });
    expect(await theirs.manager.search.saved()).toEqual([]);
    expect(codeOf(await theirs.manager.search.deleteSaved({ id: saved.id }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    // Their search under the same name is theirs; ours is unchanged.
    await theirs.manager.search.save({ name: "Ours", query: { location: { zips: ["10001"] } } });
    expect((await ours.manager.search.saved())[0]).toMatchObject({ id: saved.id, query: { location: { zips: ["78704"] } } });
    const user = callerFor(ours.team.user);
    expect(codeOf(await user.search.save({ name: "Mine", query: { location: { zips: ["78704"] } } }).catch((e: unknown) => e))).toBe("FORBIDDEN");
  });

  it("rejects a nameless save with the field's message", async () => {
    const { manager } = await setup();
    const error = await manager.search.save({ name: "   ", query: { location: { zips: ["78704"] } } }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("BAD_REQUEST");
  });
});

describe("recent searches", () => {
  it("show one row per search (repeats and other pages fold into it), newest first, with how many runs and what they cost", async () => {
    const { manager } = await setup();
    const a = { location: { zips: ["78701"] }, filters: { bedsMin: 2 } };
    const b = { location: { zips: ["78702"] } };
    await manager.search.run(a);
    await manager.search.run(a);
    await manager.search.run({ ...a, page: 2 });
    await manager.search.run({ ...a, pageSize: 50 });
    await manager.search.run(b);
    await manager.search.run(a);
    await flushSearchHistory();
    const history = await manager.search.history({ limit: 10 });
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ query: expect.objectContaining({ location: { zips: ["78701"] }, filters: expect.objectContaining({ bedsMin: 2 }), page: 1 }), runs: 5 });
    // Three paid calls for a: page 1 (25), page 2 (25), page 1 (50); the repeats came from cache.
    expect(history[0]!.totalCostCents).toBe(30);
    expect(history[0]!.cacheHit).toBe(true);
    expect(history[1]).toMatchObject({ query: expect.objectContaining({ location: { zips: ["78702"] } }), runs: 1, totalCostCents: 10 });
  });
});

describe("add all results", () => {
  it("adds every page of every ZIP, paying only for pages not already in today's cache, and reports added / already in leads / cost", async () => {
    const { ctx, team, spent, leads } = await setup({ costPerCallCents: 10 });
    const query = parse({ location: { zips: ["78701", "78702"] }, pageSize: 100 });
    // The user ran page 1 (both ZIPs paid) and added one property of it by hand.
    const first = await searchProperties(ctx, query, sandbox);
    expect(first.costCents).toBe(20);
    await db.$transaction((tx) => import("./service").then((m) => m.insertPropertiesAsLeads(tx, ctx, first.rows.slice(0, 1), "sandbox")));
    const expected = (await everything(parse({ location: { zips: ["78701"] } }))) + (await everything(parse({ location: { zips: ["78702"] } })));
    expect(first.total).toBe(expected);

    const job = await addAllJob(team.org.id, team.manager.id, query, first.total);
    const { provider, calls } = countingProvider();
    expect(await runAddAll(db, job.id, { provider })).toBe("completed");

    const pages78701 = Math.ceil((await everything(parse({ location: { zips: ["78701"] } }))) / 100);
    const pages78702 = Math.ceil((await everything(parse({ location: { zips: ["78702"] } }))) / 100);
    // Page 1 of each ZIP came from the cache: only the rest were called, each once.
    expect(calls.map((c) => [(c.location as { zips: string[] }).zips[0], c.page])).toEqual([
      ...Array.from({ length: pages78701 - 1 }, (_, i) => ["78701", i + 2]),
      ...Array.from({ length: pages78702 - 1 }, (_, i) => ["78702", i + 2]),
    ]);
    const done = await callerFor(team.manager).search.addAllJob({ id: job.id });
    expect(done).toMatchObject({ status: "completed", pagesDone: pages78701 + pages78702, added: expected - 1, alreadyInLeads: 1, costCents: calls.length * 10, stopReason: null });
    expect(await leads()).toBe(expected);
    expect(await spent()).toBe(20 + calls.length * 10);
  });

  it("stops cleanly when the daily cap runs out mid-way: what was added is kept and reported, nothing is charged over the cap", async () => {
    // 10¢ a call, a cap of 40¢: page 1 (paid by the search) and three more pages; the fifth is refused.
    const { ctx, team, spent, leads } = await setup({ capCents: 40, costPerCallCents: 10 });
    const query = parse({ location: { zips: ["60614"] }, pageSize: 25 });
    const first = await searchProperties(ctx, query, sandbox);
    expect(Math.ceil(first.total / 25)).toBeGreaterThan(5);
    const job = await addAllJob(team.org.id, team.manager.id, query, first.total);
    const { provider, calls } = countingProvider();

    expect(await runAddAll(db, job.id, { provider })).toBe("stopped_cap");
    expect(calls.map((c) => c.page)).toEqual([2, 3, 4]);
    const stopped = await callerFor(team.manager).search.addAllJob({ id: job.id });
    expect(stopped).toMatchObject({ status: "stopped_cap", pagesDone: 4, added: 100, alreadyInLeads: 0, costCents: 30 });
    expect(stopped.stopReason).toMatch(/daily search cap/);
    expect(await leads()).toBe(100);
    expect(await spent()).toBe(40);
    const daily = await db.dailySpend.findFirstOrThrow({ where: { organizationId: team.org.id, provider: "attom" } });
    expect(daily).toMatchObject({ spentCents: 40, reservedCents: 0 });

    // Delivered again after stopping: it does nothing (no call, no lead).
    expect(await runAddAll(db, job.id, { provider })).toBe("not_running");
    expect(calls).toHaveLength(3);
    expect(await leads()).toBe(100);
  });

  it("stops at the kill switch with what was added so far", async () => {
    const { ctx, team, leads } = await setup();
    const query = parse({ location: { zips: ["60615"] }, pageSize: 50 });
    const first = await searchProperties(ctx, query, sandbox);
    await db.killSwitch.create({ data: { organizationId: team.org.id, kind: "search", engaged: true, reason: "test", changedById: team.admin.id } });
    const job = await addAllJob(team.org.id, team.manager.id, query, first.total);
    const { provider, calls } = countingProvider();
    expect(await runAddAll(db, job.id, { provider })).toBe("stopped_kill_switch");
    expect(calls).toHaveLength(0);
    // The page already paid for came from the cache and was added.
    expect(await db.searchAddAllJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "stopped_kill_switch", pagesDone: 1, added: 50 });
    expect(await leads()).toBe(50);
  });

  it("on redelivery after a crash mid-way, resumes: no page paid twice, no lead added or counted twice", async () => {
    const { ctx, team, spent, leads } = await setup({ costPerCallCents: 10 });
    const query = parse({ location: { zips: ["94110"] }, pageSize: 50 });
    const total = (await searchProperties(ctx, query, sandbox)).total;
    const pages = Math.ceil(total / 50);
    expect(pages).toBeGreaterThan(4);
    const job = await addAllJob(team.org.id, team.manager.id, query, total);

    // The first delivery's provider fails on page 4 (after pages 2 and 3 were paid and added): the job throws for the queue to retry.
    const failing = countingProvider({ fail: (q) => (q.page === 4 ? new ProviderCallError("PROVIDER_UNAVAILABLE", "ATTOM answered 503") : null) });
    await expect(runAddAll(db, job.id, { provider: failing.provider })).rejects.toThrow(/503/);
    expect(await db.searchAddAllJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", pagesDone: 3, added: 150, nextPage: 4 });

    // A crash right after a page was paid and cached, before it was added: simulated by paying page 4 outside the job.
    await searchProperties({ ...ctx, requestId: `add-all-${job.id}` }, { ...query, page: 4 }, sandbox);

    // Redelivered twice at once (pg-boss retry racing an expired first attempt): each remaining page is added once.
    const retry = countingProvider();
    const outcomes = await Promise.all([runAddAll(db, job.id, { provider: retry.provider }), runAddAll(db, job.id, { provider: retry.provider })]);
    expect(outcomes).toContain("completed");
    expect(retry.calls.map((c) => c.page).sort((x, y) => x - y)).toEqual(Array.from({ length: pages - 4 }, (_, i) => i + 5));

    const done = await db.searchAddAllJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "completed", pagesDone: pages, added: total, alreadyInLeads: 0 });
    // Every page the job's searches paid is in its cost, page 4 included; each page paid exactly once.
    expect(done.costCents).toBe((pages - 1) * 10);
    expect(await spent()).toBe(pages * 10);
    expect(await leads()).toBe(total);
    expect(failing.calls.map((c) => c.page)).toEqual([2, 3, 4]);
  });

  it("search.addAll queues one job per search (a second click returns it), needs the search run today, and is a manager's", async () => {
    const { manager, team } = await setup();
    const query = { location: { zips: ["30301"] }, pageSize: 100 };
    expect(codeOf(await manager.search.addAll({ query }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    const ran = await manager.search.run(query);
    const job = await manager.search.addAll({ query: { ...query, page: 2 } });
    expect(job).toMatchObject({ status: "pending", total: ran.total, added: 0, costCents: 0 });
    expect((await manager.search.addAll({ query })).id).toBe(job.id);
    expect(await db.searchAddAllJob.count({ where: { organizationId: team.org.id } })).toBe(1);
    // The queued job carries its id.
    const [queued] = await db.$queryRawUnsafe<{ data: { jobId: string } }[]>(`SELECT data FROM pgboss.job WHERE name = 'search-add-all' AND data->>'jobId' = $1`, job.id);
    expect(queued?.data.jobId).toBe(job.id);

    expect(codeOf(await callerFor(team.user).search.addAll({ query }).catch((e: unknown) => e))).toBe("FORBIDDEN");
    const other = await setup();
    expect(codeOf(await other.manager.search.addAllJob({ id: job.id }).catch((e: unknown) => e))).toBe("NOT_FOUND");
  });
});
