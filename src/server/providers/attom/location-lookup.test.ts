import { describe, expect, it } from "vitest";
import springfieldPa from "./fixtures/location-lookup-springfield-pa.json";
import { isLocationNoResult, locationLookupName, parseAttomLocationLookup, toPlaceCandidates } from "./location-lookup";

describe("ATTOM location lookup transform", () => {
  it("keeps the places of the asked kind and state whose own name is the one asked for", () => {
    const answer = parseAttomLocationLookup(springfieldPa);
    expect(isLocationNoResult(answer)).toBe(false);
    expect(toPlaceCandidates(answer, { kind: "city", name: "SPRINGFIELD", state: "PA" })).toMatchInlineSnapshot(`
      [
        {
          "county": "DELAWARE COUNTY",
          "geoIdV4": "0c5a8d2b9e7f4a1c3b6d8e0f2a4c6e81",
          "kind": "city",
          "label": "Springfield, Delaware County, PA",
          "name": "SPRINGFIELD",
          "state": "PA",
        },
        {
          "county": "BUCKS COUNTY",
          "geoIdV4": "7d1e3f5a7c9b1d3f5e7a9c1b3d5f7a92",
          "kind": "city",
          "label": "Springfield, Bucks County, PA",
          "name": "SPRINGFIELD",
          "state": "PA",
        },
      ]
    `);
    expect(toPlaceCandidates(answer, { kind: "city", name: "WEST SPRINGFIELD", state: "PA" }).map((c) => c.label)).toEqual(["West Springfield, Erie County, PA"]);
    // A county lookup never takes places.
    expect(toPlaceCandidates(answer, { kind: "county", name: "SPRINGFIELD", state: "PA" })).toEqual([]);
  });

  it("reads ATTOM's documented example (postal cities, any key casing) and tolerates malformed entries", () => {
    const answer = parseAttomLocationLookup({
      STATUS: { version: "4", code: "0", msg: "SuccessWithResult", total: 3 },
      geographies: [
        { geoIdV4: "6fdb3ee746e7a63e426d5fe852bdad2d", geographyName: "East Boston, MA", geographyTypeAbbreviation: "PL", details: { name: "East Boston" } },
        { GEOIDV4: "a50c236f2013a3cb6118d0a1840151aa", GeographyName: "Boston, MA", geographyTypeAbbreviation: "PL" },
        "not an object",
        { geographyName: "Boston, MA" },
      ],
    });
    expect(toPlaceCandidates(answer, { kind: "city", name: "BOSTON", state: "MA" })).toEqual([
      { geoIdV4: "a50c236f2013a3cb6118d0a1840151aa", kind: "city", name: "BOSTON", state: "MA", county: null, label: "Boston, MA" },
    ]);
  });

  it("matches Saint and St., and County suffixes", () => {
    const answer = parseAttomLocationLookup({
      status: { code: 0, msg: "SuccessWithResult" },
      geographies: [
        { geoIdV4: "11112222333344445555666677778888", geographyName: "St. Louis County, MO", geographyTypeAbbreviation: "CO" },
        { geoIdV4: "99990000aaaabbbbccccddddeeeeffff", geographyName: "St. Louis city, MO", geographyTypeAbbreviation: "CO" },
      ],
    });
    expect(toPlaceCandidates(answer, { kind: "county", name: "SAINT LOUIS", state: "MO" }).map((c) => c.geoIdV4)).toEqual(["11112222333344445555666677778888"]);
  });

  it("says no result for ATTOM's SuccessWithoutResult and for an empty list", () => {
    expect(isLocationNoResult(parseAttomLocationLookup({ status: { code: 400, msg: "SuccessWithoutResult" } }))).toBe(true);
    expect(isLocationNoResult(parseAttomLocationLookup({ status: { code: 0, msg: "SuccessWithResult" }, geographies: [] }))).toBe(true);
    expect(() => parseAttomLocationLookup({ geographies: [] })).toThrow();
  });

  it("names the place as the lookup expects", () => {
    expect(locationLookupName({ kind: "city", name: "FORT WORTH", state: "TX" })).toBe("Fort Worth, TX");
    expect(locationLookupName({ kind: "county", name: "MIAMI-DADE", state: "FL" })).toBe("Miami-Dade County, FL");
  });
});
