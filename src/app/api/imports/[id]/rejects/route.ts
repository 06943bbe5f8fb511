import { orgContextFromRequest } from "@/server/auth/route-context";
import { routeErrorResponse } from "@/server/route-errors";
import { csvDownloadResponse } from "@/server/csv/write";
import { rejectsCsvStream } from "@/server/leads/import/rejects";
import { requestIdFrom } from "@/server/request";
import { pathParam } from "@/server/route-input";

export const dynamic = "force-dynamic";

/** GET /api/imports/:id/rejects — every rejected row of an import: row_number, reason, then its original columns. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const id = await pathParam(params, "id");
    const { fileName, stream } = await rejectsCsvStream(ctx.db, ctx.orgId, id);
    const base = fileName.replace(/\.csv$/i, "").replace(/[^A-Za-z0-9._ -]+/g, "_").slice(0, 100) || "import";
    return csvDownloadResponse(stream, `${base}-rejected-rows.csv`, requestId);
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
