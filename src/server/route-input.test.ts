import { describe, expect, it } from "vitest";
import { leadFiltersSchema } from "./leads/schema";
import { isAppError } from "./errors";
import { assertCallbackUrlCookies, isCallbackUrl, jsonSearchParam, pathParam, readBodyText, searchParam, withBodyLimit } from "./route-input";

async function appErrorOf(promise: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    if (isAppError(error)) return { code: error.appCode, message: error.message };
    throw error;
  }
  throw new Error("expected an AppError");
}

/** A request whose body arrives in chunks with no Content-Length, as a chunked upload does. */
function streamedRequest(chunks: string[]) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Request("http://app.test/api/x", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("path and query parameters", () => {
  it("refuses NUL, unpaired surrogates and absurd lengths, naming the parameter", async () => {
    expect(await pathParam(Promise.resolve({ id: "cmx1abc" }), "id")).toBe("cmx1abc");
    expect(await appErrorOf(pathParam(Promise.resolve({ id: "a\u0000b" }), "id"))).toEqual({
      code: "BAD_REQUEST",
      message: 'The "id" in the URL must not contain NUL characters (U+0000).',
    });
    expect((await appErrorOf(pathParam(Promise.resolve({ id: "\uD800" }), "id"))).message).toMatch(/"id" in the URL must not contain malformed Unicode/);
    expect((await appErrorOf(pathParam(Promise.resolve({ id: "x".repeat(65) }), "id"))).message).toBe('The "id" in the URL is longer than 64 characters.');
    expect((await appErrorOf(() => searchParam(new URL("http://app.test/?fileName=a%00"), "fileName"))).code).toBe("BAD_REQUEST");
    expect(searchParam(new URL("http://app.test/?fileName=list.csv"), "fileName")).toBe("list.csv");
  });

  it("a JSON query parameter: refused when not JSON, when a string in it is malformed, or when it is too deep", async () => {
    const url = (filters: string) => new URL(`http://app.test/api/leads/export?filters=${encodeURIComponent(filters)}`);
    expect(jsonSearchParam(url('{"q":"oak"}'), "filters", leadFiltersSchema, {})).toMatchObject({ q: "oak" });
    expect((await appErrorOf(() => jsonSearchParam(url("{not json"), "filters", leadFiltersSchema, {}))).message).toMatch(/"filters" parameter must be JSON/);
    expect(await appErrorOf(() => jsonSearchParam(url('{"q":"o\\u0000k"}'), "filters", leadFiltersSchema, {}))).toEqual({
      code: "BAD_REQUEST",
      message: "filters.q must not contain NUL characters (U+0000).",
    });
    expect((await appErrorOf(() => jsonSearchParam(url(`{"tagIds":["\\ud800"]}`), "filters", leadFiltersSchema, {}))).message).toMatch(/^filters\.tagIds\.0 must not contain malformed Unicode/);
    expect((await appErrorOf(() => jsonSearchParam(url("[".repeat(1000) + "]".repeat(1000)), "filters", leadFiltersSchema, {}))).message).toMatch(/nested more than 32 levels/);
  });
});

describe("body limits", () => {
  it("withBodyLimit: a declared Content-Length above the limit fails the first read with PAYLOAD_TOO_LARGE", async () => {
    const req = new Request("http://app.test/api/trpc/x", { method: "POST", body: "x".repeat(2000), headers: { "content-length": "2000" } });
    expect(await appErrorOf(withBodyLimit(req, 1000).text())).toEqual({ code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than 1000 bytes." });
  });

  it("withBodyLimit: a streamed body fails once it passes the limit, and one within it reads whole", async () => {
    expect((await appErrorOf(withBodyLimit(streamedRequest(["a".repeat(600), "b".repeat(600)]), 1024).json())).code).toBe("PAYLOAD_TOO_LARGE");
    expect(await withBodyLimit(streamedRequest(['{"json":', '{"ok":true}}']), 1024).json()).toEqual({ json: { ok: true } });
    const get = new Request("http://app.test/api/trpc/x");
    expect(withBodyLimit(get, 10)).toBe(get);
  });

  it("readBodyText: the limit counts bytes, as declared or as streamed; the text must be UTF-8", async () => {
    expect(await readBodyText(streamedRequest(["email=a", "&password=b"]), 64 * 1024)).toBe("email=a&password=b");
    expect((await appErrorOf(readBodyText(streamedRequest(["é".repeat(600)]), 1024))).code).toBe("PAYLOAD_TOO_LARGE");
    const declared = new Request("http://app.test/", { method: "POST", body: "x", headers: { "content-length": "99999999" } });
    expect((await appErrorOf(readBodyText(declared, 1024))).message).toBe("The request body is larger than 1 KiB.");
    const binary = new Request("http://app.test/", { method: "POST", body: new Uint8Array([0x61, 0xff, 0xfe]) });
    expect((await appErrorOf(readBodyText(binary, 1024))).message).toBe("The request body is not valid UTF-8 text.");
  });
});

describe("next-auth's callback URL", () => {
  it("is a path or an http(s) URL, as next-auth requires; anything else in its cookie is a 400, not next-auth's 500", async () => {
    expect(isCallbackUrl("/leads?status=new")).toBe(true);
    expect(isCallbackUrl("https://leadflow.example/leads")).toBe(true);
    for (const bad of ["leads", "javascript:alert(1)", "\u0000", "{not json", ""]) expect(isCallbackUrl(bad), bad).toBe(false);
    expect(() => assertCallbackUrlCookies([{ name: "next-auth.callback-url", value: "/leads" }, { name: "other", value: "\u0000" }])).not.toThrow();
    expect(await appErrorOf(() => assertCallbackUrlCookies([{ name: "__Secure-next-auth.callback-url", value: "%00" }]))).toEqual({
      code: "BAD_REQUEST",
      message: "The __Secure-next-auth.callback-url cookie is not a URL. Clear this site's cookies and sign in again.",
    });
  });
});
