import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { orgDay } from "@/lib/org-day";
import { taskDueAt } from "@/lib/task-due";
import { db } from "@/server/db";
import { raceTest } from "@/test/database-kind";
import { callerFor, createMember, createTeam, type TestUser } from "@/test/factories";

type Caller = ReturnType<typeof callerFor>;
const codeOf = (error: unknown) => (error as TRPCError).code;

/** A fixed-offset zone where it is about noon now, so "earlier today" and "later today" are both today. */
function zoneNearNoon(now = new Date()): string {
  const offset = 12 - now.getUTCHours();
  return offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}
const hhmm = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(date);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let seq = 0;
async function makeLead(orgId: string, extra: { archivedAt?: Date } = {}) {
  seq += 1;
  return db.lead.create({
    data: { organizationId: orgId, source: "manual", addressLine1: `${seq} Task St`, city: "Austin", state: "TX", zip: "78701", normalizedAddress: `task-${seq}`, normalizedOwner: "", dedupKey: `task-${seq}-${orgId}`, ...extra },
  });
}

async function oracleNextTask(leadId: string) {
  const open = await db.task.findMany({ where: { leadId, completedAt: null }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: 1 });
  return open[0] ?? null;
}

async function expectNextTaskConsistent(leadId: string) {
  const lead = await db.lead.findUniqueOrThrow({ where: { id: leadId }, select: { nextTaskId: true, nextTaskDueAt: true } });
  const next = await oracleNextTask(leadId);
  expect(lead.nextTaskId).toBe(next?.id ?? null);
  expect(lead.nextTaskDueAt?.toISOString() ?? null).toBe(next?.dueAt.toISOString() ?? null);
}

let a: { org: { id: string }; admin: TestUser; manager: TestUser; user: TestUser };
let b: { org: { id: string }; admin: TestUser; manager: TestUser; user: TestUser };
let aCaller: Caller;
let bCaller: Caller;
let zone: string;
let today: string;

beforeAll(async () => {
  a = await createTeam("Tasks A");
  b = await createTeam("Tasks B");
  zone = zoneNearNoon();
  await db.organization.update({ where: { id: a.org.id }, data: { timeZone: zone } });
  today = orgDay(zone);
  aCaller = callerFor(a.user);
  bCaller = callerFor(b.user);
});

describe("tasks", () => {
  it("creates, lists, edits, completes, reopens and deletes a lead's tasks, with timeline entries", async () => {
    const lead = await makeLead(a.org.id);
    const later = await aCaller.tasks.create({ leadId: lead.id, note: "Send the offer", dueOn: addDays(today, 2) });
    const sooner = await aCaller.tasks.create({ leadId: lead.id, note: "Call the owner", dueOn: addDays(today, 1), dueTime: "09:30", assigneeId: a.manager.id });
    expect(later.assignee?.id).toBe(a.user.id); // the caller by default
    expect(later.dueTime).toBeNull();
    expect(later.when).toBe("upcoming");
    expect(sooner.assignee?.id).toBe(a.manager.id);
    expect(sooner.dueAt.toISOString()).toBe(taskDueAt(addDays(today, 1), "09:30", zone).toISOString());
    expect(hhmm(sooner.dueAt, zone)).toBe("09:30");

    let listed = await aCaller.tasks.forLead({ leadId: lead.id });
    expect(listed.tasks.map((t) => t.note)).toEqual(["Call the owner", "Send the offer"]);
    await expectNextTaskConsistent(lead.id);
    expect((await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).nextTaskId).toBe(sooner.id);

    // Moving the sooner one past the other changes the next task.
    const moved = await aCaller.tasks.update({ id: sooner.id, dueOn: addDays(today, 3), note: "Call the owner again" });
    expect(moved.note).toBe("Call the owner again");
    expect(moved.dueTime).toBe("09:30");
    expect((await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).nextTaskId).toBe(later.id);

    const done = await aCaller.tasks.setDone({ id: later.id, done: true });
    expect(done.when).toBe("done");
    expect(done.completedBy?.id).toBe(a.user.id);
    expect((await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).nextTaskId).toBe(sooner.id);
    // Twice is the same as once (no second timeline entry).
    await aCaller.tasks.setDone({ id: later.id, done: true });
    listed = await aCaller.tasks.forLead({ leadId: lead.id });
    expect(listed.tasks.map((t) => [t.note, t.when])).toEqual([["Call the owner again", "upcoming"], ["Send the offer", "done"]]);

    await aCaller.tasks.setDone({ id: later.id, done: false });
    expect((await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).nextTaskId).toBe(later.id);
    await aCaller.tasks.delete({ id: later.id });
    await aCaller.tasks.delete({ id: sooner.id });
    const lead2 = await db.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(lead2.nextTaskId).toBeNull();
    expect(lead2.nextTaskDueAt).toBeNull();

    const kinds = (await db.activityEvent.findMany({ where: { leadId: lead.id }, orderBy: { createdAt: "asc" } })).map((e) => e.kind);
    expect(kinds).toEqual(["task_created", "task_created", "task_completed", "task_reopened"]);
  });

  it("keeps the lead list's next task and shows it on list items", async () => {
    const lead = await makeLead(a.org.id);
    const task = await aCaller.tasks.create({ leadId: lead.id, note: "Drive by", dueOn: today, dueTime: "23:59" });
    const page = await aCaller.leads.list({ filters: { q: lead.addressLine1 } });
    const item = page.items.find((i) => i.id === lead.id);
    expect(item?.nextTask).toMatchObject({ id: task.id, note: "Drive by", dueOn: today, dueTime: "23:59" });
    expect((await aCaller.leads.get({ id: lead.id })).nextTask?.id).toBe(task.id);
  });

  it("refuses bad input: a time that is not one, an empty note", async () => {
    const lead = await makeLead(a.org.id);
    await expect(aCaller.tasks.create({ leadId: lead.id, note: "x", dueOn: today, dueTime: "25:00" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(aCaller.tasks.create({ leadId: lead.id, note: "  ", dueOn: today })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(aCaller.tasks.create({ leadId: lead.id, note: "x", dueOn: "2026-02-30" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("tasks: tenancy and assignees", () => {
  it("another organization can neither see nor change our tasks", async () => {
    const lead = await makeLead(a.org.id);
    const task = await aCaller.tasks.create({ leadId: lead.id, note: "our secret follow-up", dueOn: today });
    const attempts: (() => Promise<unknown>)[] = [
      () => bCaller.tasks.forLead({ leadId: lead.id }),
      () => bCaller.tasks.create({ leadId: lead.id, note: "intrusion", dueOn: today }),
      () => bCaller.tasks.update({ id: task.id, note: "changed by them" }),
      () => bCaller.tasks.setDone({ id: task.id, done: true }),
      () => bCaller.tasks.delete({ id: task.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toSatisfy((error) => codeOf(error) === "NOT_FOUND");
    const mine = await bCaller.tasks.mine();
    expect(JSON.stringify(mine)).not.toContain("our secret follow-up");
    const after = await db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(after).toMatchObject({ note: "our secret follow-up", completedAt: null });
    expect(await db.task.count({ where: { leadId: lead.id } })).toBe(1);
  });

  it("assigns only to active members of the organization", async () => {
    const lead = await makeLead(a.org.id);
    await expect(aCaller.tasks.create({ leadId: lead.id, note: "x", dueOn: today, assigneeId: b.user.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const gone = await createMember(a.org.id, "user", { deactivated: true });
    await expect(aCaller.tasks.create({ leadId: lead.id, note: "x", dueOn: today, assigneeId: gone.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const task = await aCaller.tasks.create({ leadId: lead.id, note: "x", dueOn: today, assigneeId: null });
    expect(task.assignee).toBeNull();
    await expect(aCaller.tasks.update({ id: task.id, assigneeId: b.admin.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).assigneeId).toBeNull();
  });
});

describe("my tasks today and overdue", () => {
  it("lists the caller's open tasks due before now or later today, counted the same way", async () => {
    const me = await createMember(a.org.id, "user");
    const caller = callerFor(me);
    const lead = await makeLead(a.org.id);
    const archived = await makeLead(a.org.id, { archivedAt: new Date() });
    const now = new Date();
    const earlier = hhmm(new Date(now.getTime() - 60 * 60_000), zone);
    const laterToday = hhmm(new Date(now.getTime() + 60 * 60_000), zone);
    const make = (note: string, dueOn: string, dueTime: string | null, leadId = lead.id, assigneeId: string | null = me.id) =>
      caller.tasks.create({ leadId, note, dueOn, dueTime, assigneeId });
    await make("overdue yesterday", addDays(today, -1), null);
    await make("overdue an hour ago", today, earlier);
    await make("later today", today, laterToday);
    await make("any time today", today, null);
    await make("tomorrow", addDays(today, 1), null);
    await make("someone else's", today, null, lead.id, a.admin.id);
    await make("on an archived lead", today, null, archived.id);
    const done = await make("done already", today, null);
    await caller.tasks.setDone({ id: done.id, done: true });

    const mine = await caller.tasks.mine();
    expect(mine.today).toBe(today);
    expect(mine.overdue.map((t) => t.note)).toEqual(["overdue yesterday", "overdue an hour ago"]);
    expect(mine.overdue.every((t) => t.when === "overdue")).toBe(true);
    expect(mine.dueToday.map((t) => t.note)).toEqual(["later today", "any time today"]);
    expect(mine.dueToday.every((t) => t.when === "today")).toBe(true);
    expect(mine.dueToday[0]?.lead.addressLine1).toBe(lead.addressLine1);
    expect(await caller.tasks.myCount()).toEqual({ overdue: 2, dueToday: 2 });
    expect({ overdue: mine.overdueTotal, dueToday: mine.dueTodayTotal }).toEqual({ overdue: 2, dueToday: 2 });
  });
});

describe("the next task under concurrent edits", () => {
  raceTest("stays the earliest open task while teammates add, move and complete tasks of one lead at once", async () => {
    const lead = await makeLead(a.org.id);
    const callers = [callerFor(a.admin), callerFor(a.manager), callerFor(a.user)];
    for (let round = 0; round < 4; round++) {
      const created = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          callers[i % 3]!.tasks.create({ leadId: lead.id, note: `r${round} t${i}`, dueOn: addDays(today, 1 + ((i * 7 + round) % 9)), dueTime: `${String(8 + (i % 10)).padStart(2, "0")}:00` }),
        ),
      );
      await expectNextTaskConsistent(lead.id);
      // Complete the earliest ones, move others earlier and reopen at the same time.
      const sorted = [...created].sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime() || x.id.localeCompare(y.id));
      await Promise.all([
        ...sorted.slice(0, 4).map((task, i) => callers[i % 3]!.tasks.setDone({ id: task.id, done: true })),
        ...sorted.slice(4, 8).map((task, i) => callers[(i + 1) % 3]!.tasks.update({ id: task.id, dueOn: addDays(today, 1 + (i % 3)), dueTime: `0${i}:30` })),
        ...sorted.slice(8, 10).map((task, i) => callers[(i + 2) % 3]!.tasks.delete({ id: task.id })),
      ]);
      await expectNextTaskConsistent(lead.id);
      await Promise.all(sorted.slice(0, 4).map((task, i) => callers[i % 3]!.tasks.setDone({ id: task.id, done: i % 2 === 0 ? false : true })));
      await expectNextTaskConsistent(lead.id);
    }
  }, 60_000);
});

describe("tasks when the organization's time zone changes", () => {
  const LA = "America/Los_Angeles";

  it("keep their day and time of day: their instants and the lead's next task follow the new zone", async () => {
    const team = await createTeam("Tasks Zone");
    const admin = callerFor(team.admin);
    const before = (await admin.organization.get()).timeZone;
    const lead = await makeLead(team.org.id);
    const day = addDays(orgDay(before), 3);
    const morning = await admin.tasks.create({ leadId: lead.id, note: "Call at nine", dueOn: day, dueTime: "09:00" });
    const allDay = await admin.tasks.create({ leadId: lead.id, note: "Any time that day", dueOn: day });
    const done = await admin.tasks.create({ leadId: lead.id, note: "Done already", dueOn: day, dueTime: "10:00" });
    await admin.tasks.setDone({ id: done.id, done: true });
    const elsewhere = await bCaller.tasks.create({ leadId: (await makeLead(b.org.id)).id, note: "Another org's", dueOn: day, dueTime: "09:00" });

    const updated = await admin.organization.update({ name: "Tasks Zone", timeZone: LA });
    expect(updated).toMatchObject({ timeZone: LA, tasksMoved: 2 });

    const dueAt = async (id: string) => (await db.task.findUniqueOrThrow({ where: { id }, select: { dueAt: true } })).dueAt.toISOString();
    expect(await dueAt(morning.id)).toBe(taskDueAt(day, "09:00", LA).toISOString());
    expect(hhmm(new Date(await dueAt(morning.id)), LA)).toBe("09:00");
    expect(await dueAt(allDay.id)).toBe(taskDueAt(day, null, LA).toISOString());
    expect(await dueAt(done.id)).toBe(taskDueAt(day, "10:00", LA).toISOString());
    expect(await dueAt(elsewhere.id)).toBe(elsewhere.dueAt.toISOString());
    await expectNextTaskConsistent(lead.id);
    expect((await db.lead.findUniqueOrThrow({ where: { id: lead.id }, select: { nextTaskDueAt: true } })).nextTaskDueAt?.toISOString()).toBe(taskDueAt(day, "09:00", LA).toISOString());
    const [audit] = await db.auditLog.findMany({ where: { organizationId: team.org.id, action: "organization.updated" } });
    expect(audit?.details).toMatchObject({ before: { timeZone: before }, after: { timeZone: LA }, tasksMoved: 2 });

    // Saving the same zone again moves nothing.
    expect(await admin.organization.update({ name: "Tasks Zone 2", timeZone: LA })).toMatchObject({ tasksMoved: 0 });
  });

  raceTest("a task written while the zone changes waits for the change and takes the new zone", async () => {
    const team = await createTeam("Tasks Zone Race");
    const lead = await makeLead(team.org.id);
    const before = (await callerFor(team.admin).organization.get()).timeZone;
    const day = addDays(orgDay(before), 3);
    // A change of zone not yet committed (its transaction holds the organization's row).
    const change = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await change.connect();
    try {
      await change.query("BEGIN");
      await change.query(`UPDATE "Organization" SET "timeZone" = $1 WHERE id = $2`, [LA, team.org.id]);
      let settled = false;
      const creating = callerFor(team.user).tasks.create({ leadId: lead.id, note: "Written meanwhile", dueOn: day, dueTime: "09:00" }).finally(() => (settled = true));
      // A task for another organization is written meanwhile: the wait is this organization's only.
      await bCaller.tasks.create({ leadId: (await makeLead(b.org.id)).id, note: "Not held", dueOn: day, dueTime: "09:00" });
      // The create waits on the organization's row (or, before the fix, finished without waiting).
      const waitingOnARow = async () =>
        (await change.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM "Organization"%'`)).rows[0].n as number;
      for (let tries = 0; tries < 100 && !settled && (await waitingOnARow()) === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toBe(false);
      expect(await waitingOnARow()).toBe(1);
      await change.query("COMMIT");
      const task = await creating;
      expect(task.dueAt.toISOString()).toBe(taskDueAt(day, "09:00", LA).toISOString());
    } finally {
      await change.end();
    }
  });

  raceTest("task writes racing two admins' changes of zone end with every task on the zone saved last", async () => {
    const team = await createTeam("Tasks Zone Admins");
    const leads = await Promise.all(Array.from({ length: 3 }, () => makeLead(team.org.id)));
    const before = (await callerFor(team.admin).organization.get()).timeZone;
    const day = addDays(orgDay(before), 2);
    const existing = await Promise.all(leads.map((lead, i) => callerFor(team.admin).tasks.create({ leadId: lead.id, note: `Before ${i}`, dueOn: day, dueTime: `0${7 + i}:15` })));
    const second = await createMember(team.org.id, "admin");
    await Promise.all([
      callerFor(team.admin).organization.update({ name: "Tasks Zone Admins", timeZone: LA }),
      callerFor(second).organization.update({ name: "Tasks Zone Admins", timeZone: "America/Chicago" }),
      ...leads.map((lead, i) => callerFor(team.user).tasks.create({ leadId: lead.id, note: `Meanwhile ${i}`, dueOn: addDays(day, i), dueTime: i === 2 ? null : "16:45" })),
      ...existing.map((task, i) => callerFor(team.manager).tasks.update({ id: task.id, dueOn: addDays(day, 1), dueTime: `1${i}:30` })),
      callerFor(team.user).tasks.setDone({ id: existing[0]!.id, done: true }),
    ]);
    const zone = (await callerFor(team.admin).organization.get()).timeZone;
    const tasks = await db.task.findMany({ where: { organizationId: team.org.id }, select: { dueOn: true, dueTime: true, dueAt: true } });
    expect(tasks).toHaveLength(6);
    expect(tasks.map((task) => task.dueAt.toISOString())).toEqual(tasks.map((task) => taskDueAt(task.dueOn.toISOString().slice(0, 10), task.dueTime, zone).toISOString()));
    for (const lead of leads) await expectNextTaskConsistent(lead.id);
  });
});
