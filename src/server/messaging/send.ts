import "server-only";
import { countSmsSegments } from "@/lib/sms-segments";
import { budgetIn, loadBillingContext } from "../budget/context";
import { release, reserve, settle, type Reservation } from "../budget/ledger";
import { attachDecisionMessage, decideSend, type SendKind } from "../compliance/decide";
import type { Db, Prisma } from "../db";
import { env } from "../env";
import { recordActivities } from "../lead-records/activity";
import { AppError } from "../errors";
import { billingOfFailure, type Billing } from "../providers/billing";
import { smsSender } from "../providers/registry";
import { isSmsSendError, type SmsSender, type SmsSendRequest } from "../providers/sms-sender";
import { queueSimulatedStatusCallbacks } from "./simulated-callbacks";
import { SMS_STATUS_CALLBACK_PATH } from "./webhook-route";
import { suppress } from "../compliance/suppressions";
import { applyPendingStatuses } from "./webhooks";

export type SendContext = { db: Db; orgId: string; userId: string | null; requestId: string };
export type SendSmsInput = { phone: string; leadId?: string | null; body: string; kind: SendKind; campaignId?: string | null };

export type SendSmsOptions = {
  /**
   * Runs inside the transaction that writes the outbound message row, before the provider is
   * called: a campaign claims its recipient there, so a message row exists for it exactly once.
   * Throwing aborts the send (the reservation is released, nothing reaches the provider).
   */
  onMessageRow?: (tx: Prisma.TransactionClient, message: { id: string }, reservation: Reservation) => Promise<void>;
  /** Runs right before the provider is called (a campaign keeps to its send slot there). */
  beforeProviderCall?: () => Promise<void>;
};

/** Twilio keeps a queued message at most this long (ValidityPeriod's maximum, 10 h). */
const MAX_VALIDITY_SECONDS = 36_000;

/** Seconds until the recipient's window closes, for Twilio's ValidityPeriod; undefined when no window binds the send. */
export function validityPeriodFor(windowClosesAt: Date | null, now = Date.now()): number | undefined {
  if (!windowClosesAt) return undefined;
  return Math.max(1, Math.min(MAX_VALIDITY_SECONDS, Math.floor((windowClosesAt.getTime() - now) / 1000)));
}

const sentMessageSelect = {
  id: true,
  conversationId: true,
  status: true,
  providerMessageId: true,
  segments: true,
  costCents: true,
  errorCode: true,
  body: true,
  createdAt: true,
} as const;

/**
 * The one send path: compliance decision → the org's sender identity → budget reservation of
 * segments × price → outbound message row (before the provider call, so a crash leaves a row) →
 * provider → settle → status callbacks that arrived early. A refusal throws an AppError whose
 * details carry the decision's reason; the decision is recorded either way.
 */
export async function sendSms(ctx: SendContext, input: SendSmsInput, sender: SmsSender = smsSender(), options: SendSmsOptions = {}) {
  const { db, orgId } = ctx;
  const leadId = input.leadId ?? null;
  const decision = await decideSend(db, {
    orgId,
    phone: input.phone,
    leadId,
    kind: input.kind,
    actorUserId: ctx.userId,
    campaignId: input.campaignId ?? null,
  });
  if (decision.outcome === "blocked") {
    throw new AppError(decision.reason === "kill_switch" ? "KILL_SWITCH_ON" : "PRECONDITION_FAILED", decision.message, {
      reason: decision.reason,
      decisionId: decision.decisionId,
      ...(decision.reason === "kill_switch" ? { kind: "sms" } : {}),
    });
  }
  if (decision.outcome === "deferred") {
    throw new AppError("PRECONDITION_FAILED", decision.message, { reason: decision.reason, until: decision.until.toISOString(), decisionId: decision.decisionId });
  }

  const identity = await db.smsSenderIdentity.findFirst({
    where: { organizationId: orgId },
    orderBy: [{ kind: "asc" }, { createdAt: "asc" }], // a Messaging Service first
    select: { kind: true, value: true },
  });
  if (!identity) {
    throw new AppError("PRECONDITION_FAILED", "Your organization has no SMS sender configured: an admin can add a Messaging Service SID or number in Settings → Texting.", {
      reason: "no_sender_identity",
    });
  }

  const { segments } = countSmsSegments(input.body);
  const billingContext = await loadBillingContext(db, orgId, ["twilio_sms"]);
  const unitCents = budgetIn(billingContext, "twilio_sms").unitCents;
  const reservation = await reserve(db, { orgId, provider: "twilio_sms", operation: "sms.send", cents: segments * unitCents, requestId: ctx.requestId }, billingContext);

  let message: { id: string; conversationId: string };
  try {
    message = await db.$transaction(async (tx) => {
      const now = new Date();
      const conversation = await tx.conversation.upsert({
        where: { organizationId_phone: { organizationId: orgId, phone: input.phone } },
        create: { organizationId: orgId, phone: input.phone, leadId, lastMessageAt: now },
        update: { lastMessageAt: now },
        select: { id: true },
      });
      const created = await tx.message.create({
        data: { organizationId: orgId, conversationId: conversation.id, direction: "outbound", body: input.body, segments, status: "queued", campaignId: input.campaignId ?? null },
        select: { id: true, conversationId: true },
      });
      const timelineLead = leadId ? await tx.lead.findFirst({ where: { id: leadId, organizationId: orgId }, select: { id: true } }) : null;
      if (timelineLead) await recordActivities(tx, [{ orgId, leadId: timelineLead.id, actorId: ctx.userId, kind: "message_out", details: { messageId: created.id, phone: input.phone, sendKind: input.kind } }]);
      await options.onMessageRow?.(tx, created, reservation);
      return created;
    });
    await attachDecisionMessage(db, decision.decisionId, message.id);
  } catch (error) {
    await release(db, reservation, billingContext);
    throw error;
  }

  const settleFor = (billing: Billing) =>
    settle(
      db,
      reservation,
      {
        cents: billing.units * unitCents,
        unconfirmedCents: billing.possiblyBilled ? billing.units * unitCents : 0,
        operation: "sms.send",
        simulated: sender.simulated,
        relatedType: "message",
        relatedId: message.id,
        requestId: ctx.requestId,
      },
      billingContext,
    );
  const chargedCents = (billing: Billing) => Math.min(billing.units * unitCents, reservation.cents);

  const request: SmsSendRequest = {
    to: input.phone,
    body: input.body,
    statusCallbackUrl: `${env.PUBLIC_BASE_URL ?? env.NEXTAUTH_URL}${SMS_STATUS_CALLBACK_PATH}`,
    clientReference: message.id,
    validityPeriodSeconds: validityPeriodFor(decision.windowClosesAt),
    ...(identity.kind === "messaging_service" ? { messagingServiceSid: identity.value } : { from: identity.value }),
  };

  let result;
  try {
    await options.beforeProviderCall?.();
    result = await sender.send(request);
  } catch (error) {
    await recordFailedSend(ctx, { messageId: message.id, phone: input.phone, leadId, reservation, error, settleFor, chargedCents });
    throw error;
  }

  await db.message.update({
    where: { id: message.id },
    data: { providerMessageId: result.value.providerMessageId, segments: result.value.segments, costCents: chargedCents(result.billing) },
  });
  await settleFor(result.billing);
  await applyPendingStatuses(db, result.value.providerMessageId);
  if (sender.simulated && result.value.simulatedStatusCallbacks?.length) await queueSimulatedStatusCallbacks(result.value.simulatedStatusCallbacks);
  const sent = await db.message.findUniqueOrThrow({ where: { id: message.id }, select: sentMessageSelect });
  return { ...sent, simulatedStatusCallbacks: result.value.simulatedStatusCallbacks ?? null };
}

async function recordFailedSend(
  ctx: SendContext,
  failure: {
    messageId: string;
    phone: string;
    leadId: string | null;
    reservation: Reservation;
    error: unknown;
    settleFor: (billing: Billing) => Promise<unknown>;
    chargedCents: (billing: Billing) => number;
  },
) {
  const { db, orgId } = ctx;
  const billing = billingOfFailure(failure.error);
  if (billing.units > 0) await failure.settleFor(billing);
  else await release(db, failure.reservation);

  const smsError = isSmsSendError(failure.error) ? failure.error.smsError : null;
  const errorCode = smsError?.code != null ? String(smsError.code) : failure.error instanceof AppError ? failure.error.appCode : "INTERNAL";
  await db.$transaction(async (tx) => {
    // A send that may have reached Twilio stays queued: its status callbacks will say what happened.
    await tx.message.update({
      where: { id: failure.messageId },
      data: billing.possiblyBilled
        ? { errorCode, costCents: failure.chargedCents(billing) }
        : { status: "failed", errorCode, statusUpdatedAt: new Date(), costCents: failure.chargedCents(billing) },
    });
    if (!smsError) return;
    const evidence = `Twilio refused a send with error ${smsError.code ?? "unknown"} (message ${failure.messageId}).`;
    if (smsError.effect === "suppress") {
      await suppress(tx, { organizationId: orgId, phone: failure.phone, leadId: null, reason: "provider_21610", sourceMessageId: failure.messageId, actorUserId: ctx.userId, evidence });
    } else if (smsError.effect === "invalid") {
      await tx.leadPhone.updateMany({ where: { organizationId: orgId, number: failure.phone }, data: { status: "invalid" } });
    } else if (smsError.effect === "landline") {
      await tx.leadPhone.updateMany({ where: { organizationId: orgId, number: failure.phone }, data: { type: "landline" } });
    }
  });
}
