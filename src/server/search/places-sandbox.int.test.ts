import { beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createSandboxPlaceResolver, SANDBOX_UNKNOWN_COUNTY, SANDBOX_UNKNOWN_PLACE } from "@/server/providers/sandbox/place-resolver";
import { createSandboxPropertySearch } from "@/server/providers/sandbox/property-search";
import { propertySearchQuerySchema, searchLocationSchema, type PropertySearchQueryInput } from "@/server/providers/property-search";
import { createTeam } from "@/test/factories";
import { clearInProcessCache } from "./cache";
import { PLACE_LOOKUP_OPERATION } from "./places";
import { resolveSearchPlace, searchProperties } from "./service";

// The sandbox answers city and county searches through the same resolution interface as ATTOM.
const sandbox = createSandboxPropertySearch();
const places = createSandboxPlaceResolver();
const parse = (input: PropertySearchQueryInput) => propertySearchQuerySchema.parse(input);

beforeEach(async () => {
  clearInProcessCache();
  await db.placeResolution.deleteMany({});
});

async function org() {
  const team = await createTeam();
  const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-sandbox-places" };
  const ledger = () => db.spendEntry.findMany({ where: { organizationId: team.org.id }, orderBy: { createdAt: "asc" } });
  return { ctx, ledger };
}

describe("sandbox city and county search", () => {
  it("resolves a city and a county, shows what each resolved to, and charges the simulated lookup once", async () => {
    const { ctx, ledger } = await org();
    const city = await searchProperties(ctx, parse({ location: { city: "Austin", state: "TX" } }), sandbox, places);
    expect(city.place).toMatchObject({ kind: "city", label: "AUSTIN, TX", lookupCostCents: 10, lookupCacheHit: false });
    expect(city.rows.length).toBeGreaterThan(0);
    expect(city.rows.every((row) => row.address.city === "AUSTIN")).toBe(true);
    expect(city.costCents).toBe(20);

    const county = await searchProperties(ctx, parse({ location: { county: "Travis County", state: "TX" } }), sandbox, places);
    expect(county.place).toMatchObject({ kind: "county", label: "TRAVIS County, TX" });
    expect(county.rows.length).toBeGreaterThan(0);

    expect((await ledger()).map((e) => [e.operation, e.cents, e.simulated])).toEqual([
      [PLACE_LOOKUP_OPERATION, 10, true],
      ["property_search", 10, true],
      [PLACE_LOOKUP_OPERATION, 10, true],
      ["property_search", 10, true],
    ]);
    const again = await searchProperties(ctx, parse({ location: { city: "austin", state: "tx" } }), sandbox, places);
    expect(again).toMatchObject({ costCents: 0, cacheHit: true });
  });

  it("keeps each city's properties as before the resolution step (the name decides the population)", async () => {
    const { ctx } = await org();
    const viaResolution = await searchProperties(ctx, parse({ location: { city: "Denver", state: "CO" } }), sandbox, places);
    const direct = await sandbox.search(parse({ location: { city: "Denver", state: "CO" } }));
    expect(viaResolution.rows.map((row) => row.externalId)).toEqual(direct.value.properties.map((p) => p.externalId));
  });

  it("makes the user choose between two Springfields, and each choice is its own place", async () => {
    const { ctx } = await org();
    const error = await searchProperties(ctx, parse({ location: { city: "Springfield", state: "IL" } }), sandbox, places).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("CONFLICT");
    const choice = await resolveSearchPlace(ctx, searchLocationSchema.parse({ city: "Springfield", state: "IL" }), places);
    expect(choice.status).toBe("ambiguous");
    expect(choice.candidates.map((c) => c.label)).toEqual(["SPRINGFIELD, GREENE COUNTY, IL", "SPRINGFIELD, CLARK COUNTY, IL"]);
    const [greene, clark] = choice.candidates;
    const a = await searchProperties(ctx, parse({ location: { city: "Springfield", state: "IL", geoIdV4: greene!.geoIdV4 } }), sandbox, places);
    const b = await searchProperties(ctx, parse({ location: { city: "Springfield", state: "IL", geoIdV4: clark!.geoIdV4 } }), sandbox, places);
    expect(a.place?.label).toBe("SPRINGFIELD, GREENE COUNTY, IL");
    expect(b.place?.label).toBe("SPRINGFIELD, CLARK COUNTY, IL");
    expect(a.rows[0]!.externalId).not.toBe(b.rows[0]!.externalId);
  });

  it("offers the ZIPs of a place it does not know, with the estimate per ZIP", async () => {
    const { ctx, ledger } = await org();
    const result = await resolveSearchPlace(ctx, searchLocationSchema.parse({ city: SANDBOX_UNKNOWN_PLACE, state: "TX" }), places);
    expect(result).toMatchObject({ status: "unresolved", costCents: 0, simulatedCost: true });
    expect(result.fallback).toMatchObject({ zips: [], costPerZipCents: 10, maxZipsPerSearch: 10 });
    const kenedy = await resolveSearchPlace(ctx, searchLocationSchema.parse({ county: SANDBOX_UNKNOWN_COUNTY, state: "TX" }), places);
    expect(kenedy.fallback?.zips).toEqual([
      { zip: "78338", city: "ARMSTRONG", county: "KENEDY" },
      { zip: "78385", city: "SARITA", county: "KENEDY" },
    ]);
    const known = await resolveSearchPlace(ctx, searchLocationSchema.parse({ city: "Round Rock", state: "TX" }), places);
    expect(known.status).toBe("resolved");
    expect(await ledger()).toHaveLength(1);
  });
});
