import { expect } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db, querySql, type Db } from "@/server/db";
import { createTeam } from "@/test/factories";

/** How many leads, each with one mobile phone, organizationOnYoungStatistics writes. */
export const YOUNG_ORGANIZATION_PHONES = 3_000;

type TableReads = { table: string; rows: number }[];
type TableCounts = { table: string; rowsRead: number; updates: number; inPlace: number };

const TABLES = ["Lead", "LeadPhone", "Suppression", "DncEntry"];

/**
 * This connection's counts for `tables` not yet reported to the shared statistics
 * (pg_stat_xact_*). On Postgres 15 they hold the connection's earlier transactions too, until it
 * reports them (when idle, at most once a second): only a difference measures one piece of work.
 */
function pendingCounts(client: Db | Prisma.TransactionClient, tables: string[]): Promise<TableCounts[]> {
  return querySql<TableCounts>(
    client,
    Prisma.sql`
      SELECT relname::text AS "table", (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::int AS "rowsRead",
        n_tup_upd::int AS updates, n_tup_hot_upd::int AS "inPlace"
      FROM pg_stat_xact_user_tables WHERE relname = ANY(${tables}::text[]) ORDER BY relname`,
  );
}

/**
 * Per table of `tables` (by name), the rows one connection read, updated and updated in place
 * (heap-only) during `work`, which must run on that connection: a transaction client, or a client
 * whose pool has one connection (then its pending statistics are flushed first, and a backend
 * flushes them at most once a second, so the counts span `work`'s own autocommitted statements).
 * Unlike the shared statistics, no other test's work is counted.
 */
export async function tableCountsDuring(client: Db | Prisma.TransactionClient, tables: string[], work: () => Promise<unknown>): Promise<TableCounts[]> {
  const inTransaction = !("$transaction" in client);
  if (!inTransaction) await querySql(client, Prisma.sql`SELECT pg_stat_force_next_flush()`);
  const flushedAt = performance.now();
  const before = await pendingCounts(client, tables);
  await work();
  const after = await pendingCounts(client, tables);
  // Later than that, the backend may have flushed its counts between the two reads, and the difference would count nothing.
  if (!inTransaction && performance.now() - flushedAt > 900) throw new Error("tableCountsDuring: the work took over 0.9 s, so its counts cannot be taken on one connection");
  return after.map((row) => {
    const start = before.find(({ table }) => table === row.table);
    return { table: row.table, rowsRead: row.rowsRead - (start?.rowsRead ?? 0), updates: row.updates - (start?.updates ?? 0), inPlace: row.inPlace - (start?.inPlace ?? 0) };
  });
}

/** Rows of Lead, LeadPhone, Suppression and DncEntry one connection read during `write` (see tableCountsDuring). */
export async function rowsReadBy(client: Db | Prisma.TransactionClient, write: () => Promise<unknown>): Promise<TableReads> {
  return (await tableCountsDuring(client, TABLES, write)).map(({ table, rowsRead }) => ({ table, rows: rowsRead }));
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
