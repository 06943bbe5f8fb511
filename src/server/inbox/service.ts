import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { LeadStatus, Temperature } from "@/generated/prisma/enums";
import { evaluateSends } from "../compliance/decide";
import type { ServiceContext } from "../context";
import { querySql, type Db } from "../db";
import { AppError, isAppError, notFound } from "../errors";
import { enqueue, enqueueInTransaction } from "../jobs/queue";
import { changeLeadStatus } from "../lead-records/status";
import { log } from "../log";
import { asReplyOutcome, sendToLead } from "../messaging/conversations";
import { SendGuardRefused } from "../messaging/send";
import { settleUnansweredSend } from "../messaging/unanswered-send";
import { billingOfFailure } from "../providers/billing";
import { smsSender } from "../providers/registry";
import { isSmsSendError, type SmsSender } from "../providers/sms-sender";
import { raiseEvent } from "../realtime/raise";
import { containsPattern, parseGlobalSearch } from "@/lib/global-search-query";
import type { replyCheckOutput, scheduleReplyOutput, threadOutput, threadsInput, threadsOutput, ThreadSummary } from "./schema";

type Reader = Pick<ServiceContext, "db" | "orgId">;
type Actor = Pick<ServiceContext, "db" | "orgId" | "userId">;

// --- cursors --------------------------------------------------------------------------------

const encodeCursor = (at: Date, id: string) => `${at.getTime()}_${id}`;
function decodeCursor(cursor: string): { at: Date; id: string } {
  const split = cursor.indexOf("_");
  return { at: new Date(Number(cursor.slice(0, split))), id: cursor.slice(split + 1) };
}


// --- the thread list ------------------------------------------------------------------------

type ThreadRow = {
  id: string;
  phone: string;
  leadId: string | null;
  ownerName: string | null;
  addressLine1: string | null;
  city: string | null;
  state: string | null;
  leadStatus: LeadStatus | null;
  temperature: Temperature | null;
  lastMessageAt: Date;
  lastMessagePreview: string | null;
  lastDirection: "inbound" | "outbound" | null;
  unreadCount: number;
  archivedAt: Date | null;
  assignedUserId: string | null;
  assignedUserName: string | null;
  lastCampaignId: string | null;
  lastCampaignName: string | null;
  optedOut: boolean;
};

/** A live opt-out of the thread's number: org-wide, or for the thread's lead. */
const optedOutSql = Prisma.sql`EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = c."organizationId" AND s."phone" = c."phone"
  AND s."liftedAt" IS NULL AND (s."leadId" IS NULL OR s."leadId" = c."leadId"))`;

/**
 * The inbox's thread list, newest activity first, keyset-paged on (lastMessageAt, id) over the
 * (organizationId, lastMessageAt desc, id desc) index; the filters are columns the message
 * trigger keeps on the thread (unread, last direction, last campaign, archived) plus the lead's
 * temperature and the number's opt-out. Search matches the number's digits, the owner's name and
 * the property address (trigram indexes on Lead), and any message's text (trigram index on Message).
 */
export async function listThreads(ctx: Actor, input: z.output<typeof threadsInput>): Promise<z.output<typeof threadsOutput>> {
  const { filters } = input;
  const where: Prisma.Sql[] = [Prisma.sql`c."organizationId" = ${ctx.orgId}`, Prisma.sql`c."lastMessageAt" IS NOT NULL`];
  where.push(filters.archived ? Prisma.sql`c."archivedAt" IS NOT NULL` : Prisma.sql`c."archivedAt" IS NULL`);
  if (filters.unread) where.push(Prisma.sql`c."unreadCount" > 0`);
  if (filters.needsReply) where.push(Prisma.sql`c."lastDirection" = 'inbound'`);
  if (filters.assignedToMe) where.push(Prisma.sql`c."assignedUserId" = ${ctx.userId}`);
  if (filters.campaignId) where.push(Prisma.sql`c."lastCampaignId" = ${filters.campaignId}`);
  if (filters.temperature?.length) where.push(Prisma.sql`l."temperature"::text = ANY(${filters.temperature}::text[])`);
  if (filters.optedOut === true) where.push(optedOutSql);
  if (filters.optedOut === false) where.push(Prisma.sql`NOT ${optedOutSql}`);
  const q = input.q?.trim();
  if (q) {
    const pattern = containsPattern(q);
    const { phone, phoneDigits } = parseGlobalSearch(q);
    const matches: Prisma.Sql[] = [
      Prisma.sql`c."leadId" IN (SELECT sl."id" FROM "Lead" sl WHERE sl."organizationId" = ${ctx.orgId} AND (sl."ownerName" ILIKE ${pattern} OR sl."addressLine1" ILIKE ${pattern}))`,
      Prisma.sql`c."id" IN (SELECT sm."conversationId" FROM "Message" sm WHERE sm."organizationId" = ${ctx.orgId} AND sm."body" ILIKE ${pattern})`,
    ];
    // A number typed any way ("(512) 555-0142", "512-555"): the whole number, or its digits anywhere in
    // the E.164 form — only when the text is written as a number (the digits of "kbd36x5" are no phone).
    if (phone) matches.push(Prisma.sql`c."phone" = ${phone}`);
    else if (phoneDigits) matches.push(Prisma.sql`c."phone" LIKE ${containsPattern(phoneDigits)}`);
    where.push(Prisma.sql`(${Prisma.join(matches, " OR ")})`);
  }
  if (input.cursor) {
    const after = decodeCursor(input.cursor);
    where.push(Prisma.sql`(c."lastMessageAt", c."id") < (${after.at}, ${after.id})`);
  }
  const rows = await querySql<ThreadRow>(
    ctx.db,
    Prisma.sql`SELECT c."id", c."phone", c."leadId", l."ownerName", l."addressLine1", l."city", l."state", l."status"::text AS "leadStatus", l."temperature"::text AS "temperature",
        c."lastMessageAt", c."lastMessagePreview", c."lastDirection"::text AS "lastDirection", c."unreadCount", c."archivedAt",
        c."assignedUserId", u."name" AS "assignedUserName", c."lastCampaignId", camp."name" AS "lastCampaignName", ${optedOutSql} AS "optedOut"
      FROM "Conversation" c
      LEFT JOIN "Lead" l ON l."id" = c."leadId" AND l."organizationId" = c."organizationId"
      LEFT JOIN "User" u ON u."id" = c."assignedUserId"
      LEFT JOIN "Campaign" camp ON camp."id" = c."lastCampaignId" AND camp."organizationId" = c."organizationId"
      WHERE ${Prisma.join(where, " AND ")}
      ORDER BY c."lastMessageAt" DESC, c."id" DESC
      LIMIT ${input.limit + 1}`,
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { items: page.map(toSummary), nextCursor: rows.length > input.limit && last ? encodeCursor(last.lastMessageAt, last.id) : null };
}

function toSummary(row: ThreadRow): ThreadSummary {
  return {
    id: row.id,
    phone: row.phone,
    leadId: row.leadId,
    ownerName: row.ownerName,
    address: row.addressLine1 ? [row.addressLine1, row.city, row.state].filter(Boolean).join(", ") : null,
    leadStatus: row.leadStatus,
    temperature: row.temperature,
    lastMessageAt: row.lastMessageAt,
    lastMessagePreview: row.lastMessagePreview,
    lastDirection: row.lastDirection,
    unreadCount: row.unreadCount,
    assignedUser: row.assignedUserId ? { id: row.assignedUserId, name: row.assignedUserName } : null,
    archived: row.archivedAt !== null,
    optedOut: row.optedOut,
    lastCampaign: row.lastCampaignId && row.lastCampaignName ? { id: row.lastCampaignId, name: row.lastCampaignName } : null,
  };
}

/** Threads with unread inbound messages (archived ones aside): the nav badge. */
export async function unreadThreadCount(ctx: Reader) {
  const threads = await ctx.db.conversation.count({ where: { organizationId: ctx.orgId, unreadCount: { gt: 0 }, archivedAt: null } });
  return { threads };
}

// --- one thread -----------------------------------------------------------------------------

async function findThread(ctx: Reader, id: string) {
  const thread = await ctx.db.conversation.findFirst({
    where: { id, organizationId: ctx.orgId },
    select: { id: true, phone: true, leadId: true, unreadCount: true, lastInboundAt: true, archivedAt: true, assignedUser: { select: { id: true, name: true } } },
  });
  if (!thread) throw notFound("That conversation");
  return thread;
}

const stateOf = (thread: { id: string; unreadCount: number; archivedAt: Date | null; assignedUser: { id: string; name: string | null } | null }) => ({
  id: thread.id,
  unreadCount: thread.unreadCount,
  archived: thread.archivedAt !== null,
  assignedUser: thread.assignedUser,
});

/** Recent scheduled replies that did not go out stay on the thread this long, with why. */
const SCHEDULED_SHOWN_MS = 7 * 24 * 3_600_000;

/** A thread: its messages newest first (paged), delivery states, the lead's key facts, the number's opt-out. */
export async function getThread(ctx: Reader, input: { id: string; cursor?: string; limit: number }, sender: SmsSender = smsSender()): Promise<z.output<typeof threadOutput>> {
  const { db, orgId } = ctx;
  const thread = await findThread(ctx, input.id);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const [messages, lead, leadPhone, suppression, scheduled, senders, org] = await Promise.all([
    db.message.findMany({
      where: {
        conversationId: thread.id,
        organizationId: orgId,
        ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: input.limit + 1,
      select: {
        id: true,
        direction: true,
        body: true,
        status: true,
        errorCode: true,
        segments: true,
        costCents: true,
        replyOutcome: true,
        campaignId: true,
        createdAt: true,
        statusUpdatedAt: true,
      },
    }),
    thread.leadId
      ? db.lead.findFirst({
          where: { id: thread.leadId, organizationId: orgId },
          select: { id: true, ownerName: true, addressLine1: true, city: true, state: true, zip: true, status: true, temperature: true, score: true },
        })
      : null,
    thread.leadId ? db.leadPhone.findFirst({ where: { organizationId: orgId, leadId: thread.leadId, number: thread.phone }, select: { type: true, status: true, dnc: true } }) : null,
    db.suppression.findFirst({
      where: { organizationId: orgId, phone: thread.phone, liftedAt: null, OR: [{ leadId: null }, ...(thread.leadId ? [{ leadId: thread.leadId }] : [])] },
      orderBy: { createdAt: "desc" },
      select: { reason: true, createdAt: true, evidence: true },
    }),
    db.scheduledReply.findMany({
      where: {
        organizationId: orgId,
        conversationId: thread.id,
        OR: [{ status: { in: ["scheduled", "sending"] } }, { status: { in: ["blocked", "failed"] }, updatedAt: { gt: new Date(Date.now() - SCHEDULED_SHOWN_MS) } }],
      },
      orderBy: { sendAt: "asc" },
      select: { id: true, body: true, sendAt: true, status: true, outcome: true, createdAt: true },
    }),
    db.smsSenderIdentity.count({ where: { organizationId: orgId } }),
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, settings: { select: { smsBrandName: true } } } }),
  ]);
  const page = messages.slice(0, input.limit);
  const oldest = page.at(-1);
  return {
    ...stateOf(thread),
    phone: thread.phone,
    lead,
    leadPhone,
    suppression,
    messages: page.map((m) => ({ ...m, replyOutcome: asReplyOutcome(m.replyOutcome) })),
    nextCursor: messages.length > input.limit && oldest ? encodeCursor(oldest.createdAt, oldest.id) : null,
    scheduled,
    simulated: sender.simulated,
    hasSender: senders > 0,
    brand: org.settings?.smsBrandName?.trim() || org.name,
  };
}

// --- thread state (shared by the organization) ---------------------------------------------

/** Tells the organization's open inboxes a thread changed (read, assigned, archived …). */
async function threadChanged(ctx: Reader, id: string, kind: string) {
  await raiseEvent(ctx.db, { organizationId: ctx.orgId, topic: "inbox", subjectId: id, data: { kind } });
}

async function updateThread(ctx: Reader, id: string, data: Prisma.ConversationUncheckedUpdateManyInput, kind: string) {
  const { count } = await ctx.db.conversation.updateMany({ where: { id, organizationId: ctx.orgId }, data });
  if (count === 0) throw notFound("That conversation");
  await threadChanged(ctx, id, kind);
  return stateOf(await findThread(ctx, id));
}

export async function markRead(ctx: Reader, id: string) {
  const thread = await findThread(ctx, id);
  // Opening an already-read thread writes nothing and tells nobody.
  if (thread.unreadCount === 0) return stateOf(thread);
  await readUpTo(ctx, thread);
  return stateOf(await findThread(ctx, id));
}

/**
 * Marks the thread read as it was seen: only while no inbound text came after `seen` (a reply that
 * arrived meanwhile stays unread for the team). Tells the open inboxes when it wrote.
 */
async function readUpTo(ctx: Reader, seen: { id: string; lastInboundAt: Date | null }) {
  const { count } = await ctx.db.conversation.updateMany({
    where: { id: seen.id, organizationId: ctx.orgId, lastInboundAt: seen.lastInboundAt, unreadCount: { gt: 0 } },
    data: { unreadCount: 0 },
  });
  if (count > 0) await threadChanged(ctx, seen.id, "read");
}

export async function markUnread(ctx: Reader, id: string) {
  const thread = await findThread(ctx, id);
  return updateThread(ctx, thread.id, { unreadCount: Math.max(1, thread.unreadCount) }, "unread");
}

export async function assignThread(ctx: Reader, input: { id: string; userId: string | null }) {
  const thread = await findThread(ctx, input.id);
  if (input.userId) {
    const member = await ctx.db.membership.findFirst({ where: { organizationId: ctx.orgId, userId: input.userId, deactivatedAt: null }, select: { id: true } });
    if (!member) throw notFound("That teammate");
  }
  return updateThread(ctx, thread.id, { assignedUserId: input.userId }, "assigned");
}

export async function archiveThread(ctx: Reader, id: string, archived: boolean) {
  await findThread(ctx, id);
  return updateThread(ctx, id, { archivedAt: archived ? new Date() : null }, archived ? "archived" : "unarchived");
}

export async function setThreadLeadStatus(ctx: Actor, input: { id: string; status: LeadStatus }) {
  const thread = await findThread(ctx, input.id);
  if (!thread.leadId) throw new AppError("PRECONDITION_FAILED", "This number is not linked to a lead, so there is no status to change.");
  const changed = await changeLeadStatus(ctx.db, { orgId: ctx.orgId, leadId: thread.leadId, actorId: ctx.userId, status: input.status });
  await threadChanged(ctx, thread.id, "lead");
  return changed;
}

// --- replying -------------------------------------------------------------------------------

async function replyTarget(ctx: Reader, id: string) {
  const thread = await findThread(ctx, id);
  if (!thread.leadId) {
    throw new AppError("PRECONDITION_FAILED", "This number is not linked to a lead: add it to a lead to reply from the inbox.", { reason: "no_lead" });
  }
  return { ...thread, leadId: thread.leadId };
}

/**
 * What the send decision would answer for a reply on this thread right now (the reply box shows
 * it before sending): allowed, blocked with the reason, or deferred until an instant. Nothing is
 * recorded as a decision (nothing is sent); DNC checks are stored as evidence, purpose "inbox".
 */
export async function replyCheck(ctx: Actor, id: string): Promise<z.output<typeof replyCheckOutput>> {
  const thread = await replyTarget(ctx, id);
  const at = new Date();
  const [verdict] = await evaluateSends(ctx.db, {
    orgId: ctx.orgId,
    kind: "inbox_reply",
    at,
    actorUserId: ctx.userId,
    recipients: [{ phone: thread.phone, leadId: thread.leadId }],
    dncPurpose: "inbox",
  });
  if (!verdict || verdict.outcome === "allowed") return { outcome: "allowed", reason: null, message: null, until: null, decidedAt: at };
  return { outcome: verdict.outcome, reason: verdict.reason, message: verdict.message, until: verdict.outcome === "deferred" ? verdict.until : null, decidedAt: at };
}

/** A reply from the inbox: the lead's one-to-one send path (decision → budget → sender → message row). */
export async function reply(ctx: ServiceContext, input: { id: string; body: string; idempotencyKey?: string }, sender: SmsSender = smsSender()) {
  const thread = await replyTarget(ctx, input.id);
  const sent = await sendToLead(ctx, { leadId: thread.leadId, phone: thread.phone, body: input.body, idempotencyKey: input.idempotencyKey }, sender);
  // Answering reads the thread, as it was when the reply was written.
  if (thread.unreadCount > 0) await readUpTo(ctx, thread);
  return sent;
}

const scheduledSelect = { id: true, body: true, sendAt: true, status: true, outcome: true, createdAt: true } as const;

/**
 * A reply that quiet hours (or the frequency cap) hold back, scheduled for the first instant the
 * rules allow: a job then sends it through the same path, deciding again (an opt-out in between
 * stops it). A reply the rules block outright is refused now, with the reason.
 */
export async function scheduleReply(ctx: Actor, input: { id: string; body: string }): Promise<z.output<typeof scheduleReplyOutput>> {
  const thread = await replyTarget(ctx, input.id);
  const check = await replyCheck(ctx, thread.id);
  if (check.outcome === "blocked") throw new AppError("PRECONDITION_FAILED", check.message ?? "This number cannot be texted.", { reason: check.reason });
  const sendAt = check.until ?? new Date();
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.scheduledReply.create({
      data: { organizationId: ctx.orgId, conversationId: thread.id, leadId: thread.leadId, phone: thread.phone, body: input.body, sendAt, createdById: ctx.userId },
      select: scheduledSelect,
    });
    await enqueueInTransaction(tx, "inbox-scheduled-reply", { scheduledReplyId: row.id }, { startAfter: sendAt });
    await raiseEvent(tx, { organizationId: ctx.orgId, topic: "inbox", subjectId: thread.id, data: { kind: "scheduled" } });
    return row;
  });
}

export async function cancelScheduledReply(ctx: Reader, input: { id: string; scheduledReplyId: string }) {
  const { count } = await ctx.db.scheduledReply.updateMany({
    where: { id: input.scheduledReplyId, conversationId: input.id, organizationId: ctx.orgId, status: "scheduled" },
    data: { status: "cancelled" },
  });
  if (count === 0) throw notFound("That scheduled reply");
  await threadChanged(ctx, input.id, "scheduled");
  return { id: input.scheduledReplyId, status: "cancelled" as const };
}

const DEFER_REASONS = new Set(["quiet_hours", "frequency_cap"]);

/**
 * A claim ("sending") older than this was left by a worker that died mid-send (a send takes
 * seconds): the recovery job (every minute) or the job's retry takes the row over.
 */
const STALE_CLAIM_SECONDS = 120;

const MAY_HAVE_GONE_OUT = "The send was interrupted before Twilio confirmed it; the text may have gone out, so it was not sent again.";

type ClaimedReply = {
  id: string;
  organizationId: string;
  conversationId: string;
  leadId: string;
  phone: string;
  body: string;
  createdById: string | null;
  sendAt: Date;
  messageId: string | null;
  reservationId: string | null;
};

/**
 * The inbox-scheduled-reply job: claims the row (scheduled → sending, so a redelivered job sends
 * nothing), then sends through sendToLead, which decides again. Deferred again (a cap filled up
 * meanwhile) → scheduled for the new instant; blocked or failed → recorded on the row with why.
 *
 * Crash-safe: the outbound message row, the reply's messageId and its reservation are written in
 * one statement (the send's guard), before the provider is called. A claim left by a dead worker is
 * taken over once stale (recoverStaleScheduledReplies, every minute): with no message, nothing was
 * texted, and it sends; with a message, that send is settled (messaging/unanswered-send.ts) — sent,
 * sent-maybe (never texted twice), or, only when the sender says it never arrived, sent again.
 */
export async function runScheduledReply(db: Db, scheduledReplyId: string, sender: SmsSender = smsSender()): Promise<void> {
  const [claimed] = await querySql<ClaimedReply>(
    db,
    Prisma.sql`UPDATE "ScheduledReply" SET "status" = 'sending', "updatedAt" = now()
      WHERE "id" = ${scheduledReplyId}
        AND ("status" = 'scheduled' OR ("status" = 'sending' AND "updatedAt" < now() - make_interval(secs => ${STALE_CLAIM_SECONDS})))
      RETURNING "id", "organizationId", "conversationId", "leadId", "phone", "body", "createdById", "sendAt", "messageId", "reservationId"`,
  );
  if (!claimed) return;
  const finish = async (data: Prisma.ScheduledReplyUpdateInput) => {
    await db.scheduledReply.update({ where: { id: claimed.id }, data });
    await raiseEvent(db, { organizationId: claimed.organizationId, topic: "inbox", subjectId: claimed.conversationId, data: { kind: "scheduled" } });
  };
  if (claimed.messageId && !(await settledDeadSend(db, claimed, sender, finish))) return;

  const member = claimed.createdById
    ? await db.membership.findFirst({ where: { organizationId: claimed.organizationId, userId: claimed.createdById, deactivatedAt: null }, select: { role: true } })
    : null;
  if (!member || !claimed.createdById) {
    await finish({ status: "failed", outcome: "The teammate who scheduled this reply is no longer in the organization; it was not sent." });
    return;
  }
  const ctx: ServiceContext = { db, orgId: claimed.organizationId, userId: claimed.createdById, role: member.role, requestId: `scheduled-reply:${claimed.id}` };
  try {
    const sent = await sendToLead(ctx, { leadId: claimed.leadId, phone: claimed.phone, body: claimed.body }, sender, {
      // In the statement that writes the message row: the reply is still ours and has no message yet.
      guard: ({ messageId, reservationId }) =>
        Prisma.sql`UPDATE "ScheduledReply" SET "messageId" = ${messageId}, "reservationId" = ${reservationId}
          WHERE "id" = ${claimed.id} AND "status" = 'sending' AND "messageId" IS NULL RETURNING 1`,
    });
    await finish({ status: "sent", messageId: sent.id, outcome: null });
  } catch (error) {
    if (error instanceof SendGuardRefused) {
      // Another run took the reply over and wrote its message: that run finishes it.
      log.warn({ scheduledReplyId: claimed.id }, "scheduled reply already written by another run; not sent twice");
      return;
    }
    const details = isAppError(error) ? (error.details as { reason?: string; until?: string } | undefined) : undefined;
    if (details?.reason && DEFER_REASONS.has(details.reason) && details.until) {
      const sendAt = new Date(details.until);
      await db.scheduledReply.update({ where: { id: claimed.id }, data: { status: "scheduled", sendAt, outcome: isAppError(error) ? error.message : null } });
      await enqueue("inbox-scheduled-reply", { scheduledReplyId: claimed.id }, { startAfter: sendAt });
      return;
    }
    log.warn({ err: error, scheduledReplyId: claimed.id }, "scheduled inbox reply not sent");
    if (billingOfFailure(error).possiblyBilled) {
      // Twilio may have queued it (a timeout, a dropped connection): never sent again; its status callbacks tell.
      await finish({ status: "sent", outcome: MAY_HAVE_GONE_OUT });
      return;
    }
    if (!isSmsSendError(error) && (await db.scheduledReply.findUnique({ where: { id: claimed.id }, select: { messageId: true } }))?.messageId) {
      // Failed after its message was written, not by the provider's refusal (the database, a bug): the
      // text may be out. The claim stays for the takeover, which settles that send.
      return;
    }
    await finish({
      status: isAppError(error) && (error.appCode === "PRECONDITION_FAILED" || error.appCode === "KILL_SWITCH_ON") ? "blocked" : "failed",
      outcome: isAppError(error) ? error.message : "The send failed; write the reply again.",
    });
  }
}

/**
 * A dead worker's send of this reply (its message row was written): settled. True when nothing
 * reached the owner and the reply should be sent again (the reply's message is cleared); false
 * when the reply is finished here.
 */
async function settledDeadSend(db: Db, claimed: ClaimedReply, sender: SmsSender, finish: (data: Prisma.ScheduledReplyUpdateInput) => Promise<void>): Promise<boolean> {
  const message = await db.message.findUnique({ where: { id: claimed.messageId! }, select: { status: true, errorCode: true, providerMessageId: true, createdAt: true } });
  if (!message) {
    await db.scheduledReply.update({ where: { id: claimed.id }, data: { messageId: null, reservationId: null } });
    return true;
  }
  if (message.status === "failed" && !message.providerMessageId) {
    // The provider refused it and the worker died before recording that on the reply.
    await finish({ status: "failed", outcome: `The text was not sent${message.errorCode ? ` (error ${message.errorCode})` : ""}.` });
    return false;
  }
  const outcome = await settleUnansweredSend(
    db,
    { messageId: claimed.messageId!, reservationId: claimed.reservationId, phone: claimed.phone, body: claimed.body, messageCreatedAt: message.createdAt, providerMessageId: message.providerMessageId },
    sender,
  );
  log.warn({ scheduledReplyId: claimed.id, messageId: claimed.messageId, outcome }, "scheduled reply taken over after its worker stopped mid-send");
  if (outcome === "not_sent") {
    await db.scheduledReply.update({ where: { id: claimed.id }, data: { messageId: null, reservationId: null } });
    return true;
  }
  await finish({ status: "sent", outcome: outcome === "sent" ? null : MAY_HAVE_GONE_OUT });
  return false;
}

/** The recovery job: takes over scheduled replies whose worker stopped mid-send (claims older than the stale age). */
export async function recoverStaleScheduledReplies(db: Db, sender: SmsSender = smsSender()): Promise<number> {
  const stale = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "ScheduledReply" WHERE "status" = 'sending' AND "updatedAt" < now() - make_interval(secs => ${STALE_CLAIM_SECONDS}) ORDER BY "updatedAt" LIMIT 100`;
  for (const { id } of stale) await runScheduledReply(db, id, sender);
  if (stale.length > 0) log.warn({ count: stale.length }, "took over scheduled replies whose worker stopped mid-send");
  return stale.length;
}
