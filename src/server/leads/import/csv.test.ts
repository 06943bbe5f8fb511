import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { csvParseOptions, sniffDelimiter } from "@/lib/csv-dialect";
import { CsvFormatError, CsvRecordCounter, notCsvReason, readCsvHead, readCsvRecords } from "./csv";

const FILES: Record<string, string> = {
  simple: "Address,City,State,Zip,Owner\n1 Elm St,Austin,TX,78701,Ann Lee\n2 Elm St,Austin,TX,78701,Bo Park\n",
  bomSemicolons: '\uFEFF"Address";Zip;Owner\r\n1 Elm St;78701;"Lee; Ann"\r\n\r\n2 Elm St;78701;Bo\r\n',
  quotedNewlines: 'Address,Zip,Notes\n"1 Elm St",78701,"line one\nline two"\n,,\n"3 ""Big"" Oak Ave",78702,x\n  \n" ",,\n',
  ragged: "Address\tZip\tOwner\tExtra\n1 Elm St\t78701\n2 Elm St\t78701\tAnn\tz\tmore\n",
  strayQuotes: 'Address,Notes\n1 Elm St,12" pipe\n2 Elm St,say "hi" there\n3 Elm St,"quoted, ""twice"""\n4 Elm St,x',
  many: `Address,Zip\n${Array.from({ length: 30 }, (_, i) => `${i + 1} Elm St,78701`).join("\n")}\n`,
  blankHeaders: "Address,,Zip\n1 Elm St,x,78701\n",
  noTrailingNewline: "Address,Zip\n1 Elm St,78701",
};

const parsed = (text: string) => parse(text, csvParseOptions(sniffDelimiter(text))) as string[][];

/** The bytes in pieces of `size`, as a request body or stored chunks arrive. */
async function* pieces(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function records(text: string, size = 7) {
  const all: string[][] = [];
  for await (const record of readCsvRecords(pieces(text, size))) all.push(record);
  return all;
}

describe("readCsvRecords", () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`reads what csv-parse reads from the whole text, fed in small pieces (${name})`, async () => {
      expect(await records(text)).toEqual(parsed(text));
    });
  }

  it("decodes Windows-1252 uploads", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("Owner\n"), 0x43, 0x61, 0x66, 0xe9, 0x0a]);
    const all: string[][] = [];
    for await (const record of readCsvRecords((async function* () { yield bytes.subarray(0, 8); yield bytes.subarray(8); })(), "windows-1252")) all.push(record);
    expect(all).toEqual([["Owner"], ["Café"]]);
  });

  it("reports the data row where a malformed file stops", async () => {
    const text = `Address,Zip\n1 Elm St,78701\n2 Elm St,"${"x".repeat(1_100_000)}`;
    await expect(records(text, 64 * 1024)).rejects.toThrow(CsvFormatError);
  });

  it("stops reading the source once the caller has what it needs", async () => {
    let pulled = 0;
    async function* source() {
      yield new TextEncoder().encode("Address,Zip\n");
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield new TextEncoder().encode(`${"1 Elm St,78701\n".repeat(1000)}`); // 15 kB
      }
    }
    const head = await readCsvHead(source(), "utf-8", 5);
    expect(head.firstRows).toHaveLength(5);
    expect(pulled).toBeLessThan(10); // the first 64 kB (to sniff the delimiter), not the 15 MB
    expect(pulled).toBeGreaterThan(0);
  });
});

describe("CsvRecordCounter", () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`counts the records csv-parse reads (${name})`, () => {
      for (const size of [1, 3, 64 * 1024]) {
        const counter = new CsvRecordCounter();
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += size) counter.push(bytes.subarray(i, i + size));
        expect(counter.finish(), `${name} in pieces of ${size}`).toBe(parsed(text).length);
      }
    });
  }
});

describe("notCsvReason", () => {
  it("refuses workbooks, binary and empty files", () => {
    expect(notCsvReason(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14]))).toMatch(/Excel workbook/);
    expect(notCsvReason(new Uint8Array([0x41, 0x00, 0x42]))).toMatch(/does not look like a CSV/);
    expect(notCsvReason(new Uint8Array())).toBe("The file is empty.");
    expect(notCsvReason(new TextEncoder().encode("Address\n1 Elm St\n"))).toBeNull();
  });
});
