import "server-only";
import { countSmsSegments } from "@/lib/sms-segments";
import { budgetIn, loadBillingContext } from "../budget/context";
import { release, reserve, settle, type Reservation } from "../budget/ledger";
import { decideSend, type SendKind } from "../compliance/decide";
import { Prisma } from "@/generated/prisma/client";
import type { MessageStatus } from "@/generated/prisma/enums";
import { querySql, type Db } from "../db";
import { newId } from "../ids";
import { env } from "../env";
import { AppError } from "../errors";
import { billingOfFailure, type Billing } from "../providers/billing";
import { smsSender } from "../providers/registry";
import { isSmsSendError, type SmsSender, type SmsSendRequest } from "../providers/sms-sender";
import { queueSimulatedStatusCallbacks } from "./simulated-callbacks";
import { SMS_STATUS_CALLBACK_PATH } from "./webhook-route";
import { suppress } from "../compliance/suppressions";
import { applyPendingStatuses } from "./webhooks";
import { notifyIfCapReached, notifyIfCircuitOpen } from "../notifications/producers";

export type SendContext = { db: Db; orgId: string; userId: string | null; requestId: string };
export type SendSmsInput = { phone: string; leadId?: string | null; body: string; kind: SendKind; campaignId?: string | null };

export type SendSmsOptions = {
  /**
   * A condition of the outbound message row, checked and acted on in the one statement that writes
   * it, before the provider is called: SQL (a CTE body) returning a row when the send may go; it
   * may write. A campaign claims its recipient there, so a message row exists for it exactly once.
   * No row: nothing is written, the reservation is released, and the send throws SendGuardRefused.
   */
  guard?: (ids: { messageId: string; reservationId: string }) => Prisma.Sql;
  /** The sender identity to send from (a campaign's chosen one); else the organization's first (a Messaging Service first). */
  senderIdentity?: { kind: "messaging_service" | "phone_number"; value: string };
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

type SentMessage = { id: string; conversationId: string; status: MessageStatus; providerMessageId: string | null; segments: number; costCents: number | null; errorCode: string | null; body: string; createdAt: Date };

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

  const identity =
    options.senderIdentity ??
    (await db.smsSenderIdentity.findFirst({
      where: { organizationId: orgId },
      orderBy: [{ kind: "asc" }, { createdAt: "asc" }], // a Messaging Service first
      select: { kind: true, value: true },
    }));
  if (!identity) {
    throw new AppError("PRECONDITION_FAILED", "Your organization has no SMS sender configured: an admin can add a Messaging Service SID or number in Settings → Texting.", {
      reason: "no_sender_identity",
    });
  }

  const { segments } = countSmsSegments(input.body);
  const billingContext = await loadBillingContext(db, orgId, ["twilio_sms"]);
  const unitCents = budgetIn(billingContext, "twilio_sms").unitCents;
  const reservation = await reserve(db, { orgId, provider: "twilio_sms", operation: "sms.send", cents: segments * unitCents, requestId: ctx.requestId }, billingContext).catch(async (error: unknown) => {
    await notifyIfCapReached(db, orgId, error);
    throw error;
  });

  let message: { id: string; conversationId: string };
  try {
    const written = await writeOutboundMessage(db, {
      orgId,
      phone: input.phone,
      leadId,
      body: input.body,
      segments,
      campaignId: input.campaignId ?? null,
      actorUserId: ctx.userId,
      kind: input.kind,
      decisionId: decision.decisionId,
      guard: options.guard ? (messageId) => options.guard!({ messageId, reservationId: reservation.id }) : undefined,
    });
    if (!written) throw new SendGuardRefused();
    message = written;
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
    await notifyIfCircuitOpen(db, ctx.orgId, error);
    throw error;
  }

  const [updated] = await querySql<SentMessage>(
    db,
    Prisma.sql`UPDATE "Message" SET "providerMessageId" = ${result.value.providerMessageId}, "segments" = ${result.value.segments}, "costCents" = ${chargedCents(result.billing)}
      WHERE "id" = ${message.id}
      RETURNING "id", "conversationId", "status"::text AS "status", "providerMessageId", "segments", "costCents", "errorCode", "body", "createdAt"`,
  );
  await settleFor(result.billing);
  const early = await applyPendingStatuses(db, result.value.providerMessageId);
  if (sender.simulated && result.value.simulatedStatusCallbacks?.length) await queueSimulatedStatusCallbacks(result.value.simulatedStatusCallbacks);
  // Status callbacks that came before the SID was saved moved the message on: read it again.
  const sent = early.attached > 0 ? await db.message.findUniqueOrThrow({ where: { id: message.id }, select: sentMessageSelect }) : updated!;
  return { ...sent, simulatedStatusCallbacks: result.value.simulatedStatusCallbacks ?? null };
}

/** The send's guard found nothing to send for (a campaign's claim was taken over): nothing was written or sent. */
export class SendGuardRefused extends Error {}

/**
 * The outbound message row in one statement (on the pool, no transaction): the thread upserted,
 * the message, the lead's timeline entry (when the lead is the organization's) and the decision
 * linked to it — all only when the guard (if any) returns a row. Null when it did not.
 */
async function writeOutboundMessage(
  db: Db,
  row: {
    orgId: string;
    phone: string;
    leadId: string | null;
    body: string;
    segments: number;
    campaignId: string | null;
    actorUserId: string | null;
    kind: SendKind;
    decisionId: string;
    guard?: (messageId: string) => Prisma.Sql;
  },
): Promise<{ id: string; conversationId: string } | null> {
  const messageId = newId();
  const guard = row.guard ? row.guard(messageId) : Prisma.sql`SELECT 1`;
  const details = JSON.stringify({ messageId, phone: row.phone, sendKind: row.kind });
  const [written] = await querySql<{ id: string; conversationId: string }>(
    db,
    Prisma.sql`WITH guard AS (${guard}),
      thread AS (
        INSERT INTO "Conversation" ("id", "organizationId", "phone", "leadId", "lastMessageAt", "createdAt", "updatedAt")
        SELECT ${newId()}, ${row.orgId}, ${row.phone}, ${row.leadId}, now(), now(), now() WHERE EXISTS (SELECT 1 FROM guard)
        ON CONFLICT ("organizationId", "phone") DO UPDATE SET "lastMessageAt" = EXCLUDED."lastMessageAt", "updatedAt" = EXCLUDED."updatedAt"
        RETURNING "id"),
      message AS (
        INSERT INTO "Message" ("id", "organizationId", "conversationId", "direction", "body", "segments", "status", "campaignId", "createdAt", "statusUpdatedAt")
        SELECT ${messageId}, ${row.orgId}, thread."id", 'outbound', ${row.body}, ${row.segments}, 'queued', ${row.campaignId}, now(), now() FROM thread
        RETURNING "id", "conversationId"),
      timeline AS (
        INSERT INTO "ActivityEvent" ("id", "organizationId", "leadId", "actorId", "kind", "details", "createdAt")
        SELECT ${newId()}, ${row.orgId}, lead."id", ${row.actorUserId}, 'message_out', ${details}::jsonb, now()
        FROM "Lead" lead, message WHERE lead."id" = ${row.leadId} AND lead."organizationId" = ${row.orgId}),
      decision AS (UPDATE "SendDecision" SET "messageId" = message."id" FROM message WHERE "SendDecision"."id" = ${row.decisionId})
      SELECT "id", "conversationId" FROM message`,
  );
  return written ?? null;
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
