import { afterAll, beforeAll, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { startEmbeddedPostgres } from "../../scripts/postgres.mjs";
import { createDb, querySql, sqlPoolOf } from "./db";
import { env } from "./env";

// `npm run dev` runs the app and the worker on the embedded PGlite, whose socket server serves every
// connection, of every process, from one session. Named prepared statements then collide: the
// second "leadflow_0" failed with 42P05 "already exists", so on a newcomer's first start leads.list,
// campaigns.list and notifications answered 500. There the dev script turns them off.

let embedded: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ maxConnections: 10 });
}, 60_000);
afterAll(() => embedded?.stop());

const statement = Prisma.sql`SELECT ${1}::int + 1 AS "two"`;

async function fromTwoProcesses() {
  const app = createDb({ connectionString: embedded.url, max: 1 });
  const worker = createDb({ connectionString: embedded.url, max: 1 });
  try {
    return [await querySql<{ two: number }>(app, statement), await querySql<{ two: number }>(worker, statement)];
  } finally {
    await Promise.all([app, worker].map((db) => sqlPoolOf(db)!.end()));
  }
}

it("two connections to the embedded database collide on a named statement, and do not with prepared statements off", async () => {
  const saved = env.DATABASE_PREPARED_STATEMENTS;
  try {
    env.DATABASE_PREPARED_STATEMENTS = "1";
    await expect(fromTwoProcesses()).rejects.toMatchObject({ code: "42P05" });
    env.DATABASE_PREPARED_STATEMENTS = "0";
    expect(await fromTwoProcesses()).toEqual([[{ two: 2 }], [{ two: 2 }]]);
  } finally {
    env.DATABASE_PREPARED_STATEMENTS = saved;
  }
}, 60_000);
