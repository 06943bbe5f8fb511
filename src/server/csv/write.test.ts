import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { csvStream, neutralizeFormula } from "./write";

async function text(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

function pages(...list: (string | number | boolean | null)[][][]) {
  const queue = [...list];
  let calls = 0;
  return { nextPage: async () => (calls++, queue.shift() ?? null), calls: () => calls };
}

describe("neutralizeFormula", () => {
  it("prefixes text a spreadsheet would run, and nothing else", () => {
    for (const formula of ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) expect(neutralizeFormula(formula)).toBe(`'${formula}`);
    for (const plain of ["Austin", "a=b", " =1", "", "'quoted"]) expect(neutralizeFormula(plain)).toBe(plain);
  });
});

describe("csvStream", () => {
  it("neutralises every text cell, the header included, except trusted columns", async () => {
    const source = pages([["c1", "=cmd|' /C calc'!A0", "+15125550123", -5, true, null]]);
    const csv = await text(csvStream({ header: ["id", "=name", "phone", "n", "flag", "empty"], nextPage: source.nextPage, trustedColumns: new Set(["id", "phone"]) }));
    expect(parse(csv)).toEqual([
      ["id", "'=name", "phone", "n", "flag", "empty"],
      ["c1", "'=cmd|' /C calc'!A0", "+15125550123", "-5", "true", ""],
    ]);
  });

  it("asks for a page only when the previous one was read, and ends on an empty page", async () => {
    const source = pages([["a"]], [["b"], ["c"]], []);
    const reader = csvStream({ header: ["x"], nextPage: source.nextPage }).getReader();
    await reader.read(); // header
    expect(source.calls()).toBe(0);
    await reader.read();
    expect(source.calls()).toBeLessThanOrEqual(2);
    const rest: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest.push(new TextDecoder().decode(value));
    }
    expect(rest.join("")).toBe("b\nc\n");
  });
});
