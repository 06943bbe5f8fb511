import "server-only";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { cache } from "react";
import { db } from "../db";
import { assertCallbackUrlCookies } from "../route-input";
import { readViewer } from "./membership";
import { authOptions } from "./options";

export const getSession = cache(async () => {
  assertCallbackUrlCookies((await cookies()).getAll());
  return getServerSession(authOptions);
});

export type Viewer = {
  userId: string;
  email: string;
  name: string | null;
  orgId: string;
  orgName: string;
  role: "admin" | "manager" | "user";
};

export type ViewerState = { kind: "signed-out" } | { kind: "no-org" | "deactivated"; email: string } | { kind: "active"; viewer: Viewer };

/**
 * The request's one read of its session and membership (readViewer, from the database on every
 * request): the signed-in layout, the page and every procedure the page prefetches share it
 * (trpc/server.ts passes it to the tRPC context).
 */
export const getViewer = cache(async () => {
  const session = await getSession();
  return readViewer(db, session?.user?.id, session?.sessionId);
});

/** What the signed-in shell renders from: the same read, and rule, as orgProcedure. */
export const getViewerState = cache(async (): Promise<ViewerState> => {
  const viewer = await getViewer();
  if (viewer.kind === "signed-out") return viewer;
  if (viewer.kind !== "active") return { kind: viewer.kind, email: viewer.email };
  const { userId, email, name, orgId, orgName, role } = viewer;
  return { kind: "active", viewer: { userId, email, name, orgId, orgName, role } };
});
