/**
 * The import page's live preview. `imports.preview` maps the first rows with the mapping it
 * detected; it takes no mapping. When the user edits the mapping, the page maps the same rows here,
 * in the browser, with the server's own pure row mapper (rows.ts) and mapping check (detect.ts),
 * so the preview shows exactly what the import will do.
 *
 * The first records are read with csv-parse (the browser build of the parser the server uses) with
 * the same options and delimiter sniffing (lib/csv-dialect.ts). import-sample.test.ts checks both
 * read the same records.
 */
import { parse } from "csv-parse/browser/esm/sync";
import { csvParseOptions, sniffDelimiter } from "@/lib/csv-dialect";
import { mappingProblem } from "@/server/leads/import/detect";
import { mapRecord } from "@/server/leads/import/rows";
import { IMPORT_FIELDS, MAX_IMPORT_CHARS, type ImportMapping } from "@/server/leads/import/schema";
import type { RouterOutputs } from "@/trpc/react";

export { IMPORT_FIELDS, MAX_IMPORT_CHARS, mappingProblem, type ImportMapping };

export type ImportPreview = RouterOutputs["imports"]["preview"];
export type SampleRow = ImportPreview["sampleRows"][number];
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ColumnField = ImportField["key"];

/** Rows the preview shows (the server's SAMPLE_ROWS). */
export const SAMPLE_SIZE = 5;
/** 20 MB, as the server counts it (characters). A file bigger than this in bytes is refused before reading. */
export const MAX_IMPORT_BYTES = MAX_IMPORT_CHARS;

/** Enough of the text for the header and the sample rows (the parser stops there anyway). */
const HEAD_CHARS = 2_000_000;

/** The raw first data records of the file (header not included), or null if they cannot be read here. */
export function readSampleRecords(content: string, count = SAMPLE_SIZE): string[][] | null {
  try {
    const records = parse(content.slice(0, HEAD_CHARS), { ...csvParseOptions(sniffDelimiter(content)), to: count + 1 }) as string[][];
    return records.slice(1);
  } catch {
    return null;
  }
}

/** The sample rows as `mapping` imports them: the same shape `imports.preview` returns. */
export function mapSampleRows(records: readonly string[][], mapping: ImportMapping, headers: readonly string[], now = new Date()): SampleRow[] {
  return records.map((record, i) => {
    const mapped = mapRecord(record, mapping, headers, now);
    return mapped.ok
      ? { rowNumber: i + 1, lead: mapped.lead, rejection: null, warnings: mapped.warnings }
      : { rowNumber: i + 1, lead: null, rejection: mapped.reason, warnings: [] };
  });
}

const sameColumns = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/** Whether two mappings send the same columns to the same fields (fixed tags aside). */
export function sameMapping(a: ImportMapping, b: ImportMapping): boolean {
  return IMPORT_FIELDS.every(({ key, multiple }) =>
    multiple ? sameColumns(a[key as "phones"], b[key as "phones"]) : (a[key as "address"] ?? null) === (b[key as "address"] ?? null),
  );
}

/** "Probate, absentee; 2024 list" → ["Probate", "absentee", "2024 list"], or why it cannot be used. */
export function parseFixedTags(text: string): { tags: string[]; error: string | null } {
  const tags = [...new Set(text.split(/[,;]+/).map((tag) => tag.replace(/\s+/g, " ").trim()).filter(Boolean))];
  if (tags.length > 10) return { tags, error: "At most 10 tags." };
  const long = tags.find((tag) => tag.length > 50);
  if (long) return { tags, error: `"${long.slice(0, 20)}…" is longer than 50 characters.` };
  return { tags, error: null };
}

/** Columns that feed more than one field: "Owner" → ["Owner name", "Mailing address"]. */
export function sharedColumns(mapping: ImportMapping, headers: readonly string[]): { header: string; fields: string[] }[] {
  const byColumn = new Map<number, string[]>();
  for (const field of IMPORT_FIELDS) {
    const value = mapping[field.key];
    for (const index of Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]) {
      byColumn.set(index, [...(byColumn.get(index) ?? []), field.label]);
    }
  }
  return [...byColumn.entries()]
    .filter(([, fields]) => fields.length > 1)
    .sort(([a], [b]) => a - b)
    .map(([index, fields]) => ({ header: headers[index] ?? `Column ${index + 1}`, fields }));
}

/** Decodes an uploaded file: UTF-8, else Windows-1252 (what Excel's "CSV" export writes in the US). */
export function decodeFile(buffer: ArrayBuffer): { text: string; encoding: "utf-8" | "windows-1252" } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(buffer), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(buffer), encoding: "windows-1252" };
  }
}
