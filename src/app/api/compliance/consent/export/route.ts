import { consentFilterSql } from "@/server/compliance/consent";
import { consentCsvStream } from "@/server/compliance/consent-export";
import { consentFiltersSchema } from "@/server/compliance/consent-schema";
import { csvDownloadRoute } from "@/server/compliance/export-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/consent/export?filters=<json ConsentFilters> — the organization's consent log
 * (consents and revocations, the page's filters; everything when absent) as a streamed CSV
 * download. Managers and admins, like the opt-out export: it carries every opt-out's evidence in
 * bulk (any member reads the log page by page). Audited.
 */
export const GET = csvDownloadRoute({
  minimumRole: "manager",
  fileStem: "consent-log",
  auditAction: "consent.exported",
  filters: consentFiltersSchema,
  whenAbsent: {},
  check: consentFilterSql,
  stream: consentCsvStream,
});
