import { describe, expect, it } from "vitest";
import attomAvmDetail from "./fixtures/attomavm-detail.json";
import basicProfileSuccess from "./fixtures/basicprofile-success.json";
import detailOwnerSuccess from "./fixtures/detailowner-success.json";
import invalidParameter from "./fixtures/invalid-parameter.json";
import noResult from "./fixtures/no-result.json";
import { parseAttomEnvelope } from "./schema";
import {
  AttomStatusError,
  estimateEquityPct,
  isNoResult,
  isSuccess,
  toIsoDate,
  toPropertyRecords,
  toPropertySearchResult,
} from "./transform";

const requested = { page: 1, pageSize: 25 };

describe("parseAttomEnvelope", () => {
  it("parses every fixture and keeps status fields", () => {
    expect(parseAttomEnvelope(basicProfileSuccess).status).toMatchObject({
      code: 0,
      msg: "SuccessWithResult",
      total: 1843,
      page: 1,
      pagesize: 2,
      transactionid: "6b1f0c2e93d84a55a7c1e0f2d4b9a871",
    });
    expect(parseAttomEnvelope(noResult).property).toBeUndefined();
    expect(parseAttomEnvelope(invalidParameter).status.code).toBe(-5);
  });

  it("rejects a body that is not an ATTOM envelope", () => {
    expect(() => parseAttomEnvelope({ message: "Forbidden" })).toThrow();
    expect(() => parseAttomEnvelope("<html>502</html>")).toThrow();
  });

  it("accepts a status code sent as a string", () => {
    expect(
      parseAttomEnvelope({ status: { code: "400", msg: "SuccessWithoutResult" } }).status.code,
    ).toBe(400);
  });
});

describe("toPropertyRecords", () => {
  it("maps a basicprofile (camelCase, owner under assessment) response", () => {
    expect(toPropertyRecords(parseAttomEnvelope(basicProfileSuccess))).toEqual([
      {
        externalId: "184713192",
        address: { line1: "3356 W 38TH AVE", city: "DENVER", state: "CO", zip: "80211" },
        ownerName: "HIGHLANDS BUNGALOW HOLDINGS LLC",
        ownerIsCorporate: true,
        mailingAddress: "1550 WYNKOOP ST STE 200, DENVER, CO 80202-1026",
        absentee: true,
        propertyType: "sfr",
        beds: 3,
        baths: 2,
        sizeSqft: 1482,
        yearBuilt: 1924,
        // no AVM block: the assessor's market value stands in
        estimatedValueCents: 64_640_000,
        assessedValueCents: 4_622_000,
        // zero concurrent loans → (646,400 − 385,000) / 646,400
        equityPct: 40.4,
        lastSaleDate: "2016-08-12",
        lastSalePriceCents: 38_500_000,
        latitude: 39.769421,
        longitude: -105.031804,
        vacant: null,
      },
      {
        externalId: "184701555",
        address: { line1: "4417 TENNYSON ST", city: "DENVER", state: "CO", zip: "80212" },
        ownerName: "ROSA M GARCIA",
        ownerIsCorporate: false,
        mailingAddress: "4417 TENNYSON ST, DENVER, CO 80212-2319",
        absentee: false,
        propertyType: "multi_family",
        beds: 4,
        baths: 2,
        sizeSqft: 2048,
        yearBuilt: 1948,
        estimatedValueCents: 71_230_000,
        assessedValueCents: 5_093_000,
        // quit claim without a price: equity unknown
        equityPct: null,
        lastSaleDate: "2021-04-22",
        lastSalePriceCents: null,
        latitude: 39.777312,
        longitude: -105.043601,
        vacant: null,
      },
    ]);
  });

  it("maps a detailowner (lowercase, top-level owner, strings for numbers) response", () => {
    expect(toPropertyRecords(parseAttomEnvelope(detailOwnerSuccess))).toEqual([
      {
        externalId: "4310061",
        address: {
          line1: "11482 LUMBERJACK CIR W",
          city: "JACKSONVILLE",
          state: "FL",
          zip: "32223",
        },
        ownerName: "JEREMY A MARTIN",
        ownerIsCorporate: false,
        mailingAddress: "11482 LUMBERJACK CIR W, JACKSONVILLE, FL 32223-8712",
        absentee: false,
        propertyType: "sfr",
        beds: 3,
        baths: 2,
        sizeSqft: 1060,
        yearBuilt: 1987,
        estimatedValueCents: 24_195_000,
        assessedValueCents: 19_356_100,
        equityPct: 68.2,
        lastSaleDate: "2012-01-09",
        lastSalePriceCents: 7_690_000,
        latitude: 30.167016,
        longitude: -81.615881,
        vacant: null,
      },
      {
        externalId: "4298733",
        address: { line1: "7924 HOLLYRIDGE RD", city: "JACKSONVILLE", state: "FL", zip: "32256" },
        ownerName: "SUNBELT SFR OWNER 2 LLC",
        ownerIsCorporate: true,
        mailingAddress: "PO BOX 4090, SCOTTSDALE, AZ 85261-4090",
        absentee: true,
        propertyType: "sfr",
        beds: 4,
        baths: 2.5,
        sizeSqft: 1980,
        yearBuilt: 1995,
        estimatedValueCents: 28_990_000,
        assessedValueCents: 25_120_000,
        equityPct: 25.8,
        lastSaleDate: "2019-10-31",
        lastSalePriceCents: 21_500_000,
        latitude: 30.212845,
        longitude: -81.54127,
        vacant: null,
      },
      {
        // a sparse record: no building, no sale, zeros for unknown values, empty mailing address
        externalId: "4402217",
        address: {
          line1: "1560 LANCASTER TER APT 1204",
          city: "JACKSONVILLE",
          state: "FL",
          zip: "32204",
        },
        ownerName: "OKAFOR, ADAEZE N REVOCABLE TRUST",
        ownerIsCorporate: true,
        mailingAddress: null,
        absentee: null,
        propertyType: "condo",
        beds: null,
        baths: null,
        sizeSqft: null,
        yearBuilt: null,
        estimatedValueCents: null,
        assessedValueCents: null,
        equityPct: null,
        lastSaleDate: null,
        lastSalePriceCents: null,
        latitude: 30.31357,
        longitude: -81.679954,
        vacant: null,
      },
    ]);
  });

  it("prefers the AVM and the recorded loan when present", () => {
    const [record] = toPropertyRecords(parseAttomEnvelope(attomAvmDetail));
    expect(record).toMatchObject({
      externalId: "31877409",
      ownerName: "DANIEL R OYELARAN",
      absentee: true,
      estimatedValueCents: 51_248_000,
      assessedValueCents: 47_821_000,
      // (512,480 − 133,600 loan) / 512,480, not the sale-price proxy (67.4)
      equityPct: 73.9,
      lastSalePriceCents: 16_700_000,
    });
  });

  it("ignores unknown blocks and malformed blocks", () => {
    const envelope = parseAttomEnvelope({
      status: { code: 0, msg: "SuccessWithResult", total: 1 },
      property: [
        {
          identifier: { attomId: 77 },
          address: { line1: "1 MAIN ST", locality: "TULSA", countrySubd: "OK", postal1: "74103" },
          building: "not-an-object",
          summary: { propIndicator: 20, yearBuilt: "n/a" },
          someFutureBlock: { anything: [1, 2, 3] },
        },
      ],
    });
    expect(toPropertyRecords(envelope)).toEqual([
      expect.objectContaining({
        externalId: "77",
        beds: null,
        sizeSqft: null,
        yearBuilt: null,
        propertyType: "other",
        ownerName: null,
        ownerIsCorporate: false,
      }),
    ]);
  });

  it("drops properties without an id or a street line", () => {
    const envelope = parseAttomEnvelope({
      status: { code: 0 },
      property: [
        { address: { line1: "1 MAIN ST" } },
        { identifier: { attomId: 5 }, address: { oneLine: "SOMEWHERE" } },
        { identifier: { attomId: 6 }, address: { line1: "6 MAIN ST" } },
      ],
    });
    expect(toPropertyRecords(envelope).map((record) => record.externalId)).toEqual(["6"]);
  });

  it("reads the property type from descriptions when the indicator is missing", () => {
    const typeOf = (summary: Record<string, string>) =>
      toPropertyRecords(
        parseAttomEnvelope({
          status: { code: 0 },
          property: [{ identifier: { attomId: 1 }, address: { line1: "1 A ST" }, summary }],
        }),
      )[0]?.propertyType;
    expect(typeOf({ propType: "CONDOMINIUM" })).toBe("condo");
    expect(typeOf({ proptype: "TRIPLEX" })).toBe("multi_family");
    expect(typeOf({ propclass: "Apartment" })).toBe("apartment");
    expect(typeOf({ propertyType: "SINGLE FAMILY RESIDENCE" })).toBe("sfr");
    expect(typeOf({ propclass: "Vacant Land (NEC)" })).toBe("land");
    expect(typeOf({ proptype: "COMMERCIAL (NEC)" })).toBe("other");
  });

  it("falls back to full + half baths and to the owner name for the corporate flag", () => {
    const [record] = toPropertyRecords(
      parseAttomEnvelope({
        status: { code: 0 },
        property: [
          {
            identifier: { attomId: 9 },
            address: { line1: "9 B ST" },
            building: { rooms: { bathsFull: 2, bathsHalf: 1 } },
            owner: { owner1: { lastname: "PINE RIDGE RENTALS L.L.C." } },
          },
        ],
      }),
    );
    expect(record?.baths).toBe(2.5);
    expect(record?.ownerIsCorporate).toBe(true);
  });

  it("returns nothing for a no-result envelope", () => {
    expect(toPropertyRecords(parseAttomEnvelope(noResult))).toEqual([]);
  });
});

describe("status handling", () => {
  it("recognizes no result, success and errors", () => {
    expect(isNoResult(parseAttomEnvelope(noResult))).toBe(true);
    expect(isNoResult(parseAttomEnvelope(detailOwnerSuccess))).toBe(false);
    expect(isNoResult(parseAttomEnvelope(invalidParameter))).toBe(false);
    expect(isSuccess(parseAttomEnvelope(detailOwnerSuccess))).toBe(true);
    expect(isSuccess(parseAttomEnvelope(invalidParameter))).toBe(false);
  });

  it("turns a page into a search result with ATTOM's paging", () => {
    const result = toPropertySearchResult(parseAttomEnvelope(detailOwnerSuccess), requested);
    expect(result).toMatchObject({ total: 412, page: 3, pageSize: 3 });
    expect(result.properties).toHaveLength(3);
  });

  it("turns no result into an empty page", () => {
    expect(toPropertySearchResult(parseAttomEnvelope(noResult), { page: 2, pageSize: 50 })).toEqual(
      {
        properties: [],
        total: 0,
        page: 2,
        pageSize: 50,
      },
    );
  });

  it("throws AttomStatusError for an invalid parameter", () => {
    const attempt = () => toPropertySearchResult(parseAttomEnvelope(invalidParameter), requested);
    expect(attempt).toThrow(AttomStatusError);
    expect(attempt).toThrow("ATTOM status -5: Invalid Parameter: minBeds");
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: -5, transactionId: "c81d3e5f0a9b4d72b6e1f4a8d0c3e927" });
    }
  });
});

describe("estimateEquityPct", () => {
  it("uses the loan, then the sale price, and rounds to one decimal", () => {
    expect(estimateEquityPct(400_000, 300_000, 350_000)).toBe(25);
    expect(estimateEquityPct(400_000, 0, 350_000)).toBe(12.5);
    expect(estimateEquityPct(300_000, 0, 330_000)).toBe(-10);
    expect(estimateEquityPct(333_333, 0, 100_000)).toBe(70);
  });

  it("is null without a value or a real price", () => {
    expect(estimateEquityPct(null, 0, 100_000)).toBeNull();
    expect(estimateEquityPct(400_000, 0, null)).toBeNull();
    expect(estimateEquityPct(400_000, 0, 10)).toBeNull();
  });
});

describe("toIsoDate", () => {
  it.each([
    ["2012-01-09", "2012-01-09"],
    ["2012-01-09T00:00:00", "2012-01-09"],
    ["2012/01/09", "2012-01-09"],
    ["4/22/2021 00:00:00", "2021-04-22"],
    ["2021-02-30", null],
    ["soon", null],
    [null, null],
  ])("%s → %s", (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });
});
