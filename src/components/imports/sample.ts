/**
 * The import page's live preview. `imports.preview` returns the file's first records raw and as
 * mapped with the detected mapping; when the user edits the mapping, the page maps the same
 * records here with the importer's own pure row mapper and mapping check (lib/csv-import), so the
 * preview shows exactly what the import will do without another round trip.
 */
import { mappingProblem } from "@/lib/csv-import/detect";
import { IMPORT_FIELDS, MAX_UPLOAD_BYTES, type ImportMapping } from "@/lib/csv-import/fields";
import { mapSampleRows } from "@/lib/csv-import/rows";
import type { RouterOutputs } from "@/trpc/react";

export { IMPORT_FIELDS, MAX_UPLOAD_BYTES, mappingProblem, mapSampleRows, type ImportMapping };

export type ImportPreview = RouterOutputs["imports"]["preview"];
export type SampleRow = ImportPreview["sampleRows"][number];
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ColumnField = ImportField["key"];

/** Rows the preview shows (the server's SAMPLE_ROWS). */
export const SAMPLE_SIZE = 5;

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
