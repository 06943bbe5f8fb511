import { describe, expect, it } from "vitest";
import { overviewCsv } from "@/server/leads/import/csv";
import { detectMapping } from "@/server/leads/import/detect";
import { decodeFile, mapSampleRows, parseFixedTags, readSampleRecords, sameMapping, sharedColumns } from "./import-sample";

const FILES: Record<string, string> = {
  simple: "Address,City,State,Zip,Owner\n1 Elm St,Austin,TX,78701,Ann Lee\n2 Elm St,Austin,TX,78701,Bo Park\n",
  bomSemicolons: "\uFEFFAddress;Zip;Owner\r\n1 Elm St;78701;\"Lee; Ann\"\r\n\r\n2 Elm St;78701;Bo\r\n",
  quotedNewlines: 'Address,Zip,Notes\n"1 Elm St",78701,"line one\nline two"\n,,\n"3 ""Big"" Oak Ave",78702,x\n',
  ragged: "Address\tZip\tOwner\tExtra\n1 Elm St\t78701\n2 Elm St\t78701\tAnn\tz\tmore\n",
  many: `Address,Zip\n${Array.from({ length: 30 }, (_, i) => `${i + 1} Elm St,78701`).join("\n")}\n`,
  blankHeaders: "Address,,Zip\n1 Elm St,x,78701\n",
};

describe("readSampleRecords", () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`reads the same first records as the server (${name})`, async () => {
      const server = await overviewCsv(new TextEncoder().encode(text), 5);
      expect(readSampleRecords(text)).toEqual(server.firstRows);
    });
  }

  it("does not need the rest of the file to be readable", () => {
    const text = `Address,Zip\n${Array.from({ length: 6 }, (_, i) => `${i} Elm St,78701`).join("\n")}\n"unterminated,1`;
    expect(readSampleRecords(text)).toHaveLength(5);
  });
});

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

describe("decodeFile", () => {
  it("reads UTF-8, and falls back to Windows-1252", () => {
    expect(decodeFile(new TextEncoder().encode("Café").buffer as ArrayBuffer)).toEqual({ text: "Café", encoding: "utf-8" });
    expect(decodeFile(new Uint8Array([0x43, 0x61, 0x66, 0xe9]).buffer)).toEqual({ text: "Café", encoding: "windows-1252" });
  });
});
