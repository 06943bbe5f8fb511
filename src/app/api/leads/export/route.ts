import { orgDay } from "@/lib/org-day";
import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest } from "@/server/auth/route-context";
import { routeErrorResponse } from "@/server/route-errors";
import { csvDownloadResponse } from "@/server/csv/write";
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
    return csvDownloadResponse(leadsCsvStream(ctx.db, ctx.orgId, filters, sort), `leads-${orgDay(timeZone)}.csv`, requestId);
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
