import "server-only";
import type { Db } from "../db";
import { env } from "../env";
import { SESSION_IDLE_MS } from "./sessions";

/**
 * Failed sign-ins are counted in Postgres so the limit holds across server processes.
 * An address is locked after LOGIN_MAX_FAILURES failures in LOGIN_WINDOW_MINUTES, and one IP
 * after four times as many (spraying many accounts from one place).
 */
export async function loginLockout(db: Db, email: string, ip: string | null): Promise<{ retryAfterMinutes: number } | null> {
  const windowMs = env.LOGIN_WINDOW_MINUTES * 60_000;
  const since = new Date(Date.now() - windowMs);
  const [byEmail, byIp] = await Promise.all([
    db.loginAttempt.findMany({
      where: { email, succeeded: false, createdAt: { gte: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    ip ? db.loginAttempt.count({ where: { ip, succeeded: false, createdAt: { gte: since } } }) : 0,
  ]);
  const locked = byEmail.length >= env.LOGIN_MAX_FAILURES || byIp >= env.LOGIN_MAX_FAILURES * 4;
  if (!locked) return null;
  const oldest = byEmail[0]?.createdAt.getTime() ?? Date.now();
  return { retryAfterMinutes: Math.max(1, Math.ceil((oldest + windowMs - Date.now()) / 60_000)) };
}

export async function recordLoginAttempt(db: Db, email: string, ip: string | null, succeeded: boolean) {
  await db.loginAttempt.create({ data: { email, ip, succeeded } });
}

/** How long sign-in attempts and ended sessions are kept, as a record of who tried to get in. */
export const AUTH_RECORD_RETENTION_DAYS = 30;

/** Deletes sign-in attempts and ended sessions (signed out, revoked, idle or past their end) older than the retention. */
export async function deleteOldAuthRecords(db: Db, now = new Date()): Promise<{ loginAttempts: number; sessions: number }> {
  const before = new Date(now.getTime() - AUTH_RECORD_RETENTION_DAYS * 86_400_000);
  const idleBefore = new Date(before.getTime() - SESSION_IDLE_MS);
  const [loginAttempts, sessions] = await Promise.all([
    db.loginAttempt.deleteMany({ where: { createdAt: { lt: before } } }),
    db.authSession.deleteMany({
      where: { OR: [{ revokedAt: { lt: before } }, { expiresAt: { lt: before } }, { lastSeenAt: { lt: idleBefore } }] },
    }),
  ]);
  return { loginAttempts: loginAttempts.count, sessions: sessions.count };
}
