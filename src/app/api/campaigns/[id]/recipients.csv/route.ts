import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest } from "@/server/auth/route-context";
import { campaignForExport, recipientsCsvStream } from "@/server/campaigns/export";
import { csvDownloadResponse } from "@/server/csv/write";
import { requestIdFrom } from "@/server/request";
import { routeErrorResponse } from "@/server/route-errors";
import { pathParam } from "@/server/route-input";

export const dynamic = "force-dynamic";

/**
 * GET /api/campaigns/:id/recipients.csv — every recipient of a campaign (excluded ones with their
 * reason) with its message's delivery state, reply and opt-out, streamed (managers and admins; audited).
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const id = await pathParam(params, "id");
    const campaign = await campaignForExport(ctx.db, ctx.orgId, id);
    await recordAudit(ctx.db, { orgId: ctx.orgId, actorId: ctx.userId, action: "campaign_recipients.exported", details: { campaignId: id }, requestId });
    const base = campaign.name.replace(/[^A-Za-z0-9._ -]+/g, "_").trim().slice(0, 80) || "campaign";
    return csvDownloadResponse(recipientsCsvStream(ctx.db, ctx.orgId, id), `${base}-recipients.csv`, requestId);
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
