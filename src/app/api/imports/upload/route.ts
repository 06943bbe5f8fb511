import { orgContextFromRequest } from "@/server/auth/route-context";
import { routeErrorResponse } from "@/server/route-errors";
import { AppError } from "@/server/errors";
import { MAX_UPLOAD_BYTES, uploadFileNameSchema, type ImportUploadResponse } from "@/server/leads/import/schema";
import { storeUpload, tooLarge } from "@/server/leads/import/upload";
import { requestIdFrom } from "@/server/request";
import { withApiSecurityHeaders } from "@/server/route-security";

export const dynamic = "force-dynamic";

/**
 * POST /api/imports/upload?fileName=<name> — the raw bytes of a CSV file as the request body
 * (managers and admins; up to MAX_UPLOAD_BYTES, 413 above). The body is streamed into Postgres as
 * it arrives, never held whole. Answers 201 with the upload's id for `imports.preview` and
 * `imports.create`, its row count, and why it cannot be imported if it cannot (`problem`).
 *
 * The proxy (src/proxy.ts) does not run for this path: Next buffers the body of every request
 * the proxy sees in memory (and cuts it at experimental.proxyClientMaxBodySize, 10 MB). So the
 * security headers the proxy gives other API responses are set here.
 */
export async function POST(req: Request) {
  return withApiSecurityHeaders(req, await upload(req));
}

async function upload(req: Request): Promise<Response> {
  // As the proxy does for the requests it sees: a client's request id is kept only when well-formed.
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const name = uploadFileNameSchema.safeParse(new URL(req.url).searchParams.get("fileName") ?? "");
    if (!name.success) throw new AppError("BAD_REQUEST", name.error.issues[0]?.message ?? "Invalid file name.");
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (declared > MAX_UPLOAD_BYTES) throw tooLarge();

    const stored = await storeUpload(ctx, { fileName: name.data, body: req.body }).catch((error: unknown) => {
      if (req.signal.aborted) throw new AppError("REQUEST_ABORTED", "The upload was cancelled.", undefined, { cause: error });
      throw error;
    });
    const body: ImportUploadResponse = {
      upload: { id: stored.id, fileName: stored.fileName, byteSize: stored.byteSize, rowCount: stored.rowCount, problem: stored.problem },
    };
    return Response.json(body, { status: 201, headers: { "cache-control": "no-store", "x-request-id": requestId } });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
