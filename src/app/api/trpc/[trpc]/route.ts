import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getSession } from "@/server/auth/session";
import { appRouter } from "@/server/root";
import { clientIpFrom, requestIdFrom } from "@/server/request";
import { createTRPCContext } from "@/server/trpc";

function handler(req: Request) {
  const requestId = requestIdFrom(req.headers);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createTRPCContext({ session: await getSession(), requestId, ip: clientIpFrom(req.headers) }),
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId }) }),
  });
}

export { handler as GET, handler as POST };
