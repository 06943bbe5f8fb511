import { describe, expect, it } from "vitest";
import { propertySearchQuerySchema, type PropertyRecord, type PropertySearchQueryInput } from "../property-search";
import { skipTraceRequestSchema } from "../skip-trace";
import { createSandboxPropertySearch } from "./property-search";
import { createSandboxSkipTrace } from "./skip-trace";
import { usPlaces } from "./us-places";

// Issue 14 item 5: the sandbox's places are real. "Mesa, AZ" answered ZIPs that are not Mesa's, a
// Maricopa County search included 85099 (no such ZIP), a Phoenix owner got Tucson (520) phones.

const search = createSandboxPropertySearch();

async function everything(location: PropertySearchQueryInput["location"]): Promise<PropertyRecord[]> {
  const all: PropertyRecord[] = [];
  for (let page = 1; ; page++) {
    const { value } = await search.search(propertySearchQuerySchema.parse({ location, page, pageSize: 100 }));
    all.push(...value.properties);
    if (all.length >= value.total) return all;
  }
}

describe("the sandbox's real geography", () => {
  it("a city search answers only that city's real ZIPs, across several of them", async () => {
    const places = await usPlaces();
    const mesaZips = new Set(places.zipsOf("city", "MESA", "AZ").map((place) => place.zip));
    expect(mesaZips.has("85201")).toBe(true);
    const properties = await everything({ city: "Mesa", state: "AZ" });
    const zips = new Set(properties.map((property) => property.address.zip));
    expect([...zips].every((zip) => mesaZips.has(zip))).toBe(true);
    expect(zips.size).toBeGreaterThan(5);
    expect(new Set(properties.map((property) => property.address.city))).toEqual(new Set(["MESA"]));
  });

  it("a county search answers its real ZIPs, each property in its ZIP's own city", async () => {
    const places = await usPlaces();
    const maricopa = new Map(places.zipsOf("county", "MARICOPA", "AZ").map((place) => [place.zip, place.city]));
    expect(maricopa.has("85099")).toBe(false);
    const properties = await everything({ county: "Maricopa", state: "AZ" });
    for (const property of properties) expect(maricopa.get(property.address.zip), property.address.zip).toBe(property.address.city);
    expect(new Set(properties.map((property) => property.address.city)).size).toBeGreaterThan(3);
  });

  it("a ZIP search names the ZIP's own city and sits at its coordinates", async () => {
    const [property] = (await search.search(propertySearchQuerySchema.parse({ location: { zips: ["85004"] }, pageSize: 5 }))).value.properties;
    expect(property!.address).toMatchObject({ zip: "85004", city: "PHOENIX", state: "AZ" });
    expect(Math.abs(property!.latitude! - 33.45)).toBeLessThan(0.2);
    expect(Math.abs(property!.longitude! + 112.07)).toBeLessThan(0.2);
  });

  it("a Phoenix owner's phones carry Phoenix area codes, never Tucson's 520", async () => {
    const places = await usPlaces();
    const phoenixCodes = places.areaCodesOfCity("PHOENIX", "AZ");
    expect(phoenixCodes).toEqual(expect.arrayContaining(["602", "480", "623"]));
    expect(phoenixCodes).not.toContain("520");
    const tracer = createSandboxSkipTrace();
    const requests = Array.from({ length: 40 }, (_, index) =>
      skipTraceRequestSchema.parse({ requestId: `phx-${index}`, address: { street: `${1200 + index * 7} E Roosevelt St`, city: "Phoenix", state: "AZ", zip: "85006" } }),
    );
    const { value } = await tracer.trace(requests);
    const numbers = value.flatMap((result) => result.persons.flatMap((person) => person.phones.map((phone) => phone.number)));
    expect(numbers.length).toBeGreaterThan(20);
    for (const number of numbers) expect(phoenixCodes, number).toContain(number.slice(2, 5));
  });
});
