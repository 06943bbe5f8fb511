import { orgDay } from "@/lib/org-day";
import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest } from "@/server/auth/route-context";
import { dncListCsvStream } from "@/server/compliance/dnc-export";
import { dncFiltersSchema } from "@/server/compliance/dnc-schema";
import { dncWhere } from "@/server/compliance/dnc-service";
import { requestIdFrom } from "@/server/request";
import { routeErrorResponse } from "@/server/route-errors";
import { jsonSearchParam } from "@/server/route-input";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/dnc/export?filters=<json DncFilters> — the internal do-not-contact list (the
 * page's filters; every row, listed and removed, when absent) as a streamed CSV (managers and
 * admins). Audited.
 */
export async function GET(req: Request) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const filters = jsonSearchParam(new URL(req.url), "filters", dncFiltersSchema, { state: "all" });
    dncWhere(ctx.orgId, filters); // refuses a bad search before the download starts
    const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
    await recordAudit(ctx.db, { orgId: ctx.orgId, actorId: ctx.userId, action: "dnc.exported", details: { filters }, requestId });
    return new Response(dncListCsvStream(ctx.db, ctx.orgId, filters), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="do-not-contact-${orgDay(timeZone)}.csv"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
