import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { AppError, databaseErrorFacts, ERROR_CODES, fromPrismaError, hasSqlState, httpStatusOf, isAppError, notFound, retryAfterHeaders, toAppError } from "./errors";

function prismaError(code: string, message = "Invalid `prisma.user.create()` invocation") {
  return new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: "test" });
}

describe("fromPrismaError", () => {
  it("maps a missing record (P2025) to NOT_FOUND", () => {
    const mapped = fromPrismaError(prismaError("P2025"));
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped?.code).toBe("NOT_FOUND");
  });

  it("maps a unique-constraint violation (P2002) to CONFLICT", () => {
    const mapped = fromPrismaError(prismaError("P2002"));
    expect(mapped?.code).toBe("CONFLICT");
    expect(mapped?.message).toMatch(/already exists/i);
  });

  it("maps a dangling reference (P2003) to BAD_REQUEST", () => {
    expect(fromPrismaError(prismaError("P2003"))?.code).toBe("BAD_REQUEST");
  });

  it("maps any other Prisma code to INTERNAL_SERVER_ERROR without leaking the original message", () => {
    const secret = 'relation "User" column "passwordHash" on host db.internal:5432 timed out';
    const mapped = fromPrismaError(prismaError("P1001", secret));
    expect(mapped?.code).toBe("SERVICE_UNAVAILABLE");
    expect(mapped?.message).not.toContain("passwordHash");
    expect(mapped?.message).not.toContain("db.internal");
    expect(mapped?.message).not.toBe(secret);
  });

  it("recognises Prisma-shaped errors by their code alone", () => {
    expect(fromPrismaError({ code: "P2002", message: "plain object" })?.code).toBe("CONFLICT");
  });

  it.each([
    ["a plain Error", new Error("boom")],
    ["a Node system error", Object.assign(new Error("no such file"), { code: "ENOENT" })],
    ["a numeric code", { code: 2002 }],
    ["a code that only looks Prisma-like", { code: "P20021" }],
    ["a TRPCError", new TRPCError({ code: "FORBIDDEN" })],
    ["null", null],
    ["undefined", undefined],
    ["a string", "P2002"],
  ])("returns null for %s", (_label, error) => {
    expect(fromPrismaError(error)).toBeNull();
  });
});

describe("AppError", () => {
  it("is a TRPCError carrying its code, message and details", () => {
    const error = new AppError("PRECONDITION_FAILED", "Budget exhausted for today.", { provider: "attom", capCents: 1500 });
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toBe("Budget exhausted for today.");
    expect(error.details).toEqual({ provider: "attom", capCents: 1500 });
    expect(error.name).toBe("AppError");
  });

  it("has no details unless given some", () => {
    expect(new AppError("CONFLICT", "Taken.").details).toBeUndefined();
  });

  it("notFound names the missing thing in a NOT_FOUND error", () => {
    const error = notFound("That lead");
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("That lead was not found.");
  });
});

describe("the one code table", () => {
  it("maps each domain code to one tRPC code and one HTTP status", () => {
    expect(new AppError("CAP_EXCEEDED", "cap").code).toBe("PRECONDITION_FAILED");
    expect(new AppError("CAP_EXCEEDED", "cap").httpStatus).toBe(412);
    expect(new AppError("PROVIDER_TIMEOUT", "slow").httpStatus).toBe(504);
    expect(new AppError("PROVIDER_UNAVAILABLE", "down").code).toBe("SERVICE_UNAVAILABLE");
    expect(new AppError("RATE_LIMITED", "slow down").code).toBe("TOO_MANY_REQUESTS");
    for (const [code, { http }] of Object.entries(ERROR_CODES)) {
      expect(httpStatusOf(new AppError(code as keyof typeof ERROR_CODES, "x"))).toBe(http);
    }
  });

  it("turns an exhausted connection pool into DATABASE_BUSY (503, Retry-After), keeping the cause", () => {
    const poolTimeout = new Error("timeout exceeded when trying to connect");
    const prismaWrapped = Object.assign(new Error("Timed out fetching a new connection from the connection pool."), { code: "P2024" });
    const transactionWait = Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), { code: "P2028" });
    for (const error of [poolTimeout, prismaWrapped, transactionWait, Object.assign(new Error("sorry, too many clients already"), { code: "53300" })]) {
      const mapped = toAppError(error);
      expect(mapped.appCode).toBe("DATABASE_BUSY");
      expect(mapped.httpStatus).toBe(503);
      expect(mapped.retryAfterSeconds).toBeGreaterThan(0);
      expect(retryAfterHeaders(mapped)["retry-after"]).toMatch(/^\d+$/);
      expect(mapped.cause).toBe(error);
    }
  });

  it("keeps a transaction that ran past its timeout an INTERNAL error, not a busy database", () => {
    const expired = Object.assign(new Error("Transaction API error: Transaction already closed: A query cannot be executed on an expired transaction."), { code: "P2028" });
    expect(toAppError(expired).appCode).toBe("INTERNAL");
  });

  it("keeps the database's code and message for the log while the client sees a generic message", () => {
    const raw = prismaError("P2010", 'Raw query failed. Code: `22P05`. Message: `unsupported Unicode escape sequence`');
    const mapped = toAppError(raw);
    expect(mapped.appCode).toBe("INTERNAL");
    expect(mapped.message).not.toContain("22P05");
    expect(databaseErrorFacts(mapped.cause)).toMatchObject({ dbCode: "P2010", dbMessage: expect.stringContaining("22P05") });
  });

  it("treats anything unknown as INTERNAL (500) and leaves AppErrors as they are", () => {
    expect(toAppError(new Error("boom")).httpStatus).toBe(500);
    const own = new AppError("KILL_SWITCH_ON", "off");
    expect(toAppError(own)).toBe(own);
    expect(isAppError(own, "KILL_SWITCH_ON")).toBe(true);
    expect(isAppError(own, "CAP_EXCEEDED")).toBe(false);
  });
});

describe("data exceptions from Postgres (class 22)", () => {
  it("are the client's bad value (400), not our 500", () => {
    const driverError = Object.assign(new Error('date/time field value out of range: "0000-01-01"'), { code: "22008" });
    const wrapped = Object.assign(new Error("Invalid `prisma.lead.create()` invocation"), { code: "P2010", cause: driverError });
    const mapped = toAppError(wrapped);
    expect(mapped.appCode).toBe("BAD_REQUEST");
    expect(mapped.httpStatus).toBe(400);
    expect(mapped.message).not.toContain("0000");
  });
});

describe("hasSqlState", () => {
  it("finds Postgres's code on pg's error, on Prisma's meta, or down the cause chain, and nothing else", () => {
    const lockTimeout = Object.assign(new Error("canceling statement due to lock timeout"), { code: "55P03" });
    expect(hasSqlState(lockTimeout, "55P03")).toBe(true);
    expect(hasSqlState(new Error("wrapped", { cause: lockTimeout }), "55P03")).toBe(true);
    expect(hasSqlState(Object.assign(new Error("raw query failed"), { code: "P2010", meta: { code: "55P03" } }), "55P03")).toBe(true);
    expect(hasSqlState(Object.assign(new Error("deadlock detected"), { code: "40P01" }), "55P03")).toBe(false);
    expect(hasSqlState("55P03", "55P03")).toBe(false);
    expect(hasSqlState(null, "55P03")).toBe(false);
  });
});
