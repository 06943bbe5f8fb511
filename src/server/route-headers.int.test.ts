import { describe, expect, it, vi } from "vitest";
import { API_CONTENT_SECURITY_POLICY } from "@/lib/security-headers";
import { callerFor, createTeam } from "@/test/factories";

// The tRPC API skips src/proxy.ts (see its matcher), so its handler sets the request id and the API
// security headers itself: on answers, errors, batches and the live-updates stream alike.

const session = vi.hoisted(() => ({ current: null as unknown }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));

const { GET, POST } = await import("@/app/api/trpc/[trpc]/route");
const { config } = await import("@/proxy");
const { sessionFor } = await import("@/test/factories");

const url = (path: string) => `http://localhost:3000/api/trpc/${path}`;

function expectApiHeaders(response: Response, requestId?: string) {
  expect(response.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  const id = response.headers.get("x-request-id");
  if (requestId) expect(id).toBe(requestId);
  else expect(id).toMatch(/^[0-9a-f-]{36}$/);
}

describe("the tRPC route's own headers", () => {
  it("is not seen by the proxy when its path is procedure names", () => {
    const matched = (path: string) => config.matcher.some((source: string) => new RegExp(`^${source}$`).test(path));
    expect(matched("/api/trpc/leads.list")).toBe(false);
    expect(matched("/api/trpc/account.me,leads.list")).toBe(false);
    // Any other path meets the proxy's path check: Next answers a malformed route parameter with a 500 itself.
    expect(matched("/api/trpc/%ED%A0%80")).toBe(true);
    expect(matched("/api/trpc/%")).toBe(true);
    expect(matched("/api/trpc/leads.list%00")).toBe(true);
    expect(matched("/leads")).toBe(true);
    expect(matched("/api/health")).toBe(true);
  });

  it("sets the API security headers and a request id on answers, refusals, malformed calls and streams", async () => {
    const team = await createTeam();
    await callerFor(team.user).account.me();
    session.current = null;
    const signedOut = await GET(new Request(url("account.me")));
    expect(signedOut.status).toBe(401);
    expectApiHeaders(signedOut);

    session.current = await sessionFor(team.user);
    const kept = await GET(new Request(url("account.me"), { headers: { "x-request-id": "upstream-request-1234" } }));
    expect(kept.status).toBe(200);
    expectApiHeaders(kept, "upstream-request-1234");
    const forged = await GET(new Request(url("account.me"), { headers: { "x-request-id": "not an id; <script>" } }));
    expectApiHeaders(forged);

    const batch = await GET(new Request(`${url("account.me,tags.list")}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: null }, 1: { json: null } }))}`));
    expect(batch.status).toBe(200);
    expectApiHeaders(batch);

    const malformed = await POST(new Request(url("tags.create"), { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }));
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
    expectApiHeaders(malformed);
    expectApiHeaders(await GET(new Request(url("no.such.procedure"))));
    // Paths that are not valid UTF-8, or hold NUL, are refused as the proxy refused them (tRPC alone answered 500).
    for (const path of ["%ED%A0%80", "%00", "account.me%FF"]) {
      const refused = await GET(new Request(url(path)));
      expect(refused.status, path).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code, path).toBe("BAD_REQUEST");
      expectApiHeaders(refused);
    }

    const controller = new AbortController();
    const stream = await GET(new Request(`${url("realtime.events")}?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, { signal: controller.signal }));
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    expectApiHeaders(stream);
    controller.abort();
    await stream.body?.cancel().catch(() => {});
  });
});
