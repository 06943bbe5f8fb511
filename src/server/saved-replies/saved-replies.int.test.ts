import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerFor, createTeam } from "@/test/factories";

const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as TRPCError);

describe("savedReplies router", () => {
  it("managers create, update and delete; every member lists them, sorted by name, with segments", async () => {
    const team = await createTeam();
    const manager = callerFor(team.manager);
    const created = await manager.savedReplies.save({ name: "Offer range", body: "Hi {{owner_first_name|there}}, we usually offer 70-80% of value. Can I call?" });
    await manager.savedReplies.save({ name: "Call back", body: "Thanks! What time works for a quick call?" });
    expect(created).toMatchObject({ name: "Offer range", segments: 1, encoding: "GSM-7", createdBy: { id: team.manager.id } });

    const asUser = await callerFor(team.user).savedReplies.list();
    expect(asUser.canEdit).toBe(false);
    expect(asUser.replies.map((r) => r.name)).toEqual(["Call back", "Offer range"]);
    expect((await manager.savedReplies.list()).canEdit).toBe(true);

    const updated = await callerFor(team.admin).savedReplies.save({ id: created.id, name: "Offer range (cash)", body: "x".repeat(200) });
    expect(updated).toMatchObject({ id: created.id, name: "Offer range (cash)", segments: 2 });

    expect(await manager.savedReplies.delete({ id: created.id })).toEqual({ ok: true });
    expect((await manager.savedReplies.list()).replies.map((r) => r.name)).toEqual(["Call back"]);
    const again = await errorOf(manager.savedReplies.delete({ id: created.id }));
    expect(again?.code).toBe("NOT_FOUND");
  });

  it("a plain user may not write", async () => {
    const team = await createTeam();
    const user = callerFor(team.user);
    expect((await errorOf(user.savedReplies.save({ name: "Mine", body: "Hello" })))?.code).toBe("FORBIDDEN");
    const reply = await callerFor(team.manager).savedReplies.save({ name: "Theirs", body: "Hello" });
    expect((await errorOf(user.savedReplies.delete({ id: reply.id })))?.code).toBe("FORBIDDEN");
  });

  it("a name used twice in one organization is a clear CONFLICT, on create and on rename; another organization may use it", async () => {
    const team = await createTeam();
    const manager = callerFor(team.manager);
    const first = await manager.savedReplies.save({ name: "Thanks", body: "Thank you!" });
    const second = await manager.savedReplies.save({ name: "Later", body: "Can I text you next month?" });

    const duplicate = await errorOf(manager.savedReplies.save({ name: "Thanks", body: "Thanks again" }));
    expect(duplicate?.code).toBe("CONFLICT");
    expect(duplicate?.message).toBe('A saved reply named "Thanks" already exists. Choose another name, or edit that one.');
    const rename = await errorOf(manager.savedReplies.save({ id: second.id, name: "Thanks", body: "Later" }));
    expect(rename?.code).toBe("CONFLICT");
    // Saving a reply under its own name is an edit, not a conflict.
    expect(await manager.savedReplies.save({ id: first.id, name: "Thanks", body: "Thank you so much!" })).toMatchObject({ body: "Thank you so much!" });

    const other = await createTeam();
    expect(await callerFor(other.manager).savedReplies.save({ name: "Thanks", body: "Thanks!" })).toMatchObject({ name: "Thanks" });
    expect((await manager.savedReplies.list()).replies).toHaveLength(2);
  });

  it("refuses unknown merge fields with a message naming them", async () => {
    const team = await createTeam();
    const error = await errorOf(callerFor(team.manager).savedReplies.save({ name: "Typo", body: "Hi {{first_name}}" }));
    expect(error?.code).toBe("BAD_REQUEST");
    const issues = (error?.cause as { issues?: { message: string }[] } | undefined)?.issues ?? [];
    expect(JSON.stringify(issues.length ? issues : error?.message)).toContain("Unknown merge field {{first_name}}");
  });

  it("another organization's saved reply is NOT_FOUND and untouched", async () => {
    const ours = await createTeam();
    const theirs = await createTeam();
    const theirReply = await callerFor(theirs.manager).savedReplies.save({ name: "Their secret", body: "Their body" });
    const caller = callerFor(ours.admin);
    expect((await errorOf(caller.savedReplies.save({ id: theirReply.id, name: "Hijack", body: "Mine now" })))?.code).toBe("NOT_FOUND");
    expect((await errorOf(caller.savedReplies.delete({ id: theirReply.id })))?.code).toBe("NOT_FOUND");
    expect((await caller.savedReplies.list()).replies).toEqual([]);
    expect((await callerFor(theirs.user).savedReplies.list()).replies).toEqual([expect.objectContaining({ id: theirReply.id, name: "Their secret", body: "Their body" })]);
  });
});
