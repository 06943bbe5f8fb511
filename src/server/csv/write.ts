import "server-only";
import { stringify } from "csv-stringify/sync";

/**
 * The one CSV writer of every download (lead export, rejected import rows): csv-stringify, page by
 * page as the consumer reads, with spreadsheet formulas neutralised.
 *
 * Text a spreadsheet would run as a formula (=, +, -, @, tab or CR first) is prefixed with an
 * apostrophe (OWASP "CSV injection"). That applies to every text cell, the header included,
 * except in columns the caller names as trusted: text the code itself made (ids, enum names,
 * E.164 phones, amounts, ISO dates), which must stay machine-readable. Numbers and booleans are
 * written as they are.
 */

export type CsvValue = string | number | bigint | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** `=cmd|' /C calc'!A0` → `'=cmd|' /C calc'!A0`; other text unchanged. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(value: CsvValue, trusted: boolean): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return trusted ? value : neutralizeFormula(value);
  return String(value);
}

export type CsvStreamOptions = {
  header: readonly string[];
  /**
   * The next page of rows; an empty page (or null) ends the file. Called only once the consumer
   * has taken the previous page, so memory holds one page whatever the file's size.
   */
  nextPage: () => Promise<readonly (readonly CsvValue[])[] | null>;
  /** Header names of the columns whose text the code made and is written as is. */
  trustedColumns?: ReadonlySet<string>;
};

/** A CSV file as a pull stream of UTF-8 bytes: the header, then page after page. */
export function csvStream({ header, nextPage, trustedColumns }: CsvStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const trusted = header.map((name) => trustedColumns?.has(name) ?? false);
  const toLine = (row: readonly CsvValue[]) => row.map((value, i) => cellText(value, trusted[i] ?? false));
  let headerSent = false;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(stringify([header.map((name) => cellText(name, false))])));
          return;
        }
        const rows = await nextPage();
        if (!rows || rows.length === 0) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(stringify(rows.map(toLine))));
      },
    },
    { highWaterMark: 1 },
  );
}

/** A CSV file as a download: streamed, never cached, named `fileName`, carrying the request's id. */
export function csvDownloadResponse(body: ReadableStream<Uint8Array>, fileName: string, requestId: string): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
}
