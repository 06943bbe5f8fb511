import { beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createAttomPropertySearch } from "@/server/providers/attom/client";
import type { ProviderHttpTuning } from "@/server/providers/http";
import { propertySearchQuerySchema } from "@/server/providers/property-search";
import { attomNoResult, attomStatusError, attomUnauthorized, startFakeAttom, type FakeAttomResponse } from "@/test/fakes/attom-server";
import { fakeForFile } from "@/test/fakes/for-file";
import { createTeam } from "@/test/factories";
import { clearInProcessCache } from "./cache";
import { searchProperties } from "./service";

// The real ATTOM adapter, through the search service, against an HTTP-level fake of ATTOM:
// every outcome is checked in the ledger, not just in the answer.
const fake = fakeForFile(startFakeAttom);
beforeEach(() => clearInProcessCache());

const attom = (http: ProviderHttpTuning = {}) =>
  createAttomPropertySearch({
    apiKey: fake.server.apiKey,
    baseUrl: fake.server.baseUrl,
    http: { timeoutMs: 200, retries: 2, backoff: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5 }, breaker: { failureThreshold: 3, halfOpenAfterMs: 200 }, ...http },
  });

async function org() {
  const team = await createTeam();
  const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-attom" };
  const ledger = () => db.spendEntry.findMany({ where: { organizationId: team.org.id } });
  const reserved = async () => (await db.dailySpend.findFirst({ where: { organizationId: team.org.id } }))?.reservedCents ?? 0;
  return { ctx, ledger, reserved };
}

const zipQuery = (zip: string) => propertySearchQuerySchema.parse({ location: { zips: [zip] } });

describe("ATTOM search through the service", () => {
  it("charges one real (not simulated) call for a successful answer, in either casing", async () => {
    const { ctx, ledger } = await org();
    const camel = await searchProperties(ctx, zipQuery("80211"), attom());
    const lower = await searchProperties(ctx, zipQuery("32223"), attom());
    expect(camel.rows.length).toBeGreaterThan(0);
    expect(lower.rows.length).toBeGreaterThan(0);
    expect(camel.rows[0]?.ownerName).toBeTruthy();
    expect(lower.rows[0]?.ownerName).toBeTruthy();
    expect((await ledger()).map((e) => [e.cents, e.simulated, e.unconfirmedCents])).toEqual([[10, false, 0], [10, false, 0]]);
    expect(fake.server.requests.every((r) => r.headers.apikey === fake.server.apiKey)).toBe(true);
  });

  it.each([
    ["no result as HTTP 400", [attomNoResult(400)]],
    ["no result as HTTP 200", [attomNoResult(200)]],
  ])("answers %s with an empty page and charges nothing", async (_label, script) => {
    const { ctx, ledger, reserved } = await org();
    fake.server.respondWith(script as FakeAttomResponse[]);
    const result = await searchProperties(ctx, zipQuery("99999"), attom());
    expect(result).toMatchObject({ rows: [], total: 0, costCents: 0, cacheHit: false });
    expect(await ledger()).toHaveLength(0);
    expect(await reserved()).toBe(0);
  });

  const failures: [string, FakeAttomResponse[] | (() => FakeAttomResponse), TRPCError["code"], RegExp][] = [
    ["ATTOM status −5 on HTTP 400", [{ ...attomStatusError(-5, "Invalid Parameter: minBeds"), status: 400 }], "BAD_REQUEST", /minBeds/],
    ["a rejected key (401)", [attomUnauthorized()], "BAD_GATEWAY", /ATTOM key rejected/],
    ["repeated 500s", () => ({ status: 500, rawBody: "Internal Server Error" }), "SERVICE_UNAVAILABLE", /ATTOM/],
    ["malformed JSON on HTTP 200", () => ({ status: 200, rawBody: '{"status": {"code": 0, "msg": "SuccessWith' }), "BAD_GATEWAY", /unreadable/],
    ["a body that is not an ATTOM envelope", () => ({ status: 200, body: { hello: "world" } }), "BAD_GATEWAY", /unreadable/],
  ];
  it.each(failures)("charges nothing for %s and says what happened", async (_label, script, code, message) => {
    const { ctx, ledger, reserved } = await org();
    fake.server.respondWith(script);
    const error = await searchProperties(ctx, zipQuery("80211"), attom()).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect(await ledger()).toHaveLength(0);
    expect(await reserved()).toBe(0);
    expect(await db.providerCacheEntry.count({ where: { organizationId: ctx.orgId } })).toBe(0);
  });

  it("retries a 429 and charges the one successful call", async () => {
    const { ctx, ledger } = await org();
    fake.server.respondWith([{ status: 429, headers: { "Retry-After": "0" }, body: {} }]);
    const result = await searchProperties(ctx, zipQuery("80211"), attom());
    expect(result.rows.length).toBeGreaterThan(0);
    expect(fake.server.requests).toHaveLength(2);
    expect((await ledger()).map((e) => e.cents)).toEqual([10]);
  });

  it("opens the circuit after repeated 500s: later searches fail fast without reaching ATTOM or the ledger", async () => {
    const { ctx, ledger } = await org();
    // A cool-down far longer than the test, so a slow machine cannot half-open it in between.
    const provider = attom({ breaker: { failureThreshold: 3, halfOpenAfterMs: 10_000 } });
    fake.server.respondWith(() => ({ status: 500, rawBody: "down" }));
    await searchProperties(ctx, zipQuery("80211"), provider).catch(() => undefined);
    const before = fake.server.requests.length;
    const error = await searchProperties(ctx, zipQuery("80212"), provider).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((error as Error).message).toMatch(/paused requests/);
    expect(fake.server.requests.length).toBe(before);
    expect(await ledger()).toHaveLength(0);
  });
});

const zipsQuery = (zips: string[]) => propertySearchQuerySchema.parse({ location: { zips } });
const requestsFor = (zip: string) => fake.server.requests.filter((request) => request.query.postalCode === zip).length;

describe("ATTOM multi-ZIP search where one ZIP fails", () => {
  it("shows, caches and charges the ZIPs that answered; a repeat pays only for the failed ZIP once it answers", async () => {
    const { ctx, ledger, reserved } = await org();
    let failing = true;
    fake.server.respondWith((request, defaultResponse) =>
      failing && request.query.postalCode === "32223" ? { status: 500, rawBody: "Internal Server Error" } : defaultResponse(),
    );
    const query = zipsQuery(["80212", "32223", "80211"]);

    const first = await searchProperties(ctx, query, attom({ breaker: { failureThreshold: 10 } }));
    expect(first.costCents).toBe(20);
    expect(first.rows.map((row) => row.address.zip).sort()).toEqual(["80211", "80212"]);
    expect(first.locations.map((l) => [l.location, l.ok, l.costCents, l.error?.code ?? null])).toEqual([
      ["32223", false, 0, "PROVIDER_UNAVAILABLE"],
      ["80211", true, 10, null],
      ["80212", true, 10, null],
    ]);
    expect(first.locations[0]!.error!.message).toMatch(/ATTOM is having problems \(HTTP 500\)/);
    expect(requestsFor("32223")).toBe(3); // retried, then given up
    expect((await ledger()).map((e) => [e.cents, e.simulated])).toEqual([[20, false]]);
    expect(await reserved()).toBe(0);
    expect(await db.providerCacheEntry.count({ where: { organizationId: ctx.orgId, status: "ready" } })).toBe(2);

    // Still failing: the answered ZIPs come from cache, nothing is charged.
    fake.server.requests.length = 0;
    const stillFailing = await searchProperties(ctx, query, attom({ breaker: { failureThreshold: 10 } }));
    expect(stillFailing).toMatchObject({ costCents: 0, cacheHit: false });
    expect(stillFailing.locations.map((l) => [l.location, l.ok, l.cacheHit])).toEqual([
      ["32223", false, false],
      ["80211", true, true],
      ["80212", true, true],
    ]);
    expect(fake.server.requests.every((request) => request.query.postalCode === "32223")).toBe(true);
    expect(await ledger()).toHaveLength(1);

    // ATTOM recovers: only the failed ZIP is paid for.
    failing = false;
    fake.server.requests.length = 0;
    const recovered = await searchProperties(ctx, query, attom());
    expect(recovered.costCents).toBe(10);
    expect(recovered.rows.map((row) => row.address.zip).sort()).toEqual(["32223", "80211", "80212"]);
    expect(fake.server.requests.map((request) => request.query.postalCode)).toEqual(["32223"]);
    expect((await ledger()).map((e) => e.cents).sort()).toEqual([10, 20]);
    expect(await reserved()).toBe(0);

    const cached = await searchProperties(ctx, query, attom());
    expect(cached).toMatchObject({ costCents: 0, cacheHit: true });
  });

  it("fails the search when every ZIP failed, charging nothing and caching nothing", async () => {
    const { ctx, ledger, reserved } = await org();
    fake.server.respondWith(() => ({ status: 500, rawBody: "down" }));
    const error = await searchProperties(ctx, zipsQuery(["80211", "80212"]), attom({ breaker: { failureThreshold: 10 } })).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect(await ledger()).toHaveLength(0);
    expect(await reserved()).toBe(0);
    expect(await db.providerCacheEntry.count({ where: { organizationId: ctx.orgId } })).toBe(0);
  });
});

describe("ATTOM deadline", () => {
  it("answers a slow ATTOM with PROVIDER_TIMEOUT within the deadline, sends it once, and counts it as possibly billed", async () => {
    const { ctx, ledger, reserved } = await org();
    fake.server.respondWith(() => ({ status: 200, body: {}, delayMs: 3_000 }));
    const started = performance.now();
    const error = await searchProperties(ctx, zipQuery("80211"), attom({ timeoutMs: 250, deadlineMs: 600 })).catch((e: unknown) => e);
    const elapsed = performance.now() - started;

    expect((error as TRPCError).code).toBe("GATEWAY_TIMEOUT");
    expect((error as Error).message).toMatch(/ATTOM did not answer in time/);
    expect(elapsed).toBeLessThan(600 + 300);
    expect(fake.server.requests).toHaveLength(1);
    expect((await ledger()).map((e) => e.cents)).toEqual([10]);
    // Counted so the cap holds, but marked as not confirmed by ATTOM.
    expect((await db.spendEntry.findMany({ where: { organizationId: ctx.orgId } })).map((e) => e.unconfirmedCents)).toEqual([10]);
    expect(await reserved()).toBe(0);
  });

  it("stops retrying slow 5xx answers at the deadline instead of running every attempt", async () => {
    const { ctx, ledger } = await org();
    fake.server.respondWith(() => ({ status: 500, rawBody: "slow failure", delayMs: 200 }));
    const started = performance.now();
    const error = await searchProperties(ctx, zipQuery("80211"), attom({ timeoutMs: 250, deadlineMs: 600, retries: 5, breaker: { failureThreshold: 10 } })).catch(
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;

    expect((error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect(elapsed).toBeLessThan(600 + 300);
    // Six attempts would take 1.2 s; only those that could finish before the deadline started.
    expect(fake.server.requests.length).toBeLessThanOrEqual(2);
    expect(await ledger()).toHaveLength(0);
  });
});
