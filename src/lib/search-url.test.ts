import { describe, expect, it } from "vitest";
import { EMPTY_SEARCH, formStateFromParams, paramsFromFormState, queryFromFormState } from "./search-url";

describe("search URL state", () => {
  it("round-trips through the URL, writing only what was set", () => {
    const state = { ...EMPTY_SEARCH, zips: "78701, 78702", bedsMin: "3", absentee: "absentee", page: "2" };
    const params = paramsFromFormState(state);
    expect(params.toString()).toBe("zips=78701%2C+78702&bedsMin=3&absentee=absentee&page=2");
    expect(formStateFromParams(params)).toEqual(state);
  });

  it("builds the procedure input with numbers and the chosen location kind", () => {
    expect(queryFromFormState({ ...EMPTY_SEARCH, zips: "78701 78702;78703", bedsMin: "3", bathsMin: "1.5", valueMax: "400000" })).toEqual({
      location: { zips: ["78701", "78702", "78703"] },
      filters: { propertyType: "any", valueBasis: "avm", absentee: "any", bedsMin: 3, valueMax: 400000, bathsMin: 1.5 },
      page: 1,
      pageSize: 25,
    });
    expect(queryFromFormState({ ...EMPTY_SEARCH, mode: "county", county: "Travis", state: "TX" })?.location).toEqual({ county: "Travis", state: "TX" });
    // The place chosen among same-named ones travels with the URL.
    const chosen = { ...EMPTY_SEARCH, mode: "city" as const, city: "Springfield", state: "IL", geoId: "0c5a8d2b9e7f4a1c" };
    expect(queryFromFormState(formStateFromParams(paramsFromFormState(chosen)))?.location).toEqual({ city: "Springfield", state: "IL", geoIdV4: "0c5a8d2b9e7f4a1c" });
  });

  it("has no query until a location is entered", () => {
    expect(queryFromFormState(EMPTY_SEARCH)).toBeNull();
    expect(queryFromFormState({ ...EMPTY_SEARCH, mode: "city", state: "TX" })).toBeNull();
  });

  it("ignores an unknown mode in a hand-edited URL", () => {
    expect(formStateFromParams(new URLSearchParams("mode=planet&zips=10001")).mode).toBe("zip");
  });
});
