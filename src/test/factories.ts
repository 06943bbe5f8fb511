import { randomUUID } from "node:crypto";
import type { Role } from "@/generated/prisma/enums";
import { db } from "@/server/db";
import { createCaller } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";
import { testSessionId } from "./session-ids";

const unique = () => randomUUID().slice(0, 8);

export type TestUser = { id: string; email: string; orgId: string; role: Role };

export async function createOrganization(name = `Org ${unique()}`) {
  return db.organization.create({ data: { name, settings: { create: {} } } });
}

export async function createMember(orgId: string, role: Role, opts: { deactivated?: boolean } = {}): Promise<TestUser> {
  const email = `${role}-${unique()}@example.com`;
  const user = await db.user.create({ data: { email, name: `${role} ${unique()}` } });
  await db.membership.create({
    data: { organizationId: orgId, userId: user.id, role, deactivatedAt: opts.deactivated ? new Date() : null },
  });
  await ensureTestSession(user.id);
  return { id: user.id, email, orgId, role };
}

/** An organization with one member of each role. */
export async function createTeam(name?: string) {
  const org = await createOrganization(name);
  const [admin, manager, user] = await Promise.all([
    createMember(org.id, "admin"),
    createMember(org.id, "manager"),
    createMember(org.id, "user"),
  ]);
  return { org, admin, manager, user };
}

export { testSessionId };

/** Makes the user's standing test session unless it exists (a revoked one stays revoked). */
async function ensureTestSession(userId: string) {
  await db.authSession.createMany({
    data: [{ id: testSessionId(userId), userId, expiresAt: new Date(Date.now() + 86_400_000) }],
    skipDuplicates: true,
  });
}

/** A new live session for the user, as signing in makes. */
export async function signInSession(userId: string): Promise<string> {
  const session = await db.authSession.create({ data: { userId, expiresAt: new Date(Date.now() + 86_400_000) }, select: { id: true } });
  return session.id;
}

/** What getServerSession returns for the user signed in with that session (default: their standing test session). */
export async function sessionFor(user: { id: string; email: string }, sessionId?: string) {
  if (!sessionId) await ensureTestSession(user.id);
  return {
    user: { id: user.id, email: user.email },
    sessionId: sessionId ?? testSessionId(user.id),
    expires: new Date(Date.now() + 3_600_000).toISOString(),
  };
}

/**
 * The app router as a signed-in user calls it: the real middleware chain, with a session of its
 * own (a new live AuthSession row, made on the first call, as a fresh sign-in would), or the
 * given sessionId.
 */
export function callerFor(user: { id: string; email: string } | null, requestId = `test-${unique()}`, sessionId?: string) {
  if (!user) return createCaller(createTRPCContext({ session: null, requestId, ip: "127.0.0.1" }));
  let session: ReturnType<typeof sessionFor> | undefined;
  const signedIn = async () => sessionFor(user, sessionId ?? (await signInSession(user.id)));
  return createCaller(async () => createTRPCContext({ session: await (session ??= signedIn()), requestId, ip: "127.0.0.1" }));
}
