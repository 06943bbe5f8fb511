import "server-only";
import { Readable } from "node:stream";
import { CsvError, parse, type Options } from "csv-parse";
import { csvParseOptions, sniffDelimiter } from "@/lib/csv-dialect";

/** Bytes fed to the parser at a time, so records flow with backpressure instead of all at once. */
const CHUNK_BYTES = 64 * 1024;

function parserOptions(delimiter: string): Options {
  return csvParseOptions(delimiter);
}

/** Why these bytes are not a CSV file we can read, or null. */
export function notCsvReason(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return "The file is empty.";
  const head = bytes.subarray(0, 8192);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return "This looks like an Excel workbook (.xlsx). Save it as CSV (Comma delimited) and upload that.";
  }
  if (head.includes(0)) return "This does not look like a CSV text file. Export the list as CSV and upload that.";
  return null;
}

function* chunks(bytes: Uint8Array) {
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) yield bytes.subarray(offset, offset + CHUNK_BYTES);
}

export type CsvRecord = string[];

/**
 * Every record of the file, the header first, parsed by csv-parse as the bytes stream in.
 * Throws CsvFormatError (with the 1-based data row where reading stopped) on malformed input.
 */
export async function* readCsvRecords(bytes: Uint8Array): AsyncGenerator<CsvRecord> {
  const delimiter = sniffDelimiter(Buffer.from(bytes.subarray(0, 64 * 1024)).toString("utf8"));
  const parser = Readable.from(chunks(bytes), { objectMode: false }).pipe(parse(parserOptions(delimiter)));
  let records = 0;
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      records++;
      yield record;
    }
  } catch (error) {
    if (error instanceof CsvError) throw new CsvFormatError(error.message, Math.max(records, 1));
    throw error;
  } finally {
    parser.destroy();
  }
}

export class CsvFormatError extends Error {
  constructor(
    readonly detail: string,
    /** The data row (1-based, header not counted) that could not be read. */
    readonly rowNumber: number,
  ) {
    super(`The file could not be read at row ${rowNumber}: ${detail}`);
    this.name = "CsvFormatError";
  }
}

export type CsvOverview = { headers: string[]; firstRows: CsvRecord[]; rowCount: number };

/** The header, the first data rows and the number of data rows, reading the file once. */
export async function overviewCsv(bytes: Uint8Array, sampleSize = 5): Promise<CsvOverview> {
  let headers: string[] | null = null;
  const firstRows: CsvRecord[] = [];
  let rowCount = 0;
  for await (const record of readCsvRecords(bytes)) {
    if (!headers) {
      headers = record.map((header, i) => header || `Column ${i + 1}`);
      continue;
    }
    rowCount++;
    if (firstRows.length < sampleSize) firstRows.push(record);
  }
  return { headers: headers ?? [], firstRows, rowCount };
}
