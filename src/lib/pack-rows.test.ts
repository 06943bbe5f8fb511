import { describe, expect, it } from "vitest";
import { packRows, unpackRows } from "./pack-rows";

const row = (i: number) => ({ id: `lead${i}`, addressLine1: `${i} Main St`, status: "new", score: i, tags: [], assignee: i % 2 ? null : { id: "u1", name: "Ann" }, createdAt: "2026-01-01T00:00:00.000Z" });

describe("packRows", () => {
  it("gives back exactly what it packed, keys in their order", () => {
    const values: unknown[] = [
      { pages: [{ items: Array.from({ length: 50 }, (_, i) => row(i)), nextCursor: "c50" }], pageParams: [null] },
      [row(1)],
      [],
      [{}, {}],
      [{ a: 1 }, { b: 1 }],
      [{ a: 1, b: 2 }, { b: 2, a: 1 }],
      [{ a: 1 }, null],
      [[{ a: 1 }, { a: 2 }], [{ a: 3 }, { a: 4 }]],
      ["\u0001rows", ["a"], [1]],
      ["\u0001array", 1, 2],
      [["\u0001rows"]],
      [{ a: ["\u0001rows", "x"] }, { a: ["\u0001array"] }],
      "\u0001rows",
      { "\u0001rows": 1 },
      [1, "two", true, null, { nested: [{ x: 1 }, { x: 2 }] }],
      null,
      0,
      "",
    ];
    for (const value of values) {
      const packed = packRows(value);
      const back = unpackRows(JSON.parse(JSON.stringify(packed)));
      expect(back).toStrictEqual(value);
      if (typeof value === "object" && value !== null) expect(JSON.stringify(Object.keys(back as object))).toBe(JSON.stringify(Object.keys(value)));
    }
    const rows = unpackRows(packRows([{ b: 1, a: 2 }, { b: 3, a: 4 }])) as object[];
    expect(rows.map((r) => Object.keys(r))).toStrictEqual([["b", "a"], ["b", "a"]]);
  });

  it("writes a page of rows' keys once", () => {
    const page = { items: Array.from({ length: 50 }, (_, i) => row(i)) };
    const plain = JSON.stringify(page).length;
    const packed = JSON.stringify(packRows(page));
    expect(packed.length).toBeLessThan(plain * 0.7);
    expect(packed.split('"addressLine1"').length - 1).toBe(1);
  });

  it("does not change what it is given", () => {
    const value = [row(1), row(2)];
    const copy = structuredClone(value);
    packRows(value);
    expect(value).toStrictEqual(copy);
  });
});
