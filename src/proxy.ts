import { NextResponse, type NextRequest } from "next/server";
import { apiSecurityHeaders, createNonce, isServedOverHttps, mapWorkerSecurityHeaders, pageSecurityHeaders, type SecurityHeaderOptions } from "@/lib/security-headers";
import { MAP_WORKER_PATH, mapStyleUrl } from "@/lib/map-style";
import { urlPathProblem } from "@/lib/text-schema";
import { decodeSessionToken, sessionTokenFrom } from "@/lib/session-token";

const PUBLIC_PAGES = ["/sign-in", "/sign-up", "/invite/", "/forgot-password", "/reset-password/", "/outbox"];
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * Gives every request an id (kept from a trusted upstream when well-formed) and the security
 * headers, and sends signed-out visitors of app pages to sign-in. This is routing only:
 * authorization happens on the server for every request (orgProcedure, the signed-in layout,
 * route handlers).
 *
 * Pages get a Content-Security-Policy with a fresh nonce. Next reads the nonce from the policy on
 * the request and puts it on its own scripts; that works because every page renders per request
 * (the root layout awaits `connection()`). Static files skip the proxy (see `config.matcher`) and
 * get their headers from next.config.mjs.
 */
export async function proxy(request: NextRequest) {
  const incoming = request.headers.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);

  const { pathname, search } = request.nextUrl;
  const isPage = !pathname.startsWith("/api/");
  const options: SecurityHeaderOptions = {
    https: isServedOverHttps(process.env.PUBLIC_BASE_URL || process.env.NEXTAUTH_URL, request.nextUrl.protocol),
    development: process.env.NODE_ENV === "development",
    sentryDsn: process.env.NEXT_PUBLIC_SENTRY_DSN,
    mapStyleUrl: mapStyleUrl(process.env.NEXT_PUBLIC_MAP_STYLE_URL),
  };
  const nonce = createNonce();
  const securityHeaders = isPage ? pageSecurityHeaders(nonce, options) : pathname === MAP_WORKER_PATH ? mapWorkerSecurityHeaders(options) : apiSecurityHeaders(options);
  securityHeaders["x-request-id"] = requestId;

  const pathProblem = urlPathProblem(pathname);
  if (pathProblem) {
    const error = { code: "BAD_REQUEST", appCode: "BAD_REQUEST", message: pathProblem, details: null, requestId };
    return withHeaders(NextResponse.json({ error }, { status: 400 }), securityHeaders);
  }

  if (isPage && !PUBLIC_PAGES.some((page) => pathname.startsWith(page))) {
    const secret = process.env.NEXTAUTH_SECRET;
    const token = secret ? await decodeSessionToken(sessionTokenFrom(request.cookies.getAll(), process.env.NEXTAUTH_URL), secret) : null;
    if (!token) {
      const signIn = new URL("/sign-in", request.url);
      if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
      return withHeaders(NextResponse.redirect(signIn), securityHeaders);
    }
  }

  if (isPage) {
    headers.set("x-nonce", nonce);
    headers.set("Content-Security-Policy", securityHeaders["Content-Security-Policy"]!);
  }
  return withHeaders(NextResponse.next({ request: { headers } }), securityHeaders);
}

export const config = {
  // Not Next's static files nor the files in public/: next.config.mjs `headers()` gives them theirs.
  // Not the streamed uploads either (the CSV import, DNC registry extracts): Next buffers the body of every request the proxy sees (api/imports/upload/route.ts).
  // Not Twilio's webhooks (nor the ping they are measured against): machine-to-machine, signed, and
  // on the hot path; their handler sets the request id and the API security headers itself.
  // Not the app's tRPC API either (the hottest route; its handler sets its headers itself) when its
  // path is procedure names only: any other path still meets the proxy's path check, because Next
  // itself answers a route parameter that is not valid percent-encoded UTF-8 with a 500 before the
  // handler runs.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|logo.svg|api/imports/upload|api/compliance/dnc/registry|api/webhooks/twilio/|api/ping$|api/trpc/[A-Za-z0-9_.,]+$).*)"],
};
