import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;
export type { Prisma } from "@/generated/prisma/client";

/**
 * A bounded wait for a pooled connection: when every connection is busy for longer than
 * DATABASE_POOL_TIMEOUT_MS the request fails as DATABASE_BUSY (503 with Retry-After) instead of
 * queueing without limit.
 */
export function createDb(options: { connectionString?: string; max?: number; connectionTimeoutMillis?: number } = {}): Db {
  const adapter = new PrismaPg({
    connectionString: options.connectionString ?? env.DATABASE_URL,
    max: options.max ?? env.DATABASE_POOL_MAX,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? env.DATABASE_POOL_TIMEOUT_MS,
  });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { leadflowDb?: Db };

/** One client per process; dev hot reloads reuse it instead of leaking pools. */
export const db: Db = globalForDb.leadflowDb ?? createDb();
if (env.NODE_ENV !== "production") globalForDb.leadflowDb = db;
