import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { querySql } from "../db";

/**
 * Points each lead at its earliest open task (dueAt, then id), or at none, writing only the leads
 * whose next task changed. Called with the leads locked and their tasks written, in the same
 * transaction; a new statement, so under READ COMMITTED it sees every task committed before the
 * locks were granted.
 */
export async function refreshNextTasks(tx: Prisma.TransactionClient, leadIds: string[]): Promise<void> {
  await querySql(tx, Prisma.sql`
    UPDATE "Lead" l SET "nextTaskId" = next.id, "nextTaskDueAt" = next."dueAt"
    FROM unnest(${leadIds}::text[]) AS x(id)
    LEFT JOIN LATERAL (
      SELECT t.id, t."dueAt" FROM "Task" t WHERE t."leadId" = x.id AND t."completedAt" IS NULL ORDER BY t."dueAt", t.id LIMIT 1
    ) next ON true
    WHERE l.id = x.id AND (l."nextTaskId", l."nextTaskDueAt") IS DISTINCT FROM (next.id, next."dueAt")`);
}
