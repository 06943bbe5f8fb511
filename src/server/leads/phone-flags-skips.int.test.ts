import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db, querySql } from "@/server/db";
import { callerFor, createTeam, type TestUser } from "@/test/factories";

/**
 * The lead phone flags' triggers skip a recount only where it cannot change a flag (migrations
 * 20261130095500_listed_numbers_flags_only_textable and 20261130100500_lead_phone_flags_update_skip):
 * a new list entry on a lead already not textable, and a phone update that only takes textability
 * away on a lead already not textable. Each case here checks every lead's flags against
 * leadflow_phone_textable (the one rule) after the write, the cases where a recount is still needed
 * included: a lead with a second textable phone, a phone made textable again, a phone moved to
 * another lead. (Concurrent writes: src/server/leads/counts.int.test.ts.)
 */

type Team = { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let team: Team;

async function lead(street: string, phones: { number: string; type?: "mobile" | "landline" }[]) {
  const caller = callerFor(team.manager);
  const { lead } = await caller.leads.create({ addressLine1: street, city: "Austin", state: "TX", zip: "78701", ownerName: "Sam Lee" });
  for (const phone of phones) await caller.leads.addPhone({ leadId: lead.id, number: phone.number, type: phone.type ?? "mobile" });
  return lead.id;
}

/** The STOP's writes as the inbound webhook makes them: the suppression and the number's lead phones opted out, in one statement. */
async function stop(number: string) {
  await querySql(
    db,
    Prisma.sql`
      WITH s AS (
        INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "liveKey")
        VALUES (gen_random_uuid()::text, ${team.org.id}, ${number}, 'keyword', 'test', ${`${number}|`}) RETURNING id
      ), p AS (
        UPDATE "LeadPhone" SET status = 'opted_out', "updatedAt" = now()
        WHERE "organizationId" = ${team.org.id} AND number = ${number} AND status = 'ok' AND EXISTS (SELECT 1 FROM s)
      )
      SELECT 1`,
  );
}

/** Every lead of the organization whose flags differ from what its phones say. */
async function wrongFlags() {
  return querySql<{ id: string }>(
    db,
    Prisma.sql`
      SELECT l.id FROM "Lead" l
      WHERE l."organizationId" = ${team.org.id}
        AND (l."hasPhone" IS DISTINCT FROM EXISTS (SELECT 1 FROM "LeadPhone" p WHERE p."leadId" = l.id)
          OR l."textable" IS DISTINCT FROM EXISTS (SELECT 1 FROM "LeadPhone" p WHERE p."leadId" = l.id AND leadflow_phone_textable(p)))`,
  );
}

const flags = async (id: string) => db.lead.findUniqueOrThrow({ where: { id }, select: { hasPhone: true, textable: true } });

beforeAll(async () => {
  team = await createTeam();
});

describe("lead phone flags where a recount is skipped", () => {
  it("a STOP takes its lead out of textable; a lead with a second textable phone stays textable", async () => {
    const only = await lead("1 Skip St", [{ number: "+15125550601" }]);
    const two = await lead("2 Skip St", [{ number: "+15125550602" }, { number: "+15125550603" }]);
    expect([await flags(only), await flags(two)]).toEqual([{ hasPhone: true, textable: true }, { hasPhone: true, textable: true }]);
    await stop("+15125550601");
    await stop("+15125550602");
    expect([await flags(only), await flags(two)]).toEqual([{ hasPhone: true, textable: false }, { hasPhone: true, textable: true }]);
    await stop("+15125550603");
    expect(await flags(two)).toEqual({ hasPhone: true, textable: false });
    expect(await wrongFlags()).toEqual([]);
  });

  it("a list entry or a phone update on a lead already not textable changes nothing; a phone made textable again is recounted", async () => {
    const landline = await lead("3 Skip St", [{ number: "+15125550604", type: "landline" }]);
    expect(await flags(landline)).toEqual({ hasPhone: true, textable: false });
    await stop("+15125550604"); // suppression inserted on a not-textable lead, phone opted out
    await db.dncEntry.create({ data: { organizationId: team.org.id, phone: "+15125550604", liveKey: "+15125550604", reason: "test" } }); // a DNC entry on it too
    expect(await flags(landline)).toEqual({ hasPhone: true, textable: false });
    // Back to ok and mobile, the suppression lifted: the update can make it textable, so it is recounted.
    await db.suppression.updateMany({ where: { organizationId: team.org.id, phone: "+15125550604" }, data: { liftedAt: new Date(), liveKey: null } });
    await db.dncEntry.updateMany({ where: { organizationId: team.org.id, phone: "+15125550604" }, data: { liftedAt: new Date() } });
    await db.leadPhone.updateMany({ where: { organizationId: team.org.id, number: "+15125550604" }, data: { status: "ok", type: "mobile" } });
    expect(await flags(landline)).toEqual({ hasPhone: true, textable: true });
    expect(await wrongFlags()).toEqual([]);
  });

  it("a not-textable phone moved to another lead recounts both leads", async () => {
    const from = await lead("4 Skip St", [{ number: "+15125550605" }]);
    const to = await lead("5 Skip St", []);
    await stop("+15125550605");
    expect([await flags(from), await flags(to)]).toEqual([{ hasPhone: true, textable: false }, { hasPhone: false, textable: false }]);
    await db.leadPhone.updateMany({ where: { leadId: from }, data: { leadId: to } });
    expect([await flags(from), await flags(to)]).toEqual([{ hasPhone: false, textable: false }, { hasPhone: true, textable: false }]);
    expect(await wrongFlags()).toEqual([]);
  });
});
