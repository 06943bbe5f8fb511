import "server-only";
import { classifyReplyIntent, DEFAULT_REPLY_INTENT_RULES, REPLY_INTENTS, type ReplyIntent } from "@/lib/reply-intent";
import { matchRules, type MatchResult } from "@/lib/automation";
import type { LeadStatus } from "@/generated/prisma/enums";
import { Prisma } from "@/generated/prisma/client";
import { lockUntilCommit, querySql, type Db } from "../db";
import { isAppError } from "../errors";
import { log } from "../log";
import { recordActivities } from "../lead-records/activity";
import { leadScoreData } from "../lead-records/scoring";
import { SendGuardRefused, sendSms } from "../messaging/send";
import { billingOfFailure } from "../providers/billing";
import { smsSender } from "../providers/registry";
import { isSmsSendError, type SmsSender } from "../providers/sms-sender";
import { brandOf, RECIPIENT_LEAD_SELECT, renderFor } from "./recipients";

/**
 * Auto-responders (issue 12 item 5), a step of the inbound follow-up job (inbox/inbound-followup.ts),
 * after the reply intent is read and sequence exits are made.
 *
 * For one inbound text: the organization's enabled rules are matched (lib/automation matchRules:
 * first rule in position order whose intent or phrase matches, on its campaign's threads or any
 * thread; nothing after an opt-out — a text that opted out, or a suppressed number). The rule then
 * fires at most once per thread in 24 h, a guarantee under concurrency and job retries:
 *   1. claim — in one transaction holding an advisory lock on (rule, thread): a firing row unique
 *      per (rule, inbound message) is written, "throttled" when the rule fired in the thread within
 *      24 h, else "claimed" (a reply to send) or "applied" (actions only). The rule's actions (set
 *      status, assign, tag) are applied in that same transaction, so exactly once.
 *   2. send  — a claimed firing's reply goes through the one send path (messaging/send.ts) as an
 *      `auto_reply`: the compliance decision is made and recorded there; the send's guard ties the
 *      message row to the firing in the statement that writes it (only while the firing is claimed
 *      and has no message), so a retry or a second worker never sends twice.
 *   3. record — sent, or blocked / deferred with the decision's reason and sentence (never retried:
 *      an auto-reply is not held for later), or failed with the sender's error.
 * A job retry finds the firing of its message and only resumes a claimed firing with no message.
 * A webhook redelivery records no message and queues no job (messaging/webhooks.ts), so nothing fires.
 */

type InboundRow = {
  id: string;
  organizationId: string;
  body: string;
  direction: string;
  replyOutcome: string | null;
  replyIntent: string | null;
  conversationId: string;
  phone: string;
  leadId: string | null;
  lastCampaignId: string | null;
  suppressed: boolean;
};

/** The inbound message with its thread and whether its number is suppressed (org-wide, or for the thread's lead). */
export async function loadInbound(db: Db, inboundMessageId: string): Promise<InboundRow | null> {
  const [row] = await querySql<InboundRow>(
    db,
    Prisma.sql`SELECT m."id", m."organizationId", m."body", m."direction"::text AS "direction", m."replyOutcome", m."replyIntent", m."conversationId",
        c."phone", c."leadId", c."lastCampaignId",
        EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = m."organizationId" AND s."phone" = c."phone" AND s."liftedAt" IS NULL
                  AND (s."leadId" IS NULL OR s."leadId" = c."leadId")) AS "suppressed"
      FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId" AND c."organizationId" = m."organizationId"
      WHERE m."id" = ${inboundMessageId}`,
  );
  return row ?? null;
}

/** The message's intent: the one the intent step stored, else read now with LeadFlow's default rules. */
export function intentOf(row: Pick<InboundRow, "body" | "replyIntent">): ReplyIntent {
  if (row.replyIntent && (REPLY_INTENTS as readonly string[]).includes(row.replyIntent)) return row.replyIntent as ReplyIntent;
  return classifyReplyIntent(row.body, DEFAULT_REPLY_INTENT_RULES).intent;
}

type RuleRow = {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  intents: string[];
  phrases: string[];
  campaignId: string | null;
  replyTemplate: string | null;
  setStatus: LeadStatus | null;
  assignUserId: string | null;
  tagId: string | null;
};

const RULE_SELECT = { id: true, name: true, enabled: true, position: true, intents: true, phrases: true, campaignId: true, replyTemplate: true, setStatus: true, assignUserId: true, tagId: true } as const;

export async function matchInbound(db: Db, row: InboundRow, rules?: RuleRow[]): Promise<{ rules: RuleRow[]; result: MatchResult; intent: ReplyIntent }> {
  const all = rules ?? (await db.autoResponderRule.findMany({ where: { organizationId: row.organizationId, enabled: true }, select: RULE_SELECT, orderBy: [{ position: "asc" }, { id: "asc" }] }));
  const intent = intentOf(row);
  const result = matchRules(all, { body: row.body, intent, replyOutcome: row.replyOutcome, suppressed: row.suppressed, threadCampaignId: row.lastCampaignId });
  return { rules: all, result, intent };
}

type Firing = { id: string; status: string; messageId: string | null; fresh: boolean };

/** Step 1 of the module comment: the firing row and the rule's actions, once. */
async function claimFiring(db: Db, row: InboundRow, rule: RuleRow, matchReason: string): Promise<Firing> {
  return db.$transaction(async (tx) => {
    await lockUntilCommit(tx, `auto-responder:${rule.id}:${row.conversationId}`);
    const existing = await tx.autoResponderFiring.findUnique({ where: { ruleId_inboundMessageId: { ruleId: rule.id, inboundMessageId: row.id } }, select: { id: true, status: true, messageId: true } });
    if (existing) return { ...existing, fresh: false };
    const [recent] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "AutoResponderFiring" WHERE "ruleId" = ${rule.id} AND "conversationId" = ${row.conversationId}
        AND "status" IN ('claimed', 'sent', 'applied') AND "createdAt" > now() - interval '24 hours' LIMIT 1`;
    const status = recent ? "throttled" : rule.replyTemplate ? "claimed" : "applied";
    const actions = recent ? null : await applyActions(tx, row, rule);
    const firing = await tx.autoResponderFiring.create({
      data: {
        organizationId: row.organizationId,
        ruleId: rule.id,
        conversationId: row.conversationId,
        inboundMessageId: row.id,
        status,
        matchReason,
        ...(recent ? { reason: "once_per_24h", reasonMessage: "This rule already fired in this thread in the last 24 hours." } : {}),
        ...(actions ? { actions } : {}),
      },
      select: { id: true, status: true, messageId: true },
    });
    return { ...firing, fresh: true };
  });
}

/** Sets the lead's status, assigns the lead and its thread, tags the lead: what the rule says, recorded on the lead's timeline. */
async function applyActions(tx: Prisma.TransactionClient, row: InboundRow, rule: RuleRow): Promise<Prisma.InputJsonObject | null> {
  const done: Record<string, string> = {};
  const orgId = row.organizationId;
  const lead = row.leadId ? await tx.lead.findFirst({ where: { id: row.leadId, organizationId: orgId } }) : null;
  const details = { reason: "auto_responder", ruleId: rule.id, ruleName: rule.name, messageId: row.id };
  if (lead && rule.setStatus && lead.status !== rule.setStatus) {
    const { count } = await tx.lead.updateMany({ where: { id: lead.id, organizationId: orgId, status: lead.status }, data: { status: rule.setStatus, ...leadScoreData({ ...lead, status: rule.setStatus }) } });
    if (count === 1) {
      done.status = rule.setStatus;
      await recordActivities(tx, [{ orgId, leadId: lead.id, actorId: null, kind: "status_changed", details: { from: lead.status, to: rule.setStatus, ...details } }]);
    }
  }
  if (rule.assignUserId) {
    const member = await tx.membership.findFirst({ where: { organizationId: orgId, userId: rule.assignUserId }, select: { userId: true } });
    if (member) {
      await tx.conversation.updateMany({ where: { id: row.conversationId, organizationId: orgId }, data: { assignedUserId: member.userId } });
      if (lead && lead.assigneeId !== member.userId) {
        await tx.lead.updateMany({ where: { id: lead.id, organizationId: orgId }, data: { assigneeId: member.userId } });
        await recordActivities(tx, [{ orgId, leadId: lead.id, actorId: null, kind: "assigned", details: { from: lead.assigneeId, to: member.userId, ...details } }]);
      }
      done.assignedUserId = member.userId;
    }
  }
  if (lead && rule.tagId) {
    const tag = await tx.tag.findFirst({ where: { id: rule.tagId, organizationId: orgId }, select: { id: true, name: true } });
    if (tag) {
      const inserted = await tx.$executeRaw`INSERT INTO "LeadTag" ("leadId", "tagId", "organizationId", "createdAt") VALUES (${lead.id}, ${tag.id}, ${orgId}, now()) ON CONFLICT DO NOTHING`;
      if (inserted > 0) await recordActivities(tx, [{ orgId, leadId: lead.id, actorId: null, kind: "tagged", details: { tagId: tag.id, tag: tag.name, ...details } }]);
      done.tagId = tag.id;
    }
  }
  return Object.keys(done).length ? done : null;
}

/** Step 2 and 3 of the module comment for a claimed firing. */
async function sendReply(db: Db, row: InboundRow, rule: RuleRow, firing: Firing, sender: SmsSender): Promise<void> {
  const lead = row.leadId ? await db.lead.findFirst({ where: { id: row.leadId, organizationId: row.organizationId }, select: RECIPIENT_LEAD_SELECT }) : null;
  const body = renderFor(rule.replyTemplate!, lead, await brandOf(db, row.organizationId));
  const record = (data: { status: "sent" | "blocked" | "deferred" | "failed" | "applied"; reason?: string | null; reasonMessage?: string | null; decisionId?: string | null }) =>
    db.autoResponderFiring.updateMany({ where: { id: firing.id, status: "claimed" }, data });
  if (!body) {
    await record({ status: "applied", reason: "empty_reply", reasonMessage: "The reply template rendered to nothing; no text was sent." });
    return;
  }
  try {
    await sendSms(
      { db, orgId: row.organizationId, userId: null, requestId: `auto-responder:${firing.id}` },
      { phone: row.phone, leadId: row.leadId, body, kind: "auto_reply" },
      sender,
      {
        guard: ({ messageId }) =>
          Prisma.sql`UPDATE "AutoResponderFiring" SET "messageId" = ${messageId}, "updatedAt" = now() WHERE "id" = ${firing.id} AND "status" = 'claimed' AND "messageId" IS NULL RETURNING 1`,
      },
    );
    await record({ status: "sent" });
  } catch (error) {
    if (error instanceof SendGuardRefused) return;
    if (isSmsSendError(error)) {
      // Possibly taken by Twilio: its status callbacks tell; never sent again either way.
      const possibly = billingOfFailure(error).possiblyBilled;
      await record({ status: possibly ? "sent" : "failed", reason: String(error.smsError.code ?? error.appCode), reasonMessage: error.message });
      return;
    }
    if (isAppError(error)) {
      const reason = typeof error.details?.reason === "string" ? error.details.reason : error.appCode === "CAP_EXCEEDED" ? "daily_cap" : error.appCode.toLowerCase();
      const decisionId = typeof error.details?.decisionId === "string" ? error.details.decisionId : null;
      const deferred = reason === "quiet_hours" || reason === "frequency_cap";
      await record({ status: deferred ? "deferred" : "blocked", reason, reasonMessage: deferred ? `${error.message} An automatic reply is not held for later: it was not sent.` : error.message, decisionId });
      return;
    }
    throw error; // the database or a bug: the job is retried and resumes this claimed firing
  }
}

/** The follow-up step: see the module comment. Idempotent. */
export async function runAutoResponders(db: Db, inboundMessageId: string, sender: SmsSender = smsSender()): Promise<void> {
  const row = await loadInbound(db, inboundMessageId);
  if (!row || row.direction !== "inbound") return;
  const { rules, result } = await matchInbound(db, row);
  if (!result.match) return;
  const rule = rules.find((r) => r.id === result.match!.ruleId)!;
  const firing = await claimFiring(db, row, rule, result.match.reason);
  if (firing.status !== "claimed" || firing.messageId) return;
  try {
    await sendReply(db, row, rule, firing, sender);
  } catch (error) {
    log.error({ err: error, inboundMessageId, ruleId: rule.id, firingId: firing.id }, "auto-reply failed; the job retries it");
    throw error;
  }
}
