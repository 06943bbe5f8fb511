import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createTeam } from "@/test/factories";

/** A saved lead list's live count (issue 14 item 6): what opening the list shows, now. */
describe("saved filter counts", () => {
  it("counts each saved list's matching leads, follows changes at once, and counts only our leads", async () => {
    const team = await createTeam();
    const other = await createTeam();
    const me = callerFor(team.user);
    const ourManager = callerFor(team.manager);
    const add = (caller: ReturnType<typeof callerFor>, n: number, zip: string, status: "new" | "contacted" = "new") =>
      caller.leads.create({ addressLine1: `${n} Oak St`, city: "Austin", state: "TX", zip, status });
    for (let i = 1; i <= 3; i++) await add(ourManager, i, "78701");
    await add(ourManager, 4, "78702", "contacted");
    // Theirs: same ZIP, must never count for us.
    for (let i = 1; i <= 5; i++) await add(callerFor(other.manager), i, "78701");

    const inZip = await me.savedFilters.save({ name: "78701", filters: { zip: "78701" } });
    const contacted = await me.savedFilters.save({ name: "Contacted", filters: { status: ["contacted"] } });
    const archived = await me.savedFilters.save({ name: "Archived", filters: { archived: "only" } });
    expect(await me.savedFilters.counts()).toEqual([
      { id: inZip.id, count: 3 },
      { id: archived.id, count: 0 },
      { id: contacted.id, count: 1 },
    ]);
    // The list as the leads page shows it has as many rows as the count says.
    expect((await me.leads.list({ filters: { zip: "78701" } })).items).toHaveLength(3);

    await add(ourManager, 5, "78701");
    const lead = await db.lead.findFirstOrThrow({ where: { organizationId: team.org.id, zip: "78701" } });
    await callerFor(team.manager).leads.bulk({ target: { ids: [lead.id] }, action: { kind: "archive" } });
    expect(await me.savedFilters.counts()).toEqual([
      { id: inZip.id, count: 3 },
      { id: archived.id, count: 1 },
      { id: contacted.id, count: 1 },
    ]);
    expect(await callerFor(other.user).savedFilters.counts()).toEqual([]);
  });
});
