import { dncChecksCsvStream } from "@/server/compliance/dnc-export";
import { csvDownloadRoute } from "@/server/compliance/export-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/dnc/checks/export — the evidence of every DNC check of the organization
 * (checked at, phone, result, sources, registry extract date, purpose, who) as a streamed CSV,
 * newest first (managers and admins). Audited.
 */
export const GET = csvDownloadRoute({
  minimumRole: "manager",
  fileStem: "dnc-checks",
  auditAction: "dnc.checks_exported",
  stream: dncChecksCsvStream,
});
