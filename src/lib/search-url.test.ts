import { describe, expect, it } from "vitest";
import { US_STATE_CODES } from "./address";
import { EMPTY_SEARCH, formStateFromParams, paramsFromFormState, queryFromFormState, searchFormErrorsFromServer, validateSearchForm } from "./search-url";

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

describe("search form validation, in words next to the field", () => {
  const check = (state: Partial<typeof EMPTY_SEARCH>) => validateSearchForm({ ...EMPTY_SEARCH, ...state }, US_STATE_CODES);

  it("names the ZIP codes that are not ZIP codes, and the limit", () => {
    expect(check({ zips: "78701, 7870" })).toEqual({ zips: "“7870” is not a 5-digit ZIP code" });
    expect(check({ zips: "abc 1234" })).toEqual({ zips: "“abc”, “1234” are not 5-digit ZIP codes" });
    expect(check({ zips: "" })).toEqual({ zips: "Enter at least one ZIP code" });
    expect(check({ zips: Array.from({ length: 11 }, (_, i) => String(78701 + i)).join(",") })).toEqual({ zips: "Search at most 10 ZIP codes at once (you entered 11)" });
    expect(check({ zips: "78701 78702-1234" })).toEqual({});
  });

  it("checks the city or county and the state", () => {
    expect(check({ mode: "city", city: "", state: "TX" })).toEqual({ city: "Enter a city" });
    expect(check({ mode: "county", county: "Travis", state: "Texas" })).toEqual({ state: "“Texas” is not a US state code (two letters, like TX)" });
    expect(check({ mode: "city", city: "Austin", state: "tx" })).toEqual({});
  });

  it("checks numbers and that a range's top is not below its bottom, on the field to fix", () => {
    expect(check({ zips: "78701", bedsMin: "three", yearBuiltMin: "1200", bathsMin: "1.5", equityPctMin: "140" })).toEqual({
      bedsMin: "Enter a whole number (like 3)",
      yearBuiltMin: "Enter a number from 1600 to 2100",
      equityPctMin: "Enter a number from 0 to 100",
    });
    expect(check({ zips: "78701", valueMin: "400000", valueMax: "300000" })).toEqual({ valueMax: "“To” must not be less than “From”" });
    expect(check({ zips: "78701", lastSaleAfter: "2020-01-01", lastSaleBefore: "2019-01-01" })).toEqual({ lastSaleBefore: "This date is before “Last sale after”" });
  });

  it("puts the server's refusal next to the form's fields, with no schema paths left over", () => {
    const { fields, rest } = searchFormErrorsFromServer(
      {
        "location.zips.0": ["Enter a 5-digit ZIP code"],
        "filters.bedsMax": ["“To” must not be less than “From”"],
        "location.state": ["Enter a two-letter US state code"],
        "filters.somethingNew": ["Not allowed"],
      },
      "zip",
    );
    expect(fields).toEqual({ zips: "Enter a 5-digit ZIP code", bedsMax: "“To” must not be less than “From”", state: "Enter a two-letter US state code" });
    expect(rest).toEqual(["Not allowed"]);
    expect(searchFormErrorsFromServer({ location: ["Invalid input"] }, "county").fields).toEqual({ county: "Invalid input" });
  });
});

describe("radius search in the form and the URL (issue 14 item 8)", () => {
  const radius = { ...EMPTY_SEARCH, mode: "radius" as const, latitude: "30.2672", longitude: "-97.7431", radius: "3" };

  it("round-trips through the URL and becomes a circle query", () => {
    const params = paramsFromFormState(radius);
    expect(params.get("mode")).toBe("radius");
    expect(formStateFromParams(params)).toEqual(radius);
    expect(queryFromFormState(radius)?.location).toEqual({ latitude: 30.2672, longitude: -97.7431, radiusMiles: 3 });
    expect(queryFromFormState({ ...radius, latitude: "" })).toBeNull();
  });

  it("says what is wrong with each field, in words", () => {
    expect(validateSearchForm(radius, US_STATE_CODES)).toEqual({});
    expect(validateSearchForm({ ...radius, latitude: "", longitude: "abc", radius: "25" }, US_STATE_CODES)).toEqual({
      latitude: "Enter the latitude, or click the map",
      longitude: "Enter the longitude as a decimal number (like -104.99)",
      radius: "Choose a radius from 1 to 20 miles",
    });
    expect(validateSearchForm({ ...radius, latitude: "91" }, US_STATE_CODES).latitude).toBe("The latitude must be between -90 and 90");
  });

  it("puts the server's refusal of a circle next to its field", () => {
    expect(searchFormErrorsFromServer({ "location.radiusMiles": ["Choose a radius from 1 to 20 miles"] }, "radius").fields).toEqual({ radius: "Choose a radius from 1 to 20 miles" });
    expect(searchFormErrorsFromServer({ "location.latitude": ["The latitude must be between -90 and 90"] }, "radius").fields).toEqual({ latitude: "The latitude must be between -90 and 90" });
  });
});
