import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { expectAFewRowsRead, organizationOnYoungStatistics, rowsReadBy, suppressOtherNumbers, tableCountsDuring, YOUNG_ORGANIZATION_PHONES as PHONES } from "@/test/rows-read";

/**
 * The lead phone flags' recount reads the leads it recounts, not the organization, whatever the
 * planner's statistics say (migration 20261130223000_lead_phone_flags_recount_per_lead). With the
 * statistics of a young database (the tables analyzed while nearly empty), Postgres planned an
 * inbound STOP's recount as a pass over every phone of the organization and a scan of its
 * suppressions: 50 ms for 9 leads in the webhook benchmark, growing with the organization.
 */

describe("the lead phone flags' recount", () => {
  it("reads a few rows for a new suppression in an organization of thousands of phones and suppressions, on a young database's statistics", async () => {
    const { org } = await organizationOnYoungStatistics("plan", "737");
    await suppressOtherNumbers(org.id, "plan", "512");
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
    const { org } = await organizationOnYoungStatistics("bulk", "738");
    const reads = await db.$transaction(async (tx) => {
      // Postgres plans the update trigger's parameterless statements once per connection: this one first.
      await tx.leadPhone.updateMany({ where: { organizationId: org.id }, data: { verifiedAt: new Date() } });
      return rowsReadBy(tx, () => tx.leadPhone.update({ where: { id: "bulk-phone-42" }, data: { status: "opted_out" } }));
    });
    expect(await db.lead.findUniqueOrThrow({ where: { id: "bulk-lead-42" }, select: { textable: true, hasPhone: true } })).toEqual({ textable: false, hasPhone: true });
    expect(await db.lead.count({ where: { organizationId: org.id, textable: true } })).toBe(PHONES - 1);
    expectAFewRowsRead(reads);
  });

  it("rewrites an opted-out number's lead flags and phone status in place, on pages bulk writes filled", async () => {
    // The phones written by one bulk INSERT, the leads' current versions by the flag update their
    // insert triggered: without room kept on the pages they filled (migration
    // 20261202040000_lead_flag_updates_in_place), every page but the last is full and each update
    // adds an entry to every index of the table (19 for a lead, three of them GIN).
    const { org } = await organizationOnYoungStatistics("inplace", "736");
    const number = "+17360000042";
    const counts = await db.$transaction((tx) =>
      tableCountsDuring(tx, ["Lead", "LeadPhone"], async () => {
        await tx.$executeRaw`
          INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "liveKey") VALUES ('inplace-stop', ${org.id}, ${number}, 'keyword', 'STOP', ${`${number}|`})`;
        await tx.leadPhone.update({ where: { id: "inplace-phone-42" }, data: { status: "opted_out" } });
      }),
    );
    const updates = counts.map(({ table, updates, inPlace }) => ({ table, updates, inPlace }));
    expect(await db.lead.findUniqueOrThrow({ where: { id: "inplace-lead-42" }, select: { textable: true, hasPhone: true } })).toEqual({ textable: false, hasPhone: true });
    expect(updates).toEqual([
      { table: "Lead", updates: 1, inPlace: 1 },
      { table: "LeadPhone", updates: 1, inPlace: 1 },
    ]);
  });
});
