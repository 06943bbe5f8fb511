import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { db } from "../db";
import { authOptions } from "./options";

export const getSession = cache(() => getServerSession(authOptions));

export type Viewer = {
  userId: string;
  email: string;
  name: string | null;
  orgId: string;
  orgName: string;
  role: "admin" | "manager" | "user";
};

export type ViewerState = { kind: "signed-out" } | { kind: "no-org" | "deactivated"; email: string } | { kind: "active"; viewer: Viewer };

/** What the signed-in shell renders from: read from the database on every request. */
export const getViewerState = cache(async (): Promise<ViewerState> => {
  const session = await getSession();
  if (!session?.user?.id) return { kind: "signed-out" };
  const user = await db.user.findUnique({
    where: { id: session.user.id },
    select: {
      id: true,
      email: true,
      name: true,
      memberships: {
        orderBy: [{ deactivatedAt: { sort: "desc", nulls: "first" } }, { createdAt: "asc" }],
        take: 1,
        select: { role: true, deactivatedAt: true, organization: { select: { id: true, name: true } } },
      },
    },
  });
  if (!user) return { kind: "signed-out" };
  const membership = user.memberships[0];
  if (!membership) return { kind: "no-org", email: user.email };
  if (membership.deactivatedAt) return { kind: "deactivated", email: user.email };
  return {
    kind: "active",
    viewer: {
      userId: user.id,
      email: user.email,
      name: user.name,
      orgId: membership.organization.id,
      orgName: membership.organization.name,
      role: membership.role,
    },
  };
});
