import { classifyInboundSms, type SmsReplyClassification } from "@/lib/sms-replies";
import { Prisma } from "@/generated/prisma/client";
import type { LeadStatus, MessageStatus } from "@/generated/prisma/enums";
import { lockUntilCommit, querySql, retryTransientConflicts, type Db } from "../db";
import { AppError, hasSqlState, isAppError, toAppError } from "../errors";
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
  return afterPreviousTextFrom(from, () => handleInboundText(db, { messageSid, from, body, segments, candidates, params }));
}

async function handleInboundText(
  db: Db,
  input: { messageSid: string; from: string; body: string; segments: number; candidates: (string | undefined)[]; params: TwilioWebhookParams },
): Promise<InboundWebhookResult> {
  const { messageSid, from, body, segments, candidates, params } = input;
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
  if (classification.suppression === "number") {
    const recorded = await recordNumberOptOut(db, { ...input, sender, classification, autoReply });
    if (!recorded) return null;
    const { autoReplyJobs, followupJobs, ...result } = recorded;
    // Queued by the statement itself, unless the queue could not start (then this logs why).
    if (!result.duplicate && autoReply && autoReplyJobs === 0) await queueAutoReply(result.messageId, result.wasOptedOut);
    if (!result.duplicate && followupJobs === 0) await queueFollowup(result.messageId);
    return result;
  }
  // The automatic answer (HELP, START) is queued below, once the transaction knows whether START lifted an opt-out.
  const inbound = { ...input, sender, classification, autoReply: false };
  try {
    // Built before the transaction: the first build may look up pg-boss's tables on the pool, which a
    // transaction holding its own connection must not wait for (a burst could hold every connection).
    const jobs = await inboundJobsSql();
    return await db.$transaction(async (tx) => {
      const written = await recordInbound(tx, sender, [inbound], jobs);
      if (written === "stale_sender") throw new StaleSender();
      const [recorded] = written.recorded;
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
 * nothing; a failure writes nothing, so Twilio's retry records it). Opt-outs to one sender that
 * arrive while its statement runs share the next one (see optOutGroups).
 */
async function recordNumberOptOut(db: Db, input: InboundToRecord): Promise<(InboundWebhookResult & { autoReplyJobs: number; followupJobs: number }) | null> {
  const { sender: { organizationId }, from, classification } = input;
  const recorded = await recordOptOutWithOthers(db, input);
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

/**
 * At most this many opt-outs in one statement, and one statement of a sender's running at a time.
 * Measured with 10 concurrent senders of STOPs (2 cores): one at a time records 5 a statement on
 * average for about half the Postgres CPU per STOP of one statement each (2.6–3.1 against 6.0 ms);
 * two at a time (sessions 12 and 13) made smaller statements, no more STOPs a second, and more CPU.
 */
const MAX_OPT_OUTS_PER_STATEMENT = 50;
const OPT_OUT_LOCK_TIMEOUT = "1s";
/** Postgres: lock_not_available, which a statement past its lock_timeout raises. */
const LOCK_TIMEOUT_SQLSTATE = "55P03";

type WaitingOptOut = { input: InboundToRecord; resolve: (recorded: RecordedMessage | null | "stale_sender") => void; reject: (error: unknown) => void };
type OptOutGroup = { running: boolean; waiting: WaitingOptOut[] };

/**
 * Opt-outs waiting for their statement, per database client and sender (organization, identities,
 * settings version). Group commit: an opt-out that finds no statement running for its sender starts
 * one at once; those that arrive meanwhile wait and go together in the next, so under load one
 * statement and one commit record many (Twilio sends a campaign's STOPs in bursts) and a lone STOP
 * waits for nothing. Each still gets its 200 only after its own rows have committed.
 */
const optOutGroups = new WeakMap<Db, Map<string, OptOutGroup>>();

/**
 * By number, the last inbound text this process received from it, until it has been handled. A
 * text is written only after the one received before it from the same number (which waited for its
 * own predecessor), so a number's texts take effect in the order they were received: otherwise a
 * START that overtook its STOP (the STOP still looking up its sender, or waiting for its sender's
 * running statement) would commit first, lift nothing, and leave the number opted out, and a STOP
 * that overtook a START would be lifted by it. By number alone, before the sender is known: a text
 * waits at most for the same person's earlier ones; texts from different numbers never wait.
 */
const lastInboundTextFrom = new Map<string, Promise<unknown>>();

function afterPreviousTextFrom<T>(phone: string, handle: () => Promise<T>): Promise<T> {
  const previous = lastInboundTextFrom.get(phone);
  // After the previous text whatever its outcome (its own), and at once when there is none.
  const handling = previous ? previous.catch(() => undefined).then(handle) : handle();
  lastInboundTextFrom.set(phone, handling);
  const forget = () => {
    if (lastInboundTextFrom.get(phone) === handling) lastInboundTextFrom.delete(phone);
  };
  handling.then(forget, forget);
  return handling;
}

function recordOptOutWithOthers(db: Db, input: InboundToRecord): Promise<RecordedMessage | null | "stale_sender"> {
  const { sender } = input;
  const key = JSON.stringify([sender.organizationId, sender.settingsVersion, sender.candidates]);
  let groups = optOutGroups.get(db);
  if (!groups) optOutGroups.set(db, (groups = new Map()));
  let group = groups.get(key);
  if (!group) groups.set(key, (group = { running: false, waiting: [] }));
  const recorded = new Promise<RecordedMessage | null | "stale_sender">((resolve, reject) => group.waiting.push({ input, resolve, reject }));
  startOptOutStatement(db, groups, key, group);
  return recorded;
}

/** Starts the sender's next statement with the waiting opt-outs, unless one is running; forgets the sender once none waits. */
function startOptOutStatement(db: Db, groups: Map<string, OptOutGroup>, key: string, group: OptOutGroup) {
  if (group.running) return;
  // One row per phone and per MessageSid in a statement: the others wait for the next.
  const batch: WaitingOptOut[] = [];
  const taken = new Set<string>();
  group.waiting = group.waiting.filter((waiting) => {
    const { from, messageSid } = waiting.input;
    if (batch.length >= MAX_OPT_OUTS_PER_STATEMENT || taken.has(from) || taken.has(messageSid)) return true;
    taken.add(from).add(messageSid);
    batch.push(waiting);
    return false;
  });
  if (batch.length === 0) {
    groups.delete(key);
    return;
  }
  // Rows locked in one order (by phone) in every statement.
  batch.sort((a, b) => (a.input.from < b.input.from ? -1 : a.input.from > b.input.from ? 1 : 0));
  group.running = true;
  void runOptOutStatement(db, batch).finally(() => {
    group.running = false;
    startOptOutStatement(db, groups, key, group);
  });
}

/**
 * A sender's running statement waits at most OPT_OUT_LOCK_TIMEOUT for a row another transaction
 * holds (a teammate's bulk action, an import): then, as when one opt-out of several cannot be
 * written, each runs on its own at once, outside this sender's running statements, so one phone
 * cannot hold up the others. A busy database refuses them all (DATABASE_BUSY, 503), as it would one.
 */
async function runOptOutStatement(db: Db, batch: WaitingOptOut[]) {
  try {
    settle(batch, await recordOptOuts(db, batch.map((waiting) => waiting.input), { boundedLockWait: true }));
  } catch (error) {
    if ((batch.length === 1 && !hasSqlState(error, LOCK_TIMEOUT_SQLSTATE)) || toAppError(error).appCode === "DATABASE_BUSY") {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    for (const waiting of batch) {
      void recordOptOuts(db, [waiting.input], { boundedLockWait: false }).then((written) => settle([waiting], written), waiting.reject);
    }
  }
}

function settle(batch: WaitingOptOut[], written: { recorded: (RecordedMessage | null)[] } | "stale_sender") {
  batch.forEach((waiting, i) => waiting.resolve(written === "stale_sender" ? "stale_sender" : written.recorded[i]!));
}

/**
 * Opt-outs to one sender in one autocommitted statement (run again if Postgres picked it as a
 * deadlock's victim: it wrote nothing). Once it has committed, its live events are queued for
 * notifying and the caller goes on: the sender's next statement does not wait for that round trip.
 */
async function recordOptOuts(db: Db, inputs: InboundToRecord[], { boundedLockWait }: { boundedLockWait: boolean }) {
  const lockTimeout = boundedLockWait ? OPT_OUT_LOCK_TIMEOUT : null;
  const jobs = await inboundJobsSql();
  const written = await retryTransientConflicts(() => recordInbound(db, inputs[0]!.sender, inputs, jobs, { notifyAfterCommit: true, lockTimeout }));
  if (written !== "stale_sender") await notifyInCommitOrder(db, written.events);
  return written;
}

/** Past this many committed statements waiting for their notify, the next statement waits as well. */
export const MAX_NOTIFIES_WAITING = 20;

/** Per database client, the committed statements' live events, notified one statement after another in the order they committed. */
const notifyQueues = new WeakMap<Db, { last: Promise<void>; waiting: number }>();

/** How many committed statements' notifies wait to be sent on this client (for tests and diagnostics). */
export function notifiesWaiting(db: Db): number {
  return notifyQueues.get(db)?.waiting ?? 0;
}

/** Queues a committed statement's notify; resolves at once unless the notifies have fallen behind (then when this one is sent). */
async function notifyInCommitOrder(db: Db, events: RaisedEvents): Promise<void> {
  const { eventsAfter, xact } = events;
  if (xact === null) return;
  let queue = notifyQueues.get(db);
  if (!queue) notifyQueues.set(db, (queue = { last: Promise.resolve(), waiting: 0 }));
  const notifying = queue;
  notifying.waiting++;
  // notifyCommittedEvents logs its failures, never rejects: one failed notify does not stop the queue.
  const sent = notifying.last.then(() => notifyCommittedEvents(db, { eventsAfter, xact })).finally(() => notifying.waiting--);
  notifying.last = sent;
  if (notifying.waiting > MAX_NOTIFIES_WAITING) await sent;
}

type InboundToRecord = {
  sender: SenderOrganization;
  /** Whether the statement queues the automatic answer (the STOP confirmation) with the message. */
  autoReply: boolean;
  messageSid: string;
  from: string;
  body: string;
  segments: number;
  classification: SmsReplyClassification;
  payload: TwilioWebhookParams;
};

/**
 * What identifies the live events a statement run with notifyAfterCommit raised: the event id
 * sequence's last value before it raised any, and its transaction (null when it wrote nothing).
 */
type RaisedEvents = { eventsAfter: string; xact: string | null };

/** One inbound message's rows as recordInbound wrote them. */
type RecordedMessage = {
  messageId: string;
  conversationId: string;
  leadId: string | null;
  /** The number's live org-wide suppression as it was before this message. */
  liveSuppressionId: string | null;
  /** The org-wide suppression this message recorded (a STOP or refusal from a number not yet suppressed). */
  newSuppressionId: string | null;
  /** Jobs the statement queued for it (the automatic answer, what follows a reply). */
  autoReplyJobs: number;
  followupJobs: number;
};

/**
 * One statement for one or more inbound texts to the same sender (atomic on its own; inside the
 * caller's transaction when other writes follow). For each: the idempotency row first, and only
 * when it is new (a redelivery writes nothing): the conversation (created with the phone's lead,
 * or touched), the message, the message on the lead's timeline and, for a message that opts the
 * number out, its org-wide suppression (when none is live) with the number's lead phones marked
 * opted out — what compliance/suppressions.ts `suppress` records, in the same statement as the
 * event row. No two inputs may share a phone or a MessageSid (one row each per statement). Null
 * for an input that was a redelivery; "stale_sender" (nothing written) when the sender's identities
 * no longer belong to exactly this organization or its reply settings changed since the lookup
 * (see recentSenders).
 */
async function recordInbound(
  tx: Db | Tx,
  sender: SenderOrganization,
  inputs: InboundToRecord[],
  { autoReplyJob, followupJob }: InboundJobsSql,
  { notifyAfterCommit = false, lockTimeout = null }: { notifyAfterCommit?: boolean; lockTimeout?: string | null } = {},
): Promise<{ events: RaisedEvents; recorded: (RecordedMessage | null)[] } | "stale_sender"> {
  // notifyAfterCommit (an autocommitted statement only): its live events are stored but not
  // notified by their trigger, and the caller notifies them once it has committed (see
  // notifyCommittedEvents). A NOTIFY in the statement's own transaction would hold Postgres's
  // notify lock through its commit flush, so concurrent STOPs would commit one flush at a time.
  const deferNotify = notifyAfterCommit ? Prisma.sql`set_config('leadflow.notify_after_commit', 'on', true) = 'on' AND` : Prisma.empty;
  // Set in the first CTE, before any row is locked (an autocommitted statement's own transaction).
  const boundedLockWait = lockTimeout ? Prisma.sql`set_config('lock_timeout', ${lockTimeout}, true) IS NOT NULL AND` : Prisma.empty;
  const { organizationId } = sender;
  const column = <T>(pick: (input: InboundToRecord) => T) => inputs.map(pick);
  // Timestamps are UTC wall-clock like Prisma's; one instant for every row (the transaction's start).
  const now = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
  const rows = await querySql<RecordedMessage & { idx: number; senderCurrent: boolean; eventsAfter: string; xact: string | null; autoReplyJobsQueued: number; followupJobsQueued: number }>(tx, Prisma.sql`
    WITH sender AS (
      SELECT
        ${deferNotify}
        ${boundedLockWait}
        (SELECT array_agg(DISTINCT "organizationId") FROM "SmsSenderIdentity" WHERE "value" = ANY(${sender.candidates}::text[])) = ARRAY[${organizationId}::text]
        AND (SELECT "updatedAt"::text FROM "OrganizationSettings" WHERE "organizationId" = ${organizationId}) IS NOT DISTINCT FROM ${sender.settingsVersion}::text
        AS "current",
        (SELECT CASE WHEN "is_called" THEN "last_value" ELSE "last_value" - 1 END FROM "RealtimeEvent_id_seq")::text AS "eventsAfter"
    ), input AS (
      SELECT i.* FROM unnest(
        ${inputs.map((_, idx) => idx)}::int[], ${column(() => newId())}::text[], ${column((i) => i.messageSid)}::text[], ${column((i) => i.from)}::text[],
        ${column((i) => i.body)}::text[], ${column((i) => i.segments)}::int[], ${column((i) => JSON.stringify(i.payload))}::jsonb[],
        ${column((i) => i.classification.outcome)}::text[], ${column((i) => i.classification.suppression === "number")}::boolean[],
        ${column((i) => (i.classification.outcome === "opt_out" ? "keyword" : "refusal"))}::text[], ${column((i) => suppressionEvidence(i.classification, i.body))}::text[],
        ${column((i) => suppressionLiveKey(i.from, null))}::text[], ${column((i) => i.autoReply)}::boolean[],
        ${column(() => newId())}::text[], ${column(() => newId())}::text[], ${column(() => newId())}::text[], ${column(() => newId())}::text[]
      ) AS i("idx", "eventRowId", "sid", "phone", "body", "segments", "payload", "outcome", "suppressNumber", "reason", "evidence", "liveKey", "autoReply",
             "conversationRowId", "messageRowId", "activityRowId", "suppressionRowId")
      WHERE (SELECT "current" FROM sender)
    ), event AS (
      INSERT INTO "ProviderWebhookEvent" ("id", "provider", "eventId", "organizationId", "kind", "payload", "receivedAt")
      SELECT input."eventRowId", ${WEBHOOK_PROVIDER}, input."sid", ${organizationId}, 'inbound', input."payload", ${now} FROM input
      ON CONFLICT ("provider", "eventId") DO NOTHING
      RETURNING "eventId"
    ), fresh AS (
      SELECT input.* FROM input JOIN event ON event."eventId" = input."sid"
    ), phone_owner AS (
      -- The number's lead and its live suppression (live, below) are probed one key at a time (LIMIT and
      -- OFFSET 0 keep each lateral a probe): joined to the input, Postgres scanned the organization's
      -- phones and suppressions on each statement.
      SELECT input."phone" AS "number", owner."leadId" FROM input
      CROSS JOIN LATERAL (
        SELECT p."leadId" FROM "LeadPhone" p WHERE p."organizationId" = ${organizationId} AND p."number" = input."phone" ORDER BY p."updatedAt" DESC LIMIT 1
      ) owner
    ), conversation AS (
      INSERT INTO "Conversation" ("id", "organizationId", "phone", "leadId", "lastMessageAt", "createdAt", "updatedAt")
      SELECT fresh."conversationRowId", ${organizationId}, fresh."phone", phone_owner."leadId", ${now}, ${now}, ${now}
      FROM fresh LEFT JOIN phone_owner ON phone_owner."number" = fresh."phone"
      ON CONFLICT ("organizationId", "phone") DO UPDATE SET "lastMessageAt" = EXCLUDED."lastMessageAt", "updatedAt" = EXCLUDED."updatedAt"
      RETURNING "id", "phone", COALESCE("leadId", (SELECT o."leadId" FROM phone_owner o WHERE o."number" = "Conversation"."phone")) AS "leadId"
    ), message AS (
      INSERT INTO "Message" ("id", "organizationId", "conversationId", "direction", "body", "segments", "status", "providerMessageId", "replyOutcome", "createdAt", "statusUpdatedAt")
      SELECT fresh."messageRowId", ${organizationId}, conversation."id", 'inbound'::"MessageDirection", fresh."body", fresh."segments", 'received'::"MessageStatus", fresh."sid", fresh."outcome", ${now}, ${now}
      FROM fresh JOIN conversation ON conversation."phone" = fresh."phone"
      RETURNING "id", "providerMessageId"
    ), live AS (
      SELECT s."id", s."liveKey" FROM input
      CROSS JOIN LATERAL (SELECT "id", "liveKey" FROM "Suppression" WHERE "organizationId" = ${organizationId} AND "liveKey" = input."liveKey" OFFSET 0) s
    ), recorded AS (
      SELECT fresh.*, message."id" AS "messageId", conversation."id" AS "conversationId", conversation."leadId", live."id" AS "liveSuppressionId"
      FROM fresh JOIN message ON message."providerMessageId" = fresh."sid" JOIN conversation ON conversation."phone" = fresh."phone"
        LEFT JOIN live ON live."liveKey" = fresh."liveKey"
    ), timeline AS (
      INSERT INTO "ActivityEvent" ("id", "organizationId", "leadId", "actorId", "kind", "details", "createdAt")
      SELECT recorded."activityRowId", ${organizationId}, recorded."leadId", NULL, 'message_in'::"ActivityKind",
        jsonb_build_object('messageId', recorded."messageId", 'phone', recorded."phone", 'outcome', recorded."outcome"), ${now}
      FROM recorded WHERE recorded."leadId" IS NOT NULL
    ), suppression AS (
      INSERT INTO "Suppression" ("id", "organizationId", "phone", "reason", "leadId", "sourceMessageId", "actorUserId", "evidence", "createdAt", "liveKey")
      SELECT recorded."suppressionRowId", ${organizationId}, recorded."phone", recorded."reason"::"SuppressionReason", NULL, recorded."messageId", NULL, recorded."evidence", ${now}, recorded."liveKey"
      FROM recorded
      WHERE recorded."suppressNumber" AND recorded."liveSuppressionId" IS NULL
      ON CONFLICT ("organizationId", "liveKey") DO NOTHING
      RETURNING "id", "phone"
    ), opted_out_phones AS (
      UPDATE "LeadPhone" SET "status" = 'opted_out'::"PhoneStatus", "updatedAt" = ${now}
      WHERE "organizationId" = ${organizationId} AND "number" IN (SELECT "phone" FROM suppression) AND "status" = 'ok'::"PhoneStatus"
    ), auto_reply AS (
      ${autoReplyJob ?? Prisma.sql`SELECT NULL::uuid AS "id" WHERE false`}
    ), followup AS (
      ${followupJob ?? Prisma.sql`SELECT NULL::uuid AS "id" WHERE false`}
    )
    SELECT sender."current" AS "senderCurrent", sender."eventsAfter", pg_current_xact_id_if_assigned()::text AS "xact",
      (SELECT count(*)::int FROM auto_reply) AS "autoReplyJobsQueued", (SELECT count(*)::int FROM followup) AS "followupJobsQueued",
      recorded."idx", recorded."messageId", recorded."conversationId", recorded."leadId", recorded."liveSuppressionId", suppression."id" AS "newSuppressionId"
    FROM sender
      LEFT JOIN recorded ON true
      LEFT JOIN suppression ON suppression."phone" = recorded."phone"`);
  const [first] = rows;
  if (!first!.senderCurrent) return "stale_sender";
  const byIndex = new Map(rows.filter((row) => row.messageId).map((row) => [row.idx, row]));
  const recorded = inputs.map((input, idx): RecordedMessage | null => {
    const row = byIndex.get(idx);
    if (!row) return null;
    // The statement queues every job or none (none only while its queue does not exist yet).
    return {
      messageId: row.messageId, conversationId: row.conversationId, leadId: row.leadId, liveSuppressionId: row.liveSuppressionId, newSuppressionId: row.newSuppressionId,
      autoReplyJobs: input.autoReply && row.autoReplyJobsQueued > 0 ? 1 : 0,
      followupJobs: row.followupJobsQueued > 0 ? 1 : 0,
    };
  });
  return { events: { eventsAfter: first!.eventsAfter, xact: first!.xact }, recorded };
}

/**
 * Notifies the live events a committed statement run with notifyAfterCommit raised (exactly that
 * transaction's, see leadflow_notify_committed), in a transaction of its own that waits for no
 * disk flush. A failure is logged, not answered with a 5xx: the message is recorded, and the
 * events stay in the table, where a subscriber that reconnects replays them.
 */
async function notifyCommittedEvents(db: Db, { eventsAfter, xact }: RaisedEvents & { xact: string }) {
  try {
    await querySql(db, Prisma.sql`SELECT leadflow_notify_committed(${eventsAfter}::bigint, ${xact}::xid8)`);
  } catch (error) {
    log.error({ err: error, xact }, "could not notify an inbound text's live events");
  }
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

/** The job inserts recordInbound's statement makes (null where pg-boss's tables do not exist yet). */
type InboundJobsSql = { autoReplyJob: Prisma.Sql | null; followupJob: Prisma.Sql | null };
async function inboundJobsSql(): Promise<InboundJobsSql> {
  return { autoReplyJob: await autoReplyJobSql(), followupJob: await followupJobSql() };
}

/** The auto-reply job as part of recordInbound's statement: for each recorded message that asks for one, saying whether the number was already opted out. */
function autoReplyJobSql() {
  return jobInsertSql("sms-auto-reply", {
    data: Prisma.sql`jsonb_build_object('inboundMessageId', recorded."messageId", 'wasOptedOut', recorded."liveSuppressionId" IS NOT NULL)`,
    from: Prisma.sql`recorded`,
    where: Prisma.sql`recorded."autoReply"`,
  });
}

/** The follow-up job as part of recordInbound's statement, for each recorded message. */
function followupJobSql() {
  return jobInsertSql("sms-inbound-followup", { data: Prisma.sql`jsonb_build_object('inboundMessageId', recorded."messageId")`, from: Prisma.sql`recorded`, where: Prisma.sql`true` });
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
