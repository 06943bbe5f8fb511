import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterEach, describe, expect, it } from "vitest";
import { PrismaClient } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { checkHealth } from "@/server/health";

const MIGRATIONS_DIR = path.join(process.cwd(), "prisma/migrations");

async function realMigrationNames() {
  return (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
}

const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A copy of the migrations folder layout (names only) plus any extra migrations. */
async function migrationsDirWith(extra: string[]) {
  const dir = await mkdtemp(path.join(tmpdir(), "leadflow-migrations-"));
  tempDirs.push(dir);
  for (const name of [...(await realMigrationNames()), ...extra]) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), "-- test\n");
  }
  await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  return dir;
}

describe("checkHealth", () => {
  it("reports ok when the database is reachable and every migration is applied", async () => {
    const expected = (await realMigrationNames()).length;
    expect(expected).toBeGreaterThan(0);
    expect(await checkHealth(db)).toEqual({
      status: "ok",
      database: "reachable",
      migrations: { expected, applied: expected, pending: [] },
    });
  });

  it("reports degraded and names a migration that has not been applied", async () => {
    const dir = await migrationsDirWith(["29991231000000_not_yet_applied"]);
    const report = await checkHealth(db, dir);
    const real = (await realMigrationNames()).length;
    expect(report.status).toBe("degraded");
    expect(report.database).toBe("reachable");
    expect(report.migrations).toEqual({ expected: real + 1, applied: real, pending: ["29991231000000_not_yet_applied"] });
  });

  it("counts a migration that started but failed as pending", async () => {
    const name = "29991231000001_failed_halfway";
    await db.$executeRaw`
      INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
      VALUES (${`failed-${Date.now()}`}, 'x', ${name}, now(), NULL, 0)`;
    try {
      const report = await checkHealth(db, await migrationsDirWith([name]));
      expect(report.status).toBe("degraded");
      expect(report.migrations?.pending).toEqual([name]);
    } finally {
      await db.$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name = ${name}`;
    }
  });

  it("reports degraded with an unreachable database instead of throwing", async () => {
    const unreachable = new PrismaClient({
      adapter: new PrismaPg({ connectionString: "postgresql://nobody:nothing@127.0.0.1:1/none", connectionTimeoutMillis: 2_000 }),
    });
    try {
      expect(await checkHealth(unreachable)).toEqual({ status: "degraded", database: "unreachable", migrations: null });
    } finally {
      await unreachable.$disconnect();
    }
  });
});
