import { randomInt, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { checkCredentials, INVALID_CREDENTIALS } from "@/server/auth/credentials";
import { hashPassword } from "@/server/auth/password";
import { createOrganization } from "@/test/factories";

const PASSWORD = "correct horse battery staple";
const WRONG = "wrong horse battery staple";
const LOCKED = /^Too many failed sign-ins\. Try again in \d+ minute\(s\)\.$/;
const DEACTIVATED = "Your account has been deactivated. Ask an admin to reactivate it.";

let passwordHash: string;
let orgId: string;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
  orgId = (await createOrganization()).id;
});

/** A distinct client address per test, so the per-IP limit of one test never leaks into another. */
const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function createSignInUser(opts: { deactivated?: boolean; withPassword?: boolean } = {}) {
  const email = `person-${randomUUID().slice(0, 8)}@example.com`;
  const user = await db.user.create({
    data: { email, name: "Pat Person", passwordHash: opts.withPassword === false ? null : passwordHash },
  });
  await db.membership.create({
    data: { organizationId: orgId, userId: user.id, role: "user", deactivatedAt: opts.deactivated ? new Date() : null },
  });
  return user;
}

async function failTimes(email: string, ip: string, times: number) {
  for (let i = 0; i < times; i++) {
    const outcome = await checkCredentials(db, email, WRONG, ip);
    expect(outcome).toEqual({ ok: false, reason: INVALID_CREDENTIALS });
  }
}

describe("checkCredentials: signing in with email and password", () => {
  it("accepts the right password and returns the user", async () => {
    const user = await createSignInUser();
    expect(await checkCredentials(db, user.email, PASSWORD, freshIp())).toEqual({
      ok: true,
      user: { id: user.id, email: user.email, name: "Pat Person" },
    });
  });

  it("ignores case and surrounding spaces in the email", async () => {
    const user = await createSignInUser();
    const outcome = await checkCredentials(db, `  ${user.email.toUpperCase()} `, PASSWORD, freshIp());
    expect(outcome.ok).toBe(true);
  });

  it("refuses a wrong password with a message that does not say which part was wrong", async () => {
    const user = await createSignInUser();
    expect(await checkCredentials(db, user.email, WRONG, freshIp())).toEqual({ ok: false, reason: INVALID_CREDENTIALS });
    expect(INVALID_CREDENTIALS).toBe("That email and password do not match.");
  });

  it("gives an unknown email exactly the same answer as a wrong password (no user enumeration)", async () => {
    const user = await createSignInUser();
    const wrongPassword = await checkCredentials(db, user.email, WRONG, freshIp());
    const unknownEmail = await checkCredentials(db, "nobody-here@example.com", PASSWORD, freshIp());
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it("refuses an account that has no password (e.g. created through OAuth)", async () => {
    const user = await createSignInUser({ withPassword: false });
    expect(await checkCredentials(db, user.email, PASSWORD, freshIp())).toEqual({ ok: false, reason: INVALID_CREDENTIALS });
  });
});

describe("checkCredentials: login rate limit", () => {
  it(`still admits the right password after ${env.LOGIN_MAX_FAILURES - 1} failures`, async () => {
    const user = await createSignInUser();
    const ip = freshIp();
    await failTimes(user.email, ip, env.LOGIN_MAX_FAILURES - 1);
    expect((await checkCredentials(db, user.email, PASSWORD, ip)).ok).toBe(true);
  });

  it(`locks the account after ${env.LOGIN_MAX_FAILURES} failures, refusing even the right password`, async () => {
    const user = await createSignInUser();
    await failTimes(user.email, freshIp(), env.LOGIN_MAX_FAILURES);
    const outcome = await checkCredentials(db, user.email, PASSWORD, freshIp());
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(LOCKED);
  });

  it("tells the locked-out user roughly how long to wait, within the lockout window", async () => {
    const user = await createSignInUser();
    await failTimes(user.email, freshIp(), env.LOGIN_MAX_FAILURES);
    const outcome = await checkCredentials(db, user.email, PASSWORD, freshIp());
    const minutes = Number(!outcome.ok && outcome.reason.match(/in (\d+) minute/)?.[1]);
    expect(minutes).toBeGreaterThanOrEqual(1);
    expect(minutes).toBeLessThanOrEqual(env.LOGIN_WINDOW_MINUTES);
  });

  it("counts failures per address regardless of how the email was capitalised", async () => {
    const user = await createSignInUser();
    await failTimes(user.email.toUpperCase(), freshIp(), env.LOGIN_MAX_FAILURES);
    const outcome = await checkCredentials(db, user.email, PASSWORD, freshIp());
    expect(!outcome.ok && outcome.reason).toMatch(LOCKED);
  });

  it("does not lock a different account that signs in from the same place", async () => {
    const victim = await createSignInUser();
    const bystander = await createSignInUser();
    const ip = freshIp();
    await failTimes(victim.email, ip, env.LOGIN_MAX_FAILURES);
    expect((await checkCredentials(db, bystander.email, PASSWORD, ip)).ok).toBe(true);
    const victimOutcome = await checkCredentials(db, victim.email, PASSWORD, ip);
    expect(!victimOutcome.ok && victimOutcome.reason).toMatch(LOCKED);
  });

  it("forgets failures older than the lockout window", async () => {
    const user = await createSignInUser();
    const longAgo = new Date(Date.now() - (env.LOGIN_WINDOW_MINUTES + 1) * 60_000);
    await db.loginAttempt.createMany({
      data: Array.from({ length: env.LOGIN_MAX_FAILURES }, () => ({ email: user.email, ip: null, succeeded: false, createdAt: longAgo })),
    });
    expect((await checkCredentials(db, user.email, PASSWORD, freshIp())).ok).toBe(true);
  });

  it("locks out one IP that sprays failures across many accounts, but not other IPs", async () => {
    const sprayer = freshIp();
    for (let i = 0; i < env.LOGIN_MAX_FAILURES * 4; i++) {
      await checkCredentials(db, `sprayed-${i}-${randomUUID().slice(0, 6)}@example.com`, WRONG, sprayer);
    }
    const user = await createSignInUser();
    const fromSprayer = await checkCredentials(db, user.email, PASSWORD, sprayer);
    expect(!fromSprayer.ok && fromSprayer.reason).toMatch(/^Too many failed sign-ins/);
    expect((await checkCredentials(db, user.email, PASSWORD, freshIp())).ok).toBe(true);
  });

  it("records every checked attempt with its normalised email, IP and outcome", async () => {
    const user = await createSignInUser();
    const ip = freshIp();
    await checkCredentials(db, user.email, WRONG, ip);
    await checkCredentials(db, user.email.toUpperCase(), PASSWORD, ip);
    await checkCredentials(db, "ghost@example.com", PASSWORD, ip);
    const attempts = await db.loginAttempt.findMany({ where: { ip }, select: { email: true, ip: true, succeeded: true } });
    expect(attempts).toHaveLength(3);
    expect(attempts).toEqual(
      expect.arrayContaining([
        { email: user.email, ip, succeeded: false },
        { email: user.email, ip, succeeded: true },
        { email: "ghost@example.com", ip, succeeded: false },
      ]),
    );
  });
});

describe("checkCredentials: deactivated accounts", () => {
  it("refuses a user whose memberships are all deactivated, saying so", async () => {
    const user = await createSignInUser({ deactivated: true });
    expect(await checkCredentials(db, user.email, PASSWORD, freshIp())).toEqual({ ok: false, reason: DEACTIVATED });
  });

  it("does not reveal deactivation to someone with the wrong password", async () => {
    const user = await createSignInUser({ deactivated: true });
    expect(await checkCredentials(db, user.email, WRONG, freshIp())).toEqual({ ok: false, reason: INVALID_CREDENTIALS });
  });

  it("admits a user who is still active in another organization", async () => {
    const user = await createSignInUser({ deactivated: true });
    const other = await createOrganization();
    await db.membership.create({ data: { organizationId: other.id, userId: user.id, role: "user" } });
    expect((await checkCredentials(db, user.email, PASSWORD, freshIp())).ok).toBe(true);
  });
});
