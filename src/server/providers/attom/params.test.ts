import { describe, expect, it } from "vitest";
import { propertySearchQuerySchema, type PropertySearchQueryInput } from "../property-search";
import {
  AttomUnsupportedQueryError,
  needsLocalFiltering,
  splitQueryByZip,
  toAttomParams,
} from "./params";

const query = (input: Partial<PropertySearchQueryInput> = {}) =>
  propertySearchQuerySchema.parse({ location: { zips: ["78702"] }, ...input });

describe("toAttomParams", () => {
  it("sends only location and paging when no filter is set", () => {
    expect(toAttomParams(query())).toEqual({ postalCode: "78702", page: "1", pageSize: "25" });
  });

  it("maps every filter to ATTOM's parameter names", () => {
    const params = toAttomParams(
      query({
        filters: {
          propertyType: "condo",
          bedsMin: 2,
          bedsMax: 4,
          bathsMin: 1.5,
          bathsMax: 3,
          yearBuiltMin: 1950,
          yearBuiltMax: 2005,
          sizeMin: 900,
          sizeMax: 2400,
          valueMin: 150_000,
          valueMax: 450_000,
          absentee: "absentee",
          lastSaleAfter: "2010-01-01",
          lastSaleBefore: "2019-06-30",
        },
        page: 3,
        pageSize: 50,
      }),
    );
    expect(params).toEqual({
      postalCode: "78702",
      propertyIndicator: "11",
      minBeds: "2",
      maxBeds: "4",
      minBathsTotal: "1.5",
      maxBathsTotal: "3",
      minYearBuilt: "1950",
      maxYearBuilt: "2005",
      minUniversalSize: "900",
      maxUniversalSize: "2400",
      minAVMValue: "150000",
      maxAVMValue: "450000",
      absenteeowner: "absentee",
      startSaleSearchDate: "2010/01/01",
      endSaleSearchDate: "2019/06/30",
      page: "3",
      pageSize: "50",
    });
  });

  it.each([
    ["sfr", "10"],
    ["condo", "11"],
    ["multi_family", "21"],
    ["apartment", "22"],
    ["land", "80"],
  ] as const)("maps property type %s to propertyIndicator %s", (propertyType, indicator) => {
    expect(toAttomParams(query({ filters: { propertyType } })).propertyIndicator).toBe(indicator);
  });

  it("filters on assessed value when that is the basis", () => {
    const params = toAttomParams(
      query({ filters: { valueBasis: "assessed", valueMin: 100_000, valueMax: 200_000 } }),
    );
    expect(params).toMatchObject({ minAssdTtlValue: "100000", maxAssdTtlValue: "200000" });
    expect(params).not.toHaveProperty("minAVMValue");
  });

  it("sends owner-occupied and omits 'any'", () => {
    expect(toAttomParams(query({ filters: { absentee: "occupied" } })).absenteeowner).toBe(
      "occupied",
    );
    expect(toAttomParams(query({ filters: { absentee: "any" } }))).not.toHaveProperty(
      "absenteeowner",
    );
  });

  it("leaves equity to local filtering", () => {
    const withEquity = query({ filters: { equityPctMin: 40 } });
    expect(Object.keys(toAttomParams(withEquity)).some((key) => /equity/i.test(key))).toBe(false);
    expect(needsLocalFiltering(withEquity)).toBe(true);
    expect(needsLocalFiltering(query())).toBe(false);
  });

  it("refuses several ZIPs in one request", () => {
    expect(() => toAttomParams(query({ location: { zips: ["78701", "78702"] } }))).toThrow(
      AttomUnsupportedQueryError,
    );
  });

  it("refuses a city or county without a resolved geoIdV4", () => {
    expect(() => toAttomParams(query({ location: { city: "Austin", state: "TX" } }))).toThrow(
      /city AUSTIN, TX only by its geoIdV4/,
    );
    expect(() =>
      toAttomParams(query({ location: { county: "Travis County", state: "TX" } })),
    ).toThrow(/county TRAVIS, TX/);
  });

  it("sends a circle as latitude, longitude and radius in miles, the point rounded to 5 decimals", () => {
    expect(toAttomParams(query({ location: { latitude: 39.7392358, longitude: -104.990251, radiusMiles: 2.54 }, filters: { bedsMin: 3 } }))).toEqual({
      latitude: "39.73924",
      longitude: "-104.99025",
      radius: "2.5",
      minBeds: "3",
      page: "1",
      pageSize: "25",
    });
  });

  it("refuses a circle outside ATTOM's 1–20 miles, or off the globe, in words", () => {
    const issues = (location: unknown) => propertySearchQuerySchema.safeParse({ location }).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(issues({ latitude: 30, longitude: -97, radiusMiles: 21 })).toEqual(["location.radiusMiles: Choose a radius from 1 to 20 miles"]);
    expect(issues({ latitude: -91, longitude: -97, radiusMiles: 5 })).toEqual(["location.latitude: The latitude must be between -90 and 90"]);
    expect(issues({ latitude: 30, longitude: 181, radiusMiles: 5 })).toEqual(["location.longitude: The longitude must be between -180 and 180"]);
  });

  it("uses resolved geoIdV4s instead of the ZIP or place", () => {
    const params = toAttomParams(query({ location: { city: "Austin", state: "TX" } }), {
      geoIdV4: ["a1b2", "c3d4"],
    });
    expect(params).toEqual({ geoIdV4: "a1b2|c3d4", page: "1", pageSize: "25" });
  });
});

describe("splitQueryByZip", () => {
  it("makes one query per ZIP with the same filters and page", () => {
    const multi = query({
      location: { zips: ["78702", "78701"] },
      filters: { bedsMin: 3 },
      page: 2,
    });
    const parts = splitQueryByZip(multi);
    expect(parts.map((part) => toAttomParams(part))).toEqual([
      { postalCode: "78701", minBeds: "3", page: "2", pageSize: "25" },
      { postalCode: "78702", minBeds: "3", page: "2", pageSize: "25" },
    ]);
  });

  it("returns a non-ZIP query unchanged", () => {
    const city = query({ location: { city: "Austin", state: "TX" } });
    expect(splitQueryByZip(city)).toEqual([city]);
  });
});
