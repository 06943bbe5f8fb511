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

describe("the lead phone flags' recount", () => {
  it("reads a few rows for a new suppression in an organization of thousands of phones and suppressions, on a young database's statistics", async () => {
    const { org } = await createTeam();
    await db.$executeRawUnsafe(`ANALYZE "Lead", "LeadPhone", "Suppression", "DncEntry"`);
    await querySql(db, Prisma.sql`
      INSERT INTO "Lead" (id, "organizationId", source, "addressLine1", city, state, zip, "normalizedAddress", "normalizedOwner", "dedupKey", "updatedAt")
      SELECT 'plan-lead-' || i, ${org.id}, 'csv', i || ' Plan St', 'Austin', 'TX', '78701', 'plan ' || i, 'owner ' || i, 'plan-' || i, now()
      FROM generate_series(1, ${PHONES}::int) i`);
    await querySql(db, Prisma.sql`
      INSERT INTO "LeadPhone" (id, "organizationId", "leadId", number, type, source, "updatedAt")
      SELECT 'plan-phone-' || i, ${org.id}, 'plan-lead-' || i, '+1737' || lpad(i::text, 7, '0'), 'mobile', 'test', now()
      FROM generate_series(1, ${PHONES}::int) i`);
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
    const reads = await db.$transaction(async (tx) => {
      // Rows this connection read, from its not yet flushed statistics (pg_stat_xact_*, which may
      // still hold its earlier transactions' counts: hence before and after, in one transaction).
      const rowsRead = () =>
        tx.$queryRaw<{ table: string; rows: number }[]>`
          SELECT relname::text AS "table", (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::int AS rows
          FROM pg_stat_xact_user_tables WHERE relname IN ('Lead', 'LeadPhone', 'Suppression', 'DncEntry') ORDER BY relname`;
      const before = await rowsRead();
      await tx.$executeRaw`
        INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "liveKey") VALUES ('plan-stop', ${org.id}, ${number}, 'keyword', 'STOP', ${`${number}|`})`;
      const after = await rowsRead();
      return after.map(({ table, rows }) => ({ table, rows: rows - (before.find((row) => row.table === table)?.rows ?? 0) }));
    });
    expect(await db.lead.findUniqueOrThrow({ where: { id: "plan-lead-42" }, select: { textable: true, hasPhone: true } })).toEqual({ textable: false, hasPhone: true });
    expect(await db.lead.count({ where: { organizationId: org.id, textable: true } })).toBe(PHONES - 1);
    for (const { table, rows } of reads) expect({ table, rows: rows < 50 ? "a few" : rows }).toEqual({ table, rows: "a few" });
  });
});
