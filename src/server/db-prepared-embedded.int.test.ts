import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
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

/** Each wire message of this client in its own TCP write a moment apart, as a loaded machine delivers them; returns the undo. */
function sendEachMessageApart(client: pg.Client): () => Promise<void> {
  const stream = (client as unknown as { connection: { stream: { write: (chunk: Buffer) => boolean } } }).connection.stream;
  const write = stream.write.bind(stream);
  let queue = Promise.resolve();
  stream.write = (chunk: Buffer) => {
    queue = queue.then(() => new Promise((resolve) => setTimeout(resolve, 2))).then(() => void write(chunk));
    return true;
  };
  return async () => {
    await queue;
    stream.write = write;
  };
}

// Every connection shares that one session, so the unnamed statement of one connection's Parse … Sync
// must not be replaced by another's before its Bind (pglite-socket queues single messages and keeps
// only a transaction together: the worker died at start with "bind message supplies 5 parameters,
// but prepared statement "" requires 2"), and a transaction must see no other connection's statements.
it("runs concurrent parameterized queries of many connections each against its own statement", async () => {
  const clients = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      return { client, undo: sendEachMessageApart(client) };
    }),
  );
  try {
    const answers = await Promise.all(
      clients.map(async ({ client }, index) => {
        const parameters = Array.from({ length: index + 1 }, (_, i) => i + 1);
        const sql = `SELECT ${parameters.map((_, i) => `$${i + 1}::int`).join(" + ")} AS "sum"`;
        const sums: number[] = [];
        for (let round = 0; round < 10; round++) sums.push((await client.query<{ sum: number }>(sql, parameters)).rows[0]!.sum);
        return sums;
      }),
    );
    answers.forEach((sums, index) => expect(new Set(sums)).toEqual(new Set([((index + 1) * (index + 2)) / 2])));
  } finally {
    await Promise.all(clients.map(async ({ client, undo }) => (await undo(), await client.end())));
  }
}, 60_000);

it("keeps another connection's statements out of an open transaction; what a closed connection left open (a batch without its Sync, a transaction) is rolled back and blocks nobody", async () => {
  const connect = async () => {
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    return client;
  };
  const [inTransaction, outside, abandoning] = [await connect(), await connect(), await connect()];
  try {
    await inTransaction.query(`CREATE TABLE IF NOT EXISTS "queue_probe" ("n" int)`);
    await inTransaction.query("BEGIN");
    await inTransaction.query(`INSERT INTO "queue_probe" VALUES ($1)`, [1]);
    const outsideInsert = outside.query(`INSERT INTO "queue_probe" VALUES ($1)`, [2]);
    await inTransaction.query("ROLLBACK");
    await outsideInsert;
    expect((await outside.query(`SELECT "n" FROM "queue_probe"`)).rows).toEqual([{ n: 2 }]);

    // A connection gone after its INSERT ran but before its Sync: its statement is not committed, and
    // nobody else's statements run in what it left open.
    const dying = await connect();
    const stream = (dying as unknown as { connection: { stream: { write: (chunk: Buffer) => boolean; destroy: () => void } } }).connection.stream;
    const write = stream.write.bind(stream);
    stream.write = (chunk: Buffer) => {
      if (chunk[0] === "S".charCodeAt(0) && chunk.length === 5) {
        setTimeout(() => stream.destroy(), 300);
        return true;
      }
      return write(chunk);
    };
    dying.on("error", () => {});
    void dying.query(`INSERT INTO "queue_probe" VALUES ($1)`, [9]).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 600));
    await outside.query(`INSERT INTO "queue_probe" VALUES ($1)`, [4]);
    expect((await outside.query(`SELECT "n" FROM "queue_probe" ORDER BY "n"`)).rows).toEqual([{ n: 2 }, { n: 4 }]);
    await outside.query(`DELETE FROM "queue_probe" WHERE "n" = $1`, [4]);

    await abandoning.query("BEGIN");
    await abandoning.query(`INSERT INTO "queue_probe" VALUES ($1)`, [3]);
    await abandoning.end();
    expect((await outside.query(`SELECT "n" FROM "queue_probe" ORDER BY "n"`)).rows).toEqual([{ n: 2 }]);
  } finally {
    await Promise.all([inTransaction, outside].map((client) => client.end()));
  }
}, 60_000);
