import "server-only";
import type { Role } from "@/generated/prisma/enums";
import { db } from "../db";
import { AppError } from "../errors";
import { requestIdFrom } from "../request";
import { assertRole, resolveMembership } from "./membership";
import { getSession } from "./session";

/** The org context of a route handler request: the same rules as orgProcedure. */
export async function orgContextFromRequest(req: Request, minimumRole: Role = "user") {
  const requestId = requestIdFrom(req.headers);
  const session = await getSession();
  if (!session?.user?.id) throw new AppError("UNAUTHORIZED", "Please sign in to continue.");
  const membership = await resolveMembership(db, session.user.id, session.sessionId);
  assertRole(membership.role, minimumRole);
  return { db, userId: session.user.id, requestId, ...membership };
}
