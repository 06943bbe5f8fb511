import "server-only";
import { apiSecurityHeaders, isServedOverHttps } from "@/lib/security-headers";

/**
 * The API security headers for a route handler the proxy (src/proxy.ts) does not run for — the
 * streamed uploads, whose bodies the proxy would buffer whole, and the tRPC API. The proxy gives
 * every other API response the same headers.
 */
export function withApiSecurityHeaders(req: Request, response: Response): Response {
  const https = isServedOverHttps(process.env.PUBLIC_BASE_URL || process.env.NEXTAUTH_URL, new URL(req.url).protocol);
  for (const [name, value] of Object.entries(apiSecurityHeaders({ https }))) response.headers.set(name, value);
  return response;
}
