import { expect } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db, querySql, type Db } from "@/server/db";
import { createTeam } from "@/test/factories";

/** How many leads, each with one mobile phone, organizationOnYoungStatistics writes. */
export const YOUNG_ORGANIZATION_PHONES = 3_000;

type TableReads = { table: string; rows: number }[];

const TABLES = ["Lead", "LeadPhone", "Suppression", "DncEntry"];

/** This connection's rows read of TABLES not yet flushed to the shared statistics (pg_stat_xact_*). */
function pendingRowsRead(client: Db | Prisma.TransactionClient): Promise<TableReads> {
  return querySql<{ table: string; rows: number }>(
    client,
    Prisma.sql`
      SELECT relname::text AS "table", (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::int AS rows
      FROM pg_stat_xact_user_tables WHERE relname = ANY(${TABLES}::text[]) ORDER BY relname`,
  );
}

/**
 * Rows of Lead, LeadPhone, Suppression and DncEntry one connection read during `write`, which must
 * run on that connection: a transaction client, or a client whose pool has one connection (then
 * its pending statistics are flushed first, and a backend flushes them at most once a second, so
 * the count spans `write`'s own autocommitted statements). Unlike the shared statistics, no other
 * test's reads are counted.
 */
export async function rowsReadBy(client: Db | Prisma.TransactionClient, write: () => Promise<unknown>): Promise<TableReads> {
  const inTransaction = !("$transaction" in client);
  if (!inTransaction) await querySql(client, Prisma.sql`SELECT pg_stat_force_next_flush()`);
  const flushedAt = performance.now();
  const before = await pendingRowsRead(client);
  await write();
  const after = await pendingRowsRead(client);
  // Later than that, the backend may have flushed its counts between the two reads, and the difference would count nothing.
  if (!inTransaction && performance.now() - flushedAt > 900) throw new Error("rowsReadBy: the write took over 0.9 s, so its reads cannot be counted on one connection");
  return after.map(({ table, rows }) => ({ table, rows: rows - (before.find((row) => row.table === table)?.rows ?? 0) }));
}

export function expectAFewRowsRead(reads: TableReads) {
  expect(reads.map(({ table }) => table)).toEqual(TABLES.toSorted());
  for (const { table, rows } of reads) expect({ table, rows: rows >= 0 && rows < 50 ? "a few" : rows }).toEqual({ table, rows: "a few" });
}

/** Keeps autovacuum from analyzing TABLES (in this test file's own database) in the middle of a test. */
export async function keepAutovacuumOff() {
  for (const table of TABLES) await db.$executeRawUnsafe(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
}

/**
 * `count` leads `<prefix>-lead-<n>` of the organization, each with one mobile phone `+1<areaCode>`
 * and n on 7 digits (`<prefix>-phone-<n>`).
 */
export async function seedLeadsWithPhones(organizationId: string, prefix: string, areaCode: string, count: number) {
  await querySql(db, Prisma.sql`
    INSERT INTO "Lead" (id, "organizationId", source, "addressLine1", city, state, zip, "normalizedAddress", "normalizedOwner", "dedupKey", "updatedAt")
    SELECT ${prefix} || '-lead-' || i, ${organizationId}, 'csv', i || ' Plan St', 'Austin', 'TX', '78701', ${prefix} || ' ' || i, 'owner ' || i, ${prefix} || '-' || i, now()
    FROM generate_series(1, ${count}::int) i`);
  await querySql(db, Prisma.sql`
    INSERT INTO "LeadPhone" (id, "organizationId", "leadId", number, type, source, "updatedAt")
    SELECT ${prefix} || '-phone-' || i, ${organizationId}, ${prefix} || '-lead-' || i, ${`+1${areaCode}`} || lpad(i::text, 7, '0'), 'mobile', 'test', now()
    FROM generate_series(1, ${count}::int) i`);
}

/**
 * An organization of YOUNG_ORGANIZATION_PHONES leads with a mobile phone each (seedLeadsWithPhones),
 * written when the tables' statistics are
 * - "young" (the default): taken nearly empty, as in a young database or right after an import;
 * - "never analyzed": none taken, as in a new database, and autovacuum kept from taking them;
 * - "as they are": left as the caller set them, so plans kept before are not invalidated.
 */
export async function organizationOnYoungStatistics(prefix: string, areaCode: string, { statistics = "young" }: { statistics?: "young" | "never analyzed" | "as they are" } = {}) {
  const team = await createTeam();
  if (statistics === "young") await db.$executeRawUnsafe(`ANALYZE ${TABLES.map((table) => `"${table}"`).join(", ")}`);
  if (statistics === "never analyzed") await keepAutovacuumOff();
  await seedLeadsWithPhones(team.org.id, prefix, areaCode, YOUNG_ORGANIZATION_PHONES);
  return team;
}

/** Numbers the organization suppressed before, none of them its leads' (org-wide and per lead, live and lifted). */
export async function suppressOtherNumbers(organizationId: string, prefix: string, areaCode: string) {
  await querySql(db, Prisma.sql`
    INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "leadId", "liveKey", "liftedAt")
    SELECT ${prefix} || '-supp-' || i, ${organizationId}, ${`+1${areaCode}`} || lpad(i::text, 7, '0'), 'manual', 'test',
      CASE WHEN i % 3 = 0 THEN ${prefix} || '-lead-' || i END,
      CASE WHEN i % 5 = 0 THEN NULL ELSE ${`+1${areaCode}`} || lpad(i::text, 7, '0') || '|' || CASE WHEN i % 3 = 0 THEN ${prefix} || '-lead-' || i ELSE '' END END,
      CASE WHEN i % 5 = 0 THEN now() END
    FROM generate_series(1, ${YOUNG_ORGANIZATION_PHONES}::int) i`);
}
