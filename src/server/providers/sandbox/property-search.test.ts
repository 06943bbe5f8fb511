import { describe, expect, it, vi } from "vitest";
import { normalizeAddress } from "@/lib/address";
import {
  matchesPropertyFilters,
  propertySearchQuerySchema,
  type PropertyRecord,
  type PropertySearchQueryInput,
} from "../property-search";
import { createSandboxPropertySearch, SANDBOX_REFERENCE_DATE } from "./property-search";

const sandbox = createSandboxPropertySearch();
/** The page alone (billing is checked on its own). */
const provider = { search: async (...args: Parameters<typeof sandbox.search>) => (await sandbox.search(...args)).value };

const query = (input: Partial<PropertySearchQueryInput> = {}) =>
  propertySearchQuerySchema.parse({ location: { zips: ["78702"] }, ...input });

async function searchAll(input: Partial<PropertySearchQueryInput>): Promise<PropertyRecord[]> {
  const all: PropertyRecord[] = [];
  for (let page = 1; ; page++) {
    const result = await provider.search(query({ ...input, page, pageSize: 100 }));
    all.push(...result.properties);
    if (all.length >= result.total) return all;
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe("sandbox property search", () => {
  it("is named sandbox", () => {
    expect(sandbox.name).toBe("sandbox");
  });

  it("returns the same properties for the same query, even from a fresh module", async () => {
    const first = await provider.search(query({ filters: { bedsMin: 3 }, page: 2 }));
    vi.resetModules();
    const fresh = await import("./property-search");
    const again = (await fresh
      .createSandboxPropertySearch()
      .search(query({ filters: { bedsMin: 3 }, page: 2 }))).value;
    expect(again).toEqual(first);
    expect(first.properties).toHaveLength(25);
  });

  it("reports the calls ATTOM would bill: one per ZIP, one for a city or county", async () => {
    const zips = await sandbox.search(query({ location: { zips: ["78702", "44105", "10001"] } }));
    const city = await sandbox.search(query({ location: { city: "Austin", state: "TX" } }));
    const county = await sandbox.search(query({ location: { county: "Travis", state: "TX" } }));
    expect(zips.billing).toEqual({ units: 3, possiblyBilled: false });
    expect(city.billing).toEqual({ units: 1, possiblyBilled: false });
    expect(county.billing).toEqual({ units: 1, possiblyBilled: false });
    expect(sandbox.simulated).toBe(true);
  });

  it("simulates an unbilled outage for ZIP 00000", async () => {
    await expect(sandbox.search(query({ location: { zips: ["00000"] } }))).rejects.toMatchObject({
      appCode: "PROVIDER_UNAVAILABLE",
      billing: { units: 0, possiblyBilled: false },
    });
  });

  it("returns different properties for different locations", async () => {
    const a = await provider.search(query({ location: { zips: ["78702"] } }));
    const b = await provider.search(query({ location: { zips: ["78703"] } }));
    expect(a.properties.map((p) => p.address.line1)).not.toEqual(
      b.properties.map((p) => p.address.line1),
    );
  });

  it("keeps a ZIP's properties inside that ZIP, its city and state", async () => {
    const all = await searchAll({ location: { zips: ["78702"] } });
    expect(all.length).toBeGreaterThanOrEqual(300);
    expect(all.length).toBeLessThanOrEqual(500);
    for (const property of all) {
      expect(property.address).toMatchObject({ zip: "78702", city: "AUSTIN", state: "TX" });
      expect(property.latitude).toBeCloseTo(30.3, 0);
    }
  });

  it("answers several ZIPs with each ZIP's own population", async () => {
    const single = await searchAll({ location: { zips: ["44105"] } });
    const multi = await searchAll({ location: { zips: ["78702", "44105"] } });
    const multiIn44105 = multi.filter((property) => property.address.zip === "44105");
    expect(multiIn44105).toEqual(single);
    expect(new Set(multi.map((property) => property.address.zip))).toEqual(
      new Set(["78702", "44105"]),
    );
    expect(multi.find((property) => property.address.zip === "44105")?.address.state).toBe("OH");
  });

  it("keeps a city search inside the city and state", async () => {
    const known = await searchAll({ location: { city: "Denver", state: "co" } });
    for (const property of known) {
      expect(property.address.city).toBe("DENVER");
      expect(property.address.state).toBe("CO");
      expect(property.address.zip).toMatch(/^802\d\d$/);
    }
    const small = await searchAll({ location: { city: "Smallville", state: "KS" } });
    for (const property of small) {
      expect(property.address).toMatchObject({ city: "SMALLVILLE", state: "KS" });
      expect(Number(property.address.zip.slice(0, 3))).toBeGreaterThanOrEqual(660);
      expect(Number(property.address.zip.slice(0, 3))).toBeLessThanOrEqual(679);
    }
  });

  it("keeps a county search inside the state", async () => {
    const all = await searchAll({ location: { county: "Cuyahoga County", state: "OH" } });
    expect(all.length).toBeGreaterThan(0);
    for (const property of all) expect(property.address.state).toBe("OH");
  });

  it("generates each address once per area", async () => {
    const all = await searchAll({ location: { city: "Austin", state: "TX" } });
    const keys = all.map(
      (property) =>
        normalizeAddress({ street: property.address.line1, zip: property.address.zip }).key,
    );
    expect(new Set(keys).size).toBe(all.length);
    expect(new Set(all.map((property) => property.externalId)).size).toBe(all.length);
  });

  it("pages without overlap and reports the same total on every page", async () => {
    const page1 = await provider.search(query({ page: 1, pageSize: 10 }));
    const page2 = await provider.search(query({ page: 2, pageSize: 10 }));
    const both = await provider.search(query({ page: 1, pageSize: 20 }));
    expect(page2.total).toBe(page1.total);
    expect([...page1.properties, ...page2.properties]).toEqual(both.properties);
    const beyond = await provider.search(query({ page: 1000, pageSize: 10 }));
    expect(beyond).toMatchObject({ properties: [], total: page1.total, page: 1000, pageSize: 10 });
  });

  it.each<[string, PropertySearchQueryInput["filters"]]>([
    ["property type", { propertyType: "condo" }],
    ["beds and baths", { bedsMin: 3, bedsMax: 4, bathsMin: 2 }],
    ["year built", { yearBuiltMin: 1960, yearBuiltMax: 1990 }],
    ["size", { sizeMin: 1200, sizeMax: 2000 }],
    ["estimated value", { valueMin: 300_000, valueMax: 600_000 }],
    ["assessed value", { valueBasis: "assessed", valueMax: 350_000 }],
    ["equity", { equityPctMin: 60 }],
    ["absentee", { absentee: "absentee" }],
    ["owner occupied", { absentee: "occupied" }],
    ["last sale window", { lastSaleAfter: "2005-01-01", lastSaleBefore: "2015-12-31" }],
    [
      "everything at once",
      { propertyType: "sfr", bedsMin: 3, equityPctMin: 30, absentee: "absentee" },
    ],
  ])("honours the %s filter and counts only matches", async (_, filters) => {
    const everything = await searchAll({ location: { zips: ["78702"] } });
    const expected = everything.filter((property) =>
      matchesPropertyFilters(property, query({ filters }).filters),
    );
    // the filter must remove something and keep something, or this test proves nothing
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(everything.length);

    const filtered = await searchAll({ location: { zips: ["78702"] }, filters });
    expect(filtered).toEqual(expected);
    const firstPage = await provider.search(query({ filters }));
    expect(firstPage.total).toBe(expected.length);
  });

  it("filters explicitly on the record fields", async () => {
    const condos = await searchAll({ filters: { propertyType: "condo", bedsMin: 2 } });
    for (const property of condos) {
      expect(property.propertyType).toBe("condo");
      expect(property.beds).toBeGreaterThanOrEqual(2);
      expect(property.address.line1).toMatch(/ UNIT \d+$/);
    }
    const cheapByAssessment = await searchAll({
      filters: { valueBasis: "assessed", valueMax: 350_000 },
    });
    for (const property of cheapByAssessment) {
      expect(property.assessedValueCents).toBeLessThanOrEqual(35_000_000);
    }
    const occupied = await searchAll({ filters: { absentee: "occupied", equityPctMin: 60 } });
    for (const property of occupied) {
      expect(property.absentee).toBe(false);
      expect(property.equityPct).toBeGreaterThanOrEqual(60);
    }
    const recent = await searchAll({ filters: { lastSaleAfter: "2024-01-01" } });
    for (const property of recent) expect(property.lastSaleDate! >= "2024-01-01").toBe(true);
  });

  it("generates a realistic mix of owners and facts", async () => {
    const all = await searchAll({ location: { zips: ["78702"] } });
    const corporate = all.filter((property) => property.ownerIsCorporate);
    expect(corporate.some((property) => property.ownerName?.endsWith(" LLC"))).toBe(true);
    expect(corporate.some((property) => property.ownerName?.includes("TRUST"))).toBe(true);
    expect(corporate.length / all.length).toBeGreaterThan(0.05);
    expect(corporate.length / all.length).toBeLessThan(0.4);

    const absentee = all.filter((property) => property.absentee);
    expect(absentee.length / all.length).toBeGreaterThan(0.1);
    expect(absentee.length / all.length).toBeLessThan(0.5);
    for (const property of all) {
      const ownMailing = `${property.address.line1}, ${property.address.city}, ${property.address.state} ${property.address.zip}`;
      expect(property.mailingAddress === ownMailing).toBe(!property.absentee);
    }

    for (const property of all) {
      expect(Number.isInteger(property.estimatedValueCents)).toBe(true);
      expect(Number.isInteger(property.assessedValueCents)).toBe(true);
      if (property.lastSalePriceCents !== null)
        expect(Number.isInteger(property.lastSalePriceCents)).toBe(true);
      if (property.lastSaleDate !== null)
        expect(property.lastSaleDate <= SANDBOX_REFERENCE_DATE).toBe(true);
      if (property.equityPct !== null) expect(property.equityPct).toBeLessThanOrEqual(100);
      if (property.propertyType === "land") expect(property.beds).toBeNull();
      if (property.yearBuilt !== null && property.lastSaleDate !== null) {
        expect(Number(property.lastSaleDate.slice(0, 4))).toBeGreaterThanOrEqual(
          property.yearBuilt,
        );
      }
    }
    expect(new Set(all.map((property) => property.propertyType))).toEqual(
      new Set(["sfr", "condo", "multi_family", "apartment", "land", "other"]),
    );
    expect(all.some((property) => property.equityPct === 100)).toBe(true);
    expect(all.some((property) => property.equityPct !== null && property.equityPct < 30)).toBe(
      true,
    );
  });

  it("prices homes by region", async () => {
    const homeValues = async (zip: string) =>
      (await searchAll({ location: { zips: [zip] }, filters: { propertyType: "sfr" } })).map(
        (property) => property.estimatedValueCents ?? 0,
      );
    const sanFrancisco = median(await homeValues("94110"))!;
    const cleveland = median(await homeValues("44105"))!;
    expect(sanFrancisco).toBeGreaterThan(cleveland * 3);
    expect(cleveland).toBeGreaterThan(5_000_000);
    expect(sanFrancisco).toBeLessThan(500_000_000);
  });

  it("honours an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort(new Error("client went away"));
    await expect(provider.search(query(), { signal: controller.signal })).rejects.toThrow(
      "client went away",
    );
  });
});
