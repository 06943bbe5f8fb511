import superjson, { type SuperJSONResult } from "superjson";

/**
 * superjson.serialize, without its general walk when there is little for it to do. superjson
 * builds a path array and a copy of every value it visits, which dominated its cost on the
 * app's large answers (a cached search's scored rows, the leads page's 50 rows). Here:
 * - a value that is plain JSON (plain objects and arrays, strings, booleans, null and finite
 *   numbers other than -0, each object reached once, no key superjson refuses) is answered as
 *   superjson answers it, `{ json: value }` with no meta, without a copy;
 * - a value that is plain JSON but for valid Dates and undefined values below its root (the rows
 *   Prisma returns) is copied once with each Date as its ISO string and each undefined as null,
 *   and the meta lists their paths, as superjson does (`{ values: { "a.0.createdAt": ["Date"] }, v: 1 }`);
 * - anything else (a Map, a bigint, NaN, -0, a class instance, an object met twice, a hole in an
 *   array …) goes to superjson itself.
 * The answer is equal to superjson.serialize's (lib/superjson-fast.test.ts compares them), so the
 * client's superjson.deserialize reads it the same; only the order of the meta's paths can differ,
 * where one array or object holds both Dates and objects holding Dates (superjson lists a level's
 * own integer-keyed entries first). Used for tRPC's output (server/trpc.ts) and the
 * server-rendered pages' dehydrated queries (trpc/query-client.ts).
 */
export function serializeFast(value: unknown): SuperJSONResult {
  if (isPlainJson(value, new Set())) return { json: value as SuperJSONResult["json"] };
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const values: Record<string, [string]> = {};
    const json = copyWithDates(value, "", values, new Set());
    if (json !== UNSUPPORTED) {
      return Object.keys(values).length === 0 ? { json: json as SuperJSONResult["json"] } : ({ json, meta: { values, v: 1 } } as SuperJSONResult);
    }
  }
  return superjson.serialize(value);
}

/** Keys superjson.serialize throws on (prototype pollution), so the fast paths leave them to it. */
const REFUSED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function isPlainJson(value: unknown, seen: Set<object>): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (seen.has(value)) return false;
      seen.add(value);
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype === Array.prototype) {
        const array = value as unknown[];
        for (let i = 0; i < array.length; i++) if (!isPlainJson(array[i], seen)) return false;
        return true;
      }
      // An object without a prototype is copied (below) into a plain one, as superjson does: React's
      // server renderer refuses null-prototype objects in what a page hands a client component.
      if (prototype !== Object.prototype) return false;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (REFUSED_KEYS.has(key) || !isPlainJson(record[key], seen)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

const UNSUPPORTED = Symbol("unsupported");

/** superjson's path syntax: keys joined by dots, a dot or backslash in a key escaped with a backslash. */
const escapeKey = (key: string) => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");
const childPath = (path: string, key: string) => (path === "" ? escapeKey(key) : `${path}.${escapeKey(key)}`);

/** The JSON copy superjson would make, for plain JSON with Dates and undefined below the root; UNSUPPORTED for anything else. */
function copyWithDates(value: unknown, path: string, values: Record<string, [string]>, seen: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : UNSUPPORTED;
    case "undefined":
      values[path] = ["undefined"];
      return null;
    case "object": {
      if (value === null) return null;
      if (seen.has(value)) return UNSUPPORTED;
      seen.add(value);
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) return UNSUPPORTED;
        values[path] = ["Date"];
        return value.toISOString();
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype === Array.prototype) {
        const array = value as unknown[];
        const out: unknown[] = [];
        for (let i = 0; i < array.length; i++) {
          if (!(i in array)) return UNSUPPORTED;
          const item = copyWithDates(array[i], childPath(path, String(i)), values, seen);
          if (item === UNSUPPORTED) return UNSUPPORTED;
          out.push(item);
        }
        return out;
      }
      if (prototype !== Object.prototype && prototype !== null) return UNSUPPORTED;
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(record)) {
        if (REFUSED_KEYS.has(key)) return UNSUPPORTED;
        const item = copyWithDates(record[key], childPath(path, key), values, seen);
        if (item === UNSUPPORTED) return UNSUPPORTED;
        out[key] = item;
      }
      return out;
    }
    default:
      return UNSUPPORTED;
  }
}
