import { describe, expect, it } from "vitest";
import { describeSearchFilters, describeSearchLocation, formStateFromQuery } from "./search-describe";
import { paramsFromFormState, queryFromFormState } from "./search-url";

describe("search in words", () => {
  it("names the location and the filters that narrow it", () => {
    const query = {
      location: { zips: ["78701", "78702"] },
      filters: { propertyType: "sfr", absentee: "absentee", bedsMin: 3, valueMin: 100000, valueMax: 350000, valueBasis: "avm", equityPctMin: 40, lastSaleBefore: "2015-01-01" },
      page: 1,
      pageSize: 25,
    };
    expect(describeSearchLocation(query)).toBe("ZIP 78701, 78702");
    expect(describeSearchFilters(query)).toEqual(["Single family", "Absentee owners", "Beds 3+", "Value $100k–$350k", "Equity ≥ 40%", "Sold before 2015-01-01"]);
    expect(describeSearchLocation({ location: { city: "SAINT LOUIS", state: "MO" } })).toBe("Saint Louis, MO");
    expect(describeSearchLocation({ location: { county: "TRAVIS", state: "TX" } })).toBe("Travis County, TX");
    expect(describeSearchFilters({ location: { zips: ["1"] }, filters: { propertyType: "any", absentee: "any", valueBasis: "avm" } })).toEqual([]);
  });

  it("turns a saved query back into the form's URL, which runs the same query", () => {
    const query = { location: { city: "AUSTIN", state: "TX", geoIdV4: "abc" }, filters: { propertyType: "condo", bedsMin: 2, bathsMax: 2.5, absentee: "any", valueBasis: "assessed" }, page: 3, pageSize: 50 };
    const state = formStateFromQuery(query);
    expect(paramsFromFormState(state).toString()).toBe("mode=city&city=Austin&state=TX&geoId=abc&propertyType=condo&bedsMin=2&bathsMax=2.5&valueBasis=assessed&pageSize=50");
    expect(queryFromFormState(state)).toEqual({
      location: { city: "Austin", state: "TX", geoIdV4: "abc" },
      filters: { propertyType: "condo", valueBasis: "assessed", absentee: "any", bedsMin: 2, bathsMax: 2.5 },
      page: 1,
      pageSize: 50,
    });
  });
});

describe("a radius search in words (issue 14 item 8)", () => {
  const query = { location: { latitude: 30.2672, longitude: -97.7431, radiusMiles: 3 }, filters: { propertyType: "any" } };

  it("names the circle and re-runs it from the form", () => {
    expect(describeSearchLocation(query)).toBe("3 mi around 30.2672, -97.7431");
    const state = formStateFromQuery(query);
    expect(state).toMatchObject({ mode: "radius", latitude: "30.2672", longitude: "-97.7431", radius: "3" });
    expect(queryFromFormState(state)?.location).toEqual(query.location);
    expect(paramsFromFormState(state).get("mode")).toBe("radius");
  });
});
