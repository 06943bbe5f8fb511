import { z } from "zod";

/**
 * The one rule for strings that reach the server: no NUL characters (Postgres cannot store
 * U+0000 in text) and no unpaired surrogates (not Unicode; Prisma's JSON protocol refuses them).
 * Schemas use `safeString()` wherever they would use `z.string()` for input; the tRPC input
 * check and route handlers use `stringProblem` for everything else.
 */

export type StringProblem = "nul" | "lone-surrogate";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(value: string): boolean {
  const native = (value as string & { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(value) : !LONE_SURROGATE.test(value);
}

export function stringProblem(value: string): StringProblem | null {
  if (value.includes("\u0000")) return "nul";
  if (!isWellFormed(value)) return "lone-surrogate";
  return null;
}

/** "body", "filters.q", "target.ids.0"; a value without a path is "The text". */
export function fieldLabel(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "The text" : path.map(String).join(".");
}

export function describeStringProblem(problem: StringProblem, field: string): string {
  return problem === "nul"
    ? `${field} must not contain NUL characters (U+0000).`
    : `${field} must not contain malformed Unicode (an unpaired surrogate); retype or paste it again.`;
}

/** `z.string()` that refuses NUL characters and unpaired surrogates, naming the field. Chain `.trim().min().max()` as usual. */
export function safeString() {
  return z.string().refine((value) => stringProblem(value) === null, {
    abort: true,
    error: (issue) =>
      describeStringProblem(
        stringProblem(String(issue.input)) ?? "nul",
        fieldLabel(issue.path ?? []),
      ),
  });
}

/** An id (cuid, or a caller's key): 1–64 characters, no NUL or unpaired surrogates. */
export function idString() {
  return safeString().min(1).max(64);
}

export type InputProblem = { path: (string | number)[]; problem: StringProblem | "too-deep" };

/** Deeper than any input LeadFlow takes; deeper nesting is an attack or a bug. */
export const MAX_INPUT_DEPTH = 32;

/**
 * The first string (value or object key) anywhere in `input` that breaks the rule, or the first
 * value nested deeper than `maxDepth`. Iterative and visits each object once, so hostile input
 * (deep nesting, shared or cyclic references) cannot exhaust the stack or loop.
 */
export function findInputProblem(input: unknown, maxDepth = MAX_INPUT_DEPTH): InputProblem | null {
  const seen = new Set<object>();
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      const problem = stringProblem(value);
      if (problem) return { path, problem };
      continue;
    }
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (path.length >= maxDepth) return { path, problem: "too-deep" };
    const children: [string | number, unknown][] =
      value instanceof Map
        ? [...value.entries()].flatMap(([key, item], index): [string | number, unknown][] => [
            [index, key],
            [index, item],
          ])
        : value instanceof Set
          ? [...value].map((item, index): [number, unknown] => [index, item])
          : Array.isArray(value)
            ? value.map((item, index): [number, unknown] => [index, item])
            : Object.entries(value);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i]!;
      if (typeof key === "string") {
        const problem = stringProblem(key);
        if (problem) return { path: [...path, key], problem };
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

export function describeInputProblem({ path, problem }: InputProblem): string {
  return problem === "too-deep"
    ? `${fieldLabel(path)} is nested more than ${MAX_INPUT_DEPTH} levels deep; LeadFlow takes no input that deep.`
    : describeStringProblem(problem, path.length === 0 ? "The input" : fieldLabel(path));
}

/**
 * Why a raw (still percent-encoded) URL path cannot be served, or null: a segment that does not
 * decode as UTF-8, or that decodes to NUL or an unpaired surrogate. Next answers an undecodable
 * dynamic segment with a bare 500, so the proxy refuses these first.
 */
export function urlPathProblem(pathname: string): string | null {
  for (const segment of pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return "The URL path is not valid percent-encoded UTF-8.";
    }
    const problem = stringProblem(decoded);
    if (problem) return describeStringProblem(problem, "The URL path");
  }
  return null;
}

/**
 * A calendar date as YYYY-MM-DD that Postgres can store: ISO allows the year 0000, which
 * Postgres refuses (there is no year zero), so dates before the year 1000 are refused here.
 */
export const isoCalendarDate = () =>
  z.iso.date().refine((date) => Number(date.slice(0, 4)) >= 1000, { message: "Enter a date after the year 1000." });
