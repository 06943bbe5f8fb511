import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC_PAGES = ["/sign-in", "/sign-up", "/invite/"];
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Gives every request an id (kept from a trusted upstream when well-formed) and sends signed-out
 * visitors of app pages to sign-in. This is routing only: authorization happens on the server
 * for every request (orgProcedure, the signed-in layout, route handlers).
 */
export async function proxy(request: NextRequest) {
  const incoming = request.headers.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);

  const { pathname, search } = request.nextUrl;
  const isPage = !pathname.startsWith("/api/");
  if (isPage && !PUBLIC_PAGES.some((page) => pathname.startsWith(page))) {
    const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
    if (!token) {
      const signIn = new URL("/sign-in", request.url);
      if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
      const redirect = NextResponse.redirect(signIn);
      redirect.headers.set("x-request-id", requestId);
      return redirect;
    }
  }

  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  // Not the CSV upload either: Next buffers the body of every request the proxy sees (api/imports/upload/route.ts).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|logo.svg|api/imports/upload).*)"],
};
