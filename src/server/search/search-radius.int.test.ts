import { beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createAttomPropertySearch } from "@/server/providers/attom/client";
import { distanceMiles, propertySearchQuerySchema, type PropertySearchQueryInput } from "@/server/providers/property-search";
import { createSandboxPropertySearch } from "@/server/providers/sandbox/property-search";
import { startFakeAttom } from "@/test/fakes/attom-server";
import { fakeForFile } from "@/test/fakes/for-file";
import { callerFor, createTeam } from "@/test/factories";
import { clearInProcessCache } from "./cache";
import { addSearchResultsToLeads, searchProperties } from "./service";

// Radius search (issue 14 item 8): ATTOM's latitude + longitude + radius through the same
// adapter, cache, cap and ledger as a ZIP; the sandbox answers circles from real ZIP geography.
const fake = fakeForFile(startFakeAttom);
beforeEach(() => clearInProcessCache());

const attom = () =>
  createAttomPropertySearch({
    apiKey: fake.server.apiKey,
    baseUrl: fake.server.baseUrl,
    http: { timeoutMs: 10_000, retries: 1, backoff: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5 }, breaker: { failureThreshold: 5, halfOpenAfterMs: 200 } },
  });
const parse = (input: PropertySearchQueryInput) => propertySearchQuerySchema.parse(input);
/** Between the fixtures' Jacksonville 32223 and 32256 properties; 32204's is 8 miles north. */
const JACKSONVILLE = { latitude: 30.19, longitude: -81.58 };

async function setup(capCents = 1500) {
  const team = await createTeam();
  await db.budgetSetting.create({ data: { organizationId: team.org.id, provider: "attom", dailyCapCents: capCents, costPerCallCents: 10 } });
  const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-radius" };
  const ledger = () => db.spendEntry.findMany({ where: { organizationId: team.org.id } });
  return { team, ctx, ledger };
}

describe("radius search on ATTOM", () => {
  it("sends latitude, longitude and radius as ATTOM takes them, and reads the circle's properties with their coordinates", async () => {
    const { value, billing } = await attom().search(parse({ location: { ...JACKSONVILLE, radiusMiles: 4 }, filters: { bedsMin: 2 }, pageSize: 10 }));
    expect(fake.server.requests).toHaveLength(1);
    expect(fake.server.requests[0]?.path).toBe("/property/expandedprofile");
    expect(fake.server.requests[0]?.query).toEqual({ latitude: "30.19", longitude: "-81.58", radius: "4", minBeds: "2", page: "1", pageSize: "10" });
    expect(billing).toEqual({ units: 1, possiblyBilled: false });
    expect(value.properties.map((property) => property.address.zip).sort()).toEqual(["32223", "32256"]);
    for (const property of value.properties) {
      expect(distanceMiles({ lat: JACKSONVILLE.latitude, lon: JACKSONVILLE.longitude }, { lat: property.latitude!, lon: property.longitude! })).toBeLessThanOrEqual(4);
    }
  });

  it("pays once for the same point and radius (the point rounded to about a metre), and again for another radius", async () => {
    const { ctx, ledger } = await setup();
    const first = await searchProperties(ctx, parse({ location: { ...JACKSONVILLE, radiusMiles: 4 } }), attom());
    const again = await searchProperties(ctx, parse({ location: { latitude: 30.190001, longitude: -81.580002, radiusMiles: 4.0 } }), attom());
    expect(first).toMatchObject({ cacheHit: false, costCents: 10, total: 2 });
    expect(again).toMatchObject({ cacheHit: true, costCents: 0, total: 2 });
    expect(again.rows.map((row) => row.externalId)).toEqual(first.rows.map((row) => row.externalId));
    expect(first.locations).toEqual([expect.objectContaining({ location: "4 mi around 30.19, -81.58", ok: true, costCents: 10 })]);
    expect(fake.server.requests).toHaveLength(1);

    const wider = await searchProperties(ctx, parse({ location: { ...JACKSONVILLE, radiusMiles: 12 } }), attom());
    expect(wider).toMatchObject({ cacheHit: false, costCents: 10, total: 3 });
    expect(fake.server.requests).toHaveLength(2);
    expect((await ledger()).map((entry) => [entry.cents, entry.simulated, entry.operation])).toEqual([
      [10, false, "property_search"],
      [10, false, "property_search"],
    ]);
  });

  it("reserves under the cap first: over the cap, ATTOM is not called", async () => {
    const { ctx, ledger } = await setup(5);
    const error = await searchProperties(ctx, parse({ location: { ...JACKSONVILLE, radiusMiles: 4 } }), attom()).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((error as Error).message).toMatch(/cap/i);
    expect(fake.server.requests).toHaveLength(0);
    expect(await ledger()).toHaveLength(0);
  });
});

describe("radius search in the sandbox", () => {
  const sandbox = createSandboxPropertySearch();

  it("answers only properties inside the circle (every page), nearest first, with real ZIPs around the point", async () => {
    const center = { lat: 39.7392, lon: -104.9903 };
    const query = parse({ location: { latitude: center.lat, longitude: center.lon, radiusMiles: 1 }, pageSize: 100 });
    const first = await sandbox.search(query);
    expect(first.billing.units).toBe(1);
    expect(first.value.total).toBeGreaterThan(100);
    // Every page, so every property of the answer is checked.
    const pageCount = Math.ceil(first.value.total / 100);
    expect(pageCount).toBeLessThan(80);
    const pages = [first.value.properties];
    for (let page = 2; page <= pageCount; page++) pages.push((await sandbox.search({ ...query, page })).value.properties);
    expect(pages.flat()).toHaveLength(first.value.total);
    expect(new Set(pages.flat().map((property) => property.externalId)).size).toBe(first.value.total);
    const distances = pages.flat().map((property) => distanceMiles(center, { lat: property.latitude!, lon: property.longitude! }));
    expect(Math.max(...distances)).toBeLessThanOrEqual(1);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(new Set(pages.flat().map((property) => property.address.state))).toEqual(new Set(["CO"]));
    expect(pages.flat().every((property) => /^80\d{3}$/.test(property.address.zip))).toBe(true);

    // The same properties a ZIP search shows: a circle draws from the ZIPs' own populations.
    const someZip = first.value.properties[0]!.address.zip;
    const zipSearch = await sandbox.search(parse({ location: { zips: [someZip] }, pageSize: 100 }));
    const zipIds = new Set<string>();
    for (let page = 1; page <= Math.ceil(zipSearch.value.total / 100); page++) {
      for (const property of (await sandbox.search(parse({ location: { zips: [someZip] }, pageSize: 100, page }))).value.properties) zipIds.add(property.externalId);
    }
    expect(zipIds.has(first.value.properties[0]!.externalId)).toBe(true);
  });

  it("answers a circle with no US ZIP in reach with no properties", async () => {
    const { value } = await sandbox.search(parse({ location: { latitude: 0, longitude: -30, radiusMiles: 20 } }));
    expect(value).toMatchObject({ properties: [], total: 0 });
  });

  it("keeps the coordinates through the search answer and into the leads added from it", async () => {
    const { ctx } = await setup();
    const query = parse({ location: { latitude: 30.2672, longitude: -97.7431, radiusMiles: 3 }, pageSize: 10 });
    const result = await searchProperties(ctx, query, sandbox);
    expect(result).toMatchObject({ costCents: 10, cacheHit: false });
    expect(result.rows).toHaveLength(10);
    expect(result.rows.every((row) => row.latitude !== null && row.longitude !== null)).toBe(true);

    const added = await addSearchResultsToLeads(ctx, { query }, sandbox);
    expect(added).toMatchObject({ added: 10, requested: 10 });
    const leads = await db.lead.findMany({ where: { organizationId: ctx.orgId }, select: { latitude: true, longitude: true, addressLine1: true } });
    expect(leads).toHaveLength(10);
    const byAddress = new Map(result.rows.map((row) => [row.address.line1, row]));
    for (const lead of leads) {
      const row = byAddress.get(lead.addressLine1)!;
      expect([lead.latitude, lead.longitude]).toEqual([row.latitude, row.longitude]);
    }
  });
});

describe("radius input through search.run", () => {
  it.each([
    ["a radius over 20 miles", { latitude: 30.2, longitude: -97.7, radiusMiles: 50 }, "location.radiusMiles", "Choose a radius from 1 to 20 miles"],
    ["a radius under a mile", { latitude: 30.2, longitude: -97.7, radiusMiles: 0.2 }, "location.radiusMiles", "Choose a radius from 1 to 20 miles"],
    ["a latitude off the globe", { latitude: 95, longitude: -97.7, radiusMiles: 5 }, "location.latitude", "The latitude must be between -90 and 90"],
    ["a longitude off the globe", { latitude: 30.2, longitude: -197.7, radiusMiles: 5 }, "location.longitude", "The longitude must be between -180 and 180"],
  ])("refuses %s with BAD_REQUEST, in words, on its field", async (_label, location, path, message) => {
    const team = await createTeam();
    const error = await callerFor(team.manager)
      .search.run({ location } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    const issues = ((error as TRPCError).cause as unknown as { issues: { path: (string | number)[]; message: string }[] }).issues;
    expect(issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([[path, message]]);
  });
});
