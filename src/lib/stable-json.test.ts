import { describe, expect, it } from "vitest";
import { stableStringify } from "./stable-json";

describe("stableStringify", () => {
  it("ignores key order and undefined values, keeps array order", () => {
    expect(stableStringify({ b: 1, a: { d: [2, 1], c: undefined } })).toBe(stableStringify({ a: { d: [2, 1] }, b: 1 }));
    expect(stableStringify({ a: [1, 2] })).not.toBe(stableStringify({ a: [2, 1] }));
  });
});
