import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { createCaller } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";
import { createTeam, sessionFor, type TestUser } from "@/test/factories";

describe("an exhausted connection pool", () => {
  let busyDb: Db;
  let admin: TestUser;

  beforeAll(async () => {
    ({ admin } = await createTeam());
    busyDb = createDb({ max: 1, connectionTimeoutMillis: 200 });
  });
  afterAll(async () => {
    await busyDb.$disconnect();
  });

  it("answers DATABASE_BUSY (503 with a retry hint) instead of a 500 or an endless wait", async () => {
    const caller = createCaller(
      createTRPCContext({
        session: await sessionFor(admin),
        requestId: "pool-test",
        db: busyDb,
      }),
    );
    // The pool's only connection is held by a slow statement for longer than the pool timeout.
    const holder = Promise.resolve(busyDb.$queryRaw`SELECT pg_sleep(1.5)::text AS slept`); // Prisma queries are lazy: start it now
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    const error = await caller.account.me().then(
      () => null,
      (e: unknown) => e,
    );
    const waited = Date.now() - started;
    await holder;

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).appCode).toBe("DATABASE_BUSY");
    expect((error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect(getHTTPStatusCodeFromError(error as TRPCError)).toBe(503);
    expect((error as AppError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as AppError).message).toMatch(/try again/i);
    expect(waited).toBeLessThan(1_400);

    // Once the connection is free again the same call works.
    await expect(caller.account.me()).resolves.toBeTruthy();
  });
});
