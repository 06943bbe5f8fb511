import { describe, expect, it } from "vitest";
import { countSmsSegments, estimatedSmsCostCents } from "./sms-segments";

describe("countSmsSegments", () => {
  it.each([
    ["", 1],
    ["a".repeat(160), 1],
    ["a".repeat(161), 2],
    ["a".repeat(306), 2],
    ["a".repeat(307), 3],
    ["a".repeat(459), 3],
    ["a".repeat(460), 4],
  ])("GSM-7: %#: 160 in one segment, 153 per segment once split", (body, segments) => {
    expect(countSmsSegments(body)).toMatchObject({ encoding: "GSM-7", segments });
  });

  it("counts GSM accented letters (é, ñ, ü) as GSM-7", () => {
    expect(countSmsSegments("é".repeat(160))).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(countSmsSegments("Señor Müller")).toMatchObject({ encoding: "GSM-7", nonGsmCharacters: [] });
  });

  it("counts extension characters ([ ] { } € …) twice", () => {
    expect(countSmsSegments("[]".repeat(40))).toMatchObject({ encoding: "GSM-7", characters: 160, segments: 1 });
    expect(countSmsSegments("€".repeat(81))).toMatchObject({ encoding: "GSM-7", characters: 162, segments: 2 });
  });

  it.each([
    ["ł".repeat(70), 1],
    ["ł".repeat(71), 2],
    ["ł".repeat(134), 2],
    ["ł".repeat(135), 3],
  ])("UCS-2: %#: 70 in one segment, 67 per segment once split", (body, segments) => {
    expect(countSmsSegments(body)).toMatchObject({ encoding: "UCS-2", segments });
  });

  it("one emoji makes the whole body UCS-2 and is reported as the cause", () => {
    const body = `${"a".repeat(100)} 😀`;
    expect(countSmsSegments("a".repeat(102)).segments).toBe(1);
    expect(countSmsSegments(body)).toMatchObject({ encoding: "UCS-2", segments: 2, nonGsmCharacters: ["😀"] });
  });

  it("an emoji takes two UCS-2 code units: 35 fit one segment, 36 do not", () => {
    expect(countSmsSegments("😀".repeat(35)).segments).toBe(1);
    expect(countSmsSegments("😀".repeat(36)).segments).toBe(2);
  });

  it("curly quotes are not GSM-7 (no Smart Encoding is assumed)", () => {
    expect(countSmsSegments("“Hi”")).toMatchObject({ encoding: "UCS-2", nonGsmCharacters: ["“", "”"] });
  });
});

describe("estimatedSmsCostCents", () => {
  it("is segments × the price of a segment", () => {
    expect(estimatedSmsCostCents("a".repeat(161), 2)).toBe(4);
    expect(estimatedSmsCostCents("hello", 1)).toBe(1);
  });
});

describe("the basic GSM-7 fast path", () => {
  it("counts exactly what the package counts, for bodies of every length and character mix", async () => {
    const { SegmentedMessage } = await import("sms-segments-calculator");
    const alphabets = ["abcXYZ 019.,!?@£$_&'\"()", "abc[]{}~^|€\\ ", "abc é ü Ñ à", "abc 🏠 ł “quoted”"];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 600; round++) {
      const alphabet = alphabets[round % alphabets.length]!;
      const length = Math.floor(random() * 480);
      const body = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("") || "x";
      const message = new SegmentedMessage(body, "auto", false);
      expect(countSmsSegments(body), body).toEqual({
        segments: Math.max(1, message.segmentsCount),
        encoding: message.encodingName,
        characters: message.numberOfCharacters,
        nonGsmCharacters: message.getNonGsmCharacters(),
      });
    }
  }, 30_000);
});
