import "server-only";
import type { z } from "zod";
import type { Db } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/password";
import { listLiveSessions, revokeAllSessions, revokeSession } from "../auth/sessions";
import { hashInviteToken } from "../auth/invite-token";
import type { acceptInviteInput, signUpInput } from "./schema";
import { env } from "../env";
import { listDevOutbox } from "../mail/send";

const DUPLICATE_ACCOUNT = "An account with that email already exists. Sign in instead.";

/** Creates an organization, its settings and its first admin in one transaction. */
export async function signUp(db: Db, input: z.infer<typeof signUpInput>, requestId?: string) {
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", DUPLICATE_ACCOUNT);
  const passwordHash = await hashPassword(input.password);
  const created = await db.$transaction(async (tx) => {
    const organization = await tx.organization.create({
      data: { name: input.organizationName, timeZone: input.timeZone, settings: { create: {} } },
    });
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
    await tx.membership.create({ data: { organizationId: organization.id, userId: user.id, role: "admin" } });
    await recordAudit(tx, {
      orgId: organization.id,
      actorId: user.id,
      action: "organization.created",
      targetType: "organization",
      targetId: organization.id,
      requestId,
    });
    return { userId: user.id, organizationId: organization.id };
  }).catch((error: unknown) => {
    // Two sign-ups with one email at once: the loser gets the same answer as a later one.
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", DUPLICATE_ACCOUNT);
    throw error;
  });
  return created;
}

async function findUsableInvite(db: Pick<Db, "invite">, token: string) {
  const invite = await db.invite.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    include: { organization: { select: { name: true } } },
  });
  if (!invite || invite.revokedAt) throw new AppError("NOT_FOUND", "This invite link is not valid. Ask your admin for a new one.");
  if (invite.acceptedAt) throw new AppError("CONFLICT", "This invite was already used. Sign in instead.");
  if (invite.expiresAt.getTime() <= Date.now()) {
    throw new AppError("PRECONDITION_FAILED", "This invite link has expired. Ask your admin for a new one.");
  }
  return invite;
}

export async function getInviteInfo(db: Db, token: string) {
  const invite = await findUsableInvite(db, token);
  return { organizationName: invite.organization.name, email: invite.email, role: invite.role, expiresAt: invite.expiresAt };
}

export async function acceptInvite(db: Db, input: z.infer<typeof acceptInviteInput>, requestId?: string) {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const invite = await findUsableInvite(tx, input.token);
    // Claim the invite first so two concurrent accepts cannot both succeed.
    const claimed = await tx.invite.updateMany({
      where: { id: invite.id, acceptedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw new AppError("CONFLICT", "This invite was already used. Sign in instead.");
    const existing = await tx.user.findUnique({ where: { email: invite.email }, select: { id: true } });
    if (existing) {
      throw new AppError("CONFLICT", "An account with this email already exists; it cannot join a second organization yet.");
    }
    const user = await tx.user.create({ data: { email: invite.email, name: input.name, passwordHash } });
    await tx.membership.create({ data: { organizationId: invite.organizationId, userId: user.id, role: invite.role } });
    await recordAudit(tx, {
      orgId: invite.organizationId,
      actorId: user.id,
      action: "invite.accepted",
      targetType: "user",
      targetId: user.id,
      details: { inviteId: invite.id, role: invite.role },
      requestId,
    });
    return { email: invite.email, organizationId: invite.organizationId };
  });
}

export async function getMe(db: Db, orgId: string, userId: string) {
  const membership = await db.membership.findUniqueOrThrow({
    where: { organizationId_userId: { organizationId: orgId, userId } },
    select: {
      role: true,
      user: { select: { id: true, email: true, name: true } },
      organization: { select: { id: true, name: true, timeZone: true } },
    },
  });
  return { user: membership.user, organization: membership.organization, role: membership.role };
}

/** The user's signed-in browsers, newest activity first, the one asking marked. */
export async function listSessions(db: Db, userId: string, currentSessionId: string | undefined) {
  const sessions = await listLiveSessions(db, userId);
  return { sessions: sessions.map((session) => ({ ...session, current: session.id === currentSessionId })) };
}

export async function endOwnSession(db: Db, userId: string, sessionId: string) {
  await revokeSession(db, userId, sessionId);
  return { ok: true as const };
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(db: Db, userId: string) {
  return { revoked: await revokeAllSessions(db, userId) };
}

/** The connection came from this machine (the outbox shows password reset links of every account). */
function isLoopback(ip: string | null): boolean {
  return ip !== null && (ip === "::1" || /^127\./.test(ip) || /^::ffff:127\./i.test(ip));
}

/**
 * The development outbox: only when LEADFLOW_DEV_OUTBOX=1 (set by `npm run dev` on its embedded
 * database) and only to a browser on this machine; elsewhere it does not exist.
 */
export async function devOutbox(db: Db, limit: number, ip: string | null) {
  if (env.LEADFLOW_DEV_OUTBOX !== "1" || !isLoopback(ip)) throw new AppError("NOT_FOUND", "There is no outbox here.");
  return { emails: await listDevOutbox(db, limit), smtpConfigured: Boolean(env.SMTP_URL) };
}
