import { classifyInboundSms, type SmsReplyClassification } from "@/lib/sms-replies";
import { Prisma } from "@/generated/prisma/client";
import type { LeadStatus, MessageStatus } from "@/generated/prisma/enums";
import { lockUntilCommit, querySql, retryTransientConflicts, type Db } from "../db";
import { AppError, isAppError } from "../errors";
import { newId } from "../ids";
import { enqueue, enqueueInTransaction, jobInsertSql } from "../jobs/queue";
import { liftNumberSuppression, suppress, suppressionLiveKey } from "../compliance/suppressions";
import { recordActivities } from "../lead-records/activity";
import { LRUCache } from "lru-cache";
import { log } from "../log";
import { smsReplyConfigFrom, type SmsReplyConfig, type SmsReplySettingsRow } from "./reply-config";

type Tx = Prisma.TransactionClient;
export type TwilioWebhookParams = Record<string, string>;

export const WEBHOOK_PROVIDER = "twilio";

/** Rank of each status: a message only moves to a higher rank. Terminal outcomes share the top rank. */
const STATUS_RANK: Record<MessageStatus, number> = {
  received: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
};

/** Twilio's MessageStatus values for outbound messages, in our vocabulary. */
const TWILIO_STATUS: Record<string, MessageStatus> = {
  accepted: "queued",
  scheduled: "queued",
  queued: "queued",
  sending: "sending",
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  partially_delivered: "delivered",
  undelivered: "undelivered",
  failed: "failed",
  canceled: "failed",
};

export function statusesBelow(status: MessageStatus): MessageStatus[] {
  return (Object.keys(STATUS_RANK) as MessageStatus[]).filter((s) => STATUS_RANK[s] < STATUS_RANK[status]);
}

const SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

function required(params: TwilioWebhookParams, name: string, pattern?: RegExp): string {
  const value = params[name]?.trim();
  if (!value || (pattern && !pattern.test(value))) throw new AppError("BAD_REQUEST", `Missing or malformed ${name}.`, { field: name });
  return value;
}

type SenderOrganization = {
  organizationId: string;
  replyConfig: SmsReplyConfig;
  /** The identities asked for, and the settings row's version (its updatedAt as text) the config was built from. */
  candidates: string[];
  settingsVersion: string | null;
};

type SenderRow = { organizationId: string; settingsVersion: string | null } & { [K in keyof SmsReplySettingsRow]: SmsReplySettingsRow[K] | null };

function senderCandidates(candidates: (string | undefined)[]): string[] {
  return [...new Set(candidates.filter((v): v is string => !!v))].sort();
}

/**
 * The one organization that sends from this number / Messaging Service, with its reply rules (one
 * query: identities joined to their organization's settings). Never guessed: an unknown identity,
 * or a service SID and a number belonging to different organizations, is refused.
 */
async function organizationForSender(db: Db | Tx, candidates: (string | undefined)[], logFields: Record<string, unknown>): Promise<SenderOrganization> {
  const values = senderCandidates(candidates);
  const identities = values.length
    ? await querySql<SenderRow>(
        db,
        Prisma.sql`
          SELECT i."organizationId", s."smsReplyRules", s."smsReplyTexts", s."smsBrandName", s."smsHelpContact", s."updatedAt", s."updatedAt"::text AS "settingsVersion"
          FROM "SmsSenderIdentity" i LEFT JOIN "OrganizationSettings" s ON s."organizationId" = i."organizationId"
          WHERE i."value" = ANY(${values}::text[])`,
      )
    : [];
  const orgIds = [...new Set(identities.map((i) => i.organizationId))];
  if (orgIds.length !== 1) {
    log.warn({ ...logFields, senderCandidates: values, matchedOrganizations: orgIds.length }, "twilio webhook for an unknown or ambiguous sender identity");
    throw new AppError("NOT_FOUND", "No organization sends from this number.");
  }
  const organizationId = orgIds[0]!;
  const { updatedAt, settingsVersion, ...settings } = identities[0]!;
  return { organizationId, replyConfig: smsReplyConfigFrom(organizationId, updatedAt ? { ...settings, updatedAt } : null), candidates: values, settingsVersion };
}

/**
 * Inbound texts' sender lookups, remembered per identity set. Only a hint: recordInbound writes
 * nothing unless, in its own statement, the identities still belong to exactly that organization
 * and its reply settings are still that version; when not, the entry is dropped and the message
 * is classified and written again from a fresh lookup. So a moved number or an edited rule is
 * never applied late, and the hot path saves a round trip.
 */
const recentSenders = new LRUCache<string, SenderOrganization>({ max: 10_000 });

async function inboundSender(db: Db, candidates: (string | undefined)[], logFields: Record<string, unknown>, { fresh }: { fresh: boolean }): Promise<SenderOrganization> {
  const key = senderCandidates(candidates).join(" ");
  const remembered = fresh ? undefined : recentSenders.get(key);
  if (remembered) return remembered;
  const sender = await organizationForSender(db, candidates, logFields);
  recentSenders.set(key, sender);
  return sender;
}

/** Thrown inside the inbound transaction when recordInbound found the remembered sender out of date: nothing was written. */
class StaleSender extends Error {}

/** Inserts the idempotency row; false when this event was already recorded (a redelivery). */
async function recordWebhookEvent(tx: Tx, eventId: string, organizationId: string, kind: string, payload: TwilioWebhookParams): Promise<boolean> {
  const { count } = await tx.providerWebhookEvent.createMany({
    data: [{ provider: WEBHOOK_PROVIDER, eventId, organizationId, kind, payload }],
    skipDuplicates: true,
  });
  return count === 1;
}

/** Serializes the status webhook and the send path for one provider message id (see applyPendingStatuses). */
async function lockProviderMessage(tx: Tx, providerMessageId: string) {
  await lockUntilCommit(tx, `twilio-message:${providerMessageId}`);
}

export type InboundWebhookResult =
  | { duplicate: true; organizationId: string }
  | {
      duplicate: false;
      organizationId: string;
      messageId: string;
      conversationId: string;
      leadId: string | null;
      classification: SmsReplyClassification;
      suppressionId: string | null;
      /** Whether the number was opted out (org-wide) before this message. */
      wasOptedOut: boolean;
    };

/**
 * An inbound SMS: event row, conversation, message and any suppression in ONE transaction, so an
 * opt-out is never lost and a redelivery changes nothing.
 */
export async function handleInboundWebhook(db: Db, params: TwilioWebhookParams): Promise<InboundWebhookResult> {
  const messageSid = required(params, "MessageSid", SID);
  const from = required(params, "From", E164);
  const to = required(params, "To", E164);
  const body = params.Body ?? "";
  const segments = Math.max(1, Number.parseInt(params.NumSegments ?? "1", 10) || 1);
  const candidates = [params.MessagingServiceSid, to];
  const logFields = { messageSid, kind: "inbound" };
  let sender = await inboundSender(db, candidates, logFields, { fresh: false });
  for (let attempt = 1; ; attempt++) {
    // A deadlock's victim wrote nothing (the opt-out statement is atomic, the rest one transaction):
    // it runs again rather than answering 5xx, which Twilio does not redeliver for inbound texts.
    const result = await retryTransientConflicts(() => recordInboundFrom(db, sender, { messageSid, from, body, segments, payload: params }));
    if (result) return result;
    // The remembered sender was out of date (nothing written): once more from a fresh lookup.
    if (attempt >= 3) throw new AppError("CONFLICT", "The sending number's organization or rules kept changing during this message.", undefined, { retryAfterSeconds: 1 });
    sender = await inboundSender(db, candidates, logFields, { fresh: true });
  }
}

/** The message classified by this sender's rules and written; null when the sender was out of date (nothing written). */
async function recordInboundFrom(
  db: Db,
  sender: SenderOrganization,
  input: { messageSid: string; from: string; body: string; segments: number; payload: TwilioWebhookParams },
): Promise<InboundWebhookResult | null> {
  const { organizationId, replyConfig } = sender;
  const { from, body, payload } = input;
  const classification = classifyInboundSms(body, replyConfig.rules, { optOutType: payload.OptOutType });
  const autoReply = AUTO_REPLIED.has(classification.outcome) && !classification.answeredByProvider;
  const followupJob = await followupJobSql();
  if (classification.suppression === "number") {
    const autoReplyJob = autoReply ? await autoReplyJobSql() : null;
    const recorded = await recordNumberOptOut(db, { ...input, sender, classification, autoReplyJob, followupJob });
    if (!recorded) return null;
    const { autoReplyJobs, followupJobs, ...result } = recorded;
    // Queued by the statement itself, unless the queue could not start (then this logs why).
    if (!result.duplicate && autoReply && autoReplyJobs === 0) await queueAutoReply(result.messageId, result.wasOptedOut);
    if (!result.duplicate && followupJobs === 0) await queueFollowup(result.messageId);
    return result;
  }
  const inbound = { ...input, sender, classification, autoReplyJob: null, followupJob };
  try {
    return await db.$transaction(async (tx) => {
      const recorded = await recordInbound(tx, inbound);
      if (recorded === "stale_sender") throw new StaleSender();
      if (!recorded) return { duplicate: true as const, organizationId };
      const { messageId, conversationId, leadId } = recorded;
      if (recorded.followupJobs === 0) await queueFollowup(messageId, tx);
      const { suppressionId, wasOptedOut } = await applyClassification(tx, { organizationId, phone: from, leadId, messageId, body, classification });
      if (classification.outcome === "review") {
        await tx.smsReplyReview.create({
          data: { organizationId, messageId, phone: from, leadId, ruleId: classification.ruleId, matchedText: classification.matchedText, reason: classification.reason },
        });
      }
      if (leadId && classification.suppression === null) await moveLeadToReplied(tx, { organizationId, leadId, messageId });
      if (autoReply) await queueAutoReply(messageId, wasOptedOut, tx);
      return { duplicate: false as const, organizationId, messageId, conversationId, leadId, classification, suppressionId, wasOptedOut };
    });
  } catch (error) {
    if (error instanceof StaleSender) return null;
    throw error;
  }
}

/**
 * A STOP or a refusal: recordInbound's one statement writes the event row, the message and the
 * number's suppression together, atomic without an explicit transaction (a redelivery writes
 * nothing; a failure writes nothing, so Twilio's retry records it).
 */
async function recordNumberOptOut(db: Db, input: InboundToRecord): Promise<(InboundWebhookResult & { autoReplyJobs: number; followupJobs: number }) | null> {
  const { sender: { organizationId }, from, classification } = input;
  const recorded = await recordInbound(db, input);
  if (recorded === "stale_sender") return null;
  if (!recorded) return { duplicate: true, organizationId, autoReplyJobs: 0, followupJobs: 0 };
  // Neither: a message received at the same moment suppressed the number after this statement's
  // snapshot (its committed row stopped this insert), so the number is suppressed; return that row.
  const suppressionId =
    recorded.liveSuppressionId ??
    recorded.newSuppressionId ??
    (await db.suppression.findUnique({ where: { organizationId_liveKey: { organizationId, liveKey: suppressionLiveKey(from, null) } }, select: { id: true } }))?.id ??
    null;
  const { messageId, conversationId, leadId, autoReplyJobs, followupJobs } = recorded;
  return { duplicate: false, organizationId, messageId, conversationId, leadId, classification, suppressionId, wasOptedOut: recorded.liveSuppressionId !== null, autoReplyJobs, followupJobs };
}

type InboundToRecord = {
  sender: SenderOrganization;
  /** The auto-reply job's insert (jobInsertSql over the statement's `message` and `live`), or null. */
  autoReplyJob: Prisma.Sql | null;
  /** The sms-inbound-followup job's insert (over the statement's `message`), or null when the queue is not there. */
  followupJob: Prisma.Sql | null;
  messageSid: string;
  from: string;
  body: string;
  segments: number;
  classification: SmsReplyClassification;
  payload: TwilioWebhookParams;
};

type RecordedInbound = {
  messageId: string;
  conversationId: string;
  leadId: string | null;
  /** The number's live org-wide suppression as it was before this message. */
  liveSuppressionId: string | null;
  /** The org-wide suppression this message recorded (a STOP or refusal from a number not yet suppressed). */
  newSuppressionId: string | null;
  /** Jobs the statement queued (its autoReplyJob, its followupJob). */
  autoReplyJobs: number;
  followupJobs: number;
};

/**
 * One statement (atomic on its own; inside the caller's transaction when other writes follow): the idempotency row first, and only when it is new
 * (a redelivery writes nothing): the conversation (created with the phone's lead, or touched), the
 * message, the message on the lead's timeline and, for a message that opts the number out, its
 * org-wide suppression (when none is live) with the number's lead phones marked opted out — what
 * compliance/suppressions.ts `suppress` records, in the same statement as the event row. Null for
 * a redelivery; "stale_sender" (nothing written) when the sender's identities no longer belong to
 * exactly this organization or its reply settings changed since the lookup (see recentSenders).
 */
async function recordInbound(tx: Db | Tx, input: InboundToRecord): Promise<RecordedInbound | null | "stale_sender"> {
  const { sender, messageSid, from, body, segments, classification, payload, autoReplyJob, followupJob } = input;
  const { organizationId } = sender;
  const outcome = classification.outcome;
  const suppressNumber = classification.suppression === "number";
  const reason = outcome === "opt_out" ? "keyword" : "refusal";
  // Timestamps are UTC wall-clock like Prisma's; one instant for every row (the transaction's start).
  const now = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
  const rows = await querySql<RecordedInbound & { senderCurrent: boolean }>(tx, Prisma.sql`
    WITH sender AS (
      SELECT
        (SELECT array_agg(DISTINCT "organizationId") FROM "SmsSenderIdentity" WHERE "value" = ANY(${sender.candidates}::text[])) = ARRAY[${organizationId}::text]
        AND (SELECT "updatedAt"::text FROM "OrganizationSettings" WHERE "organizationId" = ${organizationId}) IS NOT DISTINCT FROM ${sender.settingsVersion}::text
        AS "current"
    ), event AS (
      INSERT INTO "ProviderWebhookEvent" ("id", "provider", "eventId", "organizationId", "kind", "payload", "receivedAt")
      SELECT ${newId()}, ${WEBHOOK_PROVIDER}, ${messageSid}, ${organizationId}, 'inbound', ${JSON.stringify(payload)}::jsonb, ${now}
      FROM sender WHERE sender."current"
      ON CONFLICT ("provider", "eventId") DO NOTHING
      RETURNING "id"
    ), phone_owner AS (
      SELECT "leadId" FROM "LeadPhone"
      WHERE "organizationId" = ${organizationId} AND "number" = ${from} AND EXISTS (SELECT 1 FROM event)
      ORDER BY "updatedAt" DESC LIMIT 1
    ), conversation AS (
      INSERT INTO "Conversation" ("id", "organizationId", "phone", "leadId", "lastMessageAt", "createdAt", "updatedAt")
      SELECT ${newId()}, ${organizationId}, ${from}, (SELECT "leadId" FROM phone_owner), ${now}, ${now}, ${now} FROM event
      ON CONFLICT ("organizationId", "phone") DO UPDATE SET "lastMessageAt" = EXCLUDED."lastMessageAt", "updatedAt" = EXCLUDED."updatedAt"
      RETURNING "id", COALESCE("leadId", (SELECT "leadId" FROM phone_owner)) AS "leadId"
    ), message AS (
      INSERT INTO "Message" ("id", "organizationId", "conversationId", "direction", "body", "segments", "status", "providerMessageId", "replyOutcome", "createdAt", "statusUpdatedAt")
      SELECT ${newId()}, ${organizationId}, conversation."id", 'inbound'::"MessageDirection", ${body}, ${segments}::int, 'received'::"MessageStatus", ${messageSid}, ${outcome}, ${now}, ${now}
      FROM conversation
      RETURNING "id"
    ), timeline AS (
      INSERT INTO "ActivityEvent" ("id", "organizationId", "leadId", "actorId", "kind", "details", "createdAt")
      SELECT ${newId()}, ${organizationId}, conversation."leadId", NULL, 'message_in'::"ActivityKind",
        jsonb_build_object('messageId', message."id", 'phone', ${from}::text, 'outcome', ${outcome}::text), ${now}
      FROM conversation, message
      WHERE conversation."leadId" IS NOT NULL
    ), live AS (
      SELECT "id" FROM "Suppression" WHERE "organizationId" = ${organizationId} AND "liveKey" = ${suppressionLiveKey(from, null)}
    ), suppression AS (
      INSERT INTO "Suppression" ("id", "organizationId", "phone", "reason", "leadId", "sourceMessageId", "actorUserId", "evidence", "createdAt", "liveKey")
      SELECT ${newId()}, ${organizationId}, ${from}, ${reason}::"SuppressionReason", NULL, message."id", NULL, ${suppressionEvidence(classification, body)}, ${now}, ${suppressionLiveKey(from, null)}
      FROM message
      WHERE ${suppressNumber}::boolean AND NOT EXISTS (SELECT 1 FROM live)
      ON CONFLICT ("organizationId", "liveKey") DO NOTHING
      RETURNING "id"
    ), opted_out_phones AS (
      UPDATE "LeadPhone" SET "status" = 'opted_out'::"PhoneStatus", "updatedAt" = ${now}
      WHERE "organizationId" = ${organizationId} AND "number" = ${from} AND "status" = 'ok'::"PhoneStatus" AND EXISTS (SELECT 1 FROM suppression)
    ), auto_reply AS (
      ${autoReplyJob ?? Prisma.sql`SELECT NULL::uuid AS "id" WHERE false`}
    ), followup AS (
      ${followupJob ?? Prisma.sql`SELECT NULL::uuid AS "id" WHERE false`}
    )
    SELECT sender."current" AS "senderCurrent", recorded.*
    FROM sender LEFT JOIN (
      SELECT message."id" AS "messageId", conversation."id" AS "conversationId", conversation."leadId",
        (SELECT "id" FROM live) AS "liveSuppressionId", (SELECT "id" FROM suppression) AS "newSuppressionId",
        (SELECT count(*)::int FROM auto_reply) AS "autoReplyJobs", (SELECT count(*)::int FROM followup) AS "followupJobs"
      FROM conversation, message
    ) recorded ON true`);
  const { senderCurrent, ...recorded } = rows[0]!;
  if (!senderCurrent) return "stale_sender";
  return recorded.messageId ? recorded : null;
}

/** Pipeline stages a reply moves forward to `replied`; a lead further along (or dead) keeps its stage. */
const STATUSES_BEFORE_REPLIED: LeadStatus[] = ["new", "contacted"];

/**
 * A reply (not an opt-out or a wrong number) moves an early-stage lead to `replied`, with a
 * status_changed event on its timeline (the message itself is there already, see recordInbound).
 */
async function moveLeadToReplied(tx: Tx, input: { organizationId: string; leadId: string; messageId: string }) {
  const { organizationId, leadId, messageId } = input;
  const lead = await tx.lead.findFirst({ where: { id: leadId, organizationId }, select: { status: true } });
  if (!lead || !STATUSES_BEFORE_REPLIED.includes(lead.status)) return;
  // Conditional on the status read, so a concurrent move by a teammate is not overwritten.
  const { count } = await tx.lead.updateMany({ where: { id: leadId, organizationId, status: lead.status }, data: { status: "replied" } });
  if (count === 1) {
    await recordActivities(tx, [{ orgId: organizationId, leadId, actorId: null, kind: "status_changed", details: { from: lead.status, to: "replied", reason: "sms_reply", messageId } }]);
  }
}

const AUTO_REPLIED = new Set(["opt_out", "opt_in", "help"]);

/**
 * The keyword's automatic answer, queued with the message that asked for it (in its transaction
 * when given one): a crash after the message is recorded cannot lose the STOP confirmation. When
 * the queue cannot take it, that is logged, not answered with a 5xx: the message is recorded, and
 * Twilio's redelivery would be a duplicate.
 */
async function queueAutoReply(inboundMessageId: string, wasOptedOut: boolean, tx?: Tx) {
  try {
    if (tx) await enqueueInTransaction(tx, "sms-auto-reply", { inboundMessageId, wasOptedOut });
    else await enqueue("sms-auto-reply", { inboundMessageId, wasOptedOut }, { singletonKey: inboundMessageId });
  } catch (error) {
    if (tx && !isAppError(error, "QUEUE_UNAVAILABLE")) throw error;
    log.error({ err: error, inboundMessageId }, "could not queue the automatic SMS reply");
  }
}

/** The auto-reply job as part of recordInbound's statement: for its message, saying whether the number was already opted out. */
function autoReplyJobSql() {
  return jobInsertSql("sms-auto-reply", {
    data: Prisma.sql`jsonb_build_object('inboundMessageId', message."id", 'wasOptedOut', EXISTS (SELECT 1 FROM live))`,
    from: Prisma.sql`message`,
    where: Prisma.sql`true`,
  });
}

/** The follow-up job as part of recordInbound's statement, for its message. */
function followupJobSql() {
  return jobInsertSql("sms-inbound-followup", { data: Prisma.sql`jsonb_build_object('inboundMessageId', message."id")`, from: Prisma.sql`message`, where: Prisma.sql`true` });
}

/** The follow-up job when the statement could not queue it (the queue was not there yet); logged, not a 5xx, like queueAutoReply. */
async function queueFollowup(inboundMessageId: string, tx?: Tx) {
  try {
    if (tx) await enqueueInTransaction(tx, "sms-inbound-followup", { inboundMessageId });
    else await enqueue("sms-inbound-followup", { inboundMessageId }, { singletonKey: inboundMessageId });
  } catch (error) {
    if (tx && !isAppError(error, "QUEUE_UNAVAILABLE")) throw error;
    log.error({ err: error, inboundMessageId }, "could not queue what follows an inbound text");
  }
}

function suppressionEvidence(classification: SmsReplyClassification, body: string): string {
  return `${classification.reason} Message: "${body.slice(0, 500)}"`;
}

/** The other outcomes' effects, in the inbound transaction: START lifts the number's suppression, a wrong number suppresses that lead's phone. */
async function applyClassification(
  tx: Tx,
  input: { organizationId: string; phone: string; leadId: string | null; messageId: string; body: string; classification: SmsReplyClassification },
): Promise<{ suppressionId: string | null; wasOptedOut: boolean }> {
  const { organizationId, phone, leadId, messageId, classification } = input;
  const evidence = suppressionEvidence(classification, input.body);
  if (classification.outcome === "opt_in") {
    const lifted = await liftNumberSuppression(tx, { organizationId, phone, liftReason: `Opt-in reply (${classification.matchedText ?? "START"}), message ${messageId}` });
    return { suppressionId: null, wasOptedOut: lifted > 0 };
  }
  if (classification.suppression === "lead_phone" && leadId) {
    return { suppressionId: await suppress(tx, { organizationId, phone, leadId, reason: "wrong_number", sourceMessageId: messageId, evidence }), wasOptedOut: false };
  }
  return { suppressionId: null, wasOptedOut: false };
}

export type StatusWebhookResult = { duplicate: boolean; organizationId: string; messageId: string | null; applied: boolean };

/**
 * A delivery status callback. Recorded as an event always; applied to the message only when it
 * moves the status forward. A callback for a message whose send call has not yet returned its SID
 * is kept (messageId null) and applied by applyPendingStatuses.
 */
export async function handleStatusWebhook(db: Db, params: TwilioWebhookParams): Promise<StatusWebhookResult> {
  const messageSid = required(params, "MessageSid", SID);
  const twilioStatus = required(params, "MessageStatus").toLowerCase();
  const status = TWILIO_STATUS[twilioStatus];
  if (!status) throw new AppError("BAD_REQUEST", "Unknown MessageStatus.", { field: "MessageStatus" });
  const errorCode = params.ErrorCode?.trim() || null;
  const { organizationId } = await organizationForSender(db, [params.MessagingServiceSid, params.From], { messageSid, kind: "status" });

  return retryTransientConflicts(() => db.$transaction(async (tx) => {
    if (!(await recordWebhookEvent(tx, `${messageSid}:${twilioStatus}`, organizationId, "status", params))) {
      return { duplicate: true, organizationId, messageId: null, applied: false };
    }
    await lockProviderMessage(tx, messageSid);
    const message = await tx.message.findFirst({ where: { providerMessageId: messageSid, organizationId }, select: { id: true } });
    await tx.messageStatusEvent.create({ data: { organizationId, messageId: message?.id ?? null, providerMessageId: messageSid, status, errorCode } });
    if (!message) return { duplicate: false, organizationId, messageId: null, applied: false };
    const applied = await advanceStatus(tx, message.id, status, errorCode);
    return { duplicate: false, organizationId, messageId: message.id, applied };
  }));
}

async function advanceStatus(tx: Tx, messageId: string, status: MessageStatus, errorCode: string | null): Promise<boolean> {
  const { count } = await tx.message.updateMany({
    where: { id: messageId, status: { in: statusesBelow(status) } },
    data: { status, errorCode, statusUpdatedAt: new Date() },
  });
  return count === 1;
}

/**
 * For the send path, right after it stores the provider's message id: attaches status callbacks
 * that arrived first and applies the furthest one. The advisory lock shared with
 * handleStatusWebhook means a callback is seen either here or by the webhook, never by neither.
 */
export async function applyPendingStatuses(db: Db, providerMessageId: string): Promise<{ attached: number; status: MessageStatus | null }> {
  // Almost always nothing came early. Waiting for the message's lock (a status callback being
  // handled holds it until it commits) and then looking, in a statement of its own so it sees
  // that commit, answers that without a transaction: a callback handled after the wait finds the
  // message by its SID, which the caller saved before calling this.
  await querySql(db, Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${`twilio-message:${providerMessageId}`}, 0))`);
  const [early] = await querySql<{ pending: boolean; status: MessageStatus | null }>(
    db,
    Prisma.sql`SELECT EXISTS (SELECT 1 FROM "MessageStatusEvent" WHERE "providerMessageId" = ${providerMessageId} AND "messageId" IS NULL) AS "pending",
      (SELECT "status"::text FROM "Message" WHERE "providerMessageId" = ${providerMessageId}) AS "status"`,
  );
  if (!early?.pending) return { attached: 0, status: early?.status ?? null };
  return db.$transaction(async (tx) => {
    await lockProviderMessage(tx, providerMessageId);
    const message = await tx.message.findUnique({ where: { providerMessageId }, select: { id: true, organizationId: true, status: true } });
    if (!message) return { attached: 0, status: null };
    const pending = await tx.messageStatusEvent.findMany({
      where: { providerMessageId, organizationId: message.organizationId, messageId: null },
      orderBy: { receivedAt: "asc" },
    });
    if (pending.length === 0) return { attached: 0, status: message.status };
    await tx.messageStatusEvent.updateMany({ where: { id: { in: pending.map((e) => e.id) } }, data: { messageId: message.id } });
    const furthest = pending.reduce((best, e) => (STATUS_RANK[e.status] > STATUS_RANK[best.status] ? e : best));
    await advanceStatus(tx, message.id, furthest.status, furthest.errorCode);
    const after = await tx.message.findUniqueOrThrow({ where: { id: message.id }, select: { status: true } });
    return { attached: pending.length, status: after.status };
  });
}
