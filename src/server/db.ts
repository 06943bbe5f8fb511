import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;
import type { Prisma } from "@/generated/prisma/client";
export type { Prisma };

/**
 * A bounded wait for a pooled connection: when every connection is busy for longer than
 * DATABASE_POOL_TIMEOUT_MS the request fails as DATABASE_BUSY (503 with Retry-After) instead of
 * queueing without limit.
 */
export function createDb(options: { connectionString?: string; max?: number; connectionTimeoutMillis?: number } = {}): Db {
  const connectionTimeoutMillis = options.connectionTimeoutMillis ?? env.DATABASE_POOL_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: options.connectionString ?? env.DATABASE_URL,
    max: options.max ?? env.DATABASE_POOL_MAX,
    connectionTimeoutMillis,
    // Columns are UTC timestamps without a zone: now() written into them must be UTC whatever the server's default.
    options: "-c TimeZone=UTC",
  });
  // An interactive transaction waits for its connection as long as a single statement does (Prisma's own default is 2 s).
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), transactionOptions: { maxWait: connectionTimeoutMillis } });
  sqlPools.set(client, pool);
  return client;
}

const sqlPools = new WeakMap<object, pg.Pool>();

/**
 * The node-pg pool under a client made by createDb (null for a transaction client): for the few
 * hot paths where Prisma's per-query cost matters. Measured on this stack, a raw query through
 * Prisma costs ~0.49 ms of CPU and the same query on the pool ~0.09 ms; Twilio's inbound webhook
 * runs three. Same connections and limits as every other query.
 */
export function sqlPoolOf(db: object): pg.Pool | null {
  return sqlPools.get(db) ?? null;
}

/** A raw statement on the pool when there is one (see sqlPoolOf), else through Prisma (inside a transaction). */
export async function querySql<T>(db: Db | Prisma.TransactionClient, query: Prisma.Sql): Promise<T[]> {
  const pool = sqlPoolOf(db);
  if (pool) return (await pool.query({ name: preparedStatementName(query.text), text: query.text, values: query.values })).rows as T[];
  return db.$queryRaw<T[]>(query);
}

/**
 * Postgres aborted the statement or transaction as a deadlock's victim or a serialization failure
 * (through pg or Prisma): it wrote nothing, and running it again is safe.
 */
export function isTransientConflict(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === "40P01" || code === "40001" || code === "P2034") return true;
    if (typeof message === "string" && /deadlock detected|could not serialize access/.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** `attempt` once more (up to `times` in all) whenever Postgres aborted it as a deadlock's victim or a serialization failure. */
export async function retryTransientConflicts<T>(attempt: () => Promise<T>, times = 4): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= times || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * tries + Math.random() * 40));
    }
  }
}

/**
 * A named (prepared) statement for a fixed SQL text: Postgres parses it once per connection and,
 * after five executions, keeps a generic plan. Measured on the inbound webhook's statement, planning
 * alone cost ~0.8 ms of Postgres CPU a call, more than executing it; prepared, Postgres CPU per
 * inbound STOP fell from 1.3 ms to 0.5 ms. Only for texts that do not vary with their values (each
 * distinct text stays prepared on every connection); past MAX_PREPARED_TEXTS, texts run unnamed.
 */
const MAX_PREPARED_TEXTS = 200;
const statementNames = new Map<string, string>();
export function preparedStatementName(text: string): string | undefined {
  if (env.DATABASE_PREPARED_STATEMENTS === "0") return undefined;
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED_TEXTS) {
    name = `leadflow_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Holds a transaction-scoped advisory lock on `key` until the transaction ends: serializes the
 * callers that name the same key (one number in one list, one provider message, one area code).
 */
export async function lockUntilCommit(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

const globalForDb = globalThis as unknown as { leadflowDb?: Db };

/** One client per process; dev hot reloads reuse it instead of leaking pools. */
export const db: Db = globalForDb.leadflowDb ?? createDb();
if (env.NODE_ENV !== "production") globalForDb.leadflowDb = db;
