/**
 * The security headers of every page and API response, built per request by src/proxy.ts.
 * Pure: the proxy reads the environment and passes what it found.
 */
import { mapStyleOrigin } from "./map-style";

export type SecurityHeaderOptions = {
  /** Served over https (HSTS and upgrade-insecure-requests are sent only then). */
  https: boolean;
  /** `next dev`: React needs eval for its error overlay, and Next's dev styles carry no nonce. */
  development?: boolean;
  /** NEXT_PUBLIC_SENTRY_DSN: the browser SDK posts events to the DSN's origin. */
  sentryDsn?: string;
  /** The map's style URL (lib/map-style.ts): its origin serves the style, tiles, glyphs and sprites. */
  mapStyleUrl?: string;
};

export const HSTS_MAX_AGE_SECONDS = 31_536_000;

/** 128 random bits, base64: a fresh one for every request. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * True when the app's public URL is https, or this request arrived over https. A forged
 * `x-forwarded-proto: https` on a plain-http deployment only adds an HSTS header that browsers
 * ignore on http responses (RFC 6797 §8.1), so the request's own protocol is safe to trust here.
 */
export function isServedOverHttps(publicUrl: string | undefined, requestProtocol: string | undefined): boolean {
  return publicUrl?.toLowerCase().startsWith("https://") === true || requestProtocol === "https:" || requestProtocol === "https";
}

function sentryOrigin(dsn: string | undefined): string | null {
  if (!dsn) return null;
  try {
    const url = new URL(dsn);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}

const serialize = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(" "))
    .join("; ");

/**
 * The policy of an HTML page. Scripts run only with this request's nonce; 'strict-dynamic' lets
 * Next's nonced loader add its chunks ('self' is the fallback for browsers without CSP3).
 * Stylesheets and <style> elements need the nonce too (Next puts it on its own). Style
 * *attributes* are allowed inline: React renders `style={…}` props into the server HTML (progress
 * bars, score meters, recharts, Next's built-in error pages), and an attribute can neither run
 * script nor load anything beyond what img-src and font-src allow.
 */
export function pageContentSecurityPolicy(nonce: string, options: SecurityHeaderOptions): string {
  const connect = ["'self'"];
  const sentry = sentryOrigin(options.sentryDsn);
  if (sentry) connect.push(sentry);
  // The map (MapLibre) fetches its style, tiles and glyphs, and draws sprites, from the style's origin.
  const map = options.mapStyleUrl ? mapStyleOrigin(options.mapStyleUrl) : null;
  if (map && !connect.includes(map)) connect.push(map);
  // `next dev` injects <style> elements of its own (error overlay, hot reload) without the nonce.
  const styleElements = options.development ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${nonce}'`];
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.development ? ["'unsafe-eval'"] : [])],
    "style-src": styleElements,
    "style-src-elem": styleElements,
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", ...(map ? [map] : [])],
    "font-src": ["'self'"],
    "connect-src": connect,
    // MapLibre's web worker, served by this app (MAP_WORKER_PATH); without this, workers fall back
    // to script-src, whose 'strict-dynamic' ignores 'self'.
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  if (options.https) directives["upgrade-insecure-requests"] = [];
  return serialize(directives);
}

/** JSON, CSV and the like: nothing in them may load or run anything, or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * MapLibre's worker script (MAP_WORKER_PATH). A worker loaded from a URL is governed by its own
 * response's policy: it may fetch only from this app and the map style's origin (tiles, glyphs),
 * and load nothing else.
 */
export function mapWorkerContentSecurityPolicy(options: SecurityHeaderOptions): string {
  const map = options.mapStyleUrl ? mapStyleOrigin(options.mapStyleUrl) : null;
  return serialize({
    "default-src": ["'none'"],
    "connect-src": ["'self'", ...(map ? [map] : [])],
    "img-src": ["'self'", "data:", "blob:", ...(map ? [map] : [])],
    "frame-ancestors": ["'none'"],
  });
}

export function mapWorkerSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return { ...commonSecurityHeaders(options), "Content-Security-Policy": mapWorkerContentSecurityPolicy(options) };
}

/** Headers every response carries, page or API. */
export function commonSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (options.https) headers["Strict-Transport-Security"] = `max-age=${HSTS_MAX_AGE_SECONDS}`;
  return headers;
}

export function pageSecurityHeaders(nonce: string, options: SecurityHeaderOptions): Record<string, string> {
  return { ...commonSecurityHeaders(options), "Content-Security-Policy": pageContentSecurityPolicy(nonce, options) };
}

export function apiSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return { ...commonSecurityHeaders(options), "Content-Security-Policy": API_CONTENT_SECURITY_POLICY };
}
