import { dncListCsvStream } from "@/server/compliance/dnc-export";
import { dncFiltersSchema } from "@/server/compliance/dnc-schema";
import { dncWhere } from "@/server/compliance/dnc-service";
import { csvDownloadRoute } from "@/server/compliance/export-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/dnc/export?filters=<json DncFilters> — the internal do-not-contact list (the
 * page's filters; every row, listed and removed, when absent) as a streamed CSV (managers and
 * admins). Audited.
 */
export const GET = csvDownloadRoute({
  minimumRole: "manager",
  fileStem: "do-not-contact",
  auditAction: "dnc.exported",
  filters: dncFiltersSchema,
  whenAbsent: { state: "all" },
  check: dncWhere,
  stream: dncListCsvStream,
});
