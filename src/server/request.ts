import "server-only";

export function requestIdFrom(headers: Headers): string {
  return headers.get("x-request-id") ?? crypto.randomUUID();
}

export function clientIpFrom(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip");
}
