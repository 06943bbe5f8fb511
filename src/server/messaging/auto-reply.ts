import "server-only";
import { autoReplyFor, parseOptOutType, type ReplyContext, type SmsReplyOutcome } from "@/lib/sms-replies";
import type { Db } from "../db";
import { isAppError } from "../errors";
import { log } from "../log";
import { smsSender } from "../providers/registry";
import type { SmsSender } from "../providers/sms-sender";
import { SMS_REPLY_SETTINGS_SELECT, senderIdentityFor, smsReplyConfigFrom } from "./reply-config";
import { sendSms } from "./send";
import { WEBHOOK_PROVIDER } from "./webhooks";

export type AutoReplyOutcome = { outcome: "sent"; messageId: string } | { outcome: "none" } | { outcome: "refused"; reason: string };

/**
 * The automatic answer to an inbound keyword (the "sms-auto-reply" job): STOP gets the one
 * opt-out confirmation, START and HELP their texts, everything else nothing. It goes through
 * sendSms like every other text, so the decision rules (one confirmation per opt-out, kill
 * switch, suppression) apply; a refusal is recorded there and is not an error of the job.
 */
export async function sendAutoReply(db: Db, inboundMessageId: string, sender: SmsSender = smsSender(), context: ReplyContext = {}): Promise<AutoReplyOutcome> {
  const inbound = await db.message.findUnique({
    where: { id: inboundMessageId },
    select: {
      organizationId: true,
      direction: true,
      replyOutcome: true,
      providerMessageId: true,
      conversation: { select: { phone: true, leadId: true } },
      organization: { select: { name: true, settings: { select: SMS_REPLY_SETTINGS_SELECT } } },
    },
  });
  if (!inbound || inbound.direction !== "inbound") return { outcome: "none" };
  const event = inbound.providerMessageId
    ? await db.providerWebhookEvent.findUnique({ where: { provider_eventId: { provider: WEBHOOK_PROVIDER, eventId: inbound.providerMessageId } }, select: { payload: true } })
    : null;
  const payload = (event?.payload ?? {}) as Record<string, string>;
  // The outcome recorded when the message arrived, under the rules in force then.
  const classification = { outcome: (inbound.replyOutcome ?? "none") as SmsReplyOutcome, answeredByProvider: parseOptOutType(payload.OptOutType) !== null };
  const config = smsReplyConfigFrom(inbound.organizationId, inbound.organization.settings);
  const identity = await db.smsSenderIdentity.findFirst({ where: { organizationId: inbound.organizationId, kind: "phone_number" }, orderBy: { createdAt: "asc" }, select: { value: true } });
  const body = autoReplyFor(classification, senderIdentityFor(config, inbound.organization.name, identity?.value ?? null), config.texts, context);
  if (!body) return { outcome: "none" };

  const kind = classification.outcome === "opt_out" ? "opt_out_confirmation" : classification.outcome === "help" ? "help_reply" : "auto_reply";
  try {
    const sent = await sendSms(
      { db, orgId: inbound.organizationId, userId: null, requestId: `auto-reply:${inboundMessageId}` },
      { phone: inbound.conversation.phone, leadId: inbound.conversation.leadId, body, kind },
      sender,
    );
    return { outcome: "sent", messageId: sent.id };
  } catch (error) {
    if (isAppError(error, "PRECONDITION_FAILED") || isAppError(error, "KILL_SWITCH_ON") || isAppError(error, "CAP_EXCEEDED")) {
      const reason = String((error as { details?: Record<string, unknown> }).details?.reason ?? error.appCode);
      log.info({ inboundMessageId, kind, reason }, "automatic SMS reply not sent");
      return { outcome: "refused", reason };
    }
    throw error;
  }
}
