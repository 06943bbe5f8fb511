import "server-only";
import type { Session } from "next-auth";
import { cookies } from "next/headers";
import { cache } from "react";
import { db } from "../db";
import { assertCallbackUrlCookies } from "../route-input";
import { readViewer } from "./membership";
import { env } from "../env";
import { sessionOfToken } from "./options";
import { decodeSessionToken, sessionTokenFrom } from "@/lib/session-token";

/**
 * The request's session from its cookie, as next-auth's getServerSession answers it (the session
 * callback's fields, null without a valid token), without next-auth's handler: that re-encrypts
 * the token on every call for a cookie a server component or route handler never sets, and
 * derives the key again each time (session-token.ts remembers decrypted tokens).
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const cookieList = (await cookies()).getAll();
  assertCallbackUrlCookies(cookieList);
  const token = await decodeSessionToken(sessionTokenFrom(cookieList, env.NEXTAUTH_URL), env.NEXTAUTH_SECRET);
  if (!token) return null;
  const session = sessionOfToken(token);
  if (!session.user) return null;
  return { user: session.user, sessionId: session.sessionId, expires: typeof token.exp === "number" ? new Date(token.exp * 1000).toISOString() : "" };
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
