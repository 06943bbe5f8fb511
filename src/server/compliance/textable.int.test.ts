import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createTeam, type TestUser } from "@/test/factories";

/**
 * The opt-out list and the internal do-not-contact list feed whether a lead is textable (issue 14):
 * adding a number to either takes every lead of the organization with that number out of
 * "textable" in the same transaction, and lifting it puts them back — the lead flag, the list
 * filter and the counts alike. Another organization's leads with the same number are untouched.
 */

type Team = { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let team: Team;
let other: Team;
const NUMBER = "+15125550401";
const leads: string[] = [];
let theirs = "";

async function leadWithPhone(t: Team, street: string, number: string) {
  const { lead } = await callerFor(t.manager).leads.create({ addressLine1: street, city: "Austin", state: "TX", zip: "78701", ownerName: "Sam Lee" });
  await callerFor(t.manager).leads.addPhone({ leadId: lead.id, number, type: "mobile" });
  return lead.id;
}

const textable = async (ids: string[]) => (await db.lead.findMany({ where: { id: { in: ids } }, select: { textable: true, hasPhone: true } })).map((l) => [l.hasPhone, l.textable]);
const textableCount = async (t: Team) => (await callerFor(t.user).leads.counts({ filters: { textable: true } })).total;

beforeAll(async () => {
  [team, other] = await Promise.all([createTeam(), createTeam()]);
  leads.push(await leadWithPhone(team, "1 Opt Out Ave", NUMBER), await leadWithPhone(team, "2 Opt Out Ave", NUMBER));
  theirs = await leadWithPhone(other, "1 Opt Out Ave", NUMBER);
});

describe("textable leads and the compliance lists", () => {
  it("an opt-out takes every lead with the number out of textable, and lifting it puts them back", async () => {
    expect(await textable(leads)).toEqual([[true, true], [true, true]]);
    expect(await textableCount(team)).toBe(2);
    const { suppression } = await callerFor(team.user).suppressions.add({ phone: NUMBER, evidence: "Said stop on a call." });
    expect(await textable(leads)).toEqual([[true, false], [true, false]]);
    expect(await textableCount(team)).toBe(0);
    expect((await callerFor(team.user).leads.list({ filters: { textable: false, hasPhone: true } })).items).toHaveLength(2);
    // The other organization's lead with the same number is still textable.
    expect(await textable([theirs])).toEqual([[true, true]]);
    expect(await textableCount(other)).toBe(1);

    await callerFor(team.manager).suppressions.lift({ id: suppression.id, optInKind: "documented_consent", reason: "Wrote back asking to be texted.", evidence: "Letter of 2026-11-29" });
    expect(await textable(leads)).toEqual([[true, true], [true, true]]);
    expect(await textableCount(team)).toBe(2);
  });

  it("a DNC entry does the same, and removing it (an admin, with a reason) restores them", async () => {
    const { entry } = await callerFor(team.manager).dnc.add({ phone: NUMBER, reason: "Asked by letter not to be contacted." });
    expect(await textable(leads)).toEqual([[true, false], [true, false]]);
    expect(await textableCount(team)).toBe(0);
    const detail = await callerFor(team.user).leads.get({ id: leads[0]! });
    expect(detail.phones[0]).toMatchObject({ onDncList: true, textable: false, blockers: ["dnc_list"] });
    expect(await textableCount(other)).toBe(1);

    await callerFor(team.admin).dnc.remove({ id: entry.id, reason: "Entered by mistake, wrong number." });
    expect(await textable(leads)).toEqual([[true, true], [true, true]]);
    expect(await textableCount(team)).toBe(2);
  });

  it("an imported opt-out list covers the leads of every imported number", async () => {
    const csv = ["phone", "(512) 555-0401", "(512) 555-0499"].join("\n");
    await callerFor(team.manager).suppressions.import({ fileName: "optouts.csv", csv, source: "Previous CRM export" });
    expect(await textable(leads)).toEqual([[true, false], [true, false]]);
    expect(await textableCount(team)).toBe(0);
  });
});
