import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createTeam, type TestUser } from "@/test/factories";

/**
 * Global search (⌘K, issue 13 item 5): a lead by its phone typed in any format, by part of its
 * address, by its owner; inbox threads and campaigns; never another organization's.
 */

type Team = { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let ours: Team;
let theirs: Team;
const ids = { oak: "", elm: "", archived: "", theirs: "", thread: "", theirThread: "", campaign: "" };

async function lead(team: Team, street: string, ownerName: string, phone?: string) {
  const manager = callerFor(team.manager);
  const { lead } = await manager.leads.create({ addressLine1: street, city: "Phoenix", state: "AZ", zip: "85004", ownerName });
  if (phone) await manager.leads.addPhone({ leadId: lead.id, number: phone, type: "mobile" } as Parameters<typeof manager.leads.addPhone>[0]);
  return lead.id;
}

beforeAll(async () => {
  [ours, theirs] = await Promise.all([createTeam(), createTeam()]);
  ids.oak = await lead(ours, "4821 Ocotillo Ridge Rd", "Marisol Quintero", "(602) 555-0142");
  ids.elm = await lead(ours, "77 Saguaro Bend", "Dale Whitcombe", "480-555-0199");
  ids.archived = await lead(ours, "12 Ocotillo Ridge Ct", "Ana Quintero");
  await db.lead.update({ where: { id: ids.archived }, data: { archivedAt: new Date() } });
  // The other organization has the same phone number and a look-alike address and owner.
  ids.theirs = await lead(theirs, "4823 Ocotillo Ridge Rd", "Marisol Quintana", "+1 602 555 0142");
  const now = new Date();
  ids.thread = (await db.conversation.create({ data: { organizationId: ours.org.id, leadId: ids.oak, phone: "+16025550142", lastMessageAt: now, lastMessagePreview: "Is it still for sale?" } })).id;
  ids.theirThread = (await db.conversation.create({ data: { organizationId: theirs.org.id, leadId: ids.theirs, phone: "+16025550142", lastMessageAt: now, lastMessagePreview: "their secret reply" } })).id;
  ids.campaign = (await db.campaign.create({ data: { organizationId: ours.org.id, name: "Ocotillo spring mailer", template: "Hi {{first_name}}", audience: { kind: "selection", leadIds: [] } } })).id;
  await db.campaign.create({ data: { organizationId: theirs.org.id, name: "Ocotillo their secret campaign", template: "Hi", audience: { kind: "selection", leadIds: [] } } });
});

const search = (q: string, user: TestUser = ours.user) => callerFor(user).globalSearch.query({ q });

describe("globalSearch.query", () => {
  it.each(["(602) 555-0142", "602-555-0142", "602.555.0142", "+1 602 555 0142", "6025550142", "16025550142"])("finds the lead by its phone typed as %s", async (q) => {
    const result = await search(q);
    expect(result.leads.map((l) => [l.id, l.matchedPhone])).toEqual([[ids.oak, "+16025550142"]]);
    expect(result.conversations.map((c) => c.id)).toEqual([ids.thread]);
  });

  it("finds a lead by part of a number", async () => {
    expect((await search("555-01")).leads.map((l) => l.id).sort()).toEqual([ids.oak, ids.elm].sort());
    expect((await search("(480) 555")).leads.map((l) => l.id)).toEqual([ids.elm]);
  });

  it("finds leads by part of the address, live ones first, and says which are archived", async () => {
    const result = await search("ocotillo rid");
    expect(result.leads.map((l) => [l.id, l.archived])).toEqual([
      [ids.oak, false],
      [ids.archived, true],
    ]);
    expect(result.leads[0]).toMatchObject({ addressLine1: "4821 Ocotillo Ridge Rd", city: "Phoenix", state: "AZ", ownerName: "Marisol Quintero", status: "new", temperature: "COLD", textable: true, matchedPhone: null });
    expect((await search("4821 ocot")).leads.map((l) => l.id)).toEqual([ids.oak]);
  });

  it("finds leads by owner, by several words across owner and address, and their threads", async () => {
    expect((await search("quintero")).leads.map((l) => l.id).sort()).toEqual([ids.oak, ids.archived].sort());
    expect((await search("whitcombe")).leads.map((l) => l.id)).toEqual([ids.elm]);
    const both = await search("Marisol ocotillo");
    expect(both.leads.map((l) => l.id)).toEqual([ids.oak]);
    expect(both.conversations.map((c) => [c.id, c.ownerName])).toEqual([[ids.thread, "Marisol Quintero"]]);
  });

  it("finds campaigns by name", async () => {
    expect((await search("spring mail")).campaigns).toEqual([{ id: ids.campaign, name: "Ocotillo spring mailer", status: "draft" }]);
  });

  it("never shows another organization's leads, threads or campaigns", async () => {
    for (const q of ["(602) 555-0142", "555-01", "ocotillo", "quintana", "Marisol", "their secret"]) {
      const result = await search(q);
      const shown = JSON.stringify(result);
      expect(shown, q).not.toContain(ids.theirs);
      expect(shown, q).not.toContain(ids.theirThread);
      expect(shown, q).not.toContain("their secret");
      expect(shown, q).not.toContain("Quintana");
      expect(shown, q).not.toContain("4823");
    }
    // And the other way round: they find only theirs.
    const theirView = await search("602 555 0142", theirs.user);
    expect(theirView.leads.map((l) => l.id)).toEqual([ids.theirs]);
    expect(theirView.conversations.map((c) => c.id)).toEqual([ids.theirThread]);
  });

  it("answers nothing for an empty or too short text, and takes LIKE wildcards literally", async () => {
    expect(await search("   ")).toEqual({ leads: [], conversations: [], campaigns: [] });
    expect((await search("oc")).leads).toEqual([]);
    expect((await search("%%%")).leads).toEqual([]);
    expect((await search("___")).leads).toEqual([]);
  });

  it("is open to every role and closed to the signed out", async () => {
    await expect(search("ocotillo", ours.admin)).resolves.toBeTruthy();
    await expect(callerFor(null).globalSearch.query({ q: "ocotillo" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
