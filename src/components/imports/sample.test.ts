import { describe, expect, it } from "vitest";
import { detectMapping } from "@/lib/csv-import/detect";
import { mapSampleRows, parseFixedTags, sameMapping, sharedColumns } from "./sample";

describe("mapSampleRows", () => {
  it("maps rows as the server's preview does and follows an edited mapping", () => {
    const headers = ["Address", "Zip", "Owner", "Cell"];
    const records = [
      ["1 Elm St", "78701", "Ann Lee", "(512) 555-0123"],
      ["", "78701", "Bo Park", ""],
      ["3 Elm St", "78701", "Cy", "12"],
    ];
    const detected = detectMapping(headers);
    const rows = mapSampleRows(records, detected, headers);
    expect(rows.map((row) => [row.rowNumber, row.rejection, row.warnings.length])).toEqual([
      [1, null, 0],
      [2, "Missing property address", 0],
      [3, null, 1],
    ]);
    expect(rows[0]!.lead).toMatchObject({ addressLine1: "1 Elm St", ownerName: "Ann Lee", phones: [{ number: "+15125550123", type: "mobile" }] });

    const edited = { ...detected, ownerName: null, phones: [] };
    expect(sameMapping(detected, edited)).toBe(false);
    expect(sameMapping(detected, { ...detected, fixedTags: ["x"] })).toBe(true);
    expect(mapSampleRows(records, edited, headers)[0]!.lead).toMatchObject({ ownerName: null, phones: [] });
  });
});

describe("parseFixedTags", () => {
  it("splits on commas and semicolons and drops repeats and blanks", () => {
    expect(parseFixedTags(" Probate, absentee;; Probate ,  2024   list ")).toEqual({ tags: ["Probate", "absentee", "2024 list"], error: null });
    expect(parseFixedTags("")).toEqual({ tags: [], error: null });
  });
  it("refuses more than 10 tags or one longer than 50 characters", () => {
    expect(parseFixedTags(Array.from({ length: 11 }, (_, i) => `t${i}`).join(",")).error).toBe("At most 10 tags.");
    expect(parseFixedTags("x".repeat(51)).error).toMatch(/longer than 50/);
  });
});

describe("sharedColumns", () => {
  it("names the columns that feed two fields", () => {
    const mapping = { ...detectMapping(["Address", "Zip", "Owner"]), mailingAddress: 0, tags: [2] };
    expect(sharedColumns(mapping, ["Address", "Zip", "Owner"])).toEqual([
      { header: "Address", fields: ["Property address", "Mailing address"] },
      { header: "Owner", fields: ["Owner name", "Tags"] },
    ]);
  });
});
