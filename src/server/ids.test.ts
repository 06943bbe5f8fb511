import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("makes cuid-shaped ids, distinct across many pool refills, ordered by creation time", () => {
    const ids = Array.from({ length: 5000 }, () => newId()); // ~10 refills of the 512-id random pool
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect(new Set(ids.map((id) => id.slice(13))).size).toBe(ids.length); // the random part alone never repeats
    expect(ids.map((id) => id.slice(1, 9))).toEqual([...ids.map((id) => id.slice(1, 9))].sort());
  });
});
