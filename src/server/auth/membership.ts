import "server-only";
import type { Role } from "@/generated/prisma/enums";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";
import { AppError } from "../errors";
import { sessionIsLive, touchSession } from "./sessions";

export type ActiveMembership = { membershipId: string; orgId: string; role: Role };

/** Who is making a request, as the database says right now. */
export type ViewerRecord =
  | { kind: "signed-out" }
  | { kind: "no-org" | "deactivated"; userId: string; email: string; name: string | null }
  | ({ kind: "active"; userId: string; email: string; name: string | null; orgName: string } & ActiveMembership);

type ViewerRow = {
  userId: string;
  email: string;
  name: string | null;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  membershipId: string | null;
  orgId: string | null;
  orgName: string | null;
  role: Role | null;
  deactivatedAt: Date | null;
};

/**
 * The session row and the user's membership in one round trip. The membership rule lives here
 * and nowhere else: an active membership before a deactivated one, then the oldest.
 */
async function readViewerRow(db: Db, userId: string, sessionId: string): Promise<ViewerRow | undefined> {
  // On the pool as a prepared statement (db.ts querySql): every signed-in request runs it.
  // Timestamps are read as UTC instants (the columns hold UTC without a time zone).
  const rows = await querySql<ViewerRow>(db, Prisma.sql`
    SELECT s."userId", u.email, u.name, s."lastSeenAt" AT TIME ZONE 'UTC' AS "lastSeenAt",
           s."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", s."revokedAt" AT TIME ZONE 'UTC' AS "revokedAt",
           m.id AS "membershipId", m."organizationId" AS "orgId", o.name AS "orgName",
           m.role::text AS role, m."deactivatedAt" AT TIME ZONE 'UTC' AS "deactivatedAt"
    FROM "AuthSession" s
    JOIN "User" u ON u.id = s."userId"
    LEFT JOIN LATERAL (
      SELECT id, "organizationId", role, "deactivatedAt" FROM "Membership"
      WHERE "userId" = s."userId"
      ORDER BY "deactivatedAt" DESC NULLS FIRST, "createdAt" ASC
      LIMIT 1
    ) m ON true
    LEFT JOIN "Organization" o ON o.id = m."organizationId"
    WHERE s.id = ${sessionId} AND s."userId" = ${userId}`);
  return rows[0];
}

/**
 * Tenancy and sign-in are decided here and nowhere else: the session must be live (not signed
 * out, revoked, idle too long or past its absolute end) and the organization comes from the
 * user's membership, both read from the database on every request, so a sign-out, deactivation
 * or role change applies to the very next call. Used by orgProcedure, route handlers and pages.
 */
export async function readViewer(db: Db, userId: string | undefined, sessionId: string | undefined): Promise<ViewerRecord> {
  if (!userId || !sessionId) return { kind: "signed-out" };
  const row = await readViewerRow(db, userId, sessionId);
  if (!row) return { kind: "signed-out" };
  // A deactivation also revokes the sessions; the holder of one is still told why.
  const person = { userId: row.userId, email: row.email, name: row.name };
  if (!row.membershipId || !row.orgId || !row.role) return { kind: "no-org", ...person };
  if (row.deactivatedAt) return { kind: "deactivated", ...person };
  const now = new Date();
  if (!sessionIsLive(row, now)) return { kind: "signed-out" };
  await touchSession(db, sessionId, row.lastSeenAt, now);
  return { kind: "active", ...person, membershipId: row.membershipId, orgId: row.orgId, orgName: row.orgName ?? "", role: row.role };
}

/** The organization and role of an active viewer; why not, as UNAUTHORIZED, for every other kind. */
export function membershipOf(viewer: ViewerRecord): ActiveMembership {
  switch (viewer.kind) {
    case "signed-out":
      throw new AppError("UNAUTHORIZED", "Your session has ended. Please sign in again.");
    case "no-org":
      throw new AppError("UNAUTHORIZED", "Your account is not part of an organization.");
    case "deactivated":
      throw new AppError("UNAUTHORIZED", "Your account has been deactivated. Ask an admin to reactivate it.");
    case "active":
      return { membershipId: viewer.membershipId, orgId: viewer.orgId, role: viewer.role };
  }
}

export async function resolveMembership(db: Db, userId: string, sessionId: string | undefined): Promise<ActiveMembership> {
  return membershipOf(await readViewer(db, userId, sessionId));
}

const ROLE_RANK: Record<Role, number> = { user: 0, manager: 1, admin: 2 };

export function assertRole(actual: Role, minimum: Role) {
  if (ROLE_RANK[actual] < ROLE_RANK[minimum]) {
    throw new AppError("FORBIDDEN", `This needs the ${minimum} role; you are a ${actual}. Ask an admin.`);
  }
}
