import { orgDay } from "@/lib/org-day";
import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest } from "@/server/auth/route-context";
import { dncChecksCsvStream } from "@/server/compliance/dnc-export";
import { requestIdFrom } from "@/server/request";
import { routeErrorResponse } from "@/server/route-errors";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/dnc/checks/export — the evidence of every DNC check of the organization
 * (checked at, phone, result, sources, registry extract date, purpose, who) as a streamed CSV,
 * newest first (managers and admins). Audited.
 */
export async function GET(req: Request) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
    await recordAudit(ctx.db, { orgId: ctx.orgId, actorId: ctx.userId, action: "dnc.checks_exported", requestId });
    return new Response(dncChecksCsvStream(ctx.db, ctx.orgId), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="dnc-checks-${orgDay(timeZone)}.csv"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
