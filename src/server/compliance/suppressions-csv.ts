import "server-only";
import { CsvError, parse } from "csv-parse/sync";
import { csvParseOptions, sniffDelimiter } from "@/lib/csv-dialect";
import { foldHeader } from "@/lib/csv-import/detect";
import { toE164 } from "@/lib/csv-import/rows";
import { AppError } from "../errors";

/**
 * Reads an opt-out list (CSV text) into numbers to suppress and rows it cannot use. Pure apart
 * from its errors: the parser is csv-parse with the importer's dialect (sniffed delimiter, BOM,
 * blank lines skipped). Row numbers are the spreadsheet's: the header is row 1.
 */

const PHONE_HEADERS = new Set(["phone", "phone number", "phones", "mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone", "number", "telephone", "tel", "e 164", "wireless"]);
const EVIDENCE_HEADERS = new Set(["evidence", "note", "notes", "comment", "comments", "details", "proof"]);
const REASON_HEADERS = new Set(["reason", "opt out reason", "optout reason", "why", "type"]);

const CELL_MAX = 300;
const clip = (text: string) => (text.length > CELL_MAX ? `${text.slice(0, CELL_MAX - 1)}…` : text);

export type ParsedOptOutList = {
  phoneColumn: string;
  rows: number;
  /** Valid numbers in file order, each once, with the row's own evidence/reason text. */
  numbers: { phone: string; row: number; note: string | null }[];
  /** Repeats of a number seen earlier in the same file. */
  repeats: number;
  rejected: { row: number; value: string; reason: string }[];
};

function columnOf(headers: string[], names: Set<string>, fuzzy?: RegExp): number {
  const folded = headers.map(foldHeader);
  const exact = folded.findIndex((h) => names.has(h));
  if (exact >= 0) return exact;
  return fuzzy ? folded.findIndex((h) => fuzzy.test(h)) : -1;
}

export function parseOptOutCsv(text: string): ParsedOptOutList {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { ...csvParseOptions(sniffDelimiter(text)), info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new AppError("BAD_REQUEST", `The file could not be read${line ? ` at row ${line}` : ""}: ${error.message}. Save it as CSV and try again.`);
    }
    throw error;
  }
  const first = records[0];
  if (!first) throw new AppError("BAD_REQUEST", "The file has no rows.");

  let phoneIndex = columnOf(first.record, PHONE_HEADERS, /\b(phone|mobile|cell|number)\b/);
  let dataStart = 1;
  let phoneColumn = first.record[phoneIndex] ?? "";
  if (phoneIndex < 0) {
    // No header: a one-column list of numbers.
    if (first.record.length >= 1 && toE164(first.record[0] ?? "")) {
      phoneIndex = 0;
      dataStart = 0;
      phoneColumn = "column 1 (no header)";
    } else {
      throw new AppError(
        "BAD_REQUEST",
        `No phone column found. Name the column of numbers "phone" (the header row is: ${clip(first.record.join(", ")) || "empty"}).`,
      );
    }
  }
  const header = dataStart === 1 ? first.record : [];
  const evidenceIndex = dataStart === 1 ? columnOf(header, EVIDENCE_HEADERS) : -1;
  const reasonIndex = dataStart === 1 ? columnOf(header, REASON_HEADERS) : -1;

  const seen = new Set<string>();
  const result: ParsedOptOutList = { phoneColumn, rows: 0, numbers: [], repeats: 0, rejected: [] };
  for (const { record, info } of records.slice(dataStart)) {
    result.rows++;
    const row = info.lines;
    const raw = (record[phoneIndex] ?? "").trim();
    if (!raw) {
      result.rejected.push({ row, value: "", reason: `No phone number in the "${phoneColumn}" column.` });
      continue;
    }
    const phone = toE164(raw);
    if (!phone) {
      result.rejected.push({ row, value: clip(raw), reason: "Not a valid US or Canadian phone number." });
      continue;
    }
    if (seen.has(phone)) {
      result.repeats++;
      continue;
    }
    seen.add(phone);
    const parts = [
      reasonIndex >= 0 && record[reasonIndex]?.trim() ? `reason: ${clip(record[reasonIndex].trim())}` : null,
      evidenceIndex >= 0 && record[evidenceIndex]?.trim() ? `evidence: ${clip(record[evidenceIndex].trim())}` : null,
    ].filter((part): part is string => part !== null);
    result.numbers.push({ phone, row, note: parts.length ? parts.join("; ") : null });
  }
  return result;
}
