import "server-only";
import { classifyInboundSms } from "@/lib/sms-replies";
import { classifyReplyIntent, REPLY_INTENT_LABELS, statusForReplyIntent, type ReplyIntentResult } from "@/lib/reply-intent";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { recordActivities } from "../lead-records/activity";
import { leadScoreData } from "../lead-records/scoring";
import { REPLY_INTENT_SETTINGS_SELECT, replyIntentConfigFrom } from "../messaging/reply-intent-config";
import { SMS_REPLY_SETTINGS_SELECT, smsReplyConfigFrom } from "../messaging/reply-config";

type Tx = Prisma.TransactionClient;

type LockedMessage = {
  id: string;
  organizationId: string;
  body: string;
  direction: string;
  replyIntent: string | null;
  replyOutcome: string | null;
  createdAt: Date;
  leadId: string | null;
};

/**
 * The texting classification this message was acted on with: today's rules, but the outcome the
 * webhook recorded when that differs (the rules changed since), so the intent never contradicts
 * the suppression that was (or was not) made.
 */
function textingClassification(body: string, recordedOutcome: string | null, rules: Parameters<typeof classifyInboundSms>[1]) {
  const now = classifyInboundSms(body, rules);
  if (!recordedOutcome || recordedOutcome === now.outcome) return now;
  return { ...now, outcome: recordedOutcome as typeof now.outcome, ruleId: null, matchedText: null };
}

/**
 * Reads an inbound message's intent (lib/reply-intent, with the organization's intent and texting
 * rules), stores it with its reason on the message and, for a lead: in "apply" mode moves the
 * lead's status (interested, or dead for not interested — only from new / contacted / replied),
 * in "suggest" mode records the suggestion; either way a reply_classified event on the lead's
 * timeline and the lead's score (its reply_intent factor) follow the latest reply.
 *
 * Idempotent: one transaction holding the message's row lock, which does nothing once the message
 * has an intent, so a job retry (or two workers) changes nothing twice. Opt-outs and wrong numbers
 * move no status: their suppression is the webhook's (messaging/webhooks.ts).
 */
export async function applyReplyIntent(db: Db, inboundMessageId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const [message] = await tx.$queryRaw<LockedMessage[]>`
      SELECT m."id", m."organizationId", m."body", m."direction"::text AS "direction", m."replyIntent", m."replyOutcome", m."createdAt", c."leadId"
      FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId" AND c."organizationId" = m."organizationId"
      WHERE m."id" = ${inboundMessageId}
      FOR UPDATE OF m`;
    if (!message || message.direction !== "inbound" || message.replyIntent !== null) return;
    const orgId = message.organizationId;

    const settings = await tx.organizationSettings.findUnique({
      where: { organizationId: orgId },
      select: { ...SMS_REPLY_SETTINGS_SELECT, ...REPLY_INTENT_SETTINGS_SELECT },
    });
    const texting = smsReplyConfigFrom(orgId, settings);
    const config = replyIntentConfigFrom(orgId, settings);
    const result = classifyReplyIntent(message.body, config.rules, { sms: textingClassification(message.body, message.replyOutcome, texting.rules) });

    await tx.message.update({ where: { id: message.id }, data: { replyIntent: result.intent, replyIntentReason: result.reason } });
    if (message.leadId) await applyToLead(tx, { orgId, leadId: message.leadId, messageId: message.id, messageAt: message.createdAt, mode: config.mode, result });
  });
}

async function applyToLead(
  tx: Tx,
  input: { orgId: string; leadId: string; messageId: string; messageAt: Date; mode: "suggest" | "apply"; result: ReplyIntentResult },
) {
  const { orgId, leadId, messageId, messageAt, mode, result } = input;
  const lead = await tx.lead.findFirst({ where: { id: leadId, organizationId: orgId } });
  if (!lead) return;
  // Replies may be classified out of order (retries): only the latest reply sets the lead's intent.
  const latest = !lead.replyIntentAt || lead.replyIntentAt <= messageAt;
  if (result.intent === "unknown" || !latest) return;

  const suggestion = statusForReplyIntent(result.intent, lead.status);
  let status = lead.status;
  if (mode === "apply" && suggestion) {
    // Conditional on the status read, so a teammate's concurrent move is not overwritten.
    const { count } = await tx.lead.updateMany({ where: { id: lead.id, organizationId: orgId, status: lead.status }, data: { status: suggestion.to } });
    if (count === 1) {
      status = suggestion.to;
      await recordActivities(tx, [
        {
          orgId,
          leadId,
          actorId: null,
          kind: "status_changed",
          details: { from: suggestion.from, to: suggestion.to, reason: "reply_intent", intent: result.intent, intentReason: result.reason, messageId },
        },
      ]);
    }
  }
  const applied = status !== lead.status;
  await recordActivities(tx, [
    {
      orgId,
      leadId,
      actorId: null,
      kind: "reply_classified",
      details: {
        messageId,
        intent: result.intent,
        intentLabel: REPLY_INTENT_LABELS[result.intent],
        ruleId: result.ruleId,
        matchedText: result.matchedText,
        reason: result.reason,
        mode,
        suggestedStatus: suggestion && !applied ? suggestion.to : null,
        appliedStatus: applied ? status : null,
      },
    },
  ]);
  const intentFields = { replyIntent: result.intent, replyIntentReason: result.reason, replyIntentAt: messageAt };
  await tx.lead.update({ where: { id: lead.id }, data: { ...intentFields, ...leadScoreData({ ...lead, ...intentFields, status }) } });
}
