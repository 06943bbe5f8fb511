import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createBatchDataSkipTrace } from "@/server/providers/batchdata/client";
import { resetProviderHttpForTests } from "@/server/providers/http";
import { createSandboxSkipTrace } from "@/server/providers/sandbox/skip-trace";
import type { SkipTraceProvider } from "@/server/providers/skip-trace";
import { startFakeBatchData, type FakeBatchData } from "@/test/fakes/batchdata-server";
import { callerFor, createTeam } from "@/test/factories";
import { raceTest } from "@/test/database-kind";
import { runBulkSkipTrace } from "./run-job";
import { skipTraceLead } from "./service";

const sandbox = createSandboxSkipTrace();
const codeOf = (error: unknown) => (error as TRPCError).code;

let fake: FakeBatchData;
beforeAll(async () => {
  fake = await startFakeBatchData();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  resetProviderHttpForTests();
});
const batchData = () => createBatchDataSkipTrace({ token: fake.token, baseUrl: fake.baseUrl, http: { timeoutMs: 500, retries: 1, backoff: { baseDelayMs: 1, maxDelayMs: 2 } } });

/** A provider that counts how many leads it was asked to trace. */
function counting(inner: SkipTraceProvider, delayMs = 0) {
  const traced: string[] = [];
  const provider: SkipTraceProvider = {
    name: inner.name,
    simulated: inner.simulated,
    async trace(requests, opts) {
      traced.push(...requests.map((r) => r.requestId));
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return inner.trace(requests, opts);
    },
  };
  return { provider, traced };
}

async function org(opts: { capCents?: number; costCents?: number } = {}) {
  const team = await createTeam();
  if (opts.capCents !== undefined) {
    await db.budgetSetting.create({ data: { organizationId: team.org.id, provider: "batchdata", dailyCapCents: opts.capCents, costPerCallCents: opts.costCents ?? 7 } });
  }
  const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-skip" };
  const ledger = () => db.spendEntry.findMany({ where: { organizationId: team.org.id, provider: "batchdata" } });
  const spent = async () => (await ledger()).reduce((sum, entry) => sum + entry.cents, 0);
  const lead = async (street: string, zip = "78701") => (await callerFor(team.manager).leads.create({ addressLine1: street, city: "Austin", state: "TX", zip, ownerName: "Jordan Rivera" })).lead.id;
  return { team, ctx, ledger, spent, lead };
}

/** Streets the sandbox matches (it matches about 80 % deterministically by address). */
async function matchingStreets(n: number) {
  const streets: string[] = [];
  for (let i = 1; streets.length < n && i < 500; i++) {
    const street = `${100 + i} Matching Way`;
    const { value: results } = await sandbox.trace([{ requestId: "probe", address: { street, city: "Austin", state: "TX", zip: "78701" } }]);
    if (results[0]?.matched) streets.push(street);
  }
  return streets;
}

describe("single skip trace", () => {
  it("charges a match once, stores phones, emails, the best phone and the lineage record", async () => {
    const { ctx, ledger, lead } = await org({ capCents: 2000, costCents: 7 });
    const [street] = await matchingStreets(1);
    const leadId = await lead(street!);
    const result = await skipTraceLead(ctx, { leadId, force: false }, sandbox);
    expect(result).toMatchObject({ outcome: "matched", costCents: 7 });
    if (result.outcome !== "matched") throw new Error("expected a match");
    expect((await ledger()).map((e) => [e.cents, e.simulated, e.operation])).toEqual([[7, true, "skip_trace"]]);

    const stored = await db.lead.findUniqueOrThrow({ where: { id: leadId }, include: { phones: true, emails: true, skipTraces: true, activities: true } });
    expect(stored.phones.length).toBeGreaterThan(0);
    for (const phone of stored.phones) expect(phone.number).toMatch(/^\+1\d{3}55501\d{2}$/);
    for (const email of stored.emails) expect(email.email).toMatch(/@example\.com$/);
    expect(stored.skipTracedAt).not.toBeNull();
    expect(stored.skipTraces).toHaveLength(1);
    expect(stored.skipTraces[0]).toMatchObject({ outcome: "matched", costCents: 7, provider: "sandbox", simulated: true });
    const best = stored.phones.filter((p) => p.isBest);
    if (result.bestPhone) {
      expect(best.map((p) => p.number)).toEqual([result.bestPhone]);
      expect(best[0]).toMatchObject({ type: "mobile", dnc: false, tcpa: false });
      expect(stored.hasPhone).toBe(true);
    } else expect(best).toHaveLength(0);
    expect(stored.activities.find((a) => a.kind === "skip_traced")?.details).toMatchObject({ outcome: "matched", costCents: 7 });
  });

  it("does not charge a no-match (BatchData meta.matched=false)", async () => {
    const { ctx, ledger, lead } = await org({ capCents: 2000 });
    const leadId = await lead("1 NOMATCH Rd");
    const result = await skipTraceLead(ctx, { leadId, force: false }, batchData());
    expect(result).toMatchObject({ outcome: "no_match", costCents: 0 });
    expect(await ledger()).toHaveLength(0);
    expect(await db.skipTraceRecord.findFirst({ where: { leadId } })).toMatchObject({ outcome: "no_match", matched: false, costCents: 0 });
  });

  it("charges a BatchData match and keeps TCPA-flagged phones flagged, never best", async () => {
    const { ctx, ledger, lead } = await org({ capCents: 2000 });
    const leadId = await lead("1812 E 7th St");
    const result = await skipTraceLead(ctx, { leadId, force: false }, batchData());
    expect(result.outcome).toBe("matched");
    expect((await ledger()).map((e) => [e.cents, e.simulated])).toEqual([[7, false]]);
    const phones = await db.leadPhone.findMany({ where: { leadId } });
    for (const phone of phones.filter((p) => p.isBest)) expect(phone.tcpa || phone.dnc).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it("counts a BatchData call that timed out as possibly billed, without resending it, and lets the lead be traced again", async () => {
    const { ctx, ledger, lead } = await org({ capCents: 2000 });
    const leadId = await lead("1812 E 7th St");
    fake.respondWith((_request, defaultResponse) => ({ ...defaultResponse(), delayMs: 1_500 }));
    const error = await skipTraceLead(ctx, { leadId, force: false }, batchData()).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("GATEWAY_TIMEOUT");
    expect((error as Error).message).toMatch(/may still have traced this record/);
    expect(fake.requests).toHaveLength(1);
    expect((await ledger()).map((e) => [e.cents, e.simulated])).toEqual([[7, false]]);
    expect((await db.spendEntry.findMany({ where: { organizationId: ctx.orgId, provider: "batchdata" } })).map((e) => e.unconfirmedCents)).toEqual([7]);
    expect(await db.dailySpend.findFirst({ where: { organizationId: ctx.orgId, provider: "batchdata" } })).toMatchObject({ spentCents: 7, reservedCents: 0 });
    expect((await db.lead.findUniqueOrThrow({ where: { id: leadId } })).skipTraceClaimedAt).toBeNull();
  });

  it("does not trace a lead again within the recency window unless forced", async () => {
    const { ctx, spent, lead } = await org({ capCents: 2000, costCents: 7 });
    const [street] = await matchingStreets(1);
    const leadId = await lead(street!);
    const { provider, traced } = counting(sandbox);
    await skipTraceLead(ctx, { leadId, force: false }, provider);
    expect(await skipTraceLead(ctx, { leadId, force: false }, provider)).toMatchObject({ outcome: "skipped_recent" });
    expect(traced).toHaveLength(1);
    expect(await spent()).toBe(7);
    expect(await skipTraceLead(ctx, { leadId, force: true }, provider)).toMatchObject({ outcome: "matched" });
    expect(await spent()).toBe(14);
  });

  raceTest("charges once when ten requests race for the same lead", async () => {
    const { ctx, spent, lead } = await org({ capCents: 2000, costCents: 7 });
    const [street] = await matchingStreets(1);
    const leadId = await lead(street!);
    const { provider, traced } = counting(sandbox, 100);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => skipTraceLead(ctx, { leadId, force: true }, provider)));
    expect(traced).toHaveLength(1);
    expect(await spent()).toBe(7);
    expect(outcomes.filter((o) => o.status === "fulfilled" && o.value.outcome === "matched")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(codeOf(o.reason)).toBe("CONFLICT");
  });

  it("replays an idempotent retry without tracing or charging again", async () => {
    const { ctx, spent, lead } = await org({ capCents: 2000, costCents: 7 });
    const [street] = await matchingStreets(1);
    const leadId = await lead(street!);
    const { provider, traced } = counting(sandbox);
    const first = await skipTraceLead(ctx, { leadId, force: true, idempotencyKey: "trace-key-1" }, provider);
    const again = await skipTraceLead(ctx, { leadId, force: true, idempotencyKey: "trace-key-1" }, provider);
    expect(again).toEqual(first);
    expect(traced).toHaveLength(1);
    expect(await spent()).toBe(7);
  });

  it("is blocked by the kill switch with no provider call", async () => {
    const { ctx, team, lead } = await org();
    const leadId = await lead("5 Switch St");
    await callerFor(team.admin).killSwitches.set({ kind: "skip_trace", engaged: true, reason: "vendor invoice dispute" });
    const { provider, traced } = counting(sandbox);
    const error = await skipTraceLead(ctx, { leadId, force: true }, provider).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("PRECONDITION_FAILED");
    expect((error as Error).message).toContain("vendor invoice dispute");
    expect(traced).toHaveLength(0);
  });

  it("refuses over the cap before any call", async () => {
    const { ctx, lead } = await org({ capCents: 5, costCents: 7 });
    const leadId = await lead("6 Cap St");
    const { provider, traced } = counting(sandbox);
    const error = await skipTraceLead(ctx, { leadId, force: true }, provider).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("PRECONDITION_FAILED");
    expect((error as Error).message).toContain("BatchData skip tracing daily cap reached");
    expect(traced).toHaveLength(0);
    expect((await db.lead.findUniqueOrThrow({ where: { id: leadId } })).skipTraceClaimedAt).toBeNull();
  });
});

describe("bulk skip trace", () => {
  it("stops cleanly at the daily cap with a report, charging nothing over it", async () => {
    const { team, spent, lead } = await org({ capCents: 21, costCents: 7 });
    const streets = await matchingStreets(10);
    const ids = [];
    for (const street of streets) ids.push(await lead(street));
    const job = await db.skipTraceJob.create({ data: { organizationId: team.org.id, createdById: team.manager.id, leadIds: ids, total: ids.length } });
    expect(await runBulkSkipTrace(db, job.id, sandbox)).toBe("stopped_cap");
    const report = await db.skipTraceJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(report).toMatchObject({ status: "stopped_cap", matched: 3, costCents: 21 });
    expect(report.stopReason).toMatch(/cap was reached/);
    expect(await spent()).toBe(21);
    expect(await db.lead.count({ where: { id: { in: ids }, skipTraceClaimedAt: { not: null } } })).toBe(0);
  });

  it("skips recently traced leads and leads without a usable address, and says so", async () => {
    const { team, ctx, lead } = await org({ capCents: 2000 });
    const [street] = await matchingStreets(1);
    const recent = await lead(street!);
    await skipTraceLead(ctx, { leadId: recent, force: false }, sandbox);
    const noAddress = await db.lead.create({
      data: { organizationId: team.org.id, source: "csv", addressLine1: "", city: "", state: "", zip: "", normalizedAddress: "x", normalizedOwner: "x", dedupKey: "no-address" },
    });
    const fresh = await lead("77 Fresh Ave");
    const job = await db.skipTraceJob.create({ data: { organizationId: team.org.id, leadIds: [recent, noAddress.id, fresh], total: 3 } });
    expect(await runBulkSkipTrace(db, job.id, sandbox)).toBe("completed");
    expect(await db.skipTraceJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "completed", processed: 3, skippedRecent: 1, skippedNoAddress: 1 });
  });

  it("resumes after an interruption without tracing or charging anyone twice", async () => {
    const { team, spent, lead } = await org({ capCents: 100_000, costCents: 7 });
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push(await lead(`${1000 + i} Resume Rd`, "78702"));
    const job = await db.skipTraceJob.create({ data: { organizationId: team.org.id, leadIds: ids, total: ids.length } });
    const aborter = new AbortController();
    const { provider, traced } = counting(sandbox);
    const interrupting: SkipTraceProvider = {
      name: "sandbox",
      simulated: true,
      async trace(requests, opts) {
        const batch = await provider.trace(requests, opts);
        aborter.abort(); // the worker is told to stop after its first batch
        return batch;
      },
    };
    expect(await runBulkSkipTrace(db, job.id, interrupting, { signal: aborter.signal })).toBe("interrupted");
    expect(traced).toHaveLength(100);
    expect(await runBulkSkipTrace(db, job.id, provider)).toBe("completed");
    expect(traced).toHaveLength(150);
    expect(new Set(traced).size).toBe(150);
    const report = await db.skipTraceJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(report.processed).toBe(150);
    expect(await spent()).toBe(report.matched * 7);
    expect(await db.skipTraceRecord.count({ where: { jobId: job.id } })).toBe(150);
  });
});
