import { orgDay } from "@/lib/org-day";
import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest } from "@/server/auth/route-context";
import { decisionsCsvStream, decisionWhere } from "@/server/compliance/decision-log";
import { decisionFiltersSchema } from "@/server/compliance/decisions-schema";
import { routeErrorResponse } from "@/server/route-errors";
import { requestIdFrom } from "@/server/request";
import { jsonSearchParam } from "@/server/route-input";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/decisions/export?filters=<json DecisionFilters> — the decision log (the
 * page's filters; every decision when absent) as a streamed CSV download (managers and admins):
 * why each text went, waited or did not go, with the rule and its source. Audited.
 */
export async function GET(req: Request) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const filters = jsonSearchParam(new URL(req.url), "filters", decisionFiltersSchema, {});
    decisionWhere(ctx.orgId, filters); // refuses a bad search before the download starts
    const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
    await recordAudit(ctx.db, { orgId: ctx.orgId, actorId: ctx.userId, action: "send_decisions.exported", details: { filters }, requestId });
    return new Response(decisionsCsvStream(ctx.db, ctx.orgId, filters), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="send-decisions-${orgDay(timeZone)}.csv"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
