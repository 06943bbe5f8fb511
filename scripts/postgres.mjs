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
  server.queryQueue = new OneSessionQueue(db);
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${listenPort}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** Wire messages of the extended query protocol that leave a connection's batch open until its Sync. */
const EXTENDED_QUERY_MESSAGES = new Set(["P", "B", "D", "E", "C", "H"].map((type) => type.charCodeAt(0)));

/** A wire message: its type byte, its length, its body. */
function wireMessage(type, body = Buffer.alloc(0)) {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(4 + body.length, 1);
  return new Uint8Array(Buffer.concat([header, body]));
}

/**
 * What ends a closed connection's unfinished batch without committing it, as a real server aborts a
 * client that is gone: an Execute of a portal that does not exist fails the batch's implicit
 * transaction, and the Sync after it rolls that back (an explicit transaction is then rolled back too).
 */
const ABORT_BATCH = [
  wireMessage("E", Buffer.concat([Buffer.from("leadflow-closed-connection\0", "latin1"), Buffer.alloc(4)])),
  wireMessage("S"),
];

/**
 * The order in which PGlite's one session serves the wire messages of every connection (the socket
 * server's queryQueue). pglite-socket 0.1.3 queues single messages and keeps a connection's messages
 * together only inside a transaction, so another connection's Parse could replace the unnamed
 * statement between a Parse and its Bind ("bind message supplies 5 parameters, but prepared
 * statement "" requires 2" killed the worker at start), and one failed message stopped its queue
 * for good (electric-sql/pglite#1046). Here a connection keeps the session from a Parse … Sync
 * batch's first message to its Sync, and for as long as its transaction is open; what a closed
 * connection left open is rolled back before anyone else goes on.
 */
class OneSessionQueue {
  /** @param {import("@electric-sql/pglite").PGlite} db */
  constructor(db) {
    this.db = db;
    /** @type {{ handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void, resolve: (bytes: number) => void, reject: (error: unknown) => void }[]} */
    this.waiting = [];
    /** @type {number | null} the connection whose batch or transaction is open */
    this.holder = null;
    /** @type {number | null} the connection whose message is being served */
    this.serving = null;
    /** @type {Set<number>} connections closed while one of their messages was being served */
    this.closed = new Set();
    this.busy = false;
  }

  /** @param {number} handlerId @param {Uint8Array} message @param {(data: Uint8Array) => void} onData */
  enqueue(handlerId, message, onData) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ handlerId, message, onData, resolve, reject });
      void this.serve();
    });
  }

  async serve() {
    if (this.busy) return;
    this.busy = true;
    try {
      for (;;) {
        const index = this.holder === null ? 0 : this.waiting.findIndex((item) => item.handlerId === this.holder);
        if (index < 0 || index >= this.waiting.length) break;
        const [item] = this.waiting.splice(index, 1);
        this.serving = item.handlerId;
        try {
          item.resolve(await this.run(item.message, item.onData));
        } catch (error) {
          item.reject(error);
        } finally {
          this.serving = null;
        }
        const batchOpen = EXTENDED_QUERY_MESSAGES.has(item.message[0] ?? 0);
        this.holder = batchOpen || this.db.isInTransaction() ? item.handlerId : null;
        if (this.closed.delete(item.handlerId) && this.holder !== null) await this.abandon();
      }
    } finally {
      this.busy = false;
    }
  }

  /** @param {Uint8Array} message @param {(data: Uint8Array) => void} onData */
  async run(message, onData) {
    let bytes = 0;
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(message, {
        onRawData: (data) => {
          bytes += data.length;
          onData(data);
        },
      }),
    );
    return bytes;
  }

  /** Rolls back what the holder, a closed connection, left open (its batch, its transaction) and frees the session. */
  async abandon() {
    try {
      for (const message of ABORT_BATCH) await this.run(message, () => {});
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK"); // exec takes the session itself
    } finally {
      this.holder = null;
    }
  }

  getQueueLength() {
    return this.waiting.length;
  }

  /** A closed connection: its waiting messages refused. */
  clearQueueForHandler(handlerId) {
    this.waiting = this.waiting.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** What a closed connection left open is rolled back, then the others go on (after its message being served, if any). */
  async clearTransactionIfNeeded(handlerId) {
    if (this.serving === handlerId) {
      this.closed.add(handlerId);
      return;
    }
    if (this.holder !== handlerId) return;
    await this.abandon();
    void this.serve();
  }
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
