import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { AppError, toAppError } from "@/server/errors";
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

  it("lets an interactive transaction wait for its connection as long as a statement does, then refuses it as DATABASE_BUSY", async () => {
    // Longer than Prisma's own 2 s default for a transaction's wait, within the pool's timeout.
    const patientDb = createDb({ max: 1, connectionTimeoutMillis: 4_000 });
    try {
      const holder = Promise.resolve(patientDb.$queryRaw`SELECT pg_sleep(2.5)::text AS slept`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(patientDb.$transaction(async (tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)).resolves.toEqual([{ one: 1 }]);
      await holder;
    } finally {
      await patientDb.$disconnect();
    }
    const holder = Promise.resolve(busyDb.$queryRaw`SELECT pg_sleep(1)::text AS slept`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await busyDb.$transaction(async (tx) => tx.$queryRaw`SELECT 1`).then(() => null, (error: unknown) => toAppError(error));
    await holder;
    expect(refused?.appCode).toBe("DATABASE_BUSY");
  });
});
