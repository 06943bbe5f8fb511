import "server-only";
import { randomBytes } from "node:crypto";
import { classifyInboundSms } from "@/lib/sms-replies";
import { countSmsSegments } from "@/lib/sms-segments";
import type { ServiceContext } from "../context";
import { env } from "../env";
import { AppError, notFound } from "../errors";
import { smsSender } from "../providers/registry";
import type { SmsSender } from "../providers/sms-sender";
import { asReplyOutcome } from "./conversations";
import { SMS_REPLY_SETTINGS_SELECT, smsReplyConfigFrom } from "./reply-config";
import { handleTwilioWebhookRequest, SMS_INBOUND_WEBHOOK_PATH } from "./webhook-route";
import { signedTwilioWebhook } from "./webhook-signature";
import { handleInboundWebhook } from "./webhooks";

/** The simulator's stand-in for Twilio's account id in webhook bodies. */
const SIMULATED_ACCOUNT_SID = `AC${"0".repeat(32)}`;

/**
 * "Simulate reply" (simulated texting only): the lead's phone texts the organization. The message is
 * posted as a signed inbound webhook through the inbound route's own handler — signature check,
 * idempotency row, keyword and refusal rules, suppression, auto-reply job — exactly as Twilio's would be.
 */
export async function simulateReply(ctx: ServiceContext, input: { leadId: string; phone: string; body: string }, sender: SmsSender = smsSender()) {
  const { db, orgId } = ctx;
  if (!sender.simulated) {
    throw new AppError("PRECONDITION_FAILED", "Simulated replies exist only while texting is simulated; with Twilio live, replies come from real phones.", {
      reason: "texting_live",
    });
  }
  const phone = await db.leadPhone.findFirst({ where: { organizationId: orgId, leadId: input.leadId, number: input.phone }, select: { id: true } });
  if (!phone) throw notFound("That lead phone");
  const identity = await db.smsSenderIdentity.findFirst({
    where: { organizationId: orgId },
    orderBy: [{ kind: "desc" }, { createdAt: "asc" }], // a phone number first: it is what the person texted
    select: { kind: true, value: true },
  });
  if (!identity) {
    throw new AppError("PRECONDITION_FAILED", "Your organization has no SMS sender configured: an admin can add one in Settings → Texting.", { reason: "no_sender_identity" });
  }

  const messageSid = `SM${randomBytes(16).toString("hex")}`;
  const params: Record<string, string> = {
    AccountSid: SIMULATED_ACCOUNT_SID,
    MessageSid: messageSid,
    SmsSid: messageSid,
    SmsMessageSid: messageSid,
    From: input.phone,
    // Behind a Messaging Service the number texted is one of its pool; the service SID routes it.
    To: identity.kind === "phone_number" ? identity.value : "+15005550006",
    Body: input.body,
    NumSegments: String(countSmsSegments(input.body).segments),
    NumMedia: "0",
    ApiVersion: "2010-04-01",
    ...(identity.kind === "messaging_service" ? { MessagingServiceSid: identity.value } : {}),
  };
  const { url, init } = signedTwilioWebhook(env, SMS_INBOUND_WEBHOOK_PATH, params);
  const response = await handleTwilioWebhookRequest(new Request(url, init), "inbound", handleInboundWebhook);
  if (response.status !== 200) {
    throw new AppError(response.status >= 500 ? "INTERNAL" : "BAD_REQUEST", `The inbound webhook refused the simulated reply (HTTP ${response.status}).`, { status: response.status });
  }

  const message = await db.message.findUniqueOrThrow({
    where: { providerMessageId: messageSid },
    select: { id: true, replyOutcome: true, organization: { select: { settings: { select: SMS_REPLY_SETTINGS_SELECT } } } },
  });
  const suppressed = await db.suppression.count({ where: { organizationId: orgId, phone: input.phone, liftedAt: null, OR: [{ leadId: null }, { leadId: input.leadId }] } });
  // The route answers TwiML only; the sentence is the same rules' explanation, for the person trying it.
  const { reason, outcome } = classifyInboundSms(input.body, smsReplyConfigFrom(orgId, message.organization.settings).rules);
  return { messageId: message.id, replyOutcome: asReplyOutcome(message.replyOutcome) ?? outcome, reason, suppressed: suppressed > 0 };
}
