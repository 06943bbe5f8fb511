import { describe, expect, it } from "vitest";
import { detectMapping, foldHeader, mappingProblem } from "./detect";

/** The mapping with header names instead of column indexes. */
function named(headers: string[]): Record<string, string | string[] | undefined> {
  const mapping = detectMapping(headers);
  const name = (index: number | null | undefined) => (index === null || index === undefined ? undefined : headers[index]);
  const singles: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(mapping)) if (!Array.isArray(value)) singles[key] = name(value);
  return {
    ...singles,
    phones: mapping.phones.map((i) => headers[i]!),
    emails: mapping.emails.map((i) => headers[i]!),
    tags: mapping.tags.map((i) => headers[i]!),
  };
}

describe("foldHeader", () => {
  it("folds case, punctuation, camelCase and glued digits", () => {
    expect(foldHeader("Owner1FirstName")).toBe("owner 1 first name");
    expect(foldHeader("ZIP_CODE")).toBe("zip code");
    expect(foldHeader("  Property   Address ")).toBe("property address");
    expect(foldHeader("Phone#2")).toBe("phone 2");
    expect(foldHeader("Equity (%)")).toBe("equity %");
    expect(foldHeader("E-mail")).toBe("e mail");
  });
});

describe("detectMapping", () => {
  it("maps a PropStream-style export", () => {
    const headers = [
      "Property Address", "Property City", "Property State", "Property Zip", "Owner 1 Full Name", "Owner 2 Full Name",
      "Mailing Address", "Mailing City", "Mailing State", "Mailing Zip", "Bedrooms", "Total Bathrooms", "Building Sqft",
      "Year Built", "Est. Value", "Est. Equity (%)", "Last Sale Recording Date", "Last Sale Amount", "Property Type",
    ];
    expect(named(headers)).toMatchObject({
      address: "Property Address",
      city: "Property City",
      state: "Property State",
      zip: "Property Zip",
      ownerName: "Owner 1 Full Name",
      mailingAddress: "Mailing Address",
      mailingCity: "Mailing City",
      mailingState: "Mailing State",
      mailingZip: "Mailing Zip",
      beds: "Bedrooms",
      baths: "Total Bathrooms",
      sqft: "Building Sqft",
      yearBuilt: "Year Built",
      estimatedValue: "Est. Value",
      equityPct: "Est. Equity (%)",
      lastSaleDate: "Last Sale Recording Date",
      lastSalePrice: "Last Sale Amount",
      propertyType: "Property Type",
      phones: [],
      emails: [],
    });
  });

  it("maps a skip-traced list with several phones and emails, case and spacing tolerant", () => {
    const headers = ["ADDRESS", "city", "ST", "ZipCode", "First Name", "Last Name", "Phone 1", "Phone 1 Type", "Phone2", "Mobile", "Email 1", "EMAIL2", "Tags"];
    const result = named(headers);
    expect(result).toMatchObject({
      address: "ADDRESS",
      city: "city",
      state: "ST",
      zip: "ZipCode",
      ownerFirstName: "First Name",
      ownerLastName: "Last Name",
      phones: ["Phone 1", "Phone2", "Mobile"],
      emails: ["Email 1", "EMAIL2"],
      tags: ["Tags"],
    });
    expect(result.ownerName).toBeUndefined();
  });

  it("keeps the property address apart from the mailing address and the owner apart from a second owner", () => {
    const result = named(["Owner 2 Name", "Mailing Street Address", "Situs Address", "Zip Code", "Owner Name", "Cell Phone", "Phone DNC"]);
    expect(result.address).toBe("Situs Address");
    expect(result.mailingAddress).toBe("Mailing Street Address");
    expect(result.ownerName).toBe("Owner Name");
    expect(result.phones).toEqual(["Cell Phone"]);
  });

  it("gives every column to at most one field and leaves unknown columns unmapped", () => {
    const mapping = detectMapping(["Address", "Zip", "Notes", "Favorite Color"]);
    const { fixedTags: _fixedTags, ...columns } = mapping;
    const used = Object.values(columns).flatMap((v): number[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]));
    expect(new Set(used).size).toBe(used.length);
    // "Notes" feeds the lead's notes; "Favorite Color" feeds nothing.
    expect(used.sort()).toEqual([0, 1, 2]);
    expect(mapping.notes).toEqual([2]);
  });
});

describe("mappingProblem", () => {
  it("needs an address and a ZIP or city + state", () => {
    expect(mappingProblem(detectMapping(["Zip"]), 1)).toMatch(/property address/);
    expect(mappingProblem(detectMapping(["Address", "City"]), 2)).toMatch(/ZIP/);
    expect(mappingProblem(detectMapping(["Address", "City", "State"]), 3)).toBeNull();
    expect(mappingProblem(detectMapping(["Address", "Zip"]), 2)).toBeNull();
  });

  it("refuses columns that are not in the file", () => {
    expect(mappingProblem({ address: 0, zip: 5, phones: [], emails: [], tags: [], notes: [], fixedTags: [] }, 2)).toMatch(/zip is not in the file/);
  });
});
