import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeInputProblem, findInputProblem, isoCalendarDate, MAX_INPUT_DEPTH, safeString, stringProblem, urlPathProblem } from "./text-schema";

describe("stringProblem", () => {
  it("refuses NUL and unpaired surrogates, and accepts everything else", () => {
    expect(stringProblem("a\u0000b")).toBe("nul");
    expect(stringProblem("\uD800")).toBe("lone-surrogate");
    expect(stringProblem("x\uDC00y")).toBe("lone-surrogate");
    expect(stringProblem("\uDC00\uD800")).toBe("lone-surrogate");
    expect(stringProblem("Ω 🏠 café \u0001 \t")).toBeNull();
    expect(stringProblem("")).toBeNull();
  });
});

describe("safeString", () => {
  const schema = z.object({ note: z.object({ body: safeString().trim().min(1, "Write something first.").max(20) }) });

  it("names the field and says what is wrong, with no other issue for the same value", () => {
    const nul = schema.safeParse({ note: { body: "hi\u0000" } });
    expect(nul.error?.issues).toEqual([
      expect.objectContaining({ path: ["note", "body"], message: "note.body must not contain NUL characters (U+0000)." }),
    ]);
    const surrogate = schema.safeParse({ note: { body: "a".repeat(30) + "\uD83D" } });
    expect(surrogate.error?.issues).toHaveLength(1);
    expect(surrogate.error?.issues[0]?.message).toMatch(/^note\.body must not contain malformed Unicode/);
  });

  it("still trims and checks lengths like z.string()", () => {
    expect(schema.parse({ note: { body: "  hello 👋  " } })).toEqual({ note: { body: "hello 👋" } });
    expect(schema.safeParse({ note: { body: "   " } }).error?.issues[0]?.message).toBe("Write something first.");
  });
});

describe("findInputProblem", () => {
  it("finds a bad string anywhere, in values and in keys, with its path", () => {
    expect(findInputProblem({ target: { ids: ["ok", "b\u0000d"] } })).toEqual({ path: ["target", "ids", 1], problem: "nul" });
    expect(findInputProblem({ filters: { "q\uD800": "x" } })).toEqual({ path: ["filters", "q\uD800"], problem: "lone-surrogate" });
    expect(findInputProblem(new Map([["k", new Set(["\u0000"])]]))).toEqual({ path: [0, 0], problem: "nul" });
    expect(findInputProblem({ a: [1, true, null, { b: "fine" }], when: new Date() })).toBeNull();
    expect(findInputProblem("\u0000")).toEqual({ path: [], problem: "nul" });
  });

  it("stops at MAX_INPUT_DEPTH without recursing, however deep the input", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInputProblem(deep)).toEqual({ path: Array(MAX_INPUT_DEPTH).fill(0), problem: "too-deep" });
    let shallowEnough: unknown = "x";
    for (let i = 0; i < MAX_INPUT_DEPTH; i++) shallowEnough = [shallowEnough];
    expect(findInputProblem(shallowEnough)).toBeNull();
  });

  it("visits shared and cyclic objects once", () => {
    const cyclic: Record<string, unknown> = { name: "ok" };
    cyclic.self = cyclic;
    expect(findInputProblem(cyclic)).toBeNull();
    let shared: unknown = { leaf: "ok" };
    for (let i = 0; i < 30; i++) shared = { left: shared, right: shared }; // 2^30 paths, 31 objects
    expect(findInputProblem(shared)).toBeNull();
  });

  it("describes the problem naming the field", () => {
    expect(describeInputProblem({ path: ["body"], problem: "nul" })).toBe("body must not contain NUL characters (U+0000).");
    expect(describeInputProblem({ path: [], problem: "lone-surrogate" })).toMatch(/^The input must not contain malformed Unicode/);
  });
});

describe("urlPathProblem", () => {
  it("refuses segments that are not UTF-8 once decoded, or decode to NUL", () => {
    expect(urlPathProblem("/api/imports/%CE%A9%ED%A0%80/rejects")).toBe("The URL path is not valid percent-encoded UTF-8.");
    expect(urlPathProblem("/api/imports/%FF/rejects")).toBe("The URL path is not valid percent-encoded UTF-8.");
    expect(urlPathProblem("/leads/%E0%A4%A")).toBe("The URL path is not valid percent-encoded UTF-8.");
    expect(urlPathProblem("/api/imports/a%00b/rejects")).toBe("The URL path must not contain NUL characters (U+0000).");
    expect(urlPathProblem("/api/imports/%CE%A9-ok/rejects")).toBeNull();
    expect(urlPathProblem("/")).toBeNull();
  });
});

describe("isoCalendarDate", () => {
  it("accepts real dates and refuses the year 0000 that Postgres cannot store", () => {
    expect(isoCalendarDate().safeParse("2024-02-29").success).toBe(true);
    expect(isoCalendarDate().safeParse("1999-12-31").success).toBe(true);
    expect(isoCalendarDate().safeParse("0000-01-01").success).toBe(false);
    expect(isoCalendarDate().safeParse("0999-01-01").success).toBe(false);
    expect(isoCalendarDate().safeParse("2023-02-29").success).toBe(false);
  });
});
