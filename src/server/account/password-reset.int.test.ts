import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { createTRPCContext } from "@/server/trpc";
import { createCaller } from "@/server/root";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { createSmtpTransport } from "@/server/providers/mail-transport";
import { callerFor, createMember, createTeam, signInSession } from "@/test/factories";
import { RESET_EMAILS_PER_HOUR, requestPasswordReset } from "./password-reset";

const anonymous = callerFor(null);

async function rejectionOf(promise: Promise<unknown>): Promise<TRPCError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  return outcome.error as TRPCError;
}

/** A member with a password, as one who signed up would be. */
async function memberWithPassword(password = "old-password-123") {
  const team = await createTeam();
  await db.user.update({ where: { id: team.user.id }, data: { passwordHash: await hashPassword(password), name: "Rita Reset" } });
  return { team, user: team.user };
}

async function emailsTo(to: string) {
  return db.emailMessage.findMany({ where: { to }, orderBy: { createdAt: "asc" } });
}

const tokenIn = (text: string) => /\/reset-password\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;

/** A real SMTP server on loopback (the smtp-server package), keeping what it was sent. */
const received: { from: string; to: string[]; data: string }[] = [];
let smtp: SMTPServer;
let smtpPort = 0;
beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((rcpt) => rcpt.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

describe("forgot password", () => {
  it("emails a single-use link that sets the new password, ends every session and is audited", async () => {
    const { team, user } = await memberWithPassword();
    const liveSession = await signInSession(user.id);
    expect(await anonymous.account.requestPasswordReset({ email: user.email.toUpperCase() })).toEqual({ ok: true, devOutbox: false });

    const [email] = await emailsTo(user.email);
    expect(email).toMatchObject({ kind: "password_reset", status: "outbox", userId: user.id, organizationId: null, subject: "Reset your LeadFlow password" });
    const token = tokenIn(email!.text)!;
    expect(token).toBeTruthy();
    expect(email!.text).toContain("Hi Rita,");
    // Only the token's hash is stored.
    expect(await db.passwordResetToken.count({ where: { tokenHash: token } })).toBe(0);

    expect(await anonymous.account.passwordResetInfo({ token })).toMatchObject({ email: user.email });
    expect(await anonymous.account.resetPassword({ token, password: "a-brand-new-password" })).toEqual({ email: user.email });

    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(await verifyPassword(stored.passwordHash!, "a-brand-new-password")).toBe(true);
    expect(await verifyPassword(stored.passwordHash!, "old-password-123")).toBe(false);
    expect((await db.authSession.findUniqueOrThrow({ where: { id: liveSession } })).revokedAt).not.toBeNull();
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: team.org.id, action: "user.password_reset" } });
    expect(audit).toMatchObject({ actorId: user.id, targetId: user.id });

    // Used once: the same link is refused, and says so.
    const again = await rejectionOf(anonymous.account.resetPassword({ token, password: "third-password-000" }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toContain("already used");
    expect((await rejectionOf(anonymous.account.passwordResetInfo({ token }))).code).toBe("CONFLICT");
  });

  it("answers the same for an address with no account, and sends nothing", async () => {
    const nobody = `nobody-${randomUUID().slice(0, 8)}@example.com`;
    expect(await anonymous.account.requestPasswordReset({ email: nobody })).toEqual({ ok: true, devOutbox: false });
    expect(await emailsTo(nobody)).toHaveLength(0);
  });

  it("a newer link replaces the older; an expired or made-up link is refused; at most a few emails an hour", async () => {
    const { user } = await memberWithPassword();
    await anonymous.account.requestPasswordReset({ email: user.email });
    await anonymous.account.requestPasswordReset({ email: user.email });
    const [first, second] = (await emailsTo(user.email)).map((email) => tokenIn(email.text)!);
    expect((await rejectionOf(anonymous.account.resetPassword({ token: first!, password: "replaced-link-pass" }))).code).toBe("PRECONDITION_FAILED");

    await db.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await rejectionOf(anonymous.account.resetPassword({ token: second!, password: "expired-link-pass" }));
    expect(expired.code).toBe("PRECONDITION_FAILED");
    expect(expired.message).toContain("expired");
    expect((await rejectionOf(anonymous.account.passwordResetInfo({ token: "x".repeat(43) }))).code).toBe("NOT_FOUND");

    for (let i = 2; i < RESET_EMAILS_PER_HOUR + 2; i++) await anonymous.account.requestPasswordReset({ email: user.email });
    expect(await emailsTo(user.email)).toHaveLength(RESET_EMAILS_PER_HOUR);
  });

  it("refuses a short password and bad input with field errors, not a 500", async () => {
    const { user } = await memberWithPassword();
    await anonymous.account.requestPasswordReset({ email: user.email });
    const token = tokenIn((await emailsTo(user.email))[0]!.text)!;
    const short = await rejectionOf(anonymous.account.resetPassword({ token, password: "short" }));
    expect(short.code).toBe("BAD_REQUEST");
    expect(short.message).toContain("at least 10 characters");
    expect((await rejectionOf(anonymous.account.requestPasswordReset({ email: "not an email" }))).code).toBe("BAD_REQUEST");
    // The link still works after the refused attempt.
    await anonymous.account.resetPassword({ token, password: "long-enough-password" });
  });

  it("sends through SMTP when one is configured, and records a failed send without failing the request", async () => {
    const { user } = await memberWithPassword();
    const transport = createSmtpTransport(`smtp://127.0.0.1:${smtpPort}`, "LeadFlow <no-reply@leadflow.test>");
    await requestPasswordReset(db, { email: user.email }, { ip: "203.0.113.9" }, transport);
    const message = received.find((mail) => mail.to.includes(user.email));
    expect(message).toBeDefined();
    expect(message!.from).toBe("no-reply@leadflow.test");
    const [row] = await emailsTo(user.email);
    expect(row).toMatchObject({ status: "sent", error: null });
    expect(row!.providerMessageId).toBeTruthy();
    // What the server received carries the same working link as the row.
    const token = tokenIn(row!.text)!;
    expect(message!.data.replace(/=\r?\n/g, "")).toContain(token);
    expect(await db.passwordResetToken.findFirst({ where: { userId: user.id }, select: { requestIp: true } })).toEqual({ requestIp: "203.0.113.9" });

    const other = await memberWithPassword();
    const unreachable = createSmtpTransport("smtp://127.0.0.1:9", "LeadFlow <no-reply@leadflow.test>");
    expect(await requestPasswordReset(db, { email: other.user.email }, { ip: null }, unreachable)).toMatchObject({ ok: true });
    const [failed] = await emailsTo(other.user.email);
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed!.error).toBeTruthy();
  });

  it("asks at once cannot pass the hourly limit together", async () => {
    const { user } = await memberWithPassword();
    await Promise.all(Array.from({ length: 8 }, () => anonymous.account.requestPasswordReset({ email: user.email })));
    expect(await emailsTo(user.email)).toHaveLength(RESET_EMAILS_PER_HOUR);
    expect(await db.passwordResetToken.count({ where: { userId: user.id } })).toBe(RESET_EMAILS_PER_HOUR);
  });

  it("the development outbox exists only when npm run dev turned it on, and only for this machine", async () => {
    expect((await rejectionOf(anonymous.account.devOutbox({ limit: 10 }))).code).toBe("NOT_FOUND");
    const from = (ip: string) => createCaller(createTRPCContext({ session: null, requestId: `outbox-${randomUUID()}`, ip }));
    const saved = env.LEADFLOW_DEV_OUTBOX;
    env.LEADFLOW_DEV_OUTBOX = "1";
    try {
      const { user } = await memberWithPassword();
      await anonymous.account.requestPasswordReset({ email: user.email });
      const local = await from("127.0.0.1").account.devOutbox({ limit: 100 });
      expect(local.emails.some((email) => email.to === user.email && email.kind === "password_reset")).toBe(true);
      expect((await from("::1").account.devOutbox({ limit: 1 })).emails).toHaveLength(1);
      // Another machine on the network never sees anyone's reset link.
      expect((await rejectionOf(from("192.168.1.20").account.devOutbox({ limit: 10 }))).code).toBe("NOT_FOUND");
      expect((await rejectionOf(from("::ffff:10.0.0.5").account.devOutbox({ limit: 10 }))).code).toBe("NOT_FOUND");
    } finally {
      env.LEADFLOW_DEV_OUTBOX = saved;
    }
  });
});

describe("invite emails and the audit log", () => {
  it("an invite is emailed (kept in the outbox without SMTP); each organization's admins see only their own emails", async () => {
    const a = await createTeam();
    const b = await createTeam();
    const invitee = `invitee-${randomUUID().slice(0, 8)}@example.com`;
    const invited = await callerFor(a.admin).users.invite({ email: invitee, role: "manager" });
    expect(invited.email).toEqual({ status: "outbox" });
    const emails = await callerFor(a.admin).audit.emails({ limit: 20 });
    expect(emails.smtpConfigured).toBe(false);
    expect(emails.emails).toHaveLength(1);
    expect(emails.emails[0]).toMatchObject({ kind: "invite", to: invitee, status: "outbox" });
    expect(emails.emails[0]!.text).toContain(invited.inviteUrl);
    expect(emails.emails[0]!.subject).toContain(a.org.name);
    expect((await callerFor(b.admin).audit.emails({ limit: 20 })).emails).toHaveLength(0);
    expect((await rejectionOf(callerFor(a.manager).audit.emails({ limit: 20 }))).code).toBe("FORBIDDEN");

    // A password reset of a member is theirs alone: not in the admin's list.
    await db.user.update({ where: { id: a.user.id }, data: { passwordHash: await hashPassword("member-password-1") } });
    await anonymous.account.requestPasswordReset({ email: a.user.email });
    expect((await callerFor(a.admin).audit.emails({ limit: 20 })).emails.map((email) => email.kind)).toEqual(["invite"]);
  });

  it("filters by action or family, by who, by request id and by date, within the organization", async () => {
    const a = await createTeam();
    const b = await createTeam();
    const second = await createMember(a.org.id, "admin");
    await callerFor(a.admin, "req-invite-1").users.invite({ email: `one-${randomUUID().slice(0, 6)}@example.com`, role: "user" });
    await callerFor(second, "req-invite-2").users.invite({ email: `two-${randomUUID().slice(0, 6)}@example.com`, role: "user" });
    await callerFor(a.admin, "req-role").users.changeRole({ userId: a.user.id, role: "manager" });
    await callerFor(b.admin, "req-invite-b").users.invite({ email: `b-${randomUUID().slice(0, 6)}@example.com`, role: "user" });
    const audit = callerFor(a.admin).audit;

    const invites = await audit.list({ action: "invite.created" });
    expect(invites.entries).toHaveLength(2);
    expect((await audit.list({ action: "invite." })).entries.every((entry) => entry.action.startsWith("invite."))).toBe(true);
    expect((await audit.list({ actorId: second.id })).entries.map((entry) => entry.action)).toEqual(["invite.created"]);
    const byRequest = await audit.list({ requestId: "req-role" });
    expect(byRequest.entries.map((entry) => entry.action)).toEqual(["user.role_changed"]);
    expect(byRequest.entries[0]!.actorName).toBe((await db.user.findUniqueOrThrow({ where: { id: a.admin.id } })).name);
    // Another organization's request id finds nothing here.
    expect((await audit.list({ requestId: "req-invite-b" })).entries).toHaveLength(0);
    expect((await audit.list({ from: new Date(Date.now() + 60_000) })).entries).toHaveLength(0);
    expect((await audit.list({ to: new Date(Date.now() - 3_600_000) })).entries).toHaveLength(0);
    expect((await audit.list({ from: new Date(Date.now() - 3_600_000), action: "invite.created", limit: 1 })).nextCursor).not.toBeNull();

    const facets = await audit.facets();
    expect(facets.actions.find((row) => row.action === "invite.created")?.count).toBe(2);
    expect(facets.actors.map((actor) => actor.id).sort()).toEqual([a.admin.id, a.manager.id, a.user.id, second.id].sort());
    expect((await rejectionOf(audit.list({ action: "DROP TABLE" }))).code).toBe("BAD_REQUEST");
  });
});
