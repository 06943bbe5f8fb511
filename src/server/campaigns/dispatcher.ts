import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { Prisma } from "@/generated/prisma/client";
import { SEND_BLOCK_REASONS } from "../compliance/decisions-schema";
import { querySql, type Db } from "../db";
import { isAppError } from "../errors";
import { log } from "../log";
import { SendGuardRefused, sendSms } from "../messaging/send";
import { settleUnansweredSend } from "../messaging/unanswered-send";
import { notifyCampaignFinished } from "../notifications/producers";
import { billingOfFailure, NOT_BILLED } from "../providers/billing";
import { isSmsSendError, SmsSendError, type SmsSender } from "../providers/sms-sender";
import { newId } from "../ids";
import { claimSendInstant, pushBackSendClock, releaseSendInstant, takeSendSlot } from "./pace";
import { haltCampaign } from "./state";

/**
 * The campaign dispatcher (issue 11), run by the worker's `campaign-dispatch` job. Each run works
 * one campaign for a while with a few sends in flight, then says when it should run again.
 *
 * One recipient, exactly once:
 *   1. claim  — pending → sending (attempts + 1 is the claim's token), skipping rows another
 *               dispatcher holds; only while the campaign is running and the recipient is due;
 *   2. pace   — the organization's send clock (pace.ts) gives the slot; wait for it;
 *   3. check  — the campaign is still running (a pause or cancel stops here);
 *   4. send   — the one send path (messaging/send.ts): the compliance decision right now, the
 *               reservation, then the message row, written in the same transaction that ties it
 *               to this claim — before Twilio is called;
 *   5. record — sent / skipped (blocked) / pending again (deferred, Twilio busy) / failed.
 * A process that dies between 4 and 5 leaves `sending` rows behind; `recoverStaleClaims` settles
 * them: no message row → the provider was never called → pending again; a message Twilio took →
 * sent; a message row Twilio may or may not have taken → asked of the sender (findSent), and only
 * resent when the sender can say it never arrived.
 */

export type DispatchOptions = {
  signal: AbortSignal;
  sender: SmsSender;
  /** Sends in flight at once in this run (each waits for its own slot of the shared clock); by default from the rate. */
  concurrency?: number;
  /** How long one run works before handing over (other campaigns share the worker). */
  sliceMs?: number;
  /** A claim older than this with no answer recorded is a dead dispatcher's (longer than a send can take). */
  claimLeaseMs?: number;
};

export type DispatchResult = {
  /** When the campaign wants another run: now, when the next deferred recipient is due, or null (nothing left, or not running). */
  nextRunAt: Date | null;
  sent: number;
};

/** One run's work before it hands over (other campaigns share the worker's slots); well inside the job's expiry (queue.ts). */
const DEFAULT_SLICE_MS = 60_000;
/** The longest a send waits at the rate gate after its message row is written; then it is given back and tried later. */
const GATE_DEADLINE_MS = 10_000;
export const DEFAULT_CLAIM_LEASE_MS = 2 * 60_000;
/** Twilio busy (429, queue full): first pause, doubled per attempt, at most MAX. */
const BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
/** Claims of one recipient (deferrals, pauses and busy answers all count) before a busy Twilio fails it. */
const MAX_ATTEMPTS = 20;
/**
 * The longest the rate check's answer may take and still count: a slower one is given back and
 * asked again. Under the window's headroom (pace.ts: 1/0.96 s, ~42 ms) with room for the request itself.
 */
const GATE_ANSWER_MS = 20;
/** Sends in flight at once in one process's run (each holds a database connection while it works). */
const MAX_CONCURRENCY = 8;
/** With nothing due, a run waits in place this long for the next recipient before handing over. */
const WAIT_IN_PLACE_MS = 5_000;

type Claim = { id: string; phone: string; leadId: string | null; body: string; attempts: number; organizationId: string };
type CampaignRow = { id: string; organizationId: string; status: string; ratePerSecond: number; senderIdentity: { kind: "messaging_service" | "phone_number"; value: string } | null };

const BLOCK_REASONS: ReadonlySet<string> = new Set(SEND_BLOCK_REASONS);

async function claimNext(db: Db, campaignId: string): Promise<Claim | null> {
  const [claim] = await querySql<Claim>(
    db,
    Prisma.sql`UPDATE "CampaignRecipient" r SET status = 'sending', "claimedAt" = clock_timestamp(), attempts = r.attempts + 1, "updatedAt" = now()
      WHERE r.id = (
        SELECT c.id FROM "CampaignRecipient" c
        WHERE c."campaignId" = ${campaignId} AND c.status = 'pending' AND (c."notBefore" IS NULL OR c."notBefore" <= now())
          AND EXISTS (SELECT 1 FROM "Campaign" k WHERE k.id = ${campaignId} AND k.status = 'running')
        ORDER BY c."notBefore" NULLS FIRST, c."createdAt", c.id
        LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING r.id, r.phone, r."leadId", r.body, r.attempts, r."organizationId"`,
  );
  return claim ?? null;
}

/** Gives a claimed recipient back (nothing was sent for it), optionally not before an instant. */
async function unclaim(db: Db, claim: Claim, notBefore: Date | null = null): Promise<void> {
  // Pending again — or cancelled, when the campaign was cancelled meanwhile.
  await querySql(
    db,
    Prisma.sql`UPDATE "CampaignRecipient" r SET "status" = CASE WHEN c."status" = 'cancelled' THEN 'cancelled'::"CampaignRecipientStatus" ELSE 'pending'::"CampaignRecipientStatus" END,
        "notBefore" = ${notBefore}, "messageId" = NULL, "reservationId" = NULL, "claimedAt" = NULL, "updatedAt" = now()
      FROM "Campaign" c
      WHERE r."id" = ${claim.id} AND r."status" = 'sending' AND r."attempts" = ${claim.attempts} AND c."id" = r."campaignId"`,
  );
}

async function finish(db: Db, claim: Claim, data: { status: "sent" | "skipped" | "failed"; reason?: string | null; reasonMessage?: string | null; errorCode?: string | null }) {
  await querySql(
    db,
    Prisma.sql`UPDATE "CampaignRecipient" SET "status" = ${data.status}::"CampaignRecipientStatus", "reason" = COALESCE(${data.reason ?? null}, "reason"),
        "reasonMessage" = COALESCE(${data.reasonMessage ?? null}, "reasonMessage"), "errorCode" = COALESCE(${data.errorCode ?? null}, "errorCode"), "updatedAt" = now()
      WHERE "id" = ${claim.id} AND "status" = 'sending' AND "attempts" = ${claim.attempts}`,
  );
}

async function campaignStatus(db: Db, campaignId: string): Promise<string | null> {
  const [row] = await querySql<{ status: string }>(db, Prisma.sql`SELECT "status"::text AS "status" FROM "Campaign" WHERE "id" = ${campaignId}`);
  return row?.status ?? null;
}

/** Sends one claimed recipient through the one send path and records what happened. */
async function sendClaimed(db: Db, campaign: CampaignRow, claim: Claim, sender: SmsSender, signal: AbortSignal): Promise<"sent" | "stop" | "next"> {
  // Right before Twilio is called: the strict check of the organization's rate (pace.ts). An
  // answer that took long to come back is given back: the process was held up, and the instant it
  // recorded is no longer the instant it sends. Waiting is bounded (and ends on shutdown): the
  // send is then given back as "busy", its message row marked failed, the recipient tried later.
  const keepToRate = async () => {
    const deadline = Date.now() + GATE_DEADLINE_MS;
    for (;;) {
      if (signal.aborted || Date.now() > deadline) {
        throw new SmsSendError("PROVIDER_UNAVAILABLE", "The organization's send rate left no room for this text in time; it goes again shortly.", { code: null, permanent: false, effect: "retry_later" }, NOT_BILLED);
      }
      const asked = Date.now();
      const { waitMs, at } = await claimSendInstant(db, campaign.organizationId, campaign.ratePerSecond);
      if (waitMs === 0 && (at === null || Date.now() - asked <= GATE_ANSWER_MS)) return;
      if (waitMs === 0) await releaseSendInstant(db, campaign.organizationId, at!);
      else await sleep(waitMs);
    }
  };
  try {
    await sendSms(
      { db, orgId: campaign.organizationId, userId: null, requestId: `campaign:${campaign.id}:${newId()}` },
      { phone: claim.phone, leadId: claim.leadId, body: claim.body, kind: "campaign", campaignId: campaign.id },
      sender,
      {
        // The claim is tied to the message row in the statement that writes it (exactly once).
        guard: ({ messageId, reservationId }) =>
          Prisma.sql`UPDATE "CampaignRecipient" SET "messageId" = ${messageId}, "reservationId" = ${reservationId}
            WHERE "id" = ${claim.id} AND "status" = 'sending' AND "attempts" = ${claim.attempts} AND "messageId" IS NULL RETURNING 1`,
        senderIdentity: campaign.senderIdentity ?? undefined,
        beforeProviderCall: keepToRate,
      },
    );
    await finish(db, claim, { status: "sent" });
    return "sent";
  } catch (error) {
    return recordFailure(db, campaign, claim, error);
  }
}

async function recordFailure(db: Db, campaign: CampaignRow, claim: Claim, error: unknown): Promise<"stop" | "next"> {
  if (error instanceof SendGuardRefused) return "next";
  if (isSmsSendError(error)) {
    const { smsError } = error;
    if (smsError.effect === "retry_later") {
      if (claim.attempts >= MAX_ATTEMPTS) {
        await finish(db, claim, { status: "failed", errorCode: String(smsError.code ?? error.appCode), reasonMessage: `${error.message} (gave up after ${claim.attempts} attempts)` });
        return "next";
      }
      const backoff = Math.max((error.retryAfterSeconds ?? 0) * 1000, Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** Math.min(6, claim.attempts - 1)));
      await pushBackSendClock(db, campaign.organizationId, backoff);
      await unclaim(db, claim, new Date(Date.now() + backoff));
      return "next";
    }
    if (billingOfFailure(error).possiblyBilled) {
      // Twilio may have queued it: never sent again; its status callbacks will say what happened.
      await finish(db, claim, { status: "sent", errorCode: String(smsError.code ?? error.appCode), reasonMessage: error.message });
      return "next";
    }
    // 21610 suppresses, 21211 marks the phone invalid, 21614 a landline: send.ts recorded that on the phone.
    await finish(db, claim, { status: "failed", errorCode: String(smsError.code ?? error.appCode), reasonMessage: error.message });
    return "next";
  }
  if (isAppError(error)) {
    const reason = typeof error.details?.reason === "string" ? error.details.reason : null;
    if (error.appCode === "CAP_EXCEEDED") {
      await unclaim(db, claim);
      const resetsAt = typeof error.details?.resetsAt === "string" ? new Date(error.details.resetsAt) : null;
      await haltCampaign(db, campaign.id, { reason: "daily_cap", message: `Stopped at today's SMS cap: nothing was spent over it. ${resetsAt ? "It goes on by itself when the cap resets" : "It goes on when the cap resets"}, or after an admin raises the cap and you resume it.`, resumeAt: resetsAt });
      return "stop";
    }
    if (reason === "kill_switch") {
      await unclaim(db, claim);
      await haltCampaign(db, campaign.id, { reason: "kill_switch", message: `Halted: ${error.message} Resume the campaign once texting is switched back on.`, resumeAt: null });
      return "stop";
    }
    if (reason === "no_sender_identity") {
      await unclaim(db, claim);
      await haltCampaign(db, campaign.id, { reason: "no_sender", message: `Halted: ${error.message}`, resumeAt: null });
      return "stop";
    }
    if ((reason === "quiet_hours" || reason === "frequency_cap") && typeof error.details?.until === "string") {
      await unclaim(db, claim, new Date(error.details.until));
      return "next";
    }
    if (reason && BLOCK_REASONS.has(reason)) {
      await finish(db, claim, { status: "skipped", reason, reasonMessage: error.message });
      return "next";
    }
  }
  // Anything else (the database, a bug): if no message row was written, nothing was sent, so it
  // is tried again later; a message row without Twilio's answer is left to recoverStaleClaims.
  log.error({ err: error, campaignId: campaign.id, recipientId: claim.id }, "campaign send failed");
  await db.campaignRecipient.updateMany({
    where: { id: claim.id, status: "sending", attempts: claim.attempts, messageId: null },
    data: { status: "pending", notBefore: new Date(Date.now() + 30_000), claimedAt: null, reservationId: null },
  });
  return "next";
}

/**
 * Settles the claims of dispatchers that died mid-send (older than the lease): see the module
 * comment. Returns how many it settled.
 */
export async function recoverStaleClaims(db: Db, campaignId: string, sender: SmsSender, leaseMs = DEFAULT_CLAIM_LEASE_MS): Promise<number> {
  const stale = await querySql<{
    id: string;
    attempts: number;
    phone: string;
    body: string;
    messageId: string | null;
    reservationId: string | null;
    providerMessageId: string | null;
    messageCreatedAt: Date | null;
  }>(
    db,
    Prisma.sql`SELECT r.id, r.attempts, r.phone, r.body, r."messageId", r."reservationId", m."providerMessageId", m."createdAt" AS "messageCreatedAt"
      FROM "CampaignRecipient" r LEFT JOIN "Message" m ON m.id = r."messageId"
      WHERE r."campaignId" = ${campaignId} AND r.status = 'sending' AND r."claimedAt" < clock_timestamp() - ${leaseMs} * interval '1 millisecond'`,
  );
  for (const row of stale) {
    const where = { id: row.id, status: "sending" as const, attempts: row.attempts };
    if (!row.messageId) {
      await db.campaignRecipient.updateMany({ where, data: { status: "pending", claimedAt: null, reservationId: null } });
      continue;
    }
    const outcome = await settleUnansweredSend(
      db,
      { messageId: row.messageId, reservationId: row.reservationId, phone: row.phone, body: row.body, messageCreatedAt: row.messageCreatedAt!, providerMessageId: row.providerMessageId },
      sender,
    );
    if (outcome === "sent") await db.campaignRecipient.updateMany({ where, data: { status: "sent" } });
    // The sender never got it: the recipient goes again.
    else if (outcome === "not_sent") await db.campaignRecipient.updateMany({ where, data: { status: "pending", messageId: null, reservationId: null, claimedAt: null } });
    // The sender cannot tell: never risk texting the person twice.
    else await db.campaignRecipient.updateMany({ where, data: { status: "sent", reasonMessage: "The dispatcher stopped while this message was being sent; it may or may not have gone out, so it was not sent again." } });
  }
  if (stale.length > 0) log.warn({ campaignId, settled: stale.length }, "settled claims of a dispatcher that stopped mid-send");
  return stale.length;
}

/** Marks a running campaign completed when no recipient is waiting or in flight. */
async function completeIfDone(db: Db, campaignId: string): Promise<boolean> {
  // Its creator is notified in the transaction that completes it: once, and only if it did.
  return db.$transaction(async (tx) => {
    const count = await tx.$executeRaw`
      UPDATE "Campaign" SET status = 'completed', "completedAt" = now(), "updatedAt" = now()
      WHERE id = ${campaignId} AND status = 'running'
        AND NOT EXISTS (SELECT 1 FROM "CampaignRecipient" WHERE "campaignId" = ${campaignId} AND status IN ('pending', 'sending'))
        -- A follow-up sequence's recipient still in it (automation/sequences.ts): its next step comes.
        AND NOT EXISTS (SELECT 1 FROM "SequenceEnrollment" WHERE "campaignId" = ${campaignId} AND status = 'active')`;
    if (count > 0) await notifyCampaignFinished(tx, campaignId);
    return count > 0;
  });
}

async function nextDueAt(db: Db, campaignId: string): Promise<{ due: Date | null; inFlight: boolean }> {
  const [row] = await querySql<{ due: Date | null; inFlight: boolean }>(
    db,
    Prisma.sql`SELECT min(COALESCE("notBefore", now())) FILTER (WHERE status = 'pending') AS due, bool_or(status = 'sending') AS "inFlight"
      FROM "CampaignRecipient" WHERE "campaignId" = ${campaignId} AND status IN ('pending', 'sending')`,
  );
  return { due: row?.due ?? null, inFlight: row?.inFlight ?? false };
}

/** Starts a scheduled campaign whose time has come, and a cap-halted one whose cap has reset. */
async function startIfDue(db: Db, campaignId: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "Campaign" SET status = 'running', "haltReason" = NULL, "haltMessage" = NULL, "resumeAt" = NULL, "updatedAt" = now()
    WHERE id = ${campaignId} AND ((status = 'scheduled' AND "scheduledAt" <= now()) OR (status = 'halted' AND "resumeAt" <= now()))`;
}

/** One run of the dispatcher for one campaign (see the module comment). */
export async function runCampaignDispatch(db: Db, campaignId: string, options: DispatchOptions): Promise<DispatchResult> {
  const { signal, sender, sliceMs = DEFAULT_SLICE_MS, claimLeaseMs = DEFAULT_CLAIM_LEASE_MS } = options;
  await startIfDue(db, campaignId);
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    select: { id: true, organizationId: true, status: true, ratePerSecond: true, scheduledAt: true, resumeAt: true, senderIdentity: { select: { kind: true, value: true } } },
  });
  if (!campaign) return { nextRunAt: null, sent: 0 };
  if (campaign.status === "scheduled") return { nextRunAt: campaign.scheduledAt, sent: 0 };
  if (campaign.status === "halted") return { nextRunAt: campaign.resumeAt, sent: 0 };
  if (campaign.status !== "running") return { nextRunAt: null, sent: 0 };
  if (!campaign.senderIdentity) {
    await haltCampaign(db, campaignId, { reason: "no_sender", message: "Halted: the campaign's sender was removed. Choose another in a new campaign, or add the sender back in Settings → Texting and resume.", resumeAt: null });
    return { nextRunAt: null, sent: 0 };
  }
  await recoverStaleClaims(db, campaignId, sender, claimLeaseMs);
  await sender.warmUp?.();

  const endsAt = Date.now() + sliceMs;
  let sent = 0;
  let stopped = false;
  const lane = async () => {
    while (!stopped && !signal.aborted && Date.now() < endsAt) {
      const claim = await claimNext(db, campaignId);
      if (!claim) return;
      const waitMs = await takeSendSlot(db, campaign.organizationId, campaign.ratePerSecond);
      if (waitMs > 0) {
        try {
          await sleep(waitMs, undefined, { signal });
        } catch {
          await unclaim(db, claim);
          return;
        }
      }
      const status = await campaignStatus(db, campaignId);
      if (status !== "running") {
        if (status === "cancelled") await db.campaignRecipient.updateMany({ where: { id: claim.id, status: "sending", attempts: claim.attempts }, data: { status: "cancelled" } });
        else await unclaim(db, claim);
        stopped = true;
        return;
      }
      const outcome = await sendClaimed(db, campaign, claim, sender, signal);
      if (outcome === "sent") sent++;
      if (outcome === "stop") stopped = true;
    }
  };
  // A send takes tens of milliseconds of round trips: enough of them in flight to keep up with the rate.
  const concurrency = options.concurrency ?? Math.min(MAX_CONCURRENCY, Math.max(2, Math.ceil(campaign.ratePerSecond / 12)));
  await Promise.all(Array.from({ length: concurrency }, lane));

  if (signal.aborted) return { nextRunAt: new Date(), sent };
  if (stopped || (await campaignStatus(db, campaignId)) !== "running") {
    const after = await db.campaign.findUnique({ where: { id: campaignId }, select: { status: true, resumeAt: true } });
    return { nextRunAt: after?.status === "halted" ? after.resumeAt : null, sent };
  }
  if (Date.now() >= endsAt) return { nextRunAt: new Date(), sent };
  if (await completeIfDone(db, campaignId)) return { nextRunAt: null, sent };
  const { due, inFlight } = await nextDueAt(db, campaignId);
  if (due && due.getTime() - Date.now() <= WAIT_IN_PLACE_MS) return { nextRunAt: new Date(Math.max(Date.now(), due.getTime())), sent };
  // Another dispatcher's send in flight: look again soon (to complete the campaign, or recover it).
  if (inFlight) return { nextRunAt: new Date(Date.now() + Math.min(claimLeaseMs, 5_000)), sent };
  return { nextRunAt: due, sent };
}

