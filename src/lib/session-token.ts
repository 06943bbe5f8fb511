import { decode, type JWT } from "next-auth/jwt";
import { LRUCache } from "lru-cache";

// Server code only (src/proxy.ts and auth/session.ts); no "server-only" import because the proxy is not bundled for React Server Components.

const SESSION_COOKIE = "next-auth.session-token";

/** next-auth v4's session cookie name: `__Secure-` prefixed when the app is served over https. */
export function sessionCookieName(baseUrl: string | undefined): string {
  return baseUrl?.startsWith("https://") ? `__Secure-${SESSION_COOKIE}` : SESSION_COOKIE;
}

/**
 * The session token in a request's cookies. next-auth splits a token over 4 KB into `name.0`,
 * `name.1` …; like its SessionStore, every cookie whose name starts with the session cookie's
 * counts, joined in suffix order.
 */
export function sessionTokenFrom(cookies: readonly { name: string; value: string }[], baseUrl: string | undefined): string | null {
  const name = sessionCookieName(baseUrl);
  const parts = cookies.filter((cookie) => cookie.name.startsWith(name));
  if (parts.length === 0) return null;
  const suffix = (cookieName: string) => Number.parseInt(cookieName.split(".").pop() ?? "0", 10) || 0;
  return parts
    .sort((a, b) => suffix(a.name) - suffix(b.name))
    .map((cookie) => cookie.value)
    .join("");
}

/** jose's leeway when next-auth decrypts a token (`clockTolerance: 15`), kept for remembered ones. */
const CLOCK_TOLERANCE_MS = 15_000;

/**
 * Decrypted tokens by their text: a browser sends the same token on every request until it signs
 * in again, and next-auth derives the key (HKDF) and decrypts on each call. A token's payload
 * cannot change without its text changing, so only the expiry is checked again. Failures are not
 * kept. Keyed per secret, so a rotated secret never accepts a token remembered under the old one.
 */
const decoded = new LRUCache<string, JWT>({ max: 5_000 });
let decodedUnder: string | null = null;

/** The session token's payload, or null when it is missing, forged, encrypted under another secret or expired. */
export async function decodeSessionToken(token: string | null, secret: string): Promise<JWT | null> {
  if (!token) return null;
  if (decodedUnder !== secret) {
    decoded.clear();
    decodedUnder = secret;
  }
  let payload = decoded.get(token);
  if (!payload) {
    payload = (await decode({ token, secret }).catch(() => null)) ?? undefined;
    if (!payload) return null;
    decoded.set(token, payload);
  }
  if (typeof payload.exp === "number" && payload.exp * 1000 + CLOCK_TOLERANCE_MS < Date.now()) return null;
  return payload;
}
