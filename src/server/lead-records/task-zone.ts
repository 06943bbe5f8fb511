import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { taskDueAt } from "@/lib/task-due";
import { querySql } from "../db";
import { refreshNextTasks } from "./next-task";

type Tx = Prisma.TransactionClient;

/**
 * Every task of the organization re-anchored to a new time zone, in the transaction that changes
 * it, after it has locked the organization's row: a task keeps the day and time of day it was set
 * for, so its instant (dueAt) and its lead's next task follow the zone (before, they kept the old
 * zone's instant: a 9:00 task moved from New York to Los Angeles fell due at 6:00). Task writers
 * read the zone under FOR SHARE (zoneForTaskWrite in tasks/service.ts): none that read the old one
 * is still running, and none starts before this commits. The leads are locked before their tasks,
 * as every task write locks them. The instants are computed once per distinct day and time (as
 * taskDueAt computes a new task's, so both agree next to a DST change), not once per task. Answers
 * how many open tasks moved.
 */
export async function moveTasksToZone(tx: Tx, orgId: string, timeZone: string): Promise<number> {
  const leads = await querySql<{ id: string }>(tx, Prisma.sql`
    SELECT l.id FROM "Lead" l WHERE l.id IN (SELECT t."leadId" FROM "Task" t WHERE t."organizationId" = ${orgId}) ORDER BY l.id FOR NO KEY UPDATE`);
  if (leads.length === 0) return 0;
  const slots = await querySql<{ dueOn: string; dueTime: string | null }>(tx, Prisma.sql`
    SELECT DISTINCT to_char(t."dueOn", 'YYYY-MM-DD') AS "dueOn", t."dueTime" FROM "Task" t WHERE t."organizationId" = ${orgId}`);
  // UTC wall-clock text, as Prisma stores a DateTime ("timestamp(3)", no zone).
  const dueAts = slots.map((slot) => taskDueAt(slot.dueOn, slot.dueTime, timeZone).toISOString().slice(0, 23));
  const [moved] = await querySql<{ open: number }>(tx, Prisma.sql`
    WITH moved AS (
      UPDATE "Task" t SET "dueAt" = m."dueAt"::timestamp(3)
      FROM unnest(${slots.map((slot) => slot.dueOn)}::date[], ${slots.map((slot) => slot.dueTime)}::text[], ${dueAts}::text[]) AS m("dueOn", "dueTime", "dueAt")
      WHERE t."organizationId" = ${orgId} AND t."dueOn" = m."dueOn" AND t."dueTime" IS NOT DISTINCT FROM m."dueTime"
        AND t."dueAt" <> m."dueAt"::timestamp(3)
      RETURNING t."completedAt"
    )
    SELECT (count(*) FILTER (WHERE "completedAt" IS NULL))::int AS open FROM moved`);
  await refreshNextTasks(tx, leads.map((lead) => lead.id));
  return moved!.open;
}
