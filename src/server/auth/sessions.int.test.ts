import { beforeEach, describe, expect, it, vi } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import { encode, type JWT } from "next-auth/jwt";
import { db } from "@/server/db";
import { PEER_ADDRESS_HEADER } from "@/server/peer-address";
import { callerFor, createTeam, signInSession } from "@/test/factories";
import { LAST_SEEN_REFRESH_MS, SESSION_IDLE_MS } from "./sessions";

const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => requestHeaders.current,
  cookies: async () => ({ getAll: () => requestCookies.current }),
}));
const requestCookies = vi.hoisted(() => ({ current: [] as { name: string; value: string }[] }));

/** The browser presents this token in next-auth's session cookie (encrypted as next-auth does). */
async function presentToken(token: JWT) {
  requestCookies.current = [{ name: "next-auth.session-token", value: await encode({ token, secret: process.env.NEXTAUTH_SECRET! }) }];
}

const { authOptions } = await import("./options");
const { getSession, getViewerState } = await import("./session");
const { getServerSession } = await import("next-auth");

const SESSION_ENDED = "Your session has ended. Please sign in again.";

async function rejectionOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** What next-auth does at sign-in: the jwt callback with the user, then the session callback. */
async function signInThroughNextAuth(user: { id: string; email: string }) {
  const token = (await authOptions.callbacks!.jwt!({ token: { sub: user.id, email: user.email }, user: { id: user.id, email: user.email } } as never)) as JWT;
  const session = (await authOptions.callbacks!.session!({ session: { user: { id: user.id, email: user.email }, expires: "" }, token } as never)) as Session;
  return { token, session };
}

beforeEach(() => {
  requestHeaders.current = new Headers();
  requestCookies.current = [];
});

describe("signing in makes a session row the JWT points at", () => {
  it("records the browser and the address it signed in from, and the session works", async () => {
    const { user } = await createTeam();
    requestHeaders.current = new Headers({ "user-agent": "Mozilla/5.0 (Macintosh) Firefox/140.0", [PEER_ADDRESS_HEADER]: "198.51.100.23" });
    const { token, session } = await signInThroughNextAuth(user);

    expect(token.sid).toEqual(expect.any(String));
    expect(session.sessionId).toBe(token.sid);
    const row = await db.authSession.findUniqueOrThrow({ where: { id: token.sid! } });
    expect(row).toMatchObject({ userId: user.id, userAgent: "Mozilla/5.0 (Macintosh) Firefox/140.0", ip: "198.51.100.23", revokedAt: null });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(await callerFor(user, undefined, token.sid).account.me()).toMatchObject({ user: { id: user.id } });
  });

  it("reads the session cookie as next-auth's getServerSession does: same user and session id, nothing without a valid token", async () => {
    const { user } = await createTeam();
    const { token } = await signInThroughNextAuth(user);
    const withoutExpiry = (session: Session | null) => session && { ...session, expires: undefined };
    for (const cookies of [
      async () => presentToken({ ...token, name: "Pat Owner" }),
      async () => presentToken({ sub: user.id, email: user.email }),
      async () => (requestCookies.current = [{ name: "next-auth.session-token", value: "forged" }]),
      async () => (requestCookies.current = []),
    ]) {
      await cookies();
      const ours = await getSession();
      // next-auth's own answer for the same cookies (its API-route form: its RSC form requires next/headers past the mock).
      const request = { headers: {}, cookies: Object.fromEntries(requestCookies.current.map((c) => [c.name, c.value])) };
      const response = { getHeader() {}, setCookie() {}, setHeader() {} };
      const nextAuths = (await getServerSession(request as never, response as never, authOptions)) as Session | null;
      expect(withoutExpiry(ours)).toEqual(withoutExpiry(nextAuths?.user?.id ? nextAuths : null));
    }
    await presentToken(token);
    expect(await getSession()).toMatchObject({ user: { id: user.id, email: user.email }, sessionId: token.sid });
  });

  it("refuses a token without a session id (issued before sessions were revocable)", async () => {
    const { user } = await createTeam();
    await presentToken({ sub: user.id, email: user.email });
    expect(await getViewerState()).toEqual({ kind: "signed-out" });
  });

  it("refuses another user's session id inside a token", async () => {
    const { user, manager } = await createTeam();
    const managersSession = await signInSession(manager.id);
    const error = await rejectionOf(callerFor(user, undefined, managersSession).account.me());
    expect(error.code).toBe("UNAUTHORIZED");
  });
});

describe("signing out", () => {
  it("revokes the session: the same token's next call is UNAUTHORIZED and pages see a signed-out visitor", async () => {
    const { user } = await createTeam();
    const { token } = await signInThroughNextAuth(user);
    const asUser = callerFor(user, undefined, token.sid);
    await asUser.account.me();
    await presentToken(token);
    expect(await getViewerState()).toMatchObject({ kind: "active", viewer: { userId: user.id } });

    await authOptions.events!.signOut!({ token, session: undefined as never });

    const error = await rejectionOf(asUser.account.me());
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toBe(SESSION_ENDED);
    expect(await getViewerState()).toEqual({ kind: "signed-out" });
  });

  it("leaves the user's other sessions alone", async () => {
    const { user } = await createTeam();
    const laptop = await signInThroughNextAuth(user);
    const phone = callerFor(user);
    await phone.account.me();
    await authOptions.events!.signOut!({ token: laptop.token, session: undefined as never });
    expect(await phone.account.me()).toMatchObject({ user: { id: user.id } });
  });
});

describe("session lifetime", () => {
  it("ends a session idle for longer than the idle limit", async () => {
    const { user } = await createTeam();
    const sessionId = await signInSession(user.id);
    await db.authSession.update({ where: { id: sessionId }, data: { lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 1000) } });
    expect((await rejectionOf(callerFor(user, undefined, sessionId).account.me())).message).toBe(SESSION_ENDED);
  });

  it("ends a session past its absolute end however active it is", async () => {
    const { user } = await createTeam();
    const sessionId = await signInSession(user.id);
    await db.authSession.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await rejectionOf(callerFor(user, undefined, sessionId).account.me())).code).toBe("UNAUTHORIZED");
  });

  it("rolls the idle limit forward, writing lastSeenAt at most every few minutes", async () => {
    const { user } = await createTeam();
    const sessionId = await signInSession(user.id);
    const asUser = callerFor(user, undefined, sessionId);
    const justNow = new Date(Date.now() - 60_000);
    await db.authSession.update({ where: { id: sessionId }, data: { lastSeenAt: justNow } });
    await asUser.account.me();
    expect((await db.authSession.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt).toEqual(justNow);

    const aWhileAgo = new Date(Date.now() - LAST_SEEN_REFRESH_MS - 60_000);
    await db.authSession.update({ where: { id: sessionId }, data: { lastSeenAt: aWhileAgo } });
    const before = Date.now();
    await asUser.account.me();
    expect((await db.authSession.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt.getTime()).toBeGreaterThanOrEqual(before);
  });
});

describe("account.sessions, revokeSession, signOutEverywhere", () => {
  it("lists the user's live sessions with the current one marked, and no one else's", async () => {
    const { user, manager } = await createTeam();
    const current = await signInSession(user.id);
    const other = await signInSession(user.id);
    const ended = await signInSession(user.id);
    await db.authSession.update({ where: { id: ended }, data: { revokedAt: new Date() } });
    await signInSession(manager.id);

    const { sessions } = await callerFor(user, undefined, current).account.sessions();
    const ids = sessions.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([current, other]));
    expect(ids).not.toContain(ended);
    expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([current]);
    const theirs = await db.authSession.findMany({ where: { userId: { not: user.id } }, select: { id: true } });
    for (const { id } of theirs) expect(ids).not.toContain(id);
  });

  it("revokes one of the user's other sessions, which stops working at once", async () => {
    const { user } = await createTeam();
    const here = callerFor(user, undefined, await signInSession(user.id));
    const elsewhereId = await signInSession(user.id);
    const elsewhere = callerFor(user, undefined, elsewhereId);
    await elsewhere.account.me();

    await here.account.revokeSession({ sessionId: elsewhereId });
    expect((await rejectionOf(elsewhere.account.me())).code).toBe("UNAUTHORIZED");
    expect(await here.account.me()).toMatchObject({ user: { id: user.id } });
    expect((await here.account.sessions()).sessions.map((s) => s.id)).not.toContain(elsewhereId);
  });

  it("refuses to revoke another user's session (NOT_FOUND), which keeps working", async () => {
    const { user, manager } = await createTeam();
    const victimSession = await signInSession(manager.id);
    const error = await rejectionOf(callerFor(user).account.revokeSession({ sessionId: victimSession }));
    expect(error.code).toBe("NOT_FOUND");
    expect(await callerFor(manager, undefined, victimSession).account.me()).toMatchObject({ user: { id: manager.id } });
  });

  it("signs out everywhere: every session of the user ends, this one included; teammates are untouched", async () => {
    const { user, manager } = await createTeam();
    const here = callerFor(user, undefined, await signInSession(user.id));
    const elsewhere = callerFor(user, undefined, await signInSession(user.id));
    const teammate = callerFor(manager);
    await Promise.all([here.account.me(), elsewhere.account.me(), teammate.account.me()]);

    const live = await db.authSession.count({ where: { userId: user.id, revokedAt: null } });
    expect(live).toBeGreaterThanOrEqual(2);
    expect(await here.account.signOutEverywhere()).toEqual({ revoked: live });
    expect((await rejectionOf(here.account.me())).message).toBe(SESSION_ENDED);
    expect((await rejectionOf(elsewhere.account.me())).message).toBe(SESSION_ENDED);
    expect(await teammate.account.me()).toMatchObject({ user: { id: manager.id } });
  });
});

describe("deactivation", () => {
  it("revokes the deactivated user's sessions, so reactivation does not revive them", async () => {
    const { admin, user } = await createTeam();
    const sessionId = await signInSession(user.id);
    const asUser = callerFor(user, undefined, sessionId);
    await asUser.account.me();

    await callerFor(admin).users.deactivate({ userId: user.id });
    expect(await db.authSession.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    await callerFor(admin).users.reactivate({ userId: user.id });

    expect((await rejectionOf(asUser.account.me())).message).toBe(SESSION_ENDED);
    expect(await callerFor(user).account.me()).toMatchObject({ user: { id: user.id } });
  });

  it("still tells the holder of a deactivated user's session why (pages show the deactivated notice)", async () => {
    const { admin, user } = await createTeam();
    const { token } = await signInThroughNextAuth(user);
    await callerFor(admin).users.deactivate({ userId: user.id });
    await presentToken(token);
    expect(await getViewerState()).toEqual({ kind: "deactivated", email: user.email });
  });
});

describe("getViewerState uses resolveMembership's rule", () => {
  it("picks the active membership over an older deactivated one, as orgProcedure does", async () => {
    const first = await createTeam("First org");
    const second = await createTeam("Second org");
    const { user } = first;
    await db.membership.update({ where: { organizationId_userId: { organizationId: first.org.id, userId: user.id } }, data: { deactivatedAt: new Date() } });
    await db.membership.create({ data: { organizationId: second.org.id, userId: user.id, role: "manager" } });
    const { token, session } = await signInThroughNextAuth(user);
    await presentToken(token);

    expect(await getViewerState()).toMatchObject({ kind: "active", viewer: { orgId: second.org.id, orgName: "Second org", role: "manager" } });
    expect(await callerFor(user, undefined, session.sessionId).account.me()).toMatchObject({ organization: { id: second.org.id }, role: "manager" });
  });
});
