import "server-only";
import type { LeadStatus } from "@/generated/prisma/enums";
import type { Db } from "../db";
import { notFound } from "../errors";
import { recordActivities } from "./activity";
import { leadScoreData } from "./scoring";

/**
 * A teammate moves a lead to another status (the inbox's quick status change): the same writes as
 * the lead page's edit (leads/service.ts updateLead) — the status, the score recomputed from the
 * row's stored facts, and one "status_changed" timeline entry { from, to } by the actor — in one
 * transaction. The same status again changes nothing and records nothing.
 */
export async function changeLeadStatus(db: Db, input: { orgId: string; leadId: string; actorId: string | null; status: LeadStatus }) {
  const lead = await db.lead.findFirst({ where: { id: input.leadId, organizationId: input.orgId } });
  if (!lead) throw notFound("That lead");
  if (lead.status === input.status) return { leadId: lead.id, status: lead.status, temperature: lead.temperature, score: lead.score };
  const scored = leadScoreData({ ...lead, status: input.status });
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.lead.update({ where: { id: lead.id }, data: { status: input.status, ...scored }, select: { id: true, status: true, temperature: true, score: true } });
    await recordActivities(tx, [{ orgId: input.orgId, leadId: lead.id, actorId: input.actorId, kind: "status_changed", details: { from: lead.status, to: input.status } }]);
    return row;
  });
  return { leadId: updated.id, status: updated.status, temperature: updated.temperature, score: updated.score };
}
