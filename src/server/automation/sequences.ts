import "server-only";
import { OPTED_OUT_OUTCOMES, sequenceStepsSchema, stepSendAt, type SequenceStep } from "@/lib/automation";
import { Prisma } from "@/generated/prisma/client";
import type { LeadStatus } from "@/generated/prisma/enums";
import { querySql, type Db } from "../db";
import { newId } from "../ids";
import { log } from "../log";
import { brandOf, RECIPIENT_LEAD_SELECT, recipientZone, renderFor, type RecipientLead } from "./recipients";

/**
 * Follow-up sequences (issue 12 item 6): the design.
 *
 * Every step is a CampaignRecipient row with step >= 1 of a campaign, sent by the campaign
 * dispatcher (campaigns/dispatcher.ts) like any campaign text: claimed FOR UPDATE SKIP LOCKED,
 * paced by the organization's send clock, decided by the compliance engine right before the send
 * (quiet hours in the recipient's zone, the frequency cap, opt-outs, DNC, the kill switch), its
 * message row tied to the claim, crashed claims recovered, the daily cap halting the campaign.
 * The row's `notBefore` is the step's send time, so the dispatcher holds it until then.
 *
 * A sequence is attached to a campaign (its recipients enter once their first message, step 0, is
 * sent: `SequenceEnrollment.campaignId` is that campaign), or started on a selection of leads (a
 * campaign of its own is created, running, with no step-0 rows: "<name> (follow-up)"). One
 * enrollment per (sequence, campaign, phone) holds where the phone is: `step` is the last step
 * whose row exists, `lastSentAt` when the text before it went out.
 *
 * The `sequence-sweep` job (every minute, runSequenceSweep) moves enrollments on:
 *   enter   — step-0 rows of an attached campaign that were sent and have no enrollment get one
 *             (already exited when the phone replied, opted out, or the lead is in an exit status);
 *   advance — an active enrollment whose last step row is final: sent → the next step's row is
 *             written (pending, notBefore = stepSendAt: delayDays after the last text, at the
 *             step's local time in the recipient's zone as compliance/ places them, body rendered
 *             for the lead), or completed after the last step; skipped / failed / cancelled →
 *             exited with the reason (a compliance block of a step is recorded on the campaign
 *             recipient and ends the sequence for that phone).
 *   The enrollment's step moves in the statement guarded by (status active, step as read), in the
 *   transaction that inserts the row, so two sweeps never write a step twice, and an exit that
 *   won the enrollment's row lock leaves no step behind.
 *
 * Exits: a reply (any inbound text; an opt-out records "opted_out") exits the phone's active
 * enrollments and excludes their waiting step rows (exitSequencesOnInbound, a step of the inbound
 * follow-up job); a lead moved to one of the sequence's exit statuses is exited by a trigger on
 * "Lead" (migration 20261129235500_automation), whatever path moved it. Both exit first and
 * exclude in a second statement, which sees a step row a concurrent sweep committed. A step
 * already claimed by the dispatcher when the reply lands is not recalled; its send still passes
 * the compliance decision, so an opt-out is never texted.
 *
 * A campaign with an active enrollment is not completed by the dispatcher (completeIfDone); a
 * completed campaign that gets a new step row (a recipient entered after the last send) runs again.
 * The campaign-sweep schedule starts the dispatcher when a step comes due.
 */

/** At most this many enrollments are entered or advanced per sweep (the next sweep takes the rest). */
const SWEEP_BATCH = 500;

export type SweepResult = { entered: number; advanced: number; completed: number; exited: number; campaignIds: string[] };

type Candidate = { sequenceId: string; organizationId: string; campaignId: string; phone: string; leadId: string | null; sentAt: Date; exitStatuses: LeadStatus[] };

/** The exit a phone starting a sequence already has: it replied since `since`, opted out, or its lead is in an exit status. */
async function exitOnEntry(db: Db, c: { organizationId: string; phone: string; leadId: string | null; exitStatuses: LeadStatus[] }, since: Date): Promise<string | null> {
  const [facts] = await querySql<{ replied: boolean; suppressed: boolean; status: LeadStatus | null }>(
    db,
    Prisma.sql`SELECT
        EXISTS (SELECT 1 FROM "Message" m JOIN "Conversation" t ON t."id" = m."conversationId"
                WHERE t."organizationId" = ${c.organizationId} AND t."phone" = ${c.phone} AND m."direction" = 'inbound' AND m."createdAt" > ${since}) AS "replied",
        EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = ${c.organizationId} AND s."phone" = ${c.phone} AND s."liftedAt" IS NULL
                AND (s."leadId" IS NULL OR s."leadId" = ${c.leadId})) AS "suppressed",
        (SELECT l."status"::text FROM "Lead" l WHERE l."id" = ${c.leadId} AND l."organizationId" = ${c.organizationId}) AS "status"`,
  );
  if (facts?.suppressed) return "opted_out";
  if (facts?.replied) return "replied";
  if (facts?.status && c.exitStatuses.includes(facts.status)) return `status_${facts.status}`;
  return null;
}

async function enterAttached(db: Db): Promise<number> {
  const candidates = await querySql<Candidate>(
    db,
    Prisma.sql`SELECT s."id" AS "sequenceId", s."organizationId", s."campaignId", r."phone", r."leadId", m."createdAt" AS "sentAt", s."exitStatuses"::text[] AS "exitStatuses"
      FROM "Sequence" s
      JOIN "Campaign" k ON k."id" = s."campaignId" AND k."organizationId" = s."organizationId" AND k."status" NOT IN ('draft', 'cancelled')
      JOIN "CampaignRecipient" r ON r."campaignId" = s."campaignId" AND r."step" = 0 AND r."status" = 'sent' AND r."phone" IS NOT NULL
      JOIN "Message" m ON m."id" = r."messageId"
      WHERE s."enabled" AND s."campaignId" IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM "SequenceEnrollment" e WHERE e."sequenceId" = s."id" AND e."campaignId" = s."campaignId" AND e."phone" = r."phone")
      LIMIT ${SWEEP_BATCH}`,
  );
  let entered = 0;
  for (const c of candidates) {
    const exit = await exitOnEntry(db, c, c.sentAt);
    const rows = await db.$executeRaw`
      INSERT INTO "SequenceEnrollment" ("id", "organizationId", "sequenceId", "campaignId", "leadId", "phone", "status", "step", "lastSentAt", "exitReason", "exitedAt", "createdAt", "updatedAt")
      VALUES (${newId()}, ${c.organizationId}, ${c.sequenceId}, ${c.campaignId}, ${c.leadId}, ${c.phone}, ${exit ? "exited" : "active"}::"SequenceEnrollmentStatus", 0, ${c.sentAt}, ${exit}, ${exit ? new Date() : null}, now(), now())
      ON CONFLICT ("sequenceId", "campaignId", "phone") DO NOTHING`;
    entered += rows;
  }
  return entered;
}

type Advanceable = {
  id: string;
  organizationId: string;
  sequenceId: string;
  campaignId: string;
  leadId: string | null;
  phone: string;
  step: number;
  lastSentAt: Date;
  createdAt: Date;
  steps: unknown;
  exitStatuses: LeadStatus[];
  rowStatus: string | null;
  rowReason: string | null;
  rowSentAt: Date | null;
};

/** The exit reason of a step row that ended without a send. */
function exitForRow(status: string, reason: string | null): string {
  if (status === "skipped" && reason === "suppressed") return "opted_out";
  if (status === "skipped") return `blocked_${reason ?? "unknown"}`;
  if (status === "excluded") return reason === "sequence_exit" ? "excluded" : `blocked_${reason ?? "excluded"}`;
  return status; // failed | cancelled
}

async function advance(db: Db, result: SweepResult, campaignIds: Set<string>): Promise<void> {
  const rows = await querySql<Advanceable>(
    db,
    Prisma.sql`SELECT e."id", e."organizationId", e."sequenceId", e."campaignId", e."leadId", e."phone", e."step", e."lastSentAt", e."createdAt", s."steps", s."exitStatuses"::text[] AS "exitStatuses",
        r."status"::text AS "rowStatus", r."reason" AS "rowReason", m."createdAt" AS "rowSentAt"
      FROM "SequenceEnrollment" e
      JOIN "Sequence" s ON s."id" = e."sequenceId"
      LEFT JOIN "CampaignRecipient" r ON e."step" >= 1 AND r."campaignId" = e."campaignId" AND r."step" = e."step" AND r."phone" = e."phone"
      LEFT JOIN "Message" m ON m."id" = r."messageId"
      WHERE e."status" = 'active' AND (e."step" = 0 OR r."status" IN ('sent', 'skipped', 'failed', 'excluded', 'cancelled'))
      ORDER BY e."updatedAt"
      LIMIT ${SWEEP_BATCH}`,
  );
  const brands = new Map<string, string>();
  const zones = new Map<string, string>();
  for (const e of rows) {
    const guard = { id: e.id, status: "active" as const, step: e.step };
    if (e.step >= 1 && e.rowStatus !== "sent") {
      result.exited += (await db.sequenceEnrollment.updateMany({ where: guard, data: { status: "exited", exitReason: exitForRow(e.rowStatus!, e.rowReason), exitedAt: new Date() } })).count;
      continue;
    }
    const parsed = sequenceStepsSchema.safeParse(e.steps);
    const steps: SequenceStep[] = parsed.success ? parsed.data : [];
    const previousAt = e.step === 0 ? e.lastSentAt : (e.rowSentAt ?? new Date());
    if (e.step >= steps.length) {
      result.completed += (await db.sequenceEnrollment.updateMany({ where: guard, data: { status: "completed", completedAt: new Date(), lastSentAt: previousAt } })).count;
      continue;
    }
    const exit = await exitOnEntry(db, e, e.createdAt);
    if (exit) {
      result.exited += (await db.sequenceEnrollment.updateMany({ where: guard, data: { status: "exited", exitReason: exit, exitedAt: new Date() } })).count;
      continue;
    }
    const next = steps[e.step]!;
    const lead: RecipientLead | null = e.leadId ? await db.lead.findFirst({ where: { id: e.leadId, organizationId: e.organizationId }, select: RECIPIENT_LEAD_SELECT }) : null;
    if (!brands.has(e.organizationId)) brands.set(e.organizationId, await brandOf(db, e.organizationId));
    if (!zones.has(e.organizationId)) {
      const org = await db.organization.findUniqueOrThrow({ where: { id: e.organizationId }, select: { timeZone: true } });
      zones.set(e.organizationId, org.timeZone);
    }
    const zone = recipientZone(e.phone, lead, zones.get(e.organizationId)!);
    const notBefore = stepSendAt(next, previousAt, zone, new Date());
    const body = renderFor(next.template, lead, brands.get(e.organizationId)!);
    const wrote = await db.$transaction(async (tx) => {
      const moved = await tx.sequenceEnrollment.updateMany({ where: guard, data: { step: e.step + 1, lastSentAt: previousAt } });
      if (moved.count === 0) return false;
      await tx.$executeRaw`
        INSERT INTO "CampaignRecipient" ("id", "organizationId", "campaignId", "step", "leadId", "phone", "body", "status", "notBefore", "createdAt", "updatedAt")
        VALUES (${newId()}, ${e.organizationId}, ${e.campaignId}, ${e.step + 1}, ${e.leadId}, ${e.phone}, ${body}, 'pending', ${notBefore}, now(), now())
        ON CONFLICT ("campaignId", "step", "phone") DO NOTHING`;
      // A campaign completed before this recipient entered runs again for its follow-ups.
      await tx.$executeRaw`UPDATE "Campaign" SET "status" = 'running', "completedAt" = NULL, "updatedAt" = now() WHERE "id" = ${e.campaignId} AND "status" = 'completed'`;
      return true;
    });
    if (wrote) {
      result.advanced++;
      campaignIds.add(e.campaignId);
    }
  }
}

/** The sequence-sweep job: see the module comment. Returns what it did and the campaigns that got step rows. */
export async function runSequenceSweep(db: Db): Promise<SweepResult> {
  const result: SweepResult = { entered: 0, advanced: 0, completed: 0, exited: 0, campaignIds: [] };
  const campaignIds = new Set<string>();
  result.entered = await enterAttached(db);
  await advance(db, result, campaignIds);
  result.campaignIds = [...campaignIds];
  if (result.entered || result.advanced || result.exited) log.info({ ...result, campaignIds: undefined }, "sequence sweep");
  return result;
}

/**
 * A step of the inbound follow-up job: the number's active enrollments (entered before this text)
 * leave their sequences — "opted_out" when the text opted out (or the number is suppressed, or it
 * reads as an opt-out or a wrong number), "replied" otherwise — and their waiting steps are
 * excluded (a second statement: see the module comment). Idempotent.
 */
export async function exitSequencesOnInbound(db: Db, inboundMessageId: string): Promise<void> {
  const [m] = await querySql<{ organizationId: string; phone: string; direction: string; replyOutcome: string | null; replyIntent: string | null; createdAt: Date; leadId: string | null; suppressed: boolean }>(
    db,
    Prisma.sql`SELECT m."organizationId", c."phone", m."direction"::text AS "direction", m."replyOutcome", m."replyIntent", m."createdAt", c."leadId",
        EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = m."organizationId" AND s."phone" = c."phone" AND s."liftedAt" IS NULL) AS "suppressed"
      FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId" AND c."organizationId" = m."organizationId" WHERE m."id" = ${inboundMessageId}`,
  );
  if (!m || m.direction !== "inbound") return;
  const optedOut = m.suppressed || (m.replyOutcome !== null && OPTED_OUT_OUTCOMES.has(m.replyOutcome)) || m.replyIntent === "opt_out" || m.replyIntent === "wrong_number";
  const reason = optedOut ? "opted_out" : "replied";
  await db.$executeRaw`
    UPDATE "SequenceEnrollment" SET "status" = 'exited', "exitReason" = ${reason}, "exitedAt" = now(), "updatedAt" = now()
    WHERE "organizationId" = ${m.organizationId} AND "phone" = ${m.phone} AND "status" = 'active' AND "createdAt" <= ${m.createdAt}`;
  await excludeWaitingSteps(db, m.organizationId, m.phone, optedOut ? "Left the follow-up sequence: the number opted out." : "Left the follow-up sequence: the recipient replied.");
}

/** Waiting follow-up steps of a phone's exited enrollments are excluded (never sent). */
async function excludeWaitingSteps(db: Db, orgId: string, phone: string, message: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "CampaignRecipient" r SET "status" = 'excluded', "reason" = 'sequence_exit', "reasonMessage" = ${message}, "updatedAt" = now()
    FROM "SequenceEnrollment" e
    WHERE e."organizationId" = ${orgId} AND e."phone" = ${phone} AND e."status" = 'exited'
      AND r."campaignId" = e."campaignId" AND r."phone" = e."phone" AND r."step" >= 1 AND r."status" = 'pending'`;
}
