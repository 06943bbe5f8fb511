import { describe, expect, it } from "vitest";
import { chooseBestPhone, skipTraceBatchSchema, skipTraceRequestSchema } from "../skip-trace";
import mixed from "./fixtures/skip-trace-mixed.json";
import { batchDataErrorMessage, parseBatchDataResponse } from "./schema";
import {
  NO_RECORD_RETURNED,
  toBatchDataRequestBody,
  toE164,
  toPhoneType,
  toSkipTraceBatch,
} from "./transform";

const requests = [
  {
    requestId: "lead-1",
    address: { street: "1812 E 7th St", city: "Austin", state: "TX", zip: "78702" },
    ownerName: { first: "John", last: "Smith" },
    mailingAddress: { street: "PO Box 4471", city: "Austin", state: "TX", zip: "78765" },
  },
  {
    requestId: "lead-2",
    address: { street: "88 Nowhere Rd", city: "Austin", state: "TX", zip: "78702" },
    ownerName: null,
  },
  { requestId: "lead-3", address: { street: "4410 Bellaire Blvd", zip: "77025" } },
  { requestId: "lead-4", address: { street: "0 Unknown Way", city: "Austin", state: "TX" } },
].map((request) => skipTraceRequestSchema.parse(request));

describe("toBatchDataRequestBody", () => {
  it("sends every request with its requestId and asks for TCPA phones to be flagged, not dropped", () => {
    expect(toBatchDataRequestBody(requests.slice(0, 3))).toEqual({
      requests: [
        {
          requestId: "lead-1",
          propertyAddress: { street: "1812 E 7th St", city: "Austin", state: "TX", zip: "78702" },
          name: { first: "John", last: "Smith" },
          mailingAddress: { street: "PO Box 4471", city: "Austin", state: "TX", zip: "78765" },
        },
        {
          requestId: "lead-2",
          propertyAddress: { street: "88 Nowhere Rd", city: "Austin", state: "TX", zip: "78702" },
        },
        {
          requestId: "lead-3",
          propertyAddress: { street: "4410 Bellaire Blvd", zip: "77025" },
        },
      ],
      options: { includeTCPABlacklistedPhones: true },
    });
  });
});

describe("toSkipTraceBatch on a recorded-shape response", () => {
  const batch = toSkipTraceBatch(parseBatchDataResponse(mixed), requests);
  const [lead1, lead2, lead3, lead4] = batch.value;

  it("is a valid domain batch, in request order although BatchData answered out of order", () => {
    expect(skipTraceBatchSchema.parse(batch)).toEqual(batch);
    expect(batch.value.map((result) => result.requestId)).toEqual([
      "lead-1",
      "lead-2",
      "lead-3",
      "lead-4",
    ]);
    expect(batch.billing.units).toBe(2);
  });

  it("maps a matched person: E.164 numbers, line types, flags, cleaned emails", () => {
    expect({ ...lead1, raw: undefined }).toEqual({
      requestId: "lead-1",
      matched: true,
      confidence: null,
      error: null,
      raw: undefined,
      persons: [
        {
          name: { first: "John", last: "Smith", full: "John Q Smith" },
          phones: [
            {
              number: "+15125550142",
              type: "mobile",
              carrier: "T-Mobile USA, Inc.",
              dnc: false,
              tcpa: false,
              score: 90,
              reachable: true,
            },
            {
              number: "+15125550143",
              type: "mobile",
              carrier: "Verizon Wireless",
              dnc: true,
              tcpa: false,
              score: 98,
              reachable: true,
            },
            {
              number: "+15125550144",
              type: "mobile",
              carrier: "Cellco Partnership",
              dnc: false,
              tcpa: true,
              score: 99,
              reachable: true,
            },
            {
              number: "+15125550145",
              type: "landline",
              carrier: "AT&T Southwest",
              dnc: false,
              tcpa: false,
              score: 70,
              reachable: true,
            },
            {
              number: "+15125550146",
              type: "voip",
              carrier: "Bandwidth.com",
              dnc: false,
              tcpa: false,
              score: 40,
              reachable: null,
            },
          ],
          emails: ["john.smith@example.com", "j.smith@example.com"],
          litigator: true,
          deceased: false,
          bankruptcy: false,
        },
      ],
    });
  });

  it("keeps the vendor's record untouched as raw, for lineage", () => {
    expect(lead1?.raw).toEqual([mixed.results.persons[2]]);
    expect(lead3?.raw).toEqual([mixed.results.persons[0]]);
  });

  it("reads deceased and bankruptcy from BatchData's objects", () => {
    expect(lead3).toMatchObject({
      matched: true,
      persons: [
        {
          name: { first: "Rosa", last: "Hernandez", full: "Rosa M Hernandez" },
          emails: [],
          litigator: false,
          deceased: true,
          bankruptcy: true,
        },
      ],
    });
    expect(lead3?.persons[0]?.phones.map((phone) => [phone.number, phone.type])).toEqual([
      ["+17135550161", "mobile"],
      ["+17135550162", "landline"],
    ]);
  });

  it("maps meta.matched: false to an unbilled no-match and a vendor error to its message", () => {
    expect(lead2).toMatchObject({ matched: false, persons: [], error: null, confidence: null });
    expect(lead4).toMatchObject({
      matched: false,
      persons: [],
      error: "Address could not be verified",
    });
  });

  it("picks the best phone past the DNC and TCPA-flagged mobiles", () => {
    const choice = chooseBestPhone(lead1?.persons[0]?.phones ?? []);
    expect(choice.phone?.number).toBe("+15125550142");
  });
});

describe("matching persons to requests", () => {
  const person = (meta: Record<string, unknown>, street = "1812 E 7th St") => ({
    propertyAddress: { street, city: "Austin", state: "TX", zip: "78702" },
    name: { first: "A", last: "B" },
    phoneNumbers: [{ number: "5125550100", type: "Mobile" }],
    meta: { matched: true, error: false, ...meta },
  });
  const twoRequests = [
    { requestId: "x", address: { street: "1812 East 7th Street", zip: "78702" } },
    { requestId: "y", address: { street: "9 Other St", zip: "78702" } },
  ].map((request) => skipTraceRequestSchema.parse(request));
  const batchOf = (persons: unknown[]) =>
    toSkipTraceBatch(parseBatchDataResponse({ results: { persons } }), twoRequests);

  it("falls back to the echoed address when a person carries no requestId", () => {
    const batch = batchOf([person({})]);
    expect(batch.value.map((result) => result.matched)).toEqual([true, false]);
    expect(batch.value[1]?.error).toBe(NO_RECORD_RETURNED);
    expect(batch.billing.units).toBe(1);
  });

  it("never matches by position: an unknown requestId and address match nothing", () => {
    const batch = batchOf([person({ requestId: "zzz" }, "1 Elsewhere Ave")]);
    expect(batch.value.map((result) => result.matched)).toEqual([false, false]);
    expect(batch.billing.units).toBe(0);
  });

  it("counts a request with two matched persons once", () => {
    const batch = batchOf([person({ requestId: "y" }), person({ requestId: "y" })]);
    expect(batch.value[1]?.persons).toHaveLength(2);
    expect(batch.billing.units).toBe(1);
  });
});

describe("parseBatchDataResponse", () => {
  it("rejects a body that is not a skip-trace answer", () => {
    expect(() => parseBatchDataResponse({ status: { code: 200, text: "OK" } })).toThrow();
    expect(() => parseBatchDataResponse({ results: { persons: "none" } })).toThrow();
    expect(() => parseBatchDataResponse("<html>502</html>")).toThrow();
  });

  it("drops a malformed phone or email without losing the person", () => {
    const parsed = parseBatchDataResponse({
      results: {
        persons: [
          {
            phoneNumbers: ["5125550100", { number: "5125550101", type: "Mobile" }],
            emails: ["a@example.com", 42],
            meta: { matched: true, requestId: "x" },
          },
          "not a person",
        ],
      },
    });
    expect(parsed.persons).toHaveLength(1);
    expect(parsed.persons[0]?.person.phoneNumbers.map((phone) => phone.number)).toEqual([
      "5125550101",
    ]);
    expect(parsed.persons[0]?.person.emails).toEqual([{ email: "a@example.com" }]);
  });
});

describe("leaf conversions", () => {
  it.each([
    ["Mobile", "mobile"],
    ["Land Line", "landline"],
    ["LandLine", "landline"],
    ["VoIP", "voip"],
    ["Non-Fixed VoIP", "voip"],
    ["Unknown", "unknown"],
    [null, "unknown"],
  ] as const)("phone type %s → %s", (type, expected) => {
    expect(toPhoneType(type)).toBe(expected);
  });

  it.each([
    ["5125550142", "+15125550142"],
    ["15125550142", "+15125550142"],
    ["(512) 555-0142", "+15125550142"],
    ["+1 512-555-0142", "+15125550142"],
    ["555-0142", null],
    ["", null],
    [null, null],
  ])("number %s → %s", (number, expected) => {
    expect(toE164(number)).toBe(expected);
  });

  it("reads BatchData's error message from an error body", () => {
    expect(
      batchDataErrorMessage(
        JSON.stringify({
          status: { code: 400, text: "Bad Request", message: "requests is required" },
        }),
      ),
    ).toBe("requests is required");
    expect(batchDataErrorMessage(JSON.stringify({ message: "Invalid zip" }))).toBe("Invalid zip");
    expect(batchDataErrorMessage("<html>Bad Request</html>")).toBeNull();
  });
});
