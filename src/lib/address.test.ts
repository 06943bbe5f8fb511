import { describe, expect, it } from "vitest";
import {
  isCorporateOwnerName,
  leadDedupKey,
  normalizeAddress,
  normalizeCity,
  normalizeOwnerName,
  normalizeStateCode,
  normalizeStreet,
  normalizeZip5,
} from "./address";

describe("normalizeStreet", () => {
  it("uppercases, strips punctuation and folds whitespace", () => {
    expect(normalizeStreet("  123   main    St.  ")).toBe("123 MAIN ST");
    expect(normalizeStreet("123 O'Connor Rd.")).toBe("123 OCONNOR RD");
    expect(normalizeStreet("")).toBe("");
    expect(normalizeStreet(" , . ")).toBe("");
  });

  it.each([
    ["123 Main Street", "123 MAIN ST"],
    ["123 Main Str", "123 MAIN ST"],
    ["123 Oak Avenue", "123 OAK AVE"],
    ["123 Oak Av", "123 OAK AVE"],
    ["123 Oak Aven", "123 OAK AVE"],
    ["123 Sunset Boulevard", "123 SUNSET BLVD"],
    ["123 Mill Road", "123 MILL RD"],
    ["123 Lake Drive", "123 LAKE DR"],
    ["123 Cherry Lane", "123 CHERRY LN"],
    ["123 Birch Court", "123 BIRCH CT"],
    ["123 Lumberjack Circle", "123 LUMBERJACK CIR"],
    ["123 Hill Place", "123 HILL PL"],
    ["123 Vista Terrace", "123 VISTA TER"],
    ["123 Garden State Parkway", "123 GARDEN STATE PKWY"],
    ["123 Old Highway", "123 OLD HWY"],
    ["123 Eagle Crossing", "123 EAGLE XING"],
    ["123 Pine Trail", "123 PINE TRL"],
    ["123 Fox Hollow", "123 FOX HOLW"],
    ["123 Quail Ridge", "123 QUAIL RDG"],
    ["123 Harbor Point", "123 HARBOR PT"],
    ["123 Elm Expressway", "123 ELM EXPY"],
    ["123 Sandy Cove", "123 SANDY CV"],
  ])("abbreviates the street suffix: %s", (input, expected) => {
    expect(normalizeStreet(input)).toBe(expected);
  });

  it("abbreviates suffix words only in suffix position", () => {
    expect(normalizeStreet("123 Court Street")).toBe("123 COURT ST");
    expect(normalizeStreet("123 Park Avenue")).toBe("123 PARK AVE");
    expect(normalizeStreet("42 Avenue of the Americas")).toBe("42 AVENUE OF THE AMERICAS");
  });

  it("abbreviates the word before a route number", () => {
    expect(normalizeStreet("4500 Highway 101")).toBe("4500 HWY 101");
    expect(normalizeStreet("4500 County Road 12 North")).toBe("4500 COUNTY RD 12 N");
    expect(normalizeStreet("77 Route 66")).toBe("77 RTE 66");
  });

  it("abbreviates pre- and post-directionals", () => {
    expect(normalizeStreet("123 North Main Street")).toBe("123 N MAIN ST");
    expect(normalizeStreet("123 N. Main St.")).toBe("123 N MAIN ST");
    expect(normalizeStreet("11482 Lumberjack Circle West")).toBe("11482 LUMBERJACK CIR W");
    expect(normalizeStreet("900 Southwest Oak Drive")).toBe("900 SW OAK DR");
    expect(normalizeStreet("900 S.W. Oak Dr")).toBe("900 SW OAK DR");
    expect(normalizeStreet("100 North East Main Street")).toBe("100 NE MAIN ST");
    expect(normalizeStreet("100 Main St South West")).toBe("100 MAIN ST SW");
  });

  it("keeps a directional word that is the street's name", () => {
    expect(normalizeStreet("123 North Street")).toBe("123 NORTH ST");
    expect(normalizeStreet("123 West Avenue")).toBe("123 WEST AVE");
    expect(normalizeStreet("500 North Park")).toBe("500 NORTH PARK");
    expect(normalizeStreet("123 East West Hwy")).toBe("123 E WEST HWY");
    expect(normalizeStreet("123 North Street")).not.toBe(normalizeStreet("123 N Street"));
  });

  it("makes every dwelling-unit spelling equal", () => {
    const spellings = [
      "123 Main St #4",
      "123 Main St # 4",
      "123 Main St Apt. 4",
      "123 Main St Apt 4",
      "123 Main St APT #4",
      "123 Main St Apt# 4",
      "123 Main St Apt4",
      "123 Main St Apartment 4",
      "123 Main St Unit 4",
      "123 Main St, Unit 04",
      "123 Main Street Suite 4",
      "123 MAIN ST STE 4",
    ];
    for (const spelling of spellings) expect(normalizeStreet(spelling)).toBe("123 MAIN ST UNIT 4");
  });

  it("keeps distinct units apart", () => {
    expect(normalizeStreet("123 Main St Apt 4")).not.toBe(normalizeStreet("123 Main St Apt 5"));
    expect(normalizeStreet("123 Main St Apt 4")).not.toBe(normalizeStreet("123 Main St"));
  });

  it("normalizes unit identifiers and other designators", () => {
    expect(normalizeStreet("123 Elm St Unit 4-B")).toBe("123 ELM ST UNIT 4B");
    expect(normalizeStreet("123 Elm St Apt B")).toBe("123 ELM ST UNIT B");
    expect(normalizeStreet("123 Elm St Building 2 Apartment 7")).toBe("123 ELM ST BLDG 2 UNIT 7");
    expect(normalizeStreet("55 Pine Rd Lot 12")).toBe("55 PINE RD LOT 12");
    expect(normalizeStreet("55 Pine Rd Space 12")).toBe("55 PINE RD SPC 12");
    expect(normalizeStreet("55 Pine Rd Floor 3")).toBe("55 PINE RD FL 3");
    expect(normalizeStreet("55 Pine Rd Rear")).toBe("55 PINE RD REAR");
    expect(normalizeStreet("55 Pine Rd N Apt 2")).toBe("55 PINE RD N UNIT 2");
  });

  it("does not mistake street-name words for unit designators", () => {
    expect(normalizeStreet("123 Old Pier Road")).toBe("123 OLD PIER RD");
    expect(normalizeStreet("123 Lot Road")).toBe("123 LOT RD");
    expect(normalizeStreet("123 Front Street")).toBe("123 FRONT ST");
  });

  it("converts ordinal words and keeps numeric ordinals", () => {
    expect(normalizeStreet("123 First Avenue")).toBe("123 1ST AVE");
    expect(normalizeStreet("123 1st Ave")).toBe("123 1ST AVE");
    expect(normalizeStreet("123 Twenty-First Street")).toBe("123 21ST ST");
    expect(normalizeStreet("123 W Forty Second St")).toBe("123 W 42ND ST");
    expect(normalizeStreet("123 Eleventh St")).toBe("123 11TH ST");
  });

  it("handles house-number forms", () => {
    expect(normalizeStreet("123-A Elm St")).toBe("123A ELM ST");
    expect(normalizeStreet("123A Elm St")).toBe("123A ELM ST");
    expect(normalizeStreet("71-15 Broadway")).toBe("71-15 BROADWAY");
    expect(normalizeStreet("123 1/2 Elm St")).toBe("123 1/2 ELM ST");
  });

  it("folds common name words", () => {
    expect(normalizeStreet("10 Saint Charles Ave")).toBe(normalizeStreet("10 St. Charles Avenue"));
    expect(normalizeStreet("10 Mount Vernon Pl")).toBe("10 MT VERNON PL");
  });

  it("normalizes PO boxes and rural routes", () => {
    expect(normalizeStreet("P.O. Box 55")).toBe("PO BOX 55");
    expect(normalizeStreet("Post Office Box 55")).toBe("PO BOX 55");
    expect(normalizeStreet("p o box 55")).toBe("PO BOX 55");
    expect(normalizeStreet("Rural Route 2 Box 19")).toBe("RR 2 BOX 19");
  });
});

describe("normalizeAddress", () => {
  it("normalizes every part and cuts ZIP+4 to ZIP5", () => {
    expect(
      normalizeAddress({
        street: "4529 Winona Court",
        city: "denver",
        state: "Colorado",
        zip: "80212-2512",
      }),
    ).toEqual({
      street: "4529 WINONA CT",
      city: "DENVER",
      state: "CO",
      zip5: "80212",
      key: "4529 WINONA CT|80212",
    });
  });

  it("gives the same key to spellings of the same place", () => {
    const a = normalizeAddress({
      street: "123 North Main Street, Apt. 4",
      city: "Austin",
      state: "TX",
      zip: "78701",
    });
    const b = normalizeAddress({
      street: "123 N MAIN ST #4",
      city: "AUSTIN",
      state: "tx",
      zip: "78701-1234",
    });
    expect(a.key).toBe(b.key);
  });

  it("keys on city and state when there is no ZIP", () => {
    const key = normalizeAddress({ street: "1 Main St", city: "St. Louis", state: "mo" }).key;
    expect(key).toBe("1 MAIN ST|SAINT LOUIS|MO");
    expect(
      normalizeAddress({ street: "1 Main St", city: "Saint Louis", state: "Missouri" }).key,
    ).toBe(key);
    expect(
      normalizeAddress({ street: "1 Main St", city: "Kansas City", state: "MO" }).key,
    ).not.toBe(key);
  });

  it("distinguishes ZIPs", () => {
    expect(normalizeAddress({ street: "1 Main St", zip: "78701" }).key).not.toBe(
      normalizeAddress({ street: "1 Main St", zip: "78702" }).key,
    );
  });
});

describe("normalizeZip5 / normalizeCity / normalizeStateCode", () => {
  it("restores leading zeros spreadsheets dropped", () => {
    expect(normalizeZip5("2134")).toBe("02134");
    expect(normalizeZip5("21341234")).toBe("02134");
    expect(normalizeZip5("02134-1234")).toBe("02134");
    expect(normalizeZip5("021341234")).toBe("02134");
    expect(normalizeZip5("n/a")).toBe("");
    expect(normalizeZip5("")).toBe("");
  });

  it("spells out city abbreviations", () => {
    expect(normalizeCity("Ft. Worth")).toBe("FORT WORTH");
    expect(normalizeCity("port st lucie")).toBe("PORT SAINT LUCIE");
    expect(normalizeCity("  winston-salem ")).toBe("WINSTON SALEM");
  });

  it("maps state names to USPS codes", () => {
    expect(normalizeStateCode("New York")).toBe("NY");
    expect(normalizeStateCode("district of columbia")).toBe("DC");
    expect(normalizeStateCode(" fl ")).toBe("FL");
    expect(normalizeStateCode("Atlantis")).toBe("ATLANTIS");
  });
});

describe("normalizeOwnerName", () => {
  it("matches assessor order with natural order", () => {
    const natural = normalizeOwnerName("John A Smith");
    expect(normalizeOwnerName("SMITH, JOHN A")).toBe(natural);
    expect(normalizeOwnerName("SMITH JOHN A")).toBe(natural);
    expect(normalizeOwnerName("john a. smith")).toBe(natural);
    expect(natural).toBe("JOHN SMITH");
  });

  it("drops middle initials, titles, generational suffixes and et al", () => {
    expect(normalizeOwnerName("SMITH, JOHN A JR")).toBe("JOHN SMITH");
    expect(normalizeOwnerName("Mr. John Smith III")).toBe("JOHN SMITH");
    expect(normalizeOwnerName("SMITH JOHN ET AL")).toBe("JOHN SMITH");
    expect(normalizeOwnerName("SMITH JOHN ETUX")).toBe("JOHN SMITH");
  });

  it("tells different people apart", () => {
    expect(normalizeOwnerName("John Smith")).not.toBe(normalizeOwnerName("Jane Smith"));
    expect(normalizeOwnerName("John Smith")).not.toBe(normalizeOwnerName("John Smyth"));
  });

  it("matches joint owners however they are joined", () => {
    const joint = normalizeOwnerName("John & Jane Smith");
    expect(normalizeOwnerName("John Smith and Jane Smith")).toBe(joint);
    expect(normalizeOwnerName("SMITH, JOHN + JANE")).toBe(joint);
  });

  it("normalizes business entity forms and keeps business word order", () => {
    const llc = "ACME HOLDINGS LLC";
    expect(normalizeOwnerName("Acme Holdings, L.L.C.")).toBe(llc);
    expect(normalizeOwnerName("ACME HOLDINGS L L C")).toBe(llc);
    expect(normalizeOwnerName("Acme Holdings Limited Liability Company")).toBe(llc);
    expect(normalizeOwnerName("The Acme Holdings LLC")).toBe(llc);
    expect(normalizeOwnerName("Blue Sky Incorporated")).toBe("BLUE SKY INC");
    expect(normalizeOwnerName("Blue Sky Corporation")).toBe("BLUE SKY CORP");
    expect(normalizeOwnerName("J B Hunt LLC")).toBe("J B HUNT LLC");
    expect(normalizeOwnerName("Acme Holdings LLC")).not.toBe(
      normalizeOwnerName("Acme Holdings Inc"),
    );
  });

  it("normalizes trusts named after people", () => {
    const trust = normalizeOwnerName("Michael S. Mattice Living Trust");
    expect(normalizeOwnerName("MATTICE, MICHAEL S LIVING TRUST ")).toBe(trust);
    expect(normalizeOwnerName("MATTICE MICHAEL LIV TR")).toBe(trust);
    expect(normalizeOwnerName("The Smith Family Trust dtd 01/02/2003")).toBe(
      normalizeOwnerName("SMITH FAMILY TRUST"),
    );
    expect(normalizeOwnerName("John Smith, Trustee")).toBe(normalizeOwnerName("SMITH JOHN TR"));
  });

  it("returns an empty key for an empty name", () => {
    expect(normalizeOwnerName("  ")).toBe("");
  });
});

describe("isCorporateOwnerName", () => {
  it.each([
    ["Acme Holdings L.L.C.", true],
    ["SMITH FAMILY TRUST", true],
    ["ESTATE OF JOHN SMITH", true],
    ["Federal National Mortgage Association", true],
    ["City of Austin", true],
    ["John A Smith", false],
    ["SMITH, JOHN & JANE", false],
    ["Costa, Maria", false],
  ])("%s → %s", (name, expected) => {
    expect(isCorporateOwnerName(name)).toBe(expected);
  });
});

describe("leadDedupKey", () => {
  it("is equal for the same property and owner written differently", () => {
    const a = leadDedupKey(
      { street: "123 North Main Street Apt 4", city: "Austin", state: "Texas", zip: "78701-0001" },
      "SMITH, JOHN A",
    );
    const b = leadDedupKey(
      { street: "123 n main st #4", city: "AUSTIN", state: "TX", zip: "78701" },
      "John Smith",
    );
    expect(a).toBe(b);
  });

  it("differs when the owner or the unit differs", () => {
    const address = { street: "123 Main St", city: "Austin", state: "TX", zip: "78701" };
    expect(leadDedupKey(address, "John Smith")).not.toBe(
      leadDedupKey(address, "Acme Holdings LLC"),
    );
    expect(leadDedupKey(address, "John Smith")).not.toBe(
      leadDedupKey({ ...address, street: "123 Main St Unit 2" }, "John Smith"),
    );
  });

  it("accepts a missing owner", () => {
    expect(leadDedupKey({ street: "1 Main St", zip: "78701" }, null)).toBe("1 MAIN ST|78701#");
  });
});
