import "server-only";
import { env } from "./env";
import { PEER_ADDRESS_HEADER } from "./peer-address";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** The request's id: a well-formed one from upstream (src/proxy.ts sets it), else a new one. */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get("x-request-id");
  return incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

type HeaderSource = Headers | Record<string, unknown> | undefined;

function headerValue(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (typeof headers.get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return value.join(", ");
  return typeof value === "string" ? value : null;
}

function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice("::ffff:".length) : trimmed;
}

/**
 * The client's IP address. X-Forwarded-For is trusted only as far as TRUSTED_PROXY_HOPS reverse
 * proxies of ours appended to it: with none, the connection's own address; with N, the Nth entry
 * from the right (each proxy appends the address it received the request from, so entries further
 * left were written by the client and prove nothing).
 */
export function clientIpFrom(headers: HeaderSource, trustedHops: number = env.TRUSTED_PROXY_HOPS): string | null {
  const peer = headerValue(headers, PEER_ADDRESS_HEADER);
  const peerAddress = peer ? normalizeAddress(peer) : null;
  if (trustedHops === 0) return peerAddress || null;
  const forwarded = (headerValue(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return peerAddress || null;
  return normalizeAddress(forwarded[Math.max(0, forwarded.length - trustedHops)]!);
}
