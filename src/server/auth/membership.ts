import "server-only";
import type { Role } from "@/generated/prisma/enums";
import type { Db } from "../db";
import { AppError } from "../errors";

export type ActiveMembership = { membershipId: string; orgId: string; role: Role };

/**
 * Tenancy is decided here and nowhere else: the organization comes from the signed-in user's
 * active membership, read from the database on every request, so a deactivation or role change
 * applies to the very next call. Used by orgProcedure and by route handlers.
 */
export async function resolveMembership(db: Db, userId: string): Promise<ActiveMembership> {
  const membership = await db.membership.findFirst({
    where: { userId },
    orderBy: [{ deactivatedAt: { sort: "desc", nulls: "first" } }, { createdAt: "asc" }],
    select: { id: true, organizationId: true, role: true, deactivatedAt: true },
  });
  if (!membership) throw new AppError("UNAUTHORIZED", "Your account is not part of an organization.");
  if (membership.deactivatedAt) {
    throw new AppError("UNAUTHORIZED", "Your account has been deactivated. Ask an admin to reactivate it.");
  }
  return { membershipId: membership.id, orgId: membership.organizationId, role: membership.role };
}

const ROLE_RANK: Record<Role, number> = { user: 0, manager: 1, admin: 2 };

export function assertRole(actual: Role, minimum: Role) {
  if (ROLE_RANK[actual] < ROLE_RANK[minimum]) {
    throw new AppError("FORBIDDEN", `This needs the ${minimum} role; you are a ${actual}. Ask an admin.`);
  }
}
