/**
 * How LeadFlow reads an uploaded CSV, shared by the server's importer and the browser's live
 * preview so both read the same records.
 */
const DELIMITERS = [",", ";", "\t", "|"] as const;

function firstRecordText(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) return text.slice(0, i);
  }
  return text;
}

/** The delimiter of the header line: the candidate seen most often outside quotes (comma on ties). */
export function sniffDelimiter(text: string): string {
  const firstLine = firstRecordText(text.slice(0, 64 * 1024));
  let best: string = ",";
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const char of firstLine) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && char === delimiter) count++;
    }
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }
  return best;
}

/** csv-parse options for a sniffed delimiter. */
export function csvParseOptions(delimiter: string) {
  return {
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    trim: true,
    // one absurd cell (a pasted binary, a missing closing quote) fails fast instead of eating memory
    max_record_size: 1_000_000,
  };
}
