import { orgDay } from "@/lib/org-day";
import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest } from "@/server/auth/route-context";
import { consentFilterSql } from "@/server/compliance/consent";
import { consentCsvStream } from "@/server/compliance/consent-export";
import { consentFiltersSchema } from "@/server/compliance/consent-schema";
import { routeErrorResponse } from "@/server/route-errors";
import { requestIdFrom } from "@/server/request";
import { jsonSearchParam } from "@/server/route-input";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/consent/export?filters=<json ConsentFilters> — the organization's consent log
 * (consents and revocations, the page's filters; everything when absent) as a streamed CSV
 * download. Any member reads the log. Audited.
 */
export async function GET(req: Request) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "user");
    const filters = jsonSearchParam(new URL(req.url), "filters", consentFiltersSchema, {});
    consentFilterSql(ctx.orgId, filters); // refuses a bad search before the download starts
    const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
    await recordAudit(ctx.db, { orgId: ctx.orgId, actorId: ctx.userId, action: "consent.exported", details: { filters: JSON.parse(JSON.stringify(filters)) }, requestId });
    return new Response(consentCsvStream(ctx.db, ctx.orgId, filters), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="consent-log-${orgDay(timeZone)}.csv"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
