/**
 * A smaller, lossless JSON form for what a server-rendered page hands the browser: an array of two
 * or more plain objects with the same keys in the same order (a page of list rows) is written as
 * its keys once and each row's values, instead of every key in every row. The leads page's 50 rows
 * have 27 keys each: their names were ~16 KB of its flight payload, escaped again in the HTML
 * (issue 15). Used on the dehydrated queries only (trpc/query-client.ts), where the server packs
 * and the browser unpacks before superjson reads them; tRPC's own answers are unchanged.
 *
 * Packed, such an array is `[ROWS, keys, [values of row 0], [values of row 1], …]`. Any other
 * array whose first element is one of the two marker strings is written `[ESCAPED, …elements]`, so
 * `unpackRows(packRows(x))` equals x for every JSON value x.
 */
const ROWS = "\u0001rows";
const ESCAPED = "\u0001array";

export function packRows(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const keys = sharedKeys(value);
    if (keys) {
      const packed: unknown[] = [ROWS, keys];
      for (const row of value as Record<string, unknown>[]) packed.push(keys.map((key) => packRows(row[key])));
      return packed;
    }
    const packed = value.map(packRows);
    return packed[0] === ROWS || packed[0] === ESCAPED ? [ESCAPED, ...packed] : packed;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = packRows((value as Record<string, unknown>)[key]);
  return out;
}

export function unpackRows(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    if (value[0] === ROWS) {
      const keys = value[1] as string[];
      const rows: Record<string, unknown>[] = [];
      for (let i = 2; i < value.length; i++) {
        const values = value[i] as unknown[];
        rows.push(Object.fromEntries(keys.map((key, k) => [key, unpackRows(values[k])])));
      }
      return rows;
    }
    return (value[0] === ESCAPED ? value.slice(1) : value).map(unpackRows);
  }
  return Object.fromEntries(Object.keys(value).map((key) => [key, unpackRows((value as Record<string, unknown>)[key])]));
}

/** The keys every element has, in one order, when the array holds two or more plain objects alike; else null. */
function sharedKeys(array: readonly unknown[]): string[] | null {
  if (array.length < 2) return null;
  let keys: string[] | null = null;
  for (const item of array) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return null;
    const own = Object.keys(item);
    if (keys === null) keys = own;
    else if (own.length !== keys.length || own.some((key, i) => key !== keys![i])) return null;
  }
  return keys;
}
