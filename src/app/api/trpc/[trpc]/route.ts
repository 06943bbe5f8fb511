import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_TRPC_BATCH_SIZE, MAX_TRPC_BODY_BYTES } from "@/lib/request-limits";
import { getSession } from "@/server/auth/session";
import { AppError } from "@/server/errors";
import { appRouter } from "@/server/root";
import { clientIpFrom, requestIdFrom } from "@/server/request";
import { withBodyLimit } from "@/server/route-input";
import { withApiSecurityHeaders } from "@/server/route-security";
import { routeErrorResponse } from "@/server/route-errors";
import { urlPathProblem } from "@/lib/text-schema";
import { createTRPCContext } from "@/server/trpc";

/**
 * The app's API. Like the webhook routes it skips src/proxy.ts (see its matcher): every signed-in
 * screen calls it, and the proxy's pass through Next's middleware machinery cost more than the
 * headers it adds, which this handler sets itself (the request id, the API security headers).
 */
async function handler(req: Request) {
  const requestId = requestIdFrom(req.headers);
  // The proxy's path check: tRPC would meet a path that is not valid UTF-8 with a 500.
  const pathProblem = urlPathProblem(new URL(req.url).pathname);
  if (pathProblem) return withApiSecurityHeaders(req, routeErrorResponse(new AppError("BAD_REQUEST", pathProblem), requestId));
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: withBodyLimit(req, MAX_TRPC_BODY_BYTES),
    router: appRouter,
    maxBatchSize: MAX_TRPC_BATCH_SIZE,
    createContext: async () =>
      createTRPCContext({ session: await getSession(), requestId, ip: clientIpFrom(req.headers) }),
    responseMeta: ({ errors }) => {
      const headers = new Headers({ "x-request-id": requestId });
      const retryAfter = Math.max(
        0,
        ...errors.map((error) => (error instanceof AppError ? (error.retryAfterSeconds ?? 0) : 0)),
      );
      if (retryAfter > 0) headers.set("retry-after", String(retryAfter));
      return { headers };
    },
  });
  return withApiSecurityHeaders(req, response);
}

export { handler as GET, handler as POST };
