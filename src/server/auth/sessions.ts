import "server-only";
import type { Db, Prisma } from "../db";
import { AppError } from "../errors";

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** …and after this long in any case (also the session cookie's lifetime). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** lastSeenAt is written at most this often, not on every request. */
export const LAST_SEEN_REFRESH_MS = 5 * 60 * 1000;

type Liveness = { lastSeenAt: Date; expiresAt: Date; revokedAt: Date | null };

export function sessionIsLive(session: Liveness, now: Date): boolean {
  return !session.revokedAt && session.expiresAt > now && now.getTime() - session.lastSeenAt.getTime() < SESSION_IDLE_MS;
}

/** The filter for sessions that are live at `now`. */
function liveWhere(now: Date): Prisma.AuthSessionWhereInput {
  return { revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: new Date(now.getTime() - SESSION_IDLE_MS) } };
}

export async function startSession(db: Db, userId: string, device: { userAgent: string | null; ip: string | null }) {
  return db.authSession.create({
    data: {
      userId,
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
      userAgent: device.userAgent?.slice(0, 512) || null,
      ip: device.ip,
    },
    select: { id: true },
  });
}

/** Rolls the idle limit forward; the condition keeps concurrent requests to one write. */
export async function touchSession(db: Db, sessionId: string, lastSeenAt: Date, now: Date) {
  if (now.getTime() - lastSeenAt.getTime() < LAST_SEEN_REFRESH_MS) return;
  await db.authSession.updateMany({
    where: { id: sessionId, lastSeenAt: { lt: new Date(now.getTime() - LAST_SEEN_REFRESH_MS) } },
    data: { lastSeenAt: now },
  });
}

export async function listLiveSessions(db: Db, userId: string) {
  return db.authSession.findMany({
    where: { userId, ...liveWhere(new Date()) },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true, ip: true },
  });
}

/** Ends one of the user's own sessions; another user's session id is NOT_FOUND. */
export async function revokeSession(db: Db, userId: string, sessionId: string) {
  const { count } = await db.authSession.updateMany({
    where: { id: sessionId, userId, ...liveWhere(new Date()) },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("NOT_FOUND", "That session has already ended.");
}

/** Sign-out: the token is signed, so its session id needs no owner check. */
export async function endSession(db: Db, sessionId: string) {
  await db.authSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every live session of the user (sign out everywhere, deactivation). */
export async function revokeAllSessions(db: Pick<Db, "authSession">, userId: string): Promise<number> {
  const { count } = await db.authSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}
