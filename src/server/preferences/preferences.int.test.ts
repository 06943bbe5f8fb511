import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { DEFAULT_LEAD_COLUMNS } from "@/lib/lead-columns";
import { callerFor, createMember, createTeam } from "@/test/factories";

/** The leads list's columns, remembered per user on the server (issue 14 item 9). */
describe("lead list columns preference", () => {
  it("starts from the defaults, keeps what a user picks (in the table's order), and is that user's alone", async () => {
    const team = await createTeam();
    const me = callerFor(team.user);
    expect(await me.preferences.leadColumns()).toEqual({ columns: [...DEFAULT_LEAD_COLUMNS], saved: false });

    expect(await me.preferences.setLeadColumns({ columns: ["lastContact", "equity", "phone"] })).toEqual({ columns: ["phone", "equity", "lastContact"], saved: true });
    expect(await me.preferences.leadColumns()).toEqual({ columns: ["phone", "equity", "lastContact"], saved: true });
    // No columns at all is a choice too.
    expect(await me.preferences.setLeadColumns({ columns: [] })).toEqual({ columns: [], saved: true });
    expect((await me.preferences.leadColumns()).columns).toEqual([]);

    // A teammate, and the same person in another organization, have their own.
    expect((await callerFor(team.manager).preferences.leadColumns()).saved).toBe(false);
    const other = await createTeam();
    const meThere = await createMember(other.org.id, "user");
    await db.membership.deleteMany({ where: { userId: meThere.id } });
    await db.membership.create({ data: { organizationId: other.org.id, userId: team.user.id, role: "user" } });
    const rows = await db.userPreference.findMany({ where: { userId: team.user.id } });
    expect(rows.map((row) => row.organizationId)).toEqual([team.org.id]);
  });

  it("refuses a column that does not exist", async () => {
    const team = await createTeam();
    const error = await callerFor(team.user).preferences.setLeadColumns({ columns: ["ssn" as never] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("drops a column removed since it was saved", async () => {
    const team = await createTeam();
    await db.userPreference.create({ data: { userId: team.user.id, organizationId: team.org.id, key: "leads.columns", value: ["gone", "tags", "phone"] } });
    expect(await callerFor(team.user).preferences.leadColumns()).toEqual({ columns: ["phone", "tags"], saved: true });
  });
});
