import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { describeInputProblem, findInputProblem } from "@/lib/text-schema";
import { readViewer } from "@/server/auth/membership";
import { authOptions } from "@/server/auth/options";
import { db } from "@/server/db";
import { routeErrorResponse } from "@/server/route-errors";
import { AppError } from "@/server/errors";
import { requestIdFrom } from "@/server/request";
import { assertCallbackUrlCookies, isCallbackUrl, readBodyText } from "@/server/route-input";

const nextAuth: (req: NextRequest, context: RouteContext) => Promise<Response> =
  NextAuth(authOptions);

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/** Sign-in forms and next-auth's own calls send a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

function refuseMalformed(what: string, value: unknown) {
  const problem = findInputProblem(value);
  if (problem)
    throw new AppError(
      "BAD_REQUEST",
      describeInputProblem({ ...problem, path: [what, ...problem.path] }),
      { field: what },
    );
}

function assertCallbackUrl(callbackUrl: unknown) {
  if (callbackUrl === undefined || callbackUrl === null || callbackUrl === "") return;
  if (typeof callbackUrl !== "string" || !isCallbackUrl(callbackUrl)) {
    throw new AppError("BAD_REQUEST", "callbackUrl must be a URL or a path on this site.", { field: "callbackUrl" });
  }
}

const isNextAuthCookie = ({ name }: { name: string }) =>
  /^(__Secure-|__Host-)?next-auth\./.test(name);

/** The body as next-auth will read it (it picks the parser by content type and throws on a malformed body). */
function parseBody(text: string, contentType: string): unknown {
  if (contentType.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new AppError("BAD_REQUEST", "The request body must be a JSON object.");
    }
    return parsed;
  }
  if (contentType.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(text));
  return undefined;
}

/**
 * next-auth answers /api/auth/session from the JWT alone, so a signed-out-everywhere, revoked or
 * idle session would still look signed in to the browser (every request for data is refused
 * anyway, by readViewer). Its answer is checked against the session row: an ended one is answered
 * as signed out ({}), as next-auth answers without a token.
 */
async function liveSessionOnly(response: Response): Promise<Response> {
  if (!response.ok || !response.headers.get("content-type")?.includes("application/json")) return response;
  const session = (await response.clone().json()) as { user?: { id?: string }; sessionId?: string } | null;
  if (!session?.user?.id) return response;
  const viewer = await readViewer(db, session.user.id, session.sessionId);
  if (viewer.kind !== "signed-out") return response;
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response("{}", { status: 200, headers });
}

/**
 * next-auth, behind a check of what it would otherwise choke on (a 500): a body its content type
 * says is JSON but is not, and NUL characters or unpaired surrogates in the path, query, cookies
 * or body (they reach the database or a Location header).
 */
async function handler(req: NextRequest, context: RouteContext): Promise<Response> {
  const requestId = requestIdFrom(req.headers);
  try {
    refuseMalformed("path", (await context.params).nextauth);
    refuseMalformed("query", Object.fromEntries(req.nextUrl.searchParams));
    assertCallbackUrl(req.nextUrl.searchParams.get("callbackUrl"));
    assertCallbackUrlCookies(req.cookies.getAll());
    refuseMalformed(
      "cookies",
      Object.fromEntries(
        req.cookies
          .getAll()
          .filter(isNextAuthCookie)
          .map((cookie) => [cookie.name, cookie.value]),
      ),
    );
    if (req.method === "GET" && (await context.params).nextauth.join("/") === "session") return await liveSessionOnly(await nextAuth(req, context));
    if (req.method !== "POST" || req.body === null) return await nextAuth(req, context);

    const text = await readBodyText(req, MAX_BODY_BYTES);
    const body = parseBody(text, req.headers.get("content-type") ?? "");
    refuseMalformed("body", body);
    // next-auth redirects to a form's callbackUrl too, and throws (a 500) on one that is not a URL.
    assertCallbackUrl((body as { callbackUrl?: unknown } | undefined)?.callbackUrl);
    return await nextAuth(
      new NextRequest(req.url, { method: req.method, headers: req.headers, body: text }),
      context,
    );
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}

export { handler as GET, handler as POST };
