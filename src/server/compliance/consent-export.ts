import "server-only";
import { csvStream, type CsvValue } from "../csv/write";
import type { Db } from "../db";
import { consentEventPage, presentConsentEvents } from "./consent";
import type { ConsentFilters } from "./consent-schema";

/**
 * The consent log as a streamed CSV (newest first, the page's filters), page by page by keyset so
 * memory holds one page — the same writer and paging as the opt-out export (suppressions-export.ts).
 * Evidence, document references and names are people's text and are formula-neutralised by the
 * one CSV writer; phones, enums, ids and dates are written as they are.
 */
export const CONSENT_EXPORT_COLUMNS = [
  "occurred_at",
  "phone",
  "type",
  "source",
  "evidence",
  "document_ref",
  "lead_id",
  "lead",
  "recorded_by",
  "recorded_at",
  "event_id",
] as const;

const TRUSTED = new Set<string>(["occurred_at", "phone", "type", "source", "lead_id", "recorded_at", "event_id"]);
const PAGE_SIZE = 1000;

export function consentCsvStream(db: Db, orgId: string, filters: ConsentFilters, pageSize = PAGE_SIZE): ReadableStream<Uint8Array> {
  let after: { at: Date; id: string } | null = null;
  let done = false;
  return csvStream({
    header: CONSENT_EXPORT_COLUMNS,
    trustedColumns: TRUSTED,
    async nextPage() {
      if (done) return null;
      const rows = await consentEventPage(db, orgId, filters, after, pageSize);
      if (rows.length < pageSize) done = true;
      const last = rows.at(-1);
      if (last) after = { at: last.at, id: last.event_id };
      const shown = await presentConsentEvents(db, orgId, rows);
      return shown.map((e): CsvValue[] => [
        e.occurredAt.toISOString(),
        e.phone,
        e.type,
        e.source,
        e.evidence,
        e.documentRef ?? "",
        e.lead?.id ?? "",
        e.lead?.label ?? "",
        e.actor?.email ?? "",
        e.recordedAt.toISOString(),
        e.id,
      ]);
    },
  });
}
