import "server-only";
import { createHydrationHelpers } from "@trpc/react-query/rsc";
import { headers } from "next/headers";
import { cache } from "react";
import { getSession, getViewer } from "@/server/auth/session";
import { createCaller, type AppRouter } from "@/server/root";
import { clientIpFrom, requestIdFrom } from "@/server/request";
import { createTRPCContext } from "@/server/trpc";
import { createQueryClient } from "./query-client";

/** One context per render: its procedures share the layout's read of the session and membership (getViewer). */
const createContext = cache(async () => {
  const heads = await headers();
  return createTRPCContext({ session: await getSession(), requestId: requestIdFrom(heads), ip: clientIpFrom(heads), viewer: getViewer });
});

const getQueryClient = cache(createQueryClient);

/** Server components prefetch with `api.x.y.prefetch()` and wrap the client part in HydrateClient. */
export const { trpc: api, HydrateClient } = createHydrationHelpers<AppRouter>(createCaller(createContext), getQueryClient);
