import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { resetProviderHttpForTests } from "@/server/providers/http";
import { resetProviderAdaptersForTests } from "@/server/providers/registry";
import { FAKE_PLACES, startFakeAttom, type FakeAttom } from "@/test/fakes/attom-server";
import { callerFor, createTeam } from "@/test/factories";
import { clearInProcessCache } from "./cache";
import { PLACE_LOOKUP_OPERATION } from "./places";

// A city search end to end through the router, with ATTOM configured (ATTOM_API_KEY and
// ATTOM_BASE_URL pointing at an HTTP-level fake): the registry builds the real adapters.
let fake: FakeAttom;
const saved = { key: env.ATTOM_API_KEY, url: env.ATTOM_BASE_URL };
beforeAll(async () => {
  fake = await startFakeAttom();
  env.ATTOM_API_KEY = fake.apiKey;
  env.ATTOM_BASE_URL = fake.baseUrl;
  resetProviderAdaptersForTests();
});
afterAll(async () => {
  env.ATTOM_API_KEY = saved.key;
  env.ATTOM_BASE_URL = saved.url;
  resetProviderAdaptersForTests();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  resetProviderHttpForTests();
  clearInProcessCache();
});

const denver = FAKE_PLACES.find((place) => place.geographyName === "Denver, Denver County, CO")!;
const lookups = () => fake.requests.filter((request) => request.path === "/v4/location/lookup");
const propertyCalls = () => fake.requests.filter((request) => request.path.startsWith("/property/"));

async function manager() {
  const team = await createTeam();
  const ledger = () => db.spendEntry.findMany({ where: { organizationId: team.org.id }, orderBy: { createdAt: "asc" } });
  return { caller: callerFor(team.manager), ledger, orgId: team.org.id };
}

describe("search.run by city with ATTOM", () => {
  it("resolves the city once, pages by geoIdV4 with the filters, and answers the second identical search free", async () => {
    const { caller, ledger } = await manager();
    expect((await caller.search.context()).supportsCityCounty).toBe(true);
    const query = { location: { city: "denver", state: "co" }, filters: { bedsMin: 1 }, pageSize: 1 };

    const first = await caller.search.run(query);
    expect(first).toMatchObject({ provider: "attom", simulatedCost: false, costCents: 20, cacheHit: false, page: 1, pageSize: 1 });
    expect(first.place).toEqual({ geoIdV4: denver.geoIdV4, kind: "city", label: "Denver, Denver County, CO", lookupCostCents: 10, lookupCacheHit: false });
    expect(first.rows).toHaveLength(1);
    expect(first.total).toBe(2);
    expect(lookups().map((r) => [r.query.name, r.query.geographyTypeAbbreviation])).toEqual([["Denver, CO", "PL"]]);
    expect(propertyCalls().map((r) => [r.query.geoIdV4, r.query.postalCode, r.query.minBeds, r.query.page, r.query.pageSize])).toEqual([
      [denver.geoIdV4, undefined, "1", "1", "1"],
    ]);
    expect((await ledger()).map((e) => [e.operation, e.cents, e.simulated])).toEqual([
      [PLACE_LOOKUP_OPERATION, 10, false],
      ["property_search", 10, false],
    ]);

    // Page 2: the place is not looked up again; only the new page is paid.
    fake.requests.length = 0;
    const second = await caller.search.run({ ...query, page: 2 });
    expect(second).toMatchObject({ costCents: 10, cacheHit: false, page: 2 });
    expect(second.place).toMatchObject({ lookupCostCents: 0, lookupCacheHit: true });
    expect(second.rows[0]!.externalId).not.toBe(first.rows[0]!.externalId);
    expect(lookups()).toHaveLength(0);
    expect(propertyCalls().map((r) => r.query.page)).toEqual(["2"]);

    // The same search again, spelled differently ("Denver city" is the same place, the same geoIdV4):
    // free, from cache (keyed on the resolved id), ATTOM not called.
    fake.requests.length = 0;
    const again = await caller.search.run({ ...query, location: { city: "Denver city", state: "CO" } });
    expect(again).toMatchObject({ costCents: 0, cacheHit: true });
    expect(again.rows.map((row) => row.externalId)).toEqual(first.rows.map((row) => row.externalId));
    expect(fake.requests).toHaveLength(0);
    expect(await ledger()).toHaveLength(3);

    // Adding that page to leads reads the paid page (the place from the resolution cache).
    const added = await caller.search.addToLeads({ query });
    expect(added).toMatchObject({ added: 1, requested: 1 });
    expect(fake.requests).toHaveLength(0);
  });

  it("asks the user to choose between two same-named places, and searches the one chosen", async () => {
    const { caller, ledger } = await manager();
    const error = await caller.search.run({ location: { city: "Springfield", state: "PA" } }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("CONFLICT");
    expect((error as Error).message).toMatch(/SPRINGFIELD, PA matches 2 places \(Springfield, Delaware County, PA; Springfield, Bucks County, PA\): choose one/);
    expect(propertyCalls()).toHaveLength(0);

    const choice = await caller.search.resolvePlace({ location: { city: "Springfield", state: "PA" } });
    expect(choice).toMatchObject({ status: "ambiguous", costCents: 0, cacheHit: true });
    const bucks = choice.candidates.find((candidate) => candidate.county === "BUCKS COUNTY")!;

    const chosen = await caller.search.run({ location: { city: "Springfield", state: "PA", geoIdV4: bucks.geoIdV4 } });
    expect(chosen.place).toMatchObject({ geoIdV4: bucks.geoIdV4, label: "Springfield, Bucks County, PA" });
    expect(propertyCalls().map((r) => r.query.geoIdV4)).toEqual([bucks.geoIdV4]);
    // One lookup (paid once), and ATTOM's "no result" page for that place is free.
    expect((await ledger()).map((e) => [e.operation, e.cents])).toEqual([[PLACE_LOOKUP_OPERATION, 10]]);

    const foreign = await caller.search.run({ location: { city: "Springfield", state: "PA", geoIdV4: denver.geoIdV4 } }).catch((e: unknown) => e);
    expect((foreign as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("names an unknown place and offers its ZIPs, searching nothing", async () => {
    const { caller, ledger } = await manager();
    const error = await caller.search.run({ location: { county: "Travis County", state: "TX" } }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
    expect((error as Error).message).toMatch(/TRAVIS County, TX was not found as a county.*ZIP codes/);
    const fallback = await caller.search.resolvePlace({ location: { county: "Travis", state: "TX" } });
    expect(fallback.status).toBe("unresolved");
    expect(fallback.fallback!.zips.map((z) => z.zip)).toContain("78701");
    expect(propertyCalls()).toHaveLength(0);
    expect(await ledger()).toHaveLength(0);
  });

  it("refuses a ZIP location and malformed place input with 400s", async () => {
    const { caller } = await manager();
    for (const input of [{ location: { zips: ["80211"] } }, { location: { city: "", state: "CO" } }, { location: { city: "Denver", state: "ZZ" } }, { location: { city: "Denver", state: "CO", geoIdV4: "x y" } }]) {
      const error = await caller.search.resolvePlace(input as never).catch((e: unknown) => e);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("is for managers: a user is refused", async () => {
    const team = await createTeam();
    const error = await callerFor(team.user).search.resolvePlace({ location: { city: "Denver", state: "CO" } }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
  });
});
