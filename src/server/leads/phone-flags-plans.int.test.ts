import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db, querySql } from "@/server/db";
import { createTeam } from "@/test/factories";

/**
 * The lead phone flags' recount reads the leads it recounts, not the organization, whatever the
 * planner's statistics say (migration 20261130223000_lead_phone_flags_recount_per_lead). With the
 * statistics of a young database (the tables analyzed while nearly empty), Postgres planned an
 * inbound STOP's recount as a pass over every phone of the organization and a scan of its
 * suppressions: 50 ms for 9 leads in the webhook benchmark, growing with the organization.
 */

const PHONES = 3_000;

/**
 * Rows of these tables the connection read during `write` (pg_stat_xact_*: its statistics not yet
 * flushed, which may still hold its earlier transactions' counts, hence before and after).
 */
async function rowsReadBy(tx: Prisma.TransactionClient, write: () => Promise<unknown>) {
  const rowsRead = () =>
    tx.$queryRaw<{ table: string; rows: number }[]>`
      SELECT relname::text AS "table", (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::int AS rows
      FROM pg_stat_xact_user_tables WHERE relname IN ('Lead', 'LeadPhone', 'Suppression', 'DncEntry') ORDER BY relname`;
  const before = await rowsRead();
  await write();
  const after = await rowsRead();
  return after.map(({ table, rows }) => ({ table, rows: rows - (before.find((row) => row.table === table)?.rows ?? 0) }));
}

const expectAFewRowsRead = (reads: { table: string; rows: number }[]) => {
  for (const { table, rows } of reads) expect({ table, rows: rows < 50 ? "a few" : rows }).toEqual({ table, rows: "a few" });
};

/** An organization of PHONES leads with a mobile phone each, written after the tables' statistics were taken nearly empty. */
async function organizationOnYoungStatistics(prefix: string, areaCode: string) {
  const { org } = await createTeam();
  await db.$executeRawUnsafe(`ANALYZE "Lead", "LeadPhone", "Suppression", "DncEntry"`);
  await querySql(db, Prisma.sql`
    INSERT INTO "Lead" (id, "organizationId", source, "addressLine1", city, state, zip, "normalizedAddress", "normalizedOwner", "dedupKey", "updatedAt")
    SELECT ${prefix} || '-lead-' || i, ${org.id}, 'csv', i || ' Plan St', 'Austin', 'TX', '78701', ${prefix} || ' ' || i, 'owner ' || i, ${prefix} || '-' || i, now()
    FROM generate_series(1, ${PHONES}::int) i`);
  await querySql(db, Prisma.sql`
    INSERT INTO "LeadPhone" (id, "organizationId", "leadId", number, type, source, "updatedAt")
    SELECT ${prefix} || '-phone-' || i, ${org.id}, ${prefix} || '-lead-' || i, ${`+1${areaCode}`} || lpad(i::text, 7, '0'), 'mobile', 'test', now()
    FROM generate_series(1, ${PHONES}::int) i`);
  return org;
}

describe("the lead phone flags' recount", () => {
  it("reads a few rows for a new suppression in an organization of thousands of phones and suppressions, on a young database's statistics", async () => {
    const org = await organizationOnYoungStatistics("plan", "737");
    // Numbers the organization suppressed before, none of them its leads' (org-wide and per lead, live and lifted).
    await querySql(db, Prisma.sql`
      INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "leadId", "liveKey", "liftedAt")
      SELECT 'plan-supp-' || i, ${org.id}, '+1512' || lpad(i::text, 7, '0'), 'manual', 'test',
        CASE WHEN i % 3 = 0 THEN 'plan-lead-' || i END,
        CASE WHEN i % 5 = 0 THEN NULL ELSE '+1512' || lpad(i::text, 7, '0') || '|' || CASE WHEN i % 3 = 0 THEN 'plan-lead-' || i ELSE '' END END,
        CASE WHEN i % 5 = 0 THEN now() END
      FROM generate_series(1, ${PHONES}::int) i`);
    expect(await db.lead.count({ where: { organizationId: org.id, textable: true } })).toBe(PHONES);

    const number = "+17370000042";
    const reads = await db.$transaction((tx) =>
      rowsReadBy(tx, () => tx.$executeRaw`
        INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "liveKey") VALUES ('plan-stop', ${org.id}, ${number}, 'keyword', 'STOP', ${`${number}|`})`),
    );
    expect(await db.lead.findUniqueOrThrow({ where: { id: "plan-lead-42" }, select: { textable: true, hasPhone: true } })).toEqual({ textable: false, hasPhone: true });
    expect(await db.lead.count({ where: { organizationId: org.id, textable: true } })).toBe(PHONES - 1);
    expectAFewRowsRead(reads);
  });

  it("reads a few rows for one phone's update on a connection whose first phone update was a bulk one", async () => {
    const org = await organizationOnYoungStatistics("bulk", "738");
    const reads = await db.$transaction(async (tx) => {
      // Postgres plans the update trigger's parameterless statements once per connection: this one first.
      await tx.leadPhone.updateMany({ where: { organizationId: org.id }, data: { verifiedAt: new Date() } });
      return rowsReadBy(tx, () => tx.leadPhone.update({ where: { id: "bulk-phone-42" }, data: { status: "opted_out" } }));
    });
    expect(await db.lead.findUniqueOrThrow({ where: { id: "bulk-lead-42" }, select: { textable: true, hasPhone: true } })).toEqual({ textable: false, hasPhone: true });
    expect(await db.lead.count({ where: { organizationId: org.id, textable: true } })).toBe(PHONES - 1);
    expectAFewRowsRead(reads);
  });
});
