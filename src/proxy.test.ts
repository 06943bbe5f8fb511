import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { proxy } from "./proxy";

const nonceIn = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];
/** What the proxy hands on to Next as the request's header (NextResponse.next({ request })). */
const forwarded = (response: Response, name: string) => response.headers.get(`x-middleware-request-${name.toLowerCase()}`);

beforeEach(() => {
  vi.stubEnv("NEXTAUTH_SECRET", "proxy-test-secret-0123456789");
  vi.stubEnv("NEXTAUTH_URL", "http://127.0.0.1:3000");
  vi.stubEnv("PUBLIC_BASE_URL", "");
  vi.stubEnv("NEXT_PUBLIC_SENTRY_DSN", "");
});
afterEach(() => vi.unstubAllEnvs());

describe("proxy security headers", () => {
  it("gives each page request its own nonce, in the response's policy and in the request Next renders", async () => {
    const [first, second] = await Promise.all([proxy(new NextRequest("http://127.0.0.1:3000/sign-in")), proxy(new NextRequest("http://127.0.0.1:3000/sign-in"))]);
    const nonces = [first, second].map((response) => nonceIn(response.headers.get("content-security-policy")));
    expect(nonces[0]).toBeTruthy();
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(forwarded(first, "x-nonce")).toBe(nonces[0]);
    expect(forwarded(first, "content-security-policy")).toBe(first.headers.get("content-security-policy"));
    expect(first.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic';/);
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("strict-transport-security")).toBeNull();
  });

  it("answers API requests with the JSON policy and no nonce", async () => {
    const response = await proxy(new NextRequest("http://127.0.0.1:3000/api/health"));
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(forwarded(response, "x-nonce")).toBeNull();
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("puts the headers on the sign-in redirect of a signed-out visitor too", async () => {
    const response = await proxy(new NextRequest("http://127.0.0.1:3000/leads"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toMatch(/\/sign-in\?callbackUrl=%2Fleads$/);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("sends HSTS only when the app is served over https", async () => {
    vi.stubEnv("PUBLIC_BASE_URL", "https://leads.example.com");
    const page = await proxy(new NextRequest("https://leads.example.com/sign-in"));
    const api = await proxy(new NextRequest("https://leads.example.com/api/health"));
    expect(page.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(api.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(page.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");

    vi.stubEnv("PUBLIC_BASE_URL", "");
    const plain = await proxy(new NextRequest("http://127.0.0.1:3000/sign-in"));
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });
});
