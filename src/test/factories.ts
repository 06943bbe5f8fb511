import { randomUUID } from "node:crypto";
import type { Role } from "@/generated/prisma/enums";
import { db } from "@/server/db";
import { createCaller } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";

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

/** The app router as a signed-in user calls it: a real session, the real middleware chain. */
export function callerFor(user: { id: string; email: string } | null, requestId = `test-${unique()}`) {
  const session = user ? { user: { id: user.id, email: user.email }, expires: new Date(Date.now() + 3_600_000).toISOString() } : null;
  return createCaller(createTRPCContext({ session, requestId, ip: "127.0.0.1" }));
}
