import { describe, expect, it } from "vitest";
import { detectMapping } from "./detect";
import { dollarsToCents, mapRecord, parseDate, toE164 } from "./rows";

const NOW = new Date("2026-11-22T12:00:00Z");
const HEADERS = [
  "Property Address", "City", "State", "Zip", "Owner Name", "Owner First Name", "Owner Last Name", "Mailing Address", "Mailing Zip",
  "Beds", "Baths", "Sqft", "Year Built", "Est Value", "Equity %", "Last Sale Date", "Last Sale Price", "Mobile", "Phone 2", "Email", "Tags",
];
const MAPPING = detectMapping(HEADERS);

function row(values: Partial<Record<(typeof HEADERS)[number], string>>) {
  return HEADERS.map((header) => values[header] ?? "");
}
const base = { "Property Address": "123 Main Street Apt 4", City: "Austin", State: "tx", Zip: "78701-1234" };

describe("mapRecord", () => {
  it("turns a full row into a normalized lead", () => {
    const result = mapRecord(
      row({
        ...base,
        "Owner Name": "Smith, John",
        "Mailing Address": "PO Box 12",
        "Mailing Zip": "78702",
        Beds: "3",
        Baths: "2.5",
        Sqft: "1,850",
        "Year Built": "1978",
        "Est Value": "$325,000.50",
        "Equity %": "62%",
        "Last Sale Date": "3/14/2004",
        "Last Sale Price": "150000",
        Mobile: "(512) 555-0123",
        "Phone 2": "512.867.5309; 512-555-0123",
        Email: "John@Example.com",
        Tags: "Probate; absentee",
      }),
      MAPPING,
      HEADERS,
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      warnings: [],
      droppedPhones: [],
      droppedEmails: [],
      lead: {
        addressLine1: "123 Main Street Apt 4",
        city: "Austin",
        state: "TX",
        zip: "78701",
        ownerName: "Smith, John",
        ownerIsCorporate: false,
        mailingAddress: "PO Box 12, 78702",
        absentee: true,
        propertyType: null,
        beds: 3,
        baths: 2.5,
        sizeSqft: 1850,
        yearBuilt: 1978,
        estimatedValueCents: 32_500_050,
        assessedValueCents: null,
        equityPct: 62,
        lastSaleDate: "2004-03-14",
        lastSalePriceCents: 15_000_000,
        phones: [
          { number: "+15125550123", type: "mobile" },
          { number: "+15128675309", type: "unknown" },
        ],
        emails: ["john@example.com"],
        tags: ["Probate", "absentee"],
        notes: [],
      },
    });
  });

  it("combines first and last name when there is no full name, and flags companies", () => {
    const person = mapRecord(row({ ...base, "Owner First Name": "Jane", "Owner Last Name": "Doe" }), MAPPING, HEADERS, NOW);
    expect(person.ok && person.lead.ownerName).toBe("Jane Doe");
    const company = mapRecord(row({ ...base, "Owner Name": "Acme Holdings, L.L.C." }), MAPPING, HEADERS, NOW);
    expect(company.ok && company.lead.ownerIsCorporate).toBe(true);
  });

  it("is not absentee when the mailing address is the property", () => {
    const result = mapRecord(row({ ...base, "Mailing Address": "123 MAIN ST #4", "Mailing Zip": "78701" }), MAPPING, HEADERS, NOW);
    expect(result.ok && result.lead.absentee).toBe(false);
  });

  it.each([
    [{ ...base, "Property Address": "" }, "Missing property address"],
    [{ ...base, "Property Address": "  --  " }, "Missing property address"],
    [{ ...base, State: "Texass" }, 'Invalid state "Texass"'],
    [{ ...base, Zip: "ABCDE" }, 'Invalid ZIP code "ABCDE"'],
    [{ "Property Address": "1 Elm St", City: "Austin" }, "Missing ZIP code (or city and state)"],
    [{ ...base, Beds: "three" }, 'Beds is not a number: "three"'],
    [{ ...base, "Year Built": "1200" }, /Year built is out of range/],
    [{ ...base, "Est Value": "about 300k" }, 'Estimated value is not an amount in dollars: "about 300k"'],
    [{ ...base, "Last Sale Date": "2004-02-30" }, 'Last sale date is not a date: "2004-02-30"'],
  ])("rejects %o", (values, reason) => {
    const result = mapRecord(row(values), MAPPING, HEADERS, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("reports every problem of a row, in the row's column order, not only the first", () => {
    const result = mapRecord(
      row({ "Property Address": "", State: "ZZ", Zip: "ABCDE", Beds: "three", "Year Built": "1200", "Est Value": "about 300k", "Last Sale Date": "2004-02-30" }),
      MAPPING,
      HEADERS,
      NOW,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      "Missing property address",
      'Invalid state "ZZ"',
      'Invalid ZIP code "ABCDE"',
      'Beds is not a number: "three"',
      "Year built is out of range (1600–2028): \"1200\"",
      'Estimated value is not an amount in dollars: "about 300k"',
      'Last sale date is not a date: "2004-02-30"',
    ]);
    expect(result.reason).toBe(result.problems.join("; "));
  });

  it("does not report a place as missing when its state or ZIP was unreadable", () => {
    const result = mapRecord(row({ "Property Address": "1 Elm St", City: "Austin", State: "Texass" }), MAPPING, HEADERS, NOW);
    expect(!result.ok && result.problems).toEqual(['Invalid state "Texass"']);
  });

  it("says in words that a row has too few columns, naming the mapped ones it lacks, instead of reading shifted values", () => {
    const headers = ["Address", "City", "State", "Zip", "Owner", "Beds"];
    const mapping = detectMapping(headers);
    const result = mapRecord(["9 Short St", "too few", "columns"], mapping, headers, NOW);
    expect(result).toEqual({
      ok: false,
      problems: [
        "This row has 3 columns but the header has 6, so it has no Zip, Owner, Beds. " +
          "A separator may be missing, or a value holding a comma or a line break may need quotes.",
      ],
      reason: expect.stringContaining("This row has 3 columns but the header has 6"),
    });
    expect(JSON.stringify(result)).not.toMatch(/Invalid state/);
    // Only unmapped trailing columns missing (an export that drops empty trailing cells): imported.
    const withExtra = [...headers, "Unused"];
    const short = mapRecord(["9 Short St", "Austin", "TX", "78701", "Ann Lee", "3"], detectMapping(withExtra), withExtra, NOW);
    expect(short.ok).toBe(true);
  });

  it("makes each Notes column's text a note on the lead", () => {
    const headers = ["Address", "Zip", "Notes", "Comments"];
    const mapping = detectMapping(headers);
    expect(mapping.notes).toEqual([2, 3]);
    const result = mapRecord(["1 Elm St", "78701", "  Spoke to owner \r\n  call   back in May ", "n/a"], mapping, headers, NOW);
    expect(result.ok && result.lead.notes).toEqual(["Spoke to owner\ncall back in May"]);
    const none = mapRecord(["1 Elm St", "78701", "", ""], mapping, headers, NOW);
    expect(none.ok && none.lead.notes).toEqual([]);
  });

  it("keeps the lead but drops unreadable phones and emails, with a warning each", () => {
    const result = mapRecord(row({ ...base, Mobile: "12345", "Phone 2": "+44 20 7946 0958, 512-555-0199", Email: "not-an-email" }), MAPPING, HEADERS, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lead.phones).toEqual([{ number: "+15125550199", type: "unknown" }]);
    expect(result.droppedPhones).toEqual(["12345", "+44 20 7946 0958"]);
    expect(result.droppedEmails).toEqual(["not-an-email"]);
    expect(result.warnings).toHaveLength(3);
  });

  it("treats spreadsheet placeholders as empty, not as bad values", () => {
    const result = mapRecord(row({ ...base, Beds: "N/A", Baths: "-", "Est Value": "null", Mobile: "none" }), MAPPING, HEADERS, NOW);
    expect(result).toMatchObject({ ok: true, warnings: [], lead: { beds: null, baths: null, estimatedValueCents: null, phones: [] } });
  });

  it("pads ZIPs that lost their leading zero and accepts a city + state without a ZIP", () => {
    const zip = mapRecord(row({ "Property Address": "1 Elm St", Zip: "2134" }), MAPPING, HEADERS, NOW);
    expect(zip.ok && zip.lead.zip).toBe("02134");
    const cityState = mapRecord(row({ "Property Address": "1 Elm St", City: "Boston", State: "Massachusetts" }), MAPPING, HEADERS, NOW);
    expect(cityState.ok && [cityState.lead.zip, cityState.lead.state]).toEqual(["", "MA"]);
  });
});

describe("value parsers", () => {
  it("converts dollars to cents with string arithmetic", () => {
    expect(dollarsToCents("$1,234.56")).toBe(123_456);
    expect(dollarsToCents("0.1")).toBe(10);
    expect(dollarsToCents("19.995")).toBe(2000);
    expect(dollarsToCents("250000")).toBe(25_000_000);
    expect(dollarsToCents("-5")).toBe("invalid");
    expect(dollarsToCents("1e6")).toBe("invalid");
  });

  it("reads the date formats lists use", () => {
    expect(parseDate("2015-03-04", NOW)).toBe("2015-03-04");
    expect(parseDate("2015/3/4", NOW)).toBe("2015-03-04");
    expect(parseDate("3/4/2015", NOW)).toBe("2015-03-04");
    expect(parseDate("03-04-15", NOW)).toBe("2015-03-04");
    expect(parseDate("03/04/98", NOW)).toBe("1998-03-04");
    expect(parseDate("20150304", NOW)).toBe("2015-03-04");
    expect(parseDate("2015-03-04T00:00:00Z", NOW)).toBe("2015-03-04");
    expect(parseDate("2031-01-01", NOW)).toBe("invalid");
    expect(parseDate("March 4", NOW)).toBe("invalid");
  });

  it("formats US numbers as E.164 and refuses the rest", () => {
    expect(toE164("(512) 555-0123")).toBe("+15125550123");
    expect(toE164("1-512-867-5309")).toBe("+15128675309");
    expect(toE164("867-5309")).toBeNull();
    expect(toE164("+44 20 7946 0958")).toBeNull();
  });
});
