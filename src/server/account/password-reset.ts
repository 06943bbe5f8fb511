import "server-only";
import type { z } from "zod";
import { recordAudit } from "../audit/record";
import { newInviteToken, hashInviteToken } from "../auth/invite-token";
import { hashPassword } from "../auth/password";
import { revokeAllSessions } from "../auth/sessions";
import { lockUntilCommit, type Db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import { sendEmail } from "../mail/send";
import type { MailTransport } from "../providers/mail-transport";
import type { requestPasswordResetInput, resetPasswordInput } from "./schema";

/** At most this many reset emails per account per hour; more asks get the same answer and no email. */
export const RESET_EMAILS_PER_HOUR = 3;

const INVALID_LINK = "This password reset link is not valid. Ask for a new one from the sign-in page.";

/**
 * "Forgot password": emails a single-use link, valid for PASSWORD_RESET_TTL_MINUTES, to the
 * account's address. The answer is the same whether or not the address has an account (no way
 * to learn who signs in here); a newer link makes the earlier ones stop working.
 */
export async function requestPasswordReset(
  db: Db,
  input: z.infer<typeof requestPasswordResetInput>,
  request: { ip: string | null },
  transport?: MailTransport | null,
) {
  const answer = { ok: true as const, devOutbox: env.LEADFLOW_DEV_OUTBOX === "1" && !env.SMTP_URL };
  const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true, email: true, name: true } });
  if (!user) return answer;
  const { token, tokenHash } = newInviteToken();
  const ttlMinutes = env.PASSWORD_RESET_TTL_MINUTES;
  // Counted and written under one lock per account, so asks at once cannot pass the limit together.
  const issued = await db.$transaction(async (tx) => {
    await lockUntilCommit(tx, `password-reset:${user.id}`);
    const recent = await tx.passwordResetToken.count({ where: { userId: user.id, createdAt: { gt: new Date(Date.now() - 3_600_000) } } });
    if (recent >= RESET_EMAILS_PER_HOUR) return false;
    await tx.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { expiresAt: new Date() } });
    await tx.passwordResetToken.create({ data: { userId: user.id, tokenHash, expiresAt: new Date(Date.now() + ttlMinutes * 60_000), requestIp: request.ip } });
    return true;
  });
  if (!issued) return answer;
  const link = `${env.NEXTAUTH_URL.replace(/\/$/, "")}/reset-password/${token}`;
  const greeting = user.name ? `Hi ${user.name.split(" ")[0]},` : "Hi,";
  await sendEmail(
    db,
    {
      kind: "password_reset",
      userId: user.id,
      to: user.email,
      subject: "Reset your LeadFlow password",
      text: `${greeting}\n\nSomeone (hopefully you) asked to reset the password of your LeadFlow account. Choose a new one here:\n\n${link}\n\nThe link works once, for ${ttlMinutes} minutes. If you did not ask, ignore this email: your password stays as it is.\n`,
    },
    transport,
  );
  return answer;
}

async function usableToken(db: Pick<Db, "passwordResetToken">, token: string) {
  const row = await db.passwordResetToken.findUnique({ where: { tokenHash: hashInviteToken(token) }, select: { id: true, userId: true, usedAt: true, expiresAt: true, user: { select: { email: true } } } });
  if (!row) throw new AppError("NOT_FOUND", INVALID_LINK);
  if (row.usedAt) throw new AppError("CONFLICT", "This password reset link was already used. Sign in, or ask for a new link.");
  if (row.expiresAt.getTime() <= Date.now()) throw new AppError("PRECONDITION_FAILED", "This password reset link has expired. Ask for a new one from the sign-in page.");
  return row;
}

/** Whom a reset link is for (the page says it), or why it no longer works. */
export async function passwordResetInfo(db: Db, token: string) {
  const row = await usableToken(db, token);
  return { email: row.user.email, expiresAt: row.expiresAt };
}

/**
 * Sets the new password, once per link: the link is claimed in the same transaction, every session
 * of the account is ended (whoever else was signed in is signed out), and each of the account's
 * organizations gets an audit row.
 */
export async function resetPassword(db: Db, input: z.infer<typeof resetPasswordInput>, requestId?: string) {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const row = await usableToken(tx, input.token);
    const claimed = await tx.passwordResetToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) throw new AppError("CONFLICT", "This password reset link was already used. Sign in, or ask for a new link.");
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
    const endedSessions = await revokeAllSessions(tx, row.userId);
    const memberships = await tx.membership.findMany({ where: { userId: row.userId }, select: { organizationId: true } });
    for (const { organizationId } of memberships) {
      await recordAudit(tx, { orgId: organizationId, actorId: row.userId, action: "user.password_reset", targetType: "user", targetId: row.userId, details: { endedSessions }, requestId });
    }
    return { email: row.user.email };
  });
}
