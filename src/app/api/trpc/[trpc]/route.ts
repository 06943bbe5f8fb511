import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_TRPC_BATCH_SIZE, MAX_TRPC_BODY_BYTES } from "@/lib/request-limits";
import { getSession } from "@/server/auth/session";
import { AppError } from "@/server/errors";
import { appRouter } from "@/server/root";
import { clientIpFrom, requestIdFrom } from "@/server/request";
import { withBodyLimit } from "@/server/route-input";
import { createTRPCContext } from "@/server/trpc";

function handler(req: Request) {
  const requestId = requestIdFrom(req.headers);
  return fetchRequestHandler({
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
}

export { handler as GET, handler as POST };
