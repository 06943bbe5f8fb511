import { describe, expect, it } from "vitest";
import {
  API_CONTENT_SECURITY_POLICY,
  apiSecurityHeaders,
  createNonce,
  isServedOverHttps,
  mapWorkerContentSecurityPolicy,
  pageContentSecurityPolicy,
  pageSecurityHeaders,
} from "./security-headers";

/** The sources of one directive, or undefined when the policy lacks it. */
function directive(policy: string, name: string): string[] | undefined {
  const found = policy
    .split(";")
    .map((part) => part.trim().split(/\s+/))
    .find(([directiveName]) => directiveName === name);
  return found?.slice(1);
}

const http = { https: false };

describe("createNonce", () => {
  it("gives 128 random bits, base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => createNonce()));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("pageContentSecurityPolicy", () => {
  it("runs scripts only with this request's nonce: no 'unsafe-inline', no 'unsafe-eval' in production", () => {
    const policy = pageContentSecurityPolicy("abc123", http);
    expect(directive(policy, "script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy).not.toContain("unsafe-eval");
    for (const name of ["script-src", "style-src", "style-src-elem", "default-src"]) {
      expect(directive(policy, name)).not.toContain("'unsafe-inline'");
    }
  });

  it("relaxes only what `next dev` needs: eval for React's error overlay, inline <style> elements", () => {
    const policy = pageContentSecurityPolicy("n", { https: false, development: true });
    expect(directive(policy, "script-src")).toEqual(["'self'", "'nonce-n'", "'strict-dynamic'", "'unsafe-eval'"]);
    expect(directive(policy, "style-src-elem")).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it("forbids framing, plugins, foreign base URLs and foreign form targets", () => {
    const policy = pageContentSecurityPolicy("n", http);
    expect(directive(policy, "frame-ancestors")).toEqual(["'none'"]);
    expect(directive(policy, "object-src")).toEqual(["'none'"]);
    expect(directive(policy, "base-uri")).toEqual(["'self'"]);
    expect(directive(policy, "form-action")).toEqual(["'self'"]);
    expect(directive(policy, "img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(directive(policy, "style-src-attr")).toEqual(["'unsafe-inline'"]);
  });

  it("lets the browser reach only the app, plus Sentry's ingest origin when a DSN is set", () => {
    expect(directive(pageContentSecurityPolicy("n", http), "connect-src")).toEqual(["'self'"]);
    const withSentry = pageContentSecurityPolicy("n", { https: false, sentryDsn: "https://publickey@o42.ingest.sentry.io/7" });
    expect(directive(withSentry, "connect-src")).toEqual(["'self'", "https://o42.ingest.sentry.io"]);
    expect(withSentry).not.toContain("publickey");
    expect(directive(pageContentSecurityPolicy("n", { https: false, sentryDsn: "not a url" }), "connect-src")).toEqual(["'self'"]);
  });

  it("lets the map load from its style's origin only, and workers only from the app (no blob:)", () => {
    const policy = pageContentSecurityPolicy("n", { https: false, mapStyleUrl: "https://tiles.openfreemap.org/styles/liberty" });
    expect(directive(policy, "connect-src")).toEqual(["'self'", "https://tiles.openfreemap.org"]);
    expect(directive(policy, "img-src")).toEqual(["'self'", "data:", "blob:", "https://tiles.openfreemap.org"]);
    expect(directive(policy, "worker-src")).toEqual(["'self'"]);
    expect(directive(policy, "script-src")).toEqual(["'self'", "'nonce-n'", "'strict-dynamic'"]);
    // A style served by the app itself adds nothing; a non-http URL adds nothing.
    expect(directive(pageContentSecurityPolicy("n", { https: false, mapStyleUrl: "/map/style.json" }), "connect-src")).toEqual(["'self'"]);
    expect(directive(pageContentSecurityPolicy("n", { https: false, mapStyleUrl: "javascript:alert(1)" }), "connect-src")).toEqual(["'self'"]);
  });

  it("gives MapLibre's worker a policy of its own: fetch from the app and the style's origin, nothing else", () => {
    const policy = mapWorkerContentSecurityPolicy({ https: false, mapStyleUrl: "http://127.0.0.1:9/style.json" });
    expect(directive(policy, "default-src")).toEqual(["'none'"]);
    expect(directive(policy, "connect-src")).toEqual(["'self'", "http://127.0.0.1:9"]);
    expect(directive(policy, "script-src")).toBeUndefined();
  });

  it("upgrades insecure requests only when served over https", () => {
    expect(directive(pageContentSecurityPolicy("n", http), "upgrade-insecure-requests")).toBeUndefined();
    expect(directive(pageContentSecurityPolicy("n", { https: true }), "upgrade-insecure-requests")).toEqual([]);
  });
});

describe("security header sets", () => {
  it("gives pages and API responses the same non-CSP headers; HSTS only over https", () => {
    const page = pageSecurityHeaders("n", http);
    const api = apiSecurityHeaders(http);
    for (const headers of [page, api]) {
      expect(headers).toMatchObject({
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
      });
      expect(headers["Permissions-Policy"]).toContain("camera=(), microphone=(), geolocation=()");
      expect(headers).not.toHaveProperty("Strict-Transport-Security");
    }
    expect(api["Content-Security-Policy"]).toBe(API_CONTENT_SECURITY_POLICY);
    expect(pageSecurityHeaders("n", { https: true })["Strict-Transport-Security"]).toBe("max-age=31536000");
    expect(apiSecurityHeaders({ https: true })["Strict-Transport-Security"]).toBe("max-age=31536000");
  });
});

describe("isServedOverHttps", () => {
  it.each([
    ["https://leads.example.com", "http:", true],
    ["HTTPS://leads.example.com", undefined, true],
    ["http://127.0.0.1:3000", "http:", false],
    [undefined, "https:", true],
    ["http://localhost:3000", "https:", true],
    [undefined, undefined, false],
  ])("public URL %s, request protocol %s → %s", (publicUrl, protocol, expected) => {
    expect(isServedOverHttps(publicUrl, protocol)).toBe(expected);
  });
});
