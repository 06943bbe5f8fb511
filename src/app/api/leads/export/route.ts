import { orgDay } from "@/lib/org-day";
import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest } from "@/server/auth/route-context";
import { routeErrorResponse } from "@/server/route-errors";
import { leadsCsvStream } from "@/server/leads/export";
import { leadFiltersSchema, leadSortSchema } from "@/server/leads/schema";
import { requestIdFrom } from "@/server/request";
import { jsonSearchParam } from "@/server/route-input";

export const dynamic = "force-dynamic";

/**
 * GET /api/leads/export?filters=<json LeadFilters>&sort=<json LeadSort> — the filtered lead list
 * as a streamed CSV download (managers and admins).
 */
export async function GET(req: Request) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const url = new URL(req.url);
    const filters = jsonSearchParam(url, "filters", leadFiltersSchema, {});
    const sort = jsonSearchParam(url, "sort", leadSortSchema, undefined);
    const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
    await recordAudit(ctx.db, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "leads.exported",
      details: { filters, sort },
      requestId,
    });
    return new Response(leadsCsvStream(ctx.db, ctx.orgId, filters, sort), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="leads-${orgDay(timeZone)}.csv"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
