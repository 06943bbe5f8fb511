import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createTeam } from "@/test/factories";

/** The leads list's optional columns' data (issue 14 item 9): last contact, and the owner's Company/Trust flag. */
describe("lead list columns", () => {
  it("carries each lead's last contact (its conversations' last message, ours only) and whether the owner is a company or trust", async () => {
    const team = await createTeam();
    const manager = callerFor(team.manager);
    const { lead: trust } = await manager.leads.create({ addressLine1: "1 Trust Way", city: "Austin", state: "TX", zip: "78701", ownerName: "Smith Family Trust" });
    const { lead: person } = await manager.leads.create({ addressLine1: "2 Person Way", city: "Austin", state: "TX", zip: "78701", ownerName: "Jane Smith" });
    const older = new Date("2026-11-01T10:00:00.000Z");
    const newer = new Date("2026-11-20T15:30:00.000Z");
    await db.conversation.create({ data: { organizationId: team.org.id, leadId: trust.id, phone: "+15125550101", lastMessageAt: older } });
    await db.conversation.create({ data: { organizationId: team.org.id, leadId: trust.id, phone: "+15125550102", lastMessageAt: newer } });
    // Another organization's thread naming our lead's id (it cannot happen through the app) is not our contact.
    const other = await createTeam();
    await db.conversation.create({ data: { organizationId: other.org.id, leadId: person.id, phone: "+15125550103", lastMessageAt: newer } });

    const { items } = await callerFor(team.user).leads.list({ sort: { field: "addressLine1", direction: "asc" } });
    expect(items.map((item) => [item.addressLine1, item.ownerIsCorporate, item.lastContactAt?.toISOString() ?? null])).toEqual([
      ["1 Trust Way", true, newer.toISOString()],
      ["2 Person Way", false, null],
    ]);
  });
});
