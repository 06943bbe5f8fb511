import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { serializeFast } from "./superjson-fast";

/** What the client reads: the wire text parsed and deserialized by superjson. */
const roundTrip = (value: unknown, serialize: (v: unknown) => unknown) => superjson.deserialize(JSON.parse(JSON.stringify(serialize(value))) as never);

const shared = { a: 1 };
const cyclic: Record<string, unknown> = { name: "loop" };
cyclic.self = cyclic;
class Point {
  constructor(public x = 1) {}
}

const samples: [string, unknown][] = [
  ["a scored search answer", { provider: "sandbox", rows: [{ externalId: "x1", address: { line1: "1 Main St", zip: "78701" }, beds: 3, baths: 2.5, equityPct: -12.5, ownerName: null, scoreFactors: [{ factor: "base", points: 10, detail: "…" }], alreadyLead: false }], budget: { spentCents: 0 } }],
  ["strings, booleans, null, numbers", ["", "ünïcödé \u2028 \ud800", true, false, null, 0, 1.5, -3, Number.MAX_SAFE_INTEGER]],
  ["an empty object and array", { a: {}, b: [] }],
  ["an object without a prototype", Object.assign(Object.create(null) as object, { a: 1 })],
  ["a Date", { createdAt: new Date("2026-01-02T03:04:05Z") }],
  ["an invalid Date", { at: new Date(NaN) }],
  ["undefined in an object", { a: undefined, b: 1 }],
  ["undefined in an array", [1, undefined, 3]],
  ["an array hole", [1, , 3]],
  ["NaN", { n: NaN }],
  ["Infinity", { n: -Infinity }],
  ["-0", { n: -0 }],
  ["a bigint", { n: 12n }],
  ["a Map and a Set", { m: new Map([["a", 1]]), s: new Set([1]) }],
  ["a RegExp", { r: /x/g }],
  ["a URL", { u: new URL("https://example.com/a") }],
  ["an Error", { e: new Error("boom") }],
  ["a class instance", { p: new Point(2) }],
  ["one object at two paths", { a: shared, b: shared }],
  ["an array subclass", { list: Object.assign(new (class extends Array {})(), { 0: 1 }) }],
  ["a nested Date deep in rows", { rows: [{ a: 1 }, { a: 2, at: [new Date(0)] }] }],
  ["leads.list's shape (Dates, nulls, an undefined optional)", {
    pages: [{ items: Array.from({ length: 3 }, (_, i) => ({ id: `l${i}`, skipTracedAt: i === 1 ? new Date(1_700_000_000_000) : null, lastContactAt: i === 2 ? undefined : null, tags: [{ id: "t", name: "x" }], createdAt: new Date(1_600_000_000_000 + i), updatedAt: new Date(1_650_000_000_000 + i), nextTask: { dueAt: new Date(0), note: "call" } })), nextCursor: null }],
    pageParams: [null],
  }],
  ["undefined in an array below the root", { list: [1, undefined] }],
  ["keys with dots and backslashes beside Dates", { "a.b": new Date(1), "c\\d": { "e.f": [new Date(2)] } }],
  ["integer-like keys beside Dates", { 10: new Date(1), 2: new Date(2), b: { 1: new Date(3) } }],
  ["a Date beside a bigint (superjson's own)", { at: new Date(0), n: 1n }],
  ["an object without a prototype holding a Date", Object.assign(Object.create(null) as object, { at: new Date(5) })],
  ["an invalid Date below the root", { at: new Date(NaN), ok: new Date(0) }],
  ["one Date at two paths", (() => { const d = new Date(3); return { a: d, b: d }; })()],
  ["a Date at the root", new Date(7)],
  ["undefined at the root", undefined],
];

describe("serializeFast", () => {
  it.each(samples)("answers exactly what superjson.serialize answers: %s", (_label, value) => {
    // Strict: prototypes count too (a null-prototype object must come out as a plain one).
    expect(serializeFast(value)).toStrictEqual(superjson.serialize(value));
    expect(JSON.stringify(serializeFast(value))).toBe(JSON.stringify(superjson.serialize(value)));
  });

  it.each(samples)("reads back on the client as superjson's own output does: %s", (_label, value) => {
    expect(roundTrip(value, serializeFast)).toEqual(roundTrip(value, (v) => superjson.serialize(v)));
  });

  it("skips superjson's copy only for plain JSON (the same object comes back)", () => {
    const plain = { rows: [{ a: 1 }] };
    expect(serializeFast(plain).json).toBe(plain);
    expect(serializeFast(plain).meta).toBeUndefined();
    const withDate = { at: new Date(0), rows: [{ a: 1 }] };
    expect(serializeFast(withDate)).toEqual({ json: { at: "1970-01-01T00:00:00.000Z", rows: [{ a: 1 }] }, meta: { values: { at: ["Date"] }, v: 1 } });
    expect(serializeFast(withDate).json).not.toBe(withDate); // a copy, as superjson's
  });

  it("leaves keys superjson refuses to superjson (it throws)", () => {
    const polluted = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    expect(() => superjson.serialize(polluted)).toThrow();
    expect(() => serializeFast(polluted)).toThrow();
    expect(() => serializeFast({ constructor: 1 })).toThrow();
  });

  it("lists the same paths as superjson where it orders them differently (a level mixing Dates and objects with Dates)", () => {
    const mixed = { list: [{ at: new Date(1) }, new Date(2)] };
    expect(serializeFast(mixed)).toEqual(superjson.serialize(mixed));
    expect(roundTrip(mixed, serializeFast)).toEqual(mixed);
  });

  it("leaves a cycle to superjson", () => {
    expect(serializeFast(cyclic)).toEqual(superjson.serialize(cyclic));
  });
});
