// Finding a Postgres for the app and the tests, shared by scripts/*.mjs and the Vitest setup.
// Order: an explicit URL, else a local server on 127.0.0.1:5432 (started with pg_ctlcluster
// when installed but down), else an embedded PGlite served over the wire protocol in-process.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = (name) => path.join(ROOT, "node_modules", ".bin", name);

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function tryStartLocalCluster() {
  if (!existsSync("/etc/postgresql")) return false;
  try {
    for (const version of readdirSync("/etc/postgresql")) {
      execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], { stdio: "ignore" });
    }
    return true;
  } catch {
    return false;
  }
}

const LOCAL_CANDIDATES = [
  "postgresql://postgres@127.0.0.1:5432/postgres",
  "postgresql://root@127.0.0.1:5432/postgres",
  "postgresql://postgres:postgres@127.0.0.1:5432/postgres",
];

/**
 * A server URL (pointing at a maintenance database) on which databases may be created, or null.
 * @param {{ explicitUrl?: string, startIfDown?: boolean }} [options]
 * @returns {Promise<string | null>}
 */
export async function findPostgresServer({ explicitUrl, startIfDown = true } = {}) {
  // TEST_EMBEDDED_POSTGRES=1 exercises the no-Postgres fallback on a machine that has one.
  if (process.env.TEST_EMBEDDED_POSTGRES === "1") return null;
  if (explicitUrl) {
    if (await canConnect(explicitUrl)) return explicitUrl;
    throw new Error(`Cannot connect to ${redact(explicitUrl)}.`);
  }
  for (const url of LOCAL_CANDIDATES) if (await canConnect(url)) return url;
  if (startIfDown && tryStartLocalCluster()) {
    for (let attempt = 0; attempt < 20; attempt++) {
      for (const url of LOCAL_CANDIDATES) if (await canConnect(url)) return url;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return null;
}

/**
 * Starts PGlite (persisted at dataDir, or in memory) behind a Postgres wire-protocol socket.
 * @param {{ dataDir?: string, port?: number, maxConnections?: number }} [options]
 */
export async function startEmbeddedPostgres({ dataDir = "memory://", port, maxConnections = 10 } = {}) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const listenPort = port ?? (await freePort());
  const server = new PGLiteSocketServer({ db, port: listenPort, host: "127.0.0.1", maxConnections });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${listenPort}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

export function withDatabase(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** @param {string} serverUrl @param {string} database @param {{ template?: string }} [options] */
export async function createDatabase(serverUrl, database, { template } = {}) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}"${template ? ` TEMPLATE "${template}"` : ""}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, database);
}

export async function dropDatabase(serverUrl, database) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs a binary from node_modules/.bin asynchronously (an in-process PGlite must keep serving). */
/** @param {string} bin @param {string[]} args @param {{ env?: Record<string, string>, quiet?: boolean }} [options] */
export function run(bin, args, { env = {}, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN(bin), args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${bin} ${args.join(" ")} exited with ${code}\n${output}`)),
    );
  });
}

export const migrate = (databaseUrl) => run("prisma", ["migrate", "deploy"], { env: { DATABASE_URL: databaseUrl }, quiet: true });

function redact(url) {
  return url.replace(/\/\/([^:@]+):[^@]+@/, "//$1:***@");
}
