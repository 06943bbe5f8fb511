import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Db } from "./db";

export type HealthReport = {
  status: "ok" | "degraded";
  database: "reachable" | "unreachable";
  migrations: { expected: number; applied: number; pending: string[] } | null;
};

/** Database reachable and every migration in prisma/migrations applied (and none failed). */
export async function checkHealth(db: Db, migrationsDir = path.join(/* turbopackIgnore: true */ process.cwd(), "prisma/migrations")): Promise<HealthReport> {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch {
    return { status: "degraded", database: "unreachable", migrations: null };
  }
  const expected = (await readdir(migrationsDir, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  let applied: string[] = [];
  try {
    const rows = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    applied = rows.map((row) => row.migration_name);
  } catch {
    applied = [];
  }
  const pending = expected.filter((name) => !applied.includes(name));
  return {
    status: pending.length === 0 ? "ok" : "degraded",
    database: "reachable",
    migrations: { expected: expected.length, applied: expected.length - pending.length, pending },
  };
}
