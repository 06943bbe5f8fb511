import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { POST } from "./route";

// Issue 8 item 11: next-auth parses the body by its content type and threw (a 500) on a body
// that is not what the content type says; NUL characters and bad callback URLs also ended as
// 500s. The route refuses them with a 400 before next-auth sees the request.

function post(tail: string, body: BodyInit, headers: Record<string, string> = {}) {
  const req = new NextRequest(`http://app.test/api/auth/${tail}`, { method: "POST", body, headers });
  // Next decodes path parameters before the handler sees them.
  return POST(req, { params: Promise.resolve({ nextauth: tail.split("?")[0]!.split("/").map(decodeURIComponent) }) });
}

async function errorOf(response: Response) {
  return { status: response.status, message: ((await response.json()) as { error: { message: string } }).error.message };
}

describe("the next-auth route refuses malformed requests with a 400", () => {
  it("a JSON content type with a body that is not JSON (was a 500 from next-auth's req.json())", async () => {
    expect(await errorOf(await post("callback/credentials", "not json", { "content-type": "application/json" }))).toEqual({
      status: 400,
      message: "The request body is not valid JSON.",
    });
    expect((await post("session", "[1,2]", { "content-type": "application/json" })).status).toBe(400);
    expect((await post("session", "", { "content-type": "application/json" })).status).toBe(400);
  });

  it("NUL characters or unpaired surrogates in form fields, query, path or next-auth cookies", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect(await errorOf(await post("callback/credentials", "email=a%00b&password=x&csrfToken=y", form))).toEqual({
      status: 400,
      message: "body.email must not contain NUL characters (U+0000).",
    });
    expect((await post("callback/credentials", JSON.stringify({ password: "\uD800" }), { "content-type": "application/json" })).status).toBe(400);
    expect((await post("session?x=%00", "", form)).status).toBe(400);
    expect((await post("a%00", "", form)).status).toBe(400);
    expect((await post("session", "", { ...form, cookie: "next-auth.csrf-token=%00" })).status).toBe(400);
  });

  it("a callback URL next-auth would refuse as 'a problem with the server configuration' (500)", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect(await errorOf(await post("session?callbackUrl=%7Bnot%20json", "", form))).toEqual({ status: 400, message: "callbackUrl must be a URL or a path on this site." });
    expect((await post("session", "", { ...form, cookie: "next-auth.callback-url=garbage" })).status).toBe(400);
  });

  it("a callback URL in a form body that is not a URL (next-auth's redirect threw: a 500, and sign-out failed)", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    for (const callbackUrl of ["not a url", "http://a:b:c/", "http://127.0.0.1:3900.evil.example/"]) {
      const body = new URLSearchParams({ csrfToken: "x", email: "a@example.com", password: "p", callbackUrl }).toString();
      for (const tail of ["callback/credentials", "signout", "signin/credentials"]) {
        expect(await errorOf(await post(tail, body, form))).toEqual({ status: 400, message: "callbackUrl must be a URL or a path on this site." });
      }
    }
  });

  it("bodies that are not UTF-8, or larger than any sign-in form", async () => {
    expect((await post("session", new Uint8Array([0x7b, 0xff, 0xfe]), { "content-type": "application/json" })).status).toBe(400);
    expect((await post("callback/credentials", `email=${"a".repeat(70_000)}`, { "content-type": "application/x-www-form-urlencoded" })).status).toBe(413);
  });
});
