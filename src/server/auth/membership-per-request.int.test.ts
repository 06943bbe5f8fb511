import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, sqlPoolOf } from "@/server/db";
import { createCaller } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";
import { createTeam, testSessionId, type TestUser } from "@/test/factories";

/**
 * The session and membership are read once per request — every procedure of an HTTP batch, or of
 * one server render, shares the read — and again on every request, so a deactivation applies to
 * the very next one.
 */

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));
const { GET: trpcRoute } = await import("@/app/api/trpc/[trpc]/route");

let team: { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
const sessionOf = (user: TestUser) => ({ user: { id: user.id, email: user.email }, sessionId: testSessionId(user.id), expires: new Date(Date.now() + 60_000).toISOString() });

/** The viewer reads (session + membership, one statement each) among the raw statements run. */
function countViewerReads() {
  const spy = vi.spyOn(sqlPoolOf(db)!, "query");
  return () => spy.mock.calls.filter(([query]) => JSON.stringify(query).includes('FROM \\"AuthSession\\"')).length;
}

/** A batched GET of leads.counts, tags.list and leads.assignees, as the leads page's client makes it. */
async function batch() {
  const input = encodeURIComponent(JSON.stringify({ 0: { json: { filters: {} } } }));
  const response = await trpcRoute(new Request(`http://test/api/trpc/leads.counts,tags.list,leads.assignees?batch=1&input=${input}`));
  return { status: response.status, body: (await response.json()) as { result?: unknown; error?: { json: { data: { httpStatus: number } } } }[] };
}

beforeAll(async () => {
  team = await createTeam();
});
afterEach(() => vi.restoreAllMocks());

describe("the membership read", () => {
  it("happens once for a batch of three procedures in one HTTP request", async () => {
    session.current = sessionOf(team.manager);
    const reads = countViewerReads();
    const { status, body } = await batch();
    expect(status).toBe(200);
    expect(body.map((part) => "result" in part)).toEqual([true, true, true]);
    expect(reads()).toBe(1);
  });

  it("happens once for every procedure sharing one request's context (a server render's prefetches)", async () => {
    const reads = countViewerReads();
    const caller = createCaller(createTRPCContext({ session: sessionOf(team.user), requestId: "one-render" }));
    await Promise.all([caller.leads.list({}), caller.leads.counts({}), caller.tags.list(), caller.leads.assignees()]);
    expect(reads()).toBe(1);
  });

  it("happens again on the next request: a deactivation refuses it", async () => {
    const member = team.user;
    session.current = sessionOf(member);
    expect((await batch()).status).toBe(200);
    // Deactivated directly in the table (the service also revokes sessions; the membership alone must bite).
    await db.membership.updateMany({ where: { userId: member.id }, data: { deactivatedAt: new Date() } });
    try {
      const reads = countViewerReads();
      const { status, body } = await batch();
      expect(status).toBe(401);
      expect(body.map((part) => part.error?.json.data.httpStatus)).toEqual([401, 401, 401]);
      expect(reads()).toBe(1);
      // A context made before the deactivation but first used after it reads it too.
      await expect(createCaller(createTRPCContext({ session: sessionOf(member), requestId: "after" })).tags.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    } finally {
      await db.membership.updateMany({ where: { userId: member.id }, data: { deactivatedAt: null } });
    }
    expect((await batch()).status).toBe(200);
  });

  it("happens again on the next request: a role change applies to it", async () => {
    session.current = sessionOf(team.manager);
    const create = () => trpcRoute(new Request("http://test/api/trpc/leads.create", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { addressLine1: "1 Role Way", city: "Austin", state: "TX", zip: "78701" } }) }));
    expect((await create()).status).toBe(200);
    await db.membership.updateMany({ where: { userId: team.manager.id }, data: { role: "user" } });
    try {
      expect((await create()).status).toBe(403);
    } finally {
      await db.membership.updateMany({ where: { userId: team.manager.id }, data: { role: "manager" } });
    }
  });
});
