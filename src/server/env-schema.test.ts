import { describe, expect, it } from "vitest";
import { InvalidConfigError, parseEnv } from "./env-schema";

const complete = {
  DATABASE_URL: "postgresql://leadflow:secret@127.0.0.1:5432/leadflow",
  NEXTAUTH_SECRET: "a-secret-that-is-long-enough",
};

function configErrorOf(source: Record<string, string | undefined>): InvalidConfigError {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error("expected parseEnv to reject this configuration");
}

describe("parseEnv", () => {
  it("accepts a complete environment and fills in the documented defaults", () => {
    const env = parseEnv(complete);
    expect(env.DATABASE_URL).toBe(complete.DATABASE_URL);
    expect(env.CACHE_TTL_SECONDS).toBe(900);
    expect(env.DAILY_CAP_ATTOM_CENTS).toBe(1500);
    expect(env.DAILY_CAP_BATCH_CENTS).toBe(2000);
    expect(env.LOGIN_MAX_FAILURES).toBe(5);
    expect(env.INVITE_TTL_HOURS).toBe(72);
    expect(env.NODE_ENV).toBe("development");
    expect(env.ATTOM_API_KEY).toBeUndefined();
  });

  it("takes the map style as an http(s) URL or a path, and names it otherwise", () => {
    expect(parseEnv({ ...complete, NEXT_PUBLIC_MAP_STYLE_URL: "https://tiles.example.com/style.json" }).NEXT_PUBLIC_MAP_STYLE_URL).toBe("https://tiles.example.com/style.json");
    expect(parseEnv({ ...complete, NEXT_PUBLIC_MAP_STYLE_URL: "/map/style.json" }).NEXT_PUBLIC_MAP_STYLE_URL).toBe("/map/style.json");
    expect(parseEnv(complete).NEXT_PUBLIC_MAP_STYLE_URL).toBeUndefined();
    expect(configErrorOf({ ...complete, NEXT_PUBLIC_MAP_STYLE_URL: "javascript:alert(1)" }).message).toContain("NEXT_PUBLIC_MAP_STYLE_URL");
  });

  it("coerces numeric variables from their string form", () => {
    const env = parseEnv({ ...complete, DAILY_CAP_ATTOM_CENTS: "2500", CACHE_TTL_SECONDS: "60" });
    expect(env.DAILY_CAP_ATTOM_CENTS).toBe(2500);
    expect(env.CACHE_TTL_SECONDS).toBe(60);
  });

  it("fails fast naming DATABASE_URL when it is missing", () => {
    const error = configErrorOf({ NEXTAUTH_SECRET: complete.NEXTAUTH_SECRET });
    expect(error.message).toContain("DATABASE_URL");
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^DATABASE_URL: /);
  });

  it("names DATABASE_URL when it is not a URL", () => {
    expect(configErrorOf({ ...complete, DATABASE_URL: "localhost" }).message).toContain("DATABASE_URL");
  });

  it.each(["abc", "-5", "12.5"])("names DAILY_CAP_ATTOM_CENTS when it is %j", (value) => {
    const error = configErrorOf({ ...complete, DAILY_CAP_ATTOM_CENTS: value });
    expect(error.message).toContain("DAILY_CAP_ATTOM_CENTS");
    expect(error.problems.every((p) => p.startsWith("DAILY_CAP_ATTOM_CENTS"))).toBe(true);
  });

  it("names every bad variable at once, not just the first", () => {
    const error = configErrorOf({ NEXTAUTH_SECRET: "short", DAILY_CAP_BATCH_CENTS: "lots" });
    expect(error.message).toContain("DATABASE_URL");
    expect(error.message).toContain("NEXTAUTH_SECRET");
    expect(error.message).toContain("DAILY_CAP_BATCH_CENTS");
  });

  it("treats empty strings as unset: defaults apply and optional keys stay absent", () => {
    const env = parseEnv({ ...complete, CACHE_TTL_SECONDS: "", DAILY_CAP_ATTOM_CENTS: "", ATTOM_API_KEY: "", SENTRY_DSN: "" });
    expect(env.CACHE_TTL_SECONDS).toBe(900);
    expect(env.DAILY_CAP_ATTOM_CENTS).toBe(1500);
    expect(env.ATTOM_API_KEY).toBeUndefined();
    expect(env.SENTRY_DSN).toBeUndefined();
  });

  it("treats an empty required variable as missing and names it", () => {
    expect(configErrorOf({ ...complete, DATABASE_URL: "" }).message).toContain("DATABASE_URL");
  });
});
