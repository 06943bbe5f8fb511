import { decisionsCsvStream, decisionWhere } from "@/server/compliance/decision-log";
import { decisionFiltersSchema } from "@/server/compliance/decisions-schema";
import { csvDownloadRoute } from "@/server/compliance/export-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/decisions/export?filters=<json DecisionFilters> — the decision log (the
 * page's filters; every decision when absent) as a streamed CSV download (managers and admins):
 * why each text went, waited or did not go, with the rule and its source. Audited.
 */
export const GET = csvDownloadRoute({
  minimumRole: "manager",
  fileStem: "send-decisions",
  auditAction: "send_decisions.exported",
  filters: decisionFiltersSchema,
  whenAbsent: {},
  check: decisionWhere,
  stream: decisionsCsvStream,
});
