import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;
export type { Prisma } from "@/generated/prisma/client";

function createDb(): Db {
  const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { leadflowDb?: Db };

/** One client per process; dev hot reloads reuse it instead of leaking pools. */
export const db: Db = globalForDb.leadflowDb ?? createDb();
if (env.NODE_ENV !== "production") globalForDb.leadflowDb = db;
