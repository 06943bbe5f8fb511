import "server-only";
import type { Db } from "../db";
import { release, settle } from "../budget/ledger";
import type { SmsSender } from "../providers/sms-sender";
import { applyPendingStatuses } from "./webhooks";

/** A send whose process died between writing its message row and recording the provider's answer. */
export type UnansweredSend = {
  messageId: string;
  /** The reservation the send held (null when it is not known: then nothing is settled here). */
  reservationId: string | null;
  phone: string;
  body: string;
  messageCreatedAt: Date;
  /** Twilio's SID, when the dead process had saved it. */
  providerMessageId: string | null;
};

/**
 * What became of it:
 * - "sent": the provider took it (its SID was saved, or the sender found it): the reservation is
 *   settled as billed and status callbacks that came early are applied;
 * - "not_sent": the sender says it never arrived: the message row is marked failed (NOT_SENT) and
 *   the money given back — the caller may send it again;
 * - "unknown": the sender cannot tell: never sent again, the cost counted as possibly billed.
 */
export type UnansweredSendOutcome = "sent" | "not_sent" | "unknown";

/** Settles a send left unanswered by a dead process (campaign claims, scheduled inbox replies). */
export async function settleUnansweredSend(db: Db, send: UnansweredSend, sender: SmsSender): Promise<UnansweredSendOutcome> {
  if (send.providerMessageId) {
    await closeSendReservation(db, send.reservationId, "billed", send.messageId, sender.simulated);
    await applyPendingStatuses(db, send.providerMessageId);
    return "sent";
  }
  const found = sender.findSent ? await sender.findSent({ to: send.phone, body: send.body, since: new Date(send.messageCreatedAt.getTime() - 60_000) }) : undefined;
  if (found) {
    await db.message.update({ where: { id: send.messageId }, data: { providerMessageId: found.providerMessageId, segments: found.segments } });
    await closeSendReservation(db, send.reservationId, "billed", send.messageId, sender.simulated);
    await applyPendingStatuses(db, found.providerMessageId);
    return "sent";
  }
  if (found === null) {
    await db.message.update({ where: { id: send.messageId }, data: { status: "failed", errorCode: "NOT_SENT", statusUpdatedAt: new Date() } });
    await closeSendReservation(db, send.reservationId, "release", send.messageId, sender.simulated);
    return "not_sent";
  }
  await closeSendReservation(db, send.reservationId, "unconfirmed", send.messageId, sender.simulated);
  return "unknown";
}

/** The reservation a dead send left open: settled as billed (or possibly billed), or released. */
async function closeSendReservation(db: Db, reservationId: string | null, outcome: "billed" | "unconfirmed" | "release", messageId: string, simulated: boolean): Promise<void> {
  if (!reservationId) return;
  const open = await db.spendReservation.findFirst({ where: { id: reservationId, status: "reserved" }, select: { id: true, organizationId: true, provider: true, day: true, cents: true } });
  if (!open) return;
  const reservation = { id: open.id, orgId: open.organizationId, provider: open.provider, day: open.day.toISOString().slice(0, 10), cents: open.cents };
  if (outcome === "release") {
    await release(db, reservation);
    return;
  }
  await settle(db, reservation, { cents: open.cents, unconfirmedCents: outcome === "unconfirmed" ? open.cents : 0, operation: "sms.send", simulated, relatedType: "message", relatedId: messageId });
  if (outcome === "billed") await db.message.updateMany({ where: { id: messageId, costCents: null }, data: { costCents: open.cents } });
}
