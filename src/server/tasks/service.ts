import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { nextOrgMidnight, orgDay } from "@/lib/org-day";
import { taskDueAt, taskWhen } from "@/lib/task-due";
import type { ServiceContext } from "../context";
import { querySql, type Db } from "../db";
import { AppError, notFound } from "../errors";
import { recordActivities } from "../lead-records/activity";
import { refreshNextTasks } from "../lead-records/next-task";
import type { createTaskInput, setTaskDoneInput, updateTaskInput } from "./schema";

type Tx = Prisma.TransactionClient;
type Reader = Pick<ServiceContext, "db" | "orgId">;

const personSelect = { select: { id: true, name: true, email: true } } as const;
const taskSelect = {
  id: true,
  leadId: true,
  note: true,
  dueOn: true,
  dueTime: true,
  dueAt: true,
  completedAt: true,
  createdAt: true,
  assignee: personSelect,
  completedBy: personSelect,
} satisfies Prisma.TaskSelect;
type TaskRow = Prisma.TaskGetPayload<{ select: typeof taskSelect }>;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function toOutput(row: TaskRow, today: string, now: Date) {
  const dueOn = isoDay(row.dueOn);
  return { ...row, dueOn, when: taskWhen({ dueOn, dueAt: row.dueAt, completedAt: row.completedAt }, today, now) };
}

/**
 * The organization's time zone for a transaction that writes a task's instant (dueAt), read under
 * FOR SHARE before the lead is locked: a change of zone (lead-records/task-zone.ts, in the transaction
 * that makes it) either waits for this transaction or is waited for, and then read, so no task is
 * written with the zone it replaced. The zone change locks the organization, then the leads.
 */
async function zoneForTaskWrite(tx: Tx, orgId: string): Promise<string> {
  const [org] = await querySql<{ timeZone: string }>(tx, Prisma.sql`SELECT "timeZone" FROM "Organization" WHERE id = ${orgId} FOR SHARE`);
  if (!org) throw notFound("That organization");
  return org.timeZone;
}

async function orgTimeZone(db: Db | Tx, orgId: string): Promise<string> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { timeZone: true } });
  if (!org) throw notFound("That organization");
  return org.timeZone;
}

/**
 * Locks the lead's row for the rest of the transaction (FOR NO KEY UPDATE: a task insert's foreign
 * key check, FOR KEY SHARE, still passes), so two transactions changing tasks of one lead take
 * turns, and the second recomputes the next task seeing what the first committed.
 */
async function lockLead(tx: Tx, orgId: string, leadId: string): Promise<void> {
  const rows = await querySql<{ id: string }>(tx, Prisma.sql`SELECT id FROM "Lead" WHERE id = ${leadId} AND "organizationId" = ${orgId} FOR NO KEY UPDATE`);
  if (rows.length === 0) throw notFound("That lead");
}

async function assertAssignable(db: Db | Tx, orgId: string, userId: string) {
  const member = await db.membership.findFirst({ where: { organizationId: orgId, userId, deactivatedAt: null }, select: { id: true } });
  if (!member) throw new AppError("BAD_REQUEST", "Tasks can only be assigned to an active member of your organization.");
}

/** A lead's tasks: open ones by due time, then the done ones, latest first. */
export async function leadTasks(ctx: Reader, leadId: string) {
  const lead = await ctx.db.lead.findFirst({ where: { id: leadId, organizationId: ctx.orgId }, select: { id: true, organization: { select: { timeZone: true } } } });
  if (!lead) throw notFound("That lead");
  const { timeZone } = lead.organization;
  const [open, done] = await Promise.all([
    ctx.db.task.findMany({ where: { organizationId: ctx.orgId, leadId, completedAt: null }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: 200, select: taskSelect }),
    ctx.db.task.findMany({ where: { organizationId: ctx.orgId, leadId, completedAt: { not: null } }, orderBy: [{ completedAt: "desc" }, { id: "desc" }], take: 50, select: taskSelect }),
  ]);
  const now = new Date();
  const today = orgDay(timeZone, now);
  return { today, timeZone, tasks: [...open, ...done].map((row) => toOutput(row, today, now)) };
}

async function readTask(db: Db | Tx, orgId: string, id: string) {
  const task = await db.task.findFirst({ where: { id, organizationId: orgId }, select: { ...taskSelect, organization: { select: { timeZone: true } } } });
  if (!task) throw notFound("That task");
  return task;
}

async function outputOf(db: Db, orgId: string, id: string) {
  const { organization, ...task } = await readTask(db, orgId, id);
  const now = new Date();
  return toOutput(task, orgDay(organization.timeZone, now), now);
}

export async function createTask(ctx: ServiceContext, input: z.output<typeof createTaskInput>) {
  const assigneeId = input.assigneeId === undefined ? ctx.userId : input.assigneeId;
  if (assigneeId) await assertAssignable(ctx.db, ctx.orgId, assigneeId);
  const dueTime = input.dueTime ?? null;
  const id = await ctx.db.$transaction(async (tx) => {
    const timeZone = await zoneForTaskWrite(tx, ctx.orgId);
    await lockLead(tx, ctx.orgId, input.leadId);
    const task = await tx.task.create({
      data: {
        organizationId: ctx.orgId,
        leadId: input.leadId,
        note: input.note,
        dueOn: new Date(`${input.dueOn}T00:00:00Z`),
        dueTime,
        dueAt: taskDueAt(input.dueOn, dueTime, timeZone),
        assigneeId,
        createdById: ctx.userId,
      },
      select: { id: true },
    });
    await refreshNextTasks(tx, [input.leadId]);
    await recordActivities(tx, [
      { orgId: ctx.orgId, leadId: input.leadId, actorId: ctx.userId, kind: "task_created", details: { taskId: task.id, note: input.note.slice(0, 200), dueOn: input.dueOn, dueTime, assigneeId } },
    ]);
    return task.id;
  });
  return outputOf(ctx.db, ctx.orgId, id);
}

export async function updateTask(ctx: ServiceContext, input: z.output<typeof updateTaskInput>) {
  const existing = await readTask(ctx.db, ctx.orgId, input.id);
  if (input.assigneeId) await assertAssignable(ctx.db, ctx.orgId, input.assigneeId);
  const dueOn = input.dueOn ?? isoDay(existing.dueOn);
  const dueTime = input.dueTime === undefined ? existing.dueTime : input.dueTime;
  await ctx.db.$transaction(async (tx) => {
    const timeZone = await zoneForTaskWrite(tx, ctx.orgId);
    await lockLead(tx, ctx.orgId, existing.leadId);
    // The task may have been deleted while we waited for the lock.
    const changed = await tx.task.updateMany({
      where: { id: existing.id, organizationId: ctx.orgId },
      data: {
        note: input.note,
        dueOn: new Date(`${dueOn}T00:00:00Z`),
        dueTime,
        dueAt: taskDueAt(dueOn, dueTime, timeZone),
        assigneeId: input.assigneeId,
      },
    });
    if (changed.count === 0) throw notFound("That task");
    await refreshNextTasks(tx, [existing.leadId]);
  });
  return outputOf(ctx.db, ctx.orgId, existing.id);
}

export async function setTaskDone(ctx: ServiceContext, input: z.output<typeof setTaskDoneInput>) {
  const existing = await readTask(ctx.db, ctx.orgId, input.id);
  await ctx.db.$transaction(async (tx) => {
    await lockLead(tx, ctx.orgId, existing.leadId);
    const changed = await tx.task.updateMany({
      where: { id: existing.id, organizationId: ctx.orgId, completedAt: input.done ? null : { not: null } },
      data: input.done ? { completedAt: new Date(), completedById: ctx.userId } : { completedAt: null, completedById: null },
    });
    if (changed.count === 0) {
      // Already as asked (a double click, a teammate first) — or gone.
      if ((await tx.task.count({ where: { id: existing.id, organizationId: ctx.orgId } })) === 0) throw notFound("That task");
      return;
    }
    await refreshNextTasks(tx, [existing.leadId]);
    await recordActivities(tx, [
      { orgId: ctx.orgId, leadId: existing.leadId, actorId: ctx.userId, kind: input.done ? "task_completed" : "task_reopened", details: { taskId: existing.id, note: existing.note.slice(0, 200) } },
    ]);
  });
  return outputOf(ctx.db, ctx.orgId, existing.id);
}

export async function deleteTask(ctx: ServiceContext, id: string) {
  const existing = await readTask(ctx.db, ctx.orgId, id);
  await ctx.db.$transaction(async (tx) => {
    await lockLead(tx, ctx.orgId, existing.leadId);
    await tx.task.deleteMany({ where: { id: existing.id, organizationId: ctx.orgId } });
    await refreshNextTasks(tx, [existing.leadId]);
  });
  return { ok: true as const };
}

/** Bounds of the caller's "today" and "overdue": now, and the organization's next midnight. */
function dayBounds(timeZone: string, now: Date) {
  return { today: orgDay(timeZone, now), endOfToday: nextOrgMidnight(timeZone, now) };
}

const MY_TASKS_LIMIT = 50;

/**
 * The caller's open tasks that are overdue (due before now) or due later today (before the
 * organization's next midnight), on leads that are not archived. Two range scans of
 * Task(organizationId, assigneeId, completedAt, dueAt).
 */
export async function myTasks(ctx: Pick<ServiceContext, "db" | "orgId" | "userId">) {
  const timeZone = await orgTimeZone(ctx.db, ctx.orgId);
  const now = new Date();
  const { today, endOfToday } = dayBounds(timeZone, now);
  const base = { organizationId: ctx.orgId, assigneeId: ctx.userId, completedAt: null, lead: { archivedAt: null } } satisfies Prisma.TaskWhereInput;
  const select = { ...taskSelect, lead: { select: { id: true, addressLine1: true, city: true, state: true } } } satisfies Prisma.TaskSelect;
  const [overdue, dueToday, counts] = await Promise.all([
    ctx.db.task.findMany({ where: { ...base, dueAt: { lt: now } }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: MY_TASKS_LIMIT, select }),
    ctx.db.task.findMany({ where: { ...base, dueAt: { gte: now, lt: endOfToday } }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: MY_TASKS_LIMIT, select }),
    countMine(ctx.db, ctx.orgId, ctx.userId, now, endOfToday),
  ]);
  const out = (row: (typeof overdue)[number]) => ({ ...toOutput(row, today, now), lead: row.lead });
  return { today, timeZone, overdue: overdue.map(out), dueToday: dueToday.map(out), overdueTotal: counts.overdue, dueTodayTotal: counts.dueToday };
}

async function countMine(db: Db, orgId: string, userId: string, now: Date, endOfToday: Date) {
  const [row] = await querySql<{ overdue: number; dueToday: number }>(db, Prisma.sql`
    SELECT (count(*) FILTER (WHERE t."dueAt" < ${now}))::int AS overdue, (count(*) FILTER (WHERE t."dueAt" >= ${now}))::int AS "dueToday"
    FROM "Task" t JOIN "Lead" l ON l.id = t."leadId"
    WHERE t."organizationId" = ${orgId} AND t."assigneeId" = ${userId} AND t."completedAt" IS NULL AND t."dueAt" < ${endOfToday} AND l."archivedAt" IS NULL`);
  return row ?? { overdue: 0, dueToday: 0 };
}

/** The nav badge: how many of the caller's open tasks are overdue or due today. */
export async function myTaskCount(ctx: Pick<ServiceContext, "db" | "orgId" | "userId">) {
  const timeZone = await orgTimeZone(ctx.db, ctx.orgId);
  const now = new Date();
  return countMine(ctx.db, ctx.orgId, ctx.userId, now, dayBounds(timeZone, now).endOfToday);
}
