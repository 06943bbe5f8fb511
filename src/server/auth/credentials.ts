import "server-only";
import type { Db } from "../db";
import { loginLockout, recordLoginAttempt } from "./login-rate-limit";
import { hashPassword, verifyPassword } from "./password";

export type CredentialsOutcome =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; reason: string };

export const INVALID_CREDENTIALS = "That email and password do not match.";

// Verifying against a fixed hash when the email is unknown keeps both answers equally slow,
// so response times do not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
const timingEqualizer = () => (dummyHash ??= hashPassword("not-a-real-password-for-timing"));

export async function checkCredentials(db: Db, rawEmail: string, password: string, ip: string | null): Promise<CredentialsOutcome> {
  const email = rawEmail.trim().toLowerCase();
  const lockout = await loginLockout(db, email, ip);
  if (lockout) {
    return { ok: false, reason: `Too many failed sign-ins. Try again in ${lockout.retryAfterMinutes} minute(s).` };
  }
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, memberships: { select: { deactivatedAt: true } } },
  });
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await timingEqualizer(), password), false);
  await recordLoginAttempt(db, email, ip, valid);
  if (!user || !valid) return { ok: false, reason: INVALID_CREDENTIALS };
  if (user.memberships.length > 0 && user.memberships.every((m) => m.deactivatedAt)) {
    return { ok: false, reason: "Your account has been deactivated. Ask an admin to reactivate it." };
  }
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
