import { describe, expect, it } from "vitest";
import { areaCodeFromFileName, isRegistryStale, nationalNumberOf, registryAgeDays, RegistryLineReader } from "./dnc-registry";

const bytes = (text: string) => new TextEncoder().encode(text);

function read(areaCode: number, ...pieces: string[]) {
  const reader = new RegistryLineReader(areaCode);
  for (const piece of pieces) reader.push(bytes(piece));
  reader.finish();
  return { reader, numbers: reader.takeBatch() ?? [] };
}

describe("RegistryLineReader", () => {
  it("reads one 10-digit number per line, with CRLF, separators and a leading 1, and no newline at the end", () => {
    const { reader, numbers } = read(512, "5125550142\r\n512-555-0143\n(512) 555 0144\n15125550145\n+1 512,5550146\n\n5125550147");
    expect(numbers).toEqual([5125550142, 5125550143, 5125550144, 5125550145, 5125550146, 5125550147]);
    expect(reader).toMatchObject({ lines: 6, accepted: 6, rejected: 0, duplicates: 0 });
  });

  it("is not confused by lines split across the pieces of the stream", () => {
    const { numbers } = read(512, "51255", "50142\n5125550", "143\r", "\n512555014", "4");
    expect(numbers).toEqual([5125550142, 5125550143, 5125550144]);
  });

  it("rejects other area codes, short, long and non-numeric lines and 0/1 exchanges, with the editor's line numbers; repeats count once", () => {
    const { reader, numbers } = read(512, "5125550142\n\n7375550142\n512555014\n51255501420\nabc\n5121550142\n5125550142\n25125550142\n");
    expect(numbers).toEqual([5125550142]);
    expect(reader.duplicates).toBe(1);
    expect(reader.rejects).toEqual([
      { line: 3, value: "7375550142", reason: "Not in area code 512." },
      { line: 4, value: "512555014", reason: "Not a 10-digit phone number." },
      { line: 5, value: "51255501420", reason: "Not a 10-digit phone number." },
      { line: 6, value: "abc", reason: "Not a 10-digit phone number." },
      { line: 7, value: "5121550142", reason: "Not a valid phone number (its exchange starts with 0 or 1)." },
      { line: 9, value: "25125550142", reason: "Not a 10-digit phone number." },
    ]);
  });

  it("hands numbers over in batches once enough are waiting", () => {
    const reader = new RegistryLineReader(512);
    reader.push(bytes("5125550142\n5125550143\n"));
    expect(reader.takeBatch(3)).toBeNull();
    reader.push(bytes("5125550144\n"));
    expect(reader.takeBatch(3)).toEqual([5125550142, 5125550143, 5125550144]);
    expect(reader.takeBatch()).toBeNull();
  });
});

describe("registry freshness", () => {
  const extract = new Date("2026-10-01T00:00:00Z");
  it("counts whole UTC days and is stale only past 31 days", () => {
    expect(registryAgeDays(extract, new Date("2026-11-01T23:59:59Z"))).toBe(31);
    expect(isRegistryStale(extract, new Date("2026-11-01T23:59:59Z"))).toBe(false);
    expect(isRegistryStale(extract, new Date("2026-11-02T00:00:00Z"))).toBe(true);
  });
});

describe("numbers and names", () => {
  it("takes the area code from a file name", () => {
    expect(areaCodeFromFileName("512.txt")).toBe(512);
    expect(areaCodeFromFileName("DNC_737_2026-11-20.txt")).toBe(737);
    expect(areaCodeFromFileName("registry.txt")).toBeNull();
    expect(areaCodeFromFileName("411.txt")).toBeNull();
  });
  it("reads the national number of a NANP E.164 phone only", () => {
    expect(nationalNumberOf("+15125550142")).toBe(5125550142);
    expect(nationalNumberOf("+442071838750")).toBeNull();
  });
});
