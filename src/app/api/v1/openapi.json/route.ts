import { requestIdFrom } from "@/server/request";
import { routeErrorResponse } from "@/server/route-errors";
import { openApiDocument } from "../openapi-document";

/** The REST API's OpenAPI document, at a stable URL; public (it describes, it holds no data). */
export function GET(req: Request) {
  const requestId = requestIdFrom(req.headers);
  try {
    return Response.json(openApiDocument(), { headers: { "x-request-id": requestId, "cache-control": "public, max-age=300" } });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
