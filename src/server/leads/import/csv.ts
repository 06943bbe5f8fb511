import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import { csvParseOptions, sniffDelimiter } from "@/lib/csv-dialect";

/** How an upload's bytes are decoded: UTF-8, else Windows-1252 (what Excel's US "CSV" export writes). */
export type UploadEncoding = "utf-8" | "windows-1252";

/** Bytes fed to the parser at a time, so records flow with backpressure instead of all at once. */
const PARSE_PIECE_BYTES = 64 * 1024;
/** The text the delimiter is sniffed from (the header line lies within it). */
const SNIFF_BYTES = 64 * 1024;

/** Why a file starting with these bytes is not a CSV file we can read, or null. */
export function notCsvReason(head: Uint8Array): string | null {
  if (head.length === 0) return "The file is empty.";
  const start = head.subarray(0, 8192);
  if (start[0] === 0x50 && start[1] === 0x4b && start[2] === 0x03 && start[3] === 0x04) {
    return "This looks like an Excel workbook (.xlsx). Save it as CSV (Comma delimited) and upload that.";
  }
  if (start.includes(0)) return "This does not look like a CSV text file. Export the list as CSV and upload that.";
  return null;
}

/** The source's bytes as UTF-8, in pieces of at most PARSE_PIECE_BYTES. */
async function* utf8Pieces(source: AsyncIterable<Uint8Array>, encoding: UploadEncoding): AsyncGenerator<Uint8Array> {
  const decoder = encoding === "windows-1252" ? new TextDecoder("windows-1252") : null;
  const encoder = new TextEncoder();
  for await (const chunk of source) {
    const bytes = decoder ? encoder.encode(decoder.decode(chunk, { stream: true })) : chunk;
    for (let offset = 0; offset < bytes.length; offset += PARSE_PIECE_BYTES) yield bytes.subarray(offset, offset + PARSE_PIECE_BYTES);
  }
}

/** The first SNIFF_BYTES (or all, if shorter) as one buffer, then the rest as it comes. */
async function withHead(source: AsyncIterable<Uint8Array>): Promise<{ head: Uint8Array; rest: AsyncIterator<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const pieces: Uint8Array[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    pieces.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(pieces, length), rest: iterator };
}

export type CsvRecord = string[];

/**
 * Every record of a file, the header first, parsed by csv-parse as the bytes stream in (never the
 * whole file in memory). Stopping early (break, return) stops reading the source.
 * Throws CsvFormatError (with the 1-based data row where reading stopped) on malformed input.
 */
export async function* readCsvRecords(source: AsyncIterable<Uint8Array>, encoding: UploadEncoding = "utf-8"): AsyncGenerator<CsvRecord> {
  const { head, rest } = await withHead(utf8Pieces(source, encoding));
  const delimiter = sniffDelimiter(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("utf8"));
  async function* all() {
    if (head.length) yield head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  }
  const parser = parse(csvParseOptions(delimiter));
  // Errors of the source reach the loop below through the parser, which pipeline destroys with them.
  const feeding = pipeline(Readable.from(all(), { objectMode: false }), parser).catch(() => {});
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
    await feeding;
    await rest.return?.();
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

export type CsvHead = { headers: string[]; firstRows: CsvRecord[] };

/** The header and the first data rows; reads no further into the file than they reach. */
export async function readCsvHead(source: AsyncIterable<Uint8Array>, encoding: UploadEncoding, sampleSize: number): Promise<CsvHead> {
  let headers: string[] | null = null;
  const firstRows: CsvRecord[] = [];
  for await (const record of readCsvRecords(source, encoding)) {
    if (!headers) headers = record.map((header, i) => header || `Column ${i + 1}`);
    else firstRows.push(record);
    if (firstRows.length >= sampleSize) break;
  }
  return { headers: headers ?? [], firstRows };
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * Counts a CSV file's records as its bytes stream past, without parsing them: a byte scan with
 * csv-parse's rules as the importer sets them (quotes open only at a field's start, blank lines
 * and lines of empty fields are no records). csv-parse runs at ~10 MB/s here; this scan is what
 * lets an upload count 100 MB of rows in the web process. The import corrects the total when it
 * finishes if a malformed file made them differ.
 */
export class CsvRecordCounter {
  records = 0;
  private delimiter: number | null = null;
  /** The first bytes, kept until there are enough to sniff the delimiter from. */
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private quoted = false;
  private quoteJustClosed = false;
  private atFieldStart = true;
  private lineHasValue = false;

  /** Counts these bytes (kept by reference until the delimiter is known: do not reuse them). */
  push(bytes: Uint8Array) {
    if (this.delimiter === null) {
      this.head.push(bytes);
      this.headBytes += bytes.length;
      if (this.headBytes >= SNIFF_BYTES) this.startScanning();
      return;
    }
    this.scan(bytes);
  }

  private startScanning() {
    let head: Uint8Array = Buffer.concat(this.head, this.headBytes);
    this.head = [];
    this.delimiter = sniffDelimiter(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("utf8")).charCodeAt(0);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3); // UTF-8 byte order mark
    this.scan(head);
  }

  private scan(bytes: Uint8Array) {
    const delimiter = this.delimiter;
    let { quoted, quoteJustClosed, atFieldStart, lineHasValue, records } = this;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (quoted) {
        if (byte === QUOTE) {
          quoted = false;
          quoteJustClosed = true;
        } else if (byte !== SPACE && byte !== TAB && byte !== LF && byte !== CR) {
          lineHasValue = true;
        }
        continue;
      }
      if (byte === QUOTE && quoteJustClosed) {
        // "" inside a quoted field: an escaped quote, the field goes on
        quoted = true;
        quoteJustClosed = false;
        lineHasValue = true;
        continue;
      }
      quoteJustClosed = false;
      if (byte === LF || byte === CR) {
        if (lineHasValue) records++;
        lineHasValue = false;
        atFieldStart = true;
      } else if (byte === delimiter) {
        atFieldStart = true;
      } else if (byte === SPACE || byte === TAB) {
        // trimmed around fields
      } else if (byte === QUOTE && atFieldStart) {
        quoted = true;
        atFieldStart = false;
      } else {
        lineHasValue = true;
        atFieldStart = false;
      }
    }
    Object.assign(this, { quoted, quoteJustClosed, atFieldStart, lineHasValue, records });
  }

  /** Records in the file, the header included. */
  finish(): number {
    if (this.delimiter === null) this.startScanning();
    if (this.lineHasValue) this.records++;
    this.lineHasValue = false;
    return this.records;
  }
}
