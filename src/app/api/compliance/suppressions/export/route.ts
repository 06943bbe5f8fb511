import { orgDay } from "@/lib/org-day";
import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest } from "@/server/auth/route-context";
import { suppressionFiltersSchema } from "@/server/compliance/schema";
import { suppressionsCsvStream } from "@/server/compliance/suppressions-export";
import { suppressionWhere } from "@/server/compliance/suppressions-service";
import { routeErrorResponse } from "@/server/route-errors";
import { requestIdFrom } from "@/server/request";
import { jsonSearchParam } from "@/server/route-input";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/suppressions/export?filters=<json SuppressionFilters> — the organization's
 * suppression list (the page's filters; all rows, live and lifted, when absent) as a streamed CSV
 * download (managers and admins). Audited.
 */
export async function GET(req: Request) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const filters = jsonSearchParam(new URL(req.url), "filters", suppressionFiltersSchema, { state: "all" });
    suppressionWhere(ctx.orgId, filters); // refuses a bad search before the download starts
    const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
    await recordAudit(ctx.db, { orgId: ctx.orgId, actorId: ctx.userId, action: "suppressions.exported", details: { filters }, requestId });
    return new Response(suppressionsCsvStream(ctx.db, ctx.orgId, filters), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="opt-outs-${orgDay(timeZone)}.csv"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
