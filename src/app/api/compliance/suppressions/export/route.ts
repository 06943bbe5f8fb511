import { suppressionFiltersSchema } from "@/server/compliance/schema";
import { suppressionsCsvStream } from "@/server/compliance/suppressions-export";
import { suppressionWhere } from "@/server/compliance/suppressions-service";
import { csvDownloadRoute } from "@/server/compliance/export-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/suppressions/export?filters=<json SuppressionFilters> — the organization's
 * suppression list (the page's filters; all rows, live and lifted, when absent) as a streamed CSV
 * download (managers and admins). Audited.
 */
export const GET = csvDownloadRoute({
  minimumRole: "manager",
  fileStem: "opt-outs",
  auditAction: "suppressions.exported",
  filters: suppressionFiltersSchema,
  whenAbsent: { state: "all" },
  check: suppressionWhere,
  stream: suppressionsCsvStream,
});
