import "server-only";
import { classifyInboundSms } from "@/lib/sms-replies";
import { classifyReplyIntent, REPLY_INTENT_LABELS, statusForReplyIntent, type ReplyIntentResult } from "@/lib/reply-intent";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { log } from "../log";
import { defaultReplyAssistant } from "./reply-assistant";
import { withAiRequest } from "../ai/request";
import type { ReplyAssistant } from "../providers/openai/client";
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
  phone: string;
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
 * move no status: their suppression is the webhook's (messaging/webhooks.ts). With OpenAI
 * configured, a reply the rules read as unknown is read by the model (readWithAi).
 */
export async function applyReplyIntent(db: Db, inboundMessageId: string, ai: ReplyAssistant | null = defaultReplyAssistant()): Promise<void> {
  // Outside the transaction (no row lock held across a network call): the AI's reading, only for a
  // reply the phrase rules cannot read, and only when the operator configured OpenAI.
  const aiReading = ai ? await readWithAi(db, inboundMessageId, ai) : null;
  await db.$transaction(async (tx) => {
    const [message] = await tx.$queryRaw<LockedMessage[]>`
      SELECT m."id", m."organizationId", m."body", m."direction"::text AS "direction", m."replyIntent", m."replyOutcome", m."createdAt", c."leadId", c."phone"
      FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId" AND c."organizationId" = m."organizationId"
      WHERE m."id" = ${inboundMessageId}
      FOR UPDATE OF m`;
    if (!message || message.direction !== "inbound" || message.replyIntent !== null) return;
    const orgId = message.organizationId;
    const { result: rules, mode } = await rulesIntent(tx, message);
    const result = rules.intent === "unknown" && aiReading?.kind === "intent" ? aiReading.result : rules;

    const heldForReview = rules.intent === "unknown" && aiReading?.kind === "review";
    await tx.message.update({
      where: { id: message.id },
      // Held for review like an ambiguous keyword (replyOutcome "review"): no auto-responder answers it meanwhile.
      data: { replyIntent: result.intent, replyIntentReason: result.reason, ...(heldForReview ? { replyOutcome: "review" } : {}) },
    });
    if (heldForReview && aiReading?.kind === "review") {
      // The AI reads a refusal the rules missed: a person decides (the review queue), never the model.
      await tx.smsReplyReview.createMany({
        data: [{ organizationId: orgId, messageId: message.id, phone: message.phone, leadId: message.leadId, ruleId: null, matchedText: null, reason: aiReading.reason }],
        skipDuplicates: true,
      });
    }
    if (message.leadId) await applyToLead(tx, { orgId, leadId: message.leadId, messageId: message.id, messageAt: message.createdAt, mode, result });
  });
}

/** The phrase rules' reading of a message (the organization's intent and texting rules) and the organization's mode. */
async function rulesIntent(client: Db | Tx, message: { organizationId: string; body: string; replyOutcome: string | null }) {
  const settings = await client.organizationSettings.findUnique({
    where: { organizationId: message.organizationId },
    select: { ...SMS_REPLY_SETTINGS_SELECT, ...REPLY_INTENT_SETTINGS_SELECT },
  });
  const texting = smsReplyConfigFrom(message.organizationId, settings);
  const config = replyIntentConfigFrom(message.organizationId, settings);
  const result = classifyReplyIntent(message.body, config.rules, { sms: textingClassification(message.body, message.replyOutcome, texting.rules) });
  return { result, mode: config.mode };
}

type AiReading = { kind: "intent"; result: ReplyIntentResult } | { kind: "review"; reason: string };

/**
 * OpenAI's reading of a reply the rules read as unknown: an intent that moves nothing by itself
 * beyond what the rules' would (interested, not interested, question), or — for an opt-out or a
 * wrong number — a review item, since only a person (or the rules) suppresses a number. Null when
 * the rules read it, or OpenAI failed or was not allowed (the AI kill switch, a spent AI cap;
 * logged: the reply stays unknown). Paid under the AI budget.
 */
async function readWithAi(db: Db, messageId: string, ai: ReplyAssistant): Promise<AiReading | null> {
  const message = await db.message.findUnique({ where: { id: messageId }, select: { organizationId: true, body: true, replyOutcome: true, replyIntent: true, direction: true } });
  if (!message || message.direction !== "inbound" || message.replyIntent !== null || !message.body.trim()) return null;
  if ((await rulesIntent(db, message)).result.intent !== "unknown") return null;
  try {
    const { intent, reason } = await withAiRequest(
      db,
      { orgId: message.organizationId, operation: "reply_intent", relatedType: "message", relatedId: messageId },
      () => ai.classifyReply(message.body),
    );
    if (intent === "opt_out" || intent === "wrong_number") {
      return { kind: "review", reason: `AI reads this reply as ${intent === "opt_out" ? "a request to stop texting" : "a wrong number"}: ${reason}` };
    }
    if (intent === "unknown") return null;
    return { kind: "intent", result: { intent, ruleId: null, matchedText: null, reason: `AI: ${reason}`, source: "ai", matches: [] } };
  } catch (error) {
    // Also the AI kill switch or a spent AI cap: the reply is then read by the rules alone.
    log.warn({ err: error, messageId }, "AI reply classification failed or was not allowed; the reply stays unknown");
    return null;
  }
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
