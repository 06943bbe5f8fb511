import { randomUUID } from "node:crypto";
import { getTRPCErrorShape, TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { appRouter } from "@/server/root";
import { verifyPassword } from "@/server/auth/password";
import { hashInviteToken } from "@/server/auth/invite-token";
import { callerFor, createTeam, type TestUser } from "@/test/factories";
import { raceTest } from "@/test/database-kind";

const PASSWORD = "a long enough password";
const uniqueEmail = (label = "person") => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** The error a call rejected with; fails the test if it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<TRPCError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  expect(outcome.error).toBeInstanceOf(TRPCError);
  return outcome.error as TRPCError;
}

/** What a browser would receive for this error: the app's error formatter applied to it. */
function clientShape(error: TRPCError, path: string) {
  return getTRPCErrorShape({ config: appRouter._def._config, error, type: "mutation", path, input: undefined, ctx: undefined });
}

function signUpInput(overrides: Partial<{ name: string; email: string; password: string; organizationName: string; timeZone: string }> = {}) {
  return { name: "Olivia Owner", email: uniqueEmail("owner"), password: PASSWORD, organizationName: "Acme Acquisitions", ...overrides };
}

function tokenFrom(inviteUrl: string) {
  return new URL(inviteUrl).pathname.split("/").at(-1)!;
}

async function invite(admin: TestUser, role: "admin" | "manager" | "user" = "user", email = uniqueEmail("invitee")) {
  const result = await callerFor(admin).users.invite({ email, role });
  return { ...result, email, token: tokenFrom(result.inviteUrl) };
}

describe("account.signUp", () => {
  it("creates the organization in the chosen time zone with the signer-up as its admin", async () => {
    const input = signUpInput({ timeZone: "America/Denver", organizationName: "Denver Deals" });
    const result = await callerFor(null, "req-signup-1").account.signUp(input);

    const org = await db.organization.findUniqueOrThrow({ where: { id: result.organizationId }, include: { settings: true } });
    expect(org).toMatchObject({ name: "Denver Deals", timeZone: "America/Denver" });
    expect(org.settings).not.toBeNull();

    const memberships = await db.membership.findMany({ where: { organizationId: org.id } });
    expect(memberships).toEqual([expect.objectContaining({ userId: result.userId, role: "admin", deactivatedAt: null })]);

    const user = await db.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user).toMatchObject({ email: input.email, name: "Olivia Owner" });
  });

  it("records an organization.created audit entry by the new admin", async () => {
    const result = await callerFor(null, "req-signup-audit").account.signUp(signUpInput());
    const audit = await db.auditLog.findMany({ where: { organizationId: result.organizationId } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: "organization.created",
        actorId: result.userId,
        targetType: "organization",
        targetId: result.organizationId,
        requestId: "req-signup-audit",
      }),
    ]);
  });

  it("defaults the time zone to America/New_York", async () => {
    const result = await callerFor(null).account.signUp(signUpInput());
    const org = await db.organization.findUniqueOrThrow({ where: { id: result.organizationId } });
    expect(org.timeZone).toBe("America/New_York");
  });

  it("stores the password only as an argon2id hash", async () => {
    const input = signUpInput();
    const result = await callerFor(null).account.signUp(input);
    const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(passwordHash).toMatch(/^\$argon2id\$/);
    expect(passwordHash).not.toContain(PASSWORD);
    expect(await verifyPassword(passwordHash!, PASSWORD)).toBe(true);
  });

  it("stores the email lower-cased so sign-in is case-insensitive", async () => {
    const email = uniqueEmail("MiXeD").toUpperCase();
    const result = await callerFor(null).account.signUp(signUpInput({ email: `  ${email} ` }));
    const user = await db.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user.email).toBe(email.toLowerCase());
  });

  it("refuses an email that already has an account with CONFLICT and tells the user to sign in", async () => {
    const email = uniqueEmail("taken");
    await callerFor(null).account.signUp(signUpInput({ email }));
    const organizationsBefore = await db.organization.count();

    const error = await rejectionOf(callerFor(null).account.signUp(signUpInput({ email: email.toUpperCase() })));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/already exists/i);
    expect(error.message).toMatch(/sign in/i);
    expect(await db.organization.count()).toBe(organizationsBefore);
  });

  raceTest("creates exactly one account when the same email signs up twice at once", async () => {
    const email = uniqueEmail("racer");
    const outcomes = await Promise.allSettled([
      callerFor(null).account.signUp(signUpInput({ email, organizationName: "First Org" })),
      callerFor(null).account.signUp(signUpInput({ email, organizationName: "Second Org" })),
    ]);
    const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0]!.reason as TRPCError).code).toBe("CONFLICT");
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(await db.organization.count({ where: { name: { in: ["First Org", "Second Org"] } } })).toBe(1);
  });

  it.each([
    ["a short password", { password: "short" }, "password", "Use at least 10 characters."],
    ["a malformed email", { email: "not-an-email" }, "email", "Enter a valid email address."],
    ["an unknown time zone", { timeZone: "Mars/Olympus_Mons" }, "timeZone", "Choose a valid time zone."],
    ["a blank name", { name: "   " }, "name", "Enter your name."],
  ])("rejects %s with BAD_REQUEST naming the field", async (_label, overrides, field, message) => {
    const input = signUpInput(overrides);
    const error = await rejectionOf(callerFor(null).account.signUp(input));
    expect(error.code).toBe("BAD_REQUEST");

    // What the browser receives: flattened issues keyed by field.
    const shape = clientShape(error, "account.signUp");
    expect(shape.data.zodIssues?.fieldErrors).toEqual({ [field]: [message] });
    expect(await db.user.count({ where: { email: input.email } })).toBe(0);
  });

  it("names every bad field at once", async () => {
    const error = await rejectionOf(
      callerFor(null).account.signUp(signUpInput({ password: "short", email: "nope", timeZone: "Nowhere/Special" })),
    );
    expect(error.code).toBe("BAD_REQUEST");
    const issues = (error.cause as { issues?: { path: PropertyKey[] }[] } | undefined)?.issues ?? [];
    expect(issues.map((issue) => issue.path.join(".")).sort()).toEqual(["email", "password", "timeZone"]);
    expect(Object.keys(clientShape(error, "account.signUp").data.zodIssues?.fieldErrors ?? {}).sort()).toEqual([
      "email",
      "password",
      "timeZone",
    ]);
  });
});

describe("invitations", () => {
  let team: Awaited<ReturnType<typeof createTeam>>;
  beforeAll(async () => {
    team = await createTeam("Invite Org");
  });

  it("gives the admin a link that shows the invitee the organization, email and role", async () => {
    const before = Date.now();
    const sent = await invite(team.admin, "manager");
    expect(sent.inviteUrl.startsWith(`${env.NEXTAUTH_URL}/invite/`)).toBe(true);
    expect(sent.token.length).toBeGreaterThanOrEqual(20);

    const info = await callerFor(null).account.inviteInfo({ token: sent.token });
    expect(info).toMatchObject({ organizationName: "Invite Org", email: sent.email, role: "manager" });
    expect(info.expiresAt.getTime() - before).toBeGreaterThan((env.INVITE_TTL_HOURS - 1) * 3_600_000);
    expect(info.expiresAt.getTime() - before).toBeLessThanOrEqual(env.INVITE_TTL_HOURS * 3_600_000 + 60_000);
  });

  it("never stores the token from the link, only its hash", async () => {
    const sent = await invite(team.admin);
    const row = await db.invite.findUniqueOrThrow({ where: { id: sent.inviteId } });
    expect(row.tokenHash).toBe(hashInviteToken(sent.token));
    expect(JSON.stringify(row)).not.toContain(sent.token);
  });

  it("accepting creates the user with the invited role and marks the invite used", async () => {
    const sent = await invite(team.admin, "manager");
    const result = await callerFor(null, "req-accept").account.acceptInvite({ token: sent.token, name: "Nina New", password: PASSWORD });
    expect(result).toEqual({ email: sent.email, organizationId: team.org.id });

    const user = await db.user.findUniqueOrThrow({ where: { email: sent.email }, include: { memberships: true } });
    expect(user.name).toBe("Nina New");
    expect(await verifyPassword(user.passwordHash!, PASSWORD)).toBe(true);
    expect(user.memberships).toEqual([expect.objectContaining({ organizationId: team.org.id, role: "manager", deactivatedAt: null })]);

    const row = await db.invite.findUniqueOrThrow({ where: { id: sent.inviteId } });
    expect(row.acceptedAt).toBeInstanceOf(Date);

    const audit = await db.auditLog.findMany({ where: { organizationId: team.org.id, action: "invite.accepted", targetId: user.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        actorId: user.id,
        targetType: "user",
        requestId: "req-accept",
        details: { inviteId: sent.inviteId, role: "manager" },
      }),
    ]);

    // The new member is in: no pending invite left for them, and they see their organization.
    const me = await callerFor({ id: user.id, email: user.email }).account.me();
    expect(me).toMatchObject({ organization: { id: team.org.id }, role: "manager" });
    const { invites } = await callerFor(team.admin).users.list();
    expect(invites.map((i) => i.email)).not.toContain(sent.email);
  });

  it("refuses a link that was already used with CONFLICT", async () => {
    const sent = await invite(team.admin);
    await callerFor(null).account.acceptInvite({ token: sent.token, name: "First", password: PASSWORD });

    const again = await rejectionOf(callerFor(null).account.acceptInvite({ token: sent.token, name: "Second", password: PASSWORD }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toMatch(/already used/i);
    expect((await rejectionOf(callerFor(null).account.inviteInfo({ token: sent.token }))).code).toBe("CONFLICT");
    expect((await db.user.findUniqueOrThrow({ where: { email: sent.email } })).name).toBe("First");
  });

  it("refuses an expired link with PRECONDITION_FAILED and creates no user", async () => {
    const sent = await invite(team.admin);
    await db.invite.update({ where: { id: sent.inviteId }, data: { expiresAt: new Date(Date.now() - 60_000) } });

    const info = await rejectionOf(callerFor(null).account.inviteInfo({ token: sent.token }));
    expect(info.code).toBe("PRECONDITION_FAILED");
    expect(info.message).toMatch(/expired/i);
    const accept = await rejectionOf(callerFor(null).account.acceptInvite({ token: sent.token, name: "Late", password: PASSWORD }));
    expect(accept.code).toBe("PRECONDITION_FAILED");
    expect(await db.user.count({ where: { email: sent.email } })).toBe(0);
    expect((await db.invite.findUniqueOrThrow({ where: { id: sent.inviteId } })).acceptedAt).toBeNull();
  });

  it("refuses a revoked link with NOT_FOUND", async () => {
    const sent = await invite(team.admin);
    await callerFor(team.admin).users.revokeInvite({ inviteId: sent.inviteId });

    expect((await rejectionOf(callerFor(null).account.inviteInfo({ token: sent.token }))).code).toBe("NOT_FOUND");
    const accept = await rejectionOf(callerFor(null).account.acceptInvite({ token: sent.token, name: "Revoked", password: PASSWORD }));
    expect(accept.code).toBe("NOT_FOUND");
    expect(await db.user.count({ where: { email: sent.email } })).toBe(0);
  });

  it("refuses a token that was never issued with NOT_FOUND", async () => {
    const error = await rejectionOf(callerFor(null).account.inviteInfo({ token: "x".repeat(43) }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toMatch(/ask your admin/i);
  });

  raceTest("lets exactly one of two simultaneous accepts of the same link succeed", async () => {
    const sent = await invite(team.admin, "user");
    const outcomes = await Promise.allSettled([
      callerFor(null).account.acceptInvite({ token: sent.token, name: "Tab One", password: PASSWORD }),
      callerFor(null).account.acceptInvite({ token: sent.token, name: "Tab Two", password: PASSWORD }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0]!.reason as TRPCError).code).toBe("CONFLICT");

    expect(await db.user.count({ where: { email: sent.email } })).toBe(1);
    expect(await db.membership.count({ where: { organizationId: team.org.id, user: { email: sent.email } } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "invite.accepted", details: { path: ["inviteId"], equals: sent.inviteId } } })).toBe(1);
  });

  it("rejects a too-short password on acceptance and leaves the invite usable", async () => {
    const sent = await invite(team.admin);
    const error = await rejectionOf(callerFor(null).account.acceptInvite({ token: sent.token, name: "Shorty", password: "short" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(clientShape(error, "account.acceptInvite").data.zodIssues?.fieldErrors).toHaveProperty("password");
    expect(await callerFor(null).account.inviteInfo({ token: sent.token })).toMatchObject({ email: sent.email });
  });
});

describe("account.me", () => {
  it("returns the caller's own user, organization and role", async () => {
    const team = await createTeam("Me Org");
    for (const member of [team.admin, team.manager, team.user]) {
      const me = await callerFor(member).account.me();
      expect(me).toEqual({
        user: { id: member.id, email: member.email, name: expect.any(String) },
        organization: { id: team.org.id, name: "Me Org", timeZone: "America/New_York" },
        role: member.role,
      });
    }
  });

  it("refuses a signed-out caller with UNAUTHORIZED", async () => {
    const error = await rejectionOf(callerFor(null).account.me());
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toMatch(/sign in/i);
  });
});
