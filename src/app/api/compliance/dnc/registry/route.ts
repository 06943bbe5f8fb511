import { orgContextFromRequest } from "@/server/auth/route-context";
import { loadRegistryExtract } from "@/server/compliance/dnc-registry";
import { MAX_REGISTRY_UPLOAD_BYTES, registryUploadQuery } from "@/server/compliance/dnc-schema";
import { AppError } from "@/server/errors";
import { requestIdFrom } from "@/server/request";
import { routeErrorResponse } from "@/server/route-errors";
import { withApiSecurityHeaders } from "@/server/route-security";

export const dynamic = "force-dynamic";

/**
 * POST /api/compliance/dnc/registry?areaCode=512&extractDate=2026-11-20&fileName=512.txt — the raw
 * bytes of a National DNC Registry extract for one area code (one 10-digit number per line) as the
 * request body; admins only. The numbers are loaded as the body arrives (never held whole) and,
 * once all are in, replace the area code's previous extract in one step. Answers 201 with the
 * upload (counts, extract date), the first rejected lines and the load rate.
 *
 * The proxy (src/proxy.ts) does not run for this path: it would buffer the body whole. So the
 * security headers it gives other API responses are set here.
 */
export async function POST(req: Request) {
  return withApiSecurityHeaders(req, await upload(req));
}

async function upload(req: Request): Promise<Response> {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "admin");
    const query = registryUploadQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!query.success) {
      const issue = query.error.issues[0];
      const field = String(issue?.path[0] ?? "file");
      const message = issue?.message ?? "Invalid upload.";
      throw new AppError("BAD_REQUEST", message, { field }, { cause: Object.assign(new Error(message), { issues: [{ path: [field], message }] }) });
    }
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (declared > MAX_REGISTRY_UPLOAD_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", "The file is larger than 200 MB; an area code's extract is far smaller. Check it is the right file.");
    const result = await loadRegistryExtract({ ...ctx, requestId }, { ...query.data, body: req.body }).catch((error: unknown) => {
      if (req.signal.aborted) throw new AppError("REQUEST_ABORTED", "The upload was cancelled; nothing changed.", undefined, { cause: error });
      throw error;
    });
    return Response.json(result, { status: 201, headers: { "cache-control": "no-store", "x-request-id": requestId } });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
