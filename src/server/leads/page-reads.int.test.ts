import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createMember, createTeam } from "@/test/factories";

// What the leads page prefetches beside the list and counts (page.tsx): the tag list with each
// tag's lead count, and the assignee picker.

const lead = (n: number) => ({ addressLine1: `${n} Prefetch St`, city: "Austin", state: "TX", zip: "78701", ownerName: `Owner ${n}` });

describe("tags.list", () => {
  it("lists the organization's tags by name with how many leads carry each, and no other organization's", async () => {
    const team = await createTeam();
    const other = await createTeam();
    const caller = callerFor(team.manager);
    const zebra = await caller.tags.create({ name: "zebra", color: "red" });
    const alpha = await caller.tags.create({ name: "Alpha", color: "blue" });
    const unused = await caller.tags.create({ name: "middle", color: "slate" });
    const theirs = await callerFor(other.manager).tags.create({ name: "aaa theirs", color: "red" });
    const leads = await Promise.all([1, 2, 3].map(async (n) => (await caller.leads.create(lead(n))).lead));
    await caller.leads.setTags({ leadId: leads[0]!.id, tagIds: [zebra.id, alpha.id] });
    await caller.leads.setTags({ leadId: leads[1]!.id, tagIds: [zebra.id] });
    const theirLead = (await callerFor(other.manager).leads.create(lead(9))).lead;
    await callerFor(other.manager).leads.setTags({ leadId: theirLead.id, tagIds: [theirs.id] });

    const listed = await callerFor(team.user).tags.list();
    const byName = [...listed].sort((a, b) => a.name.localeCompare(b.name));
    expect(listed.map((t) => t.name)).toEqual(byName.map((t) => t.name));
    expect(listed).toEqual(
      expect.arrayContaining([
        { id: zebra.id, name: "zebra", color: "red", leadCount: 2 },
        { id: alpha.id, name: "Alpha", color: "blue", leadCount: 1 },
        { id: unused.id, name: "middle", color: "slate", leadCount: 0 },
      ]),
    );
    expect(listed).toHaveLength(3);
  });
});

describe("leads.assignees", () => {
  it("lists the organization's active members in the order they joined, with their role, and nobody else", async () => {
    const team = await createTeam();
    const other = await createTeam();
    const departed = await createMember(team.org.id, "user", { deactivated: true });
    const latest = await createMember(team.org.id, "manager");
    await db.user.update({ where: { id: latest.id }, data: { name: "Latest Joiner" } });

    const assignees = await callerFor(team.user).leads.assignees();
    expect(assignees.map((a) => a.id).sort()).toEqual([team.admin.id, team.manager.id, team.user.id, latest.id].sort());
    expect(assignees.at(-1)).toEqual({ id: latest.id, name: "Latest Joiner", email: latest.email, role: "manager" });
    expect(assignees.find((a) => a.id === team.admin.id)).toMatchObject({ email: team.admin.email, role: "admin" });
    const ids = assignees.map((a) => a.id);
    expect(ids).not.toContain(departed.id);
    expect(ids).not.toContain(other.admin.id);
  });
});
