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

/** What the signed-in shell renders from: the same read, and rule, as resolveMembership. */
export const getViewerState = cache(async (): Promise<ViewerState> => {
  const session = await getSession();
  const viewer = await readViewer(db, session?.user?.id, session?.sessionId);
  if (viewer.kind === "signed-out") return viewer;
  if (viewer.kind !== "active") return { kind: viewer.kind, email: viewer.email };
  const { userId, email, name, orgId, orgName, role } = viewer;
  return { kind: "active", viewer: { userId, email, name, orgId, orgName, role } };
});
