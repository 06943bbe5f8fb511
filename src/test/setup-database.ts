import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createDatabase, dropDatabase, migrate, startEmbeddedPostgres } from "../../scripts/postgres.mjs";

// Each integration test file gets its own freshly migrated database.
const serverUrl = inject("postgresServerUrl");
const template = inject("templateDatabase");

let databaseUrl: string;
let cleanup: () => Promise<void>;
if (serverUrl && template) {
  const name = `leadflow_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  databaseUrl = await createDatabase(serverUrl, name, { template });
  cleanup = () => dropDatabase(serverUrl, name);
} else {
  const embedded = await startEmbeddedPostgres({ maxConnections: 10 });
  await migrate(embedded.url);
  databaseUrl = embedded.url;
  cleanup = () => embedded.stop();
  // PGlite runs one query at a time and its socket server interleaves the extended-protocol
  // messages of concurrent connections ("unnamed prepared statement does not exist"): one
  // connection keeps it correct, at the cost of concurrency tests running serially.
  process.env.DATABASE_POOL_MAX = "1";
  // One session for every connection: named prepared statements would collide (42P05).
  process.env.DATABASE_PREPARED_STATEMENTS = "0";
}

process.env.DATABASE_URL = databaseUrl;
process.env.DATABASE_POOL_MAX ??= "5";
process.env.NEXTAUTH_SECRET ??= "test-secret-that-is-long-enough";
process.env.NEXTAUTH_URL ??= "http://localhost:3000";

afterAll(async () => {
  // Cached searches queue their history rows (search/history.ts): written before the database goes.
  await (await import("@/server/search/history")).flushSearchHistory();
  const { db } = await import("@/server/db");
  await db.$disconnect();
  await cleanup();
});
