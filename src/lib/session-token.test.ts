import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeSessionToken, sessionCookieName, sessionTokenFrom } from "./session-token";

const SECRET = "a-secret-that-is-long-enough-for-tests";

afterEach(() => {
  vi.useRealTimers();
});

describe("sessionTokenFrom", () => {
  it("reads next-auth's cookie, __Secure- prefixed over https", () => {
    expect(sessionCookieName("http://localhost:3000")).toBe("next-auth.session-token");
    expect(sessionCookieName("https://app.example.com")).toBe("__Secure-next-auth.session-token");
    const cookies = [
      { name: "other", value: "x" },
      { name: "next-auth.session-token", value: "plain" },
      { name: "__Secure-next-auth.session-token", value: "secure" },
    ];
    expect(sessionTokenFrom(cookies, "http://localhost:3000")).toBe("plain");
    expect(sessionTokenFrom(cookies, "https://app.example.com")).toBe("secure");
    expect(sessionTokenFrom([{ name: "other", value: "x" }], "http://localhost:3000")).toBeNull();
  });

  it("joins a token next-auth split over several cookies in their numeric order", () => {
    const cookies = [
      { name: "next-auth.session-token.10", value: "K" },
      { name: "next-auth.session-token.2", value: "C" },
      { name: "next-auth.session-token.0", value: "A" },
      { name: "next-auth.session-token.1", value: "B" },
    ];
    expect(sessionTokenFrom(cookies, "http://localhost:3000")).toBe("ABCK");
  });
});

describe("decodeSessionToken", () => {
  it("answers what next-auth encoded, and the same again from memory", async () => {
    const token = await encode({ token: { sub: "user-1", email: "a@example.com", sid: "session-1" }, secret: SECRET });
    const first = await decodeSessionToken(token, SECRET);
    expect(first).toMatchObject({ sub: "user-1", email: "a@example.com", sid: "session-1" });
    expect(await decodeSessionToken(token, SECRET)).toEqual(first);
  });

  it("refuses a missing, forged or truncated token, and one encrypted under another secret", async () => {
    const token = await encode({ token: { sub: "user-1", sid: "session-1" }, secret: SECRET });
    expect(await decodeSessionToken(null, SECRET)).toBeNull();
    expect(await decodeSessionToken("not-a-token", SECRET)).toBeNull();
    expect(await decodeSessionToken(token.slice(0, -4), SECRET)).toBeNull();
    expect(await decodeSessionToken(token, "another-secret-that-is-long-enough")).toBeNull();
    // Remembered under one secret is not accepted under another, nor back again without decrypting.
    expect(await decodeSessionToken(token, SECRET)).toMatchObject({ sub: "user-1" });
    expect(await decodeSessionToken(token, "another-secret-that-is-long-enough")).toBeNull();
  });

  it("refuses an expired token, also once it was remembered while valid", async () => {
    const expired = await encode({ token: { sub: "user-1", sid: "s" }, secret: SECRET, maxAge: -60 });
    expect(await decodeSessionToken(expired, SECRET)).toBeNull();

    const token = await encode({ token: { sub: "user-2", sid: "s" }, secret: SECRET, maxAge: 60 });
    expect(await decodeSessionToken(token, SECRET)).toMatchObject({ sub: "user-2" });
    vi.useFakeTimers({ now: Date.now() + 60_000 + 10_000 }); // within jose's 15 s leeway
    expect(await decodeSessionToken(token, SECRET)).toMatchObject({ sub: "user-2" });
    vi.setSystemTime(Date.now() + 10_000); // past it
    expect(await decodeSessionToken(token, SECRET)).toBeNull();
  });
});
