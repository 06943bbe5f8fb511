import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import type { SmsSender } from "@/server/providers/sms-sender";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";
import { spawnScript } from "@/test/child/spawn";
import { raceTest } from "@/test/database-kind";
import { callerFor, createTeam } from "@/test/factories";
import { recoverStaleScheduledReplies, runScheduledReply } from "./service";

// A scheduled inbox reply whose worker dies mid-send: the recovery job takes the stale claim over and
// settles the dead send by what the sender knows; nobody is texted twice, no cent is lost (before: the
// reply stayed "sending" for good).

const randomDigits = () => String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0");

/** A thread the lead's owner texted into, and a reply scheduled on it (due now). */
async function scheduledReplyOnThread() {
  const team = await createTeam();
  const orgId = team.org.id;
  await allowSendingAtAnyHour(orgId);
  const senderNumber = `+1512${randomDigits()}`;
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: senderNumber } });
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${randomDigits().slice(0, 4)} Crash Ct`, city: "Austin", state: "TX", zip: "78701", ownerName: "Robin Owner" });
  const phone = `+1737${randomDigits()}`;
  await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test" } });
  const inbound = await handleInboundWebhook(db, { MessageSid: `SM${randomBytes(16).toString("hex")}`, From: phone, To: senderNumber, Body: "Who is this?", NumSegments: "1" });
  if (inbound.duplicate) throw new Error("unexpected duplicate");
  const scheduled = await callerFor(team.user).inbox.scheduleReply({ id: inbound.conversationId, body: "Hi Robin, it's Sam about your house on Crash Ct." });
  const outbound = () => db.message.findMany({ where: { conversationId: inbound.conversationId, direction: "outbound" }, select: { id: true } });
  const reply = () => db.scheduledReply.findUniqueOrThrow({ where: { id: scheduled.id }, select: { status: true, messageId: true } });
  /** What a claim left by a dead worker looks like once it is older than the takeover age. */
  const ageClaim = () => db.$executeRaw`UPDATE "ScheduledReply" SET "updatedAt" = now() - interval '3 minutes' WHERE "id" = ${scheduled.id}`;
  return { id: scheduled.id, phone, outbound, reply, ageClaim };
}

type FindSent = NonNullable<SmsSender["findSent"]>;

/** The sandbox sender, counting sends; `findSent` as given (absent: the sender cannot tell what it took). */
function countingSender(findSent?: FindSent) {
  const sandbox = createSandboxSmsSender();
  const sender: SmsSender & { calls: number } = {
    name: sandbox.name,
    simulated: sandbox.simulated,
    calls: 0,
    send: (request) => {
      sender.calls += 1;
      return sandbox.send(request);
    },
    ...(findSent ? { findSent } : {}),
  };
  return sender;
}

/** A reply whose worker was SIGKILLed while the provider held its written message (no answer recorded). */
async function crashedMidSend() {
  const reply = await scheduledReplyOnThread();
  const child = spawnScript("scheduled-reply-then-hang.ts", [reply.id]);
  const { sending } = JSON.parse(await child.firstLine) as { sending: string };
  child.process.kill("SIGKILL");
  await child.exited;
  const row = await db.scheduledReply.findUniqueOrThrow({ where: { id: reply.id }, select: { status: true, messageId: true, reservationId: true } });
  expect(row).toMatchObject({ status: "sending", messageId: sending, reservationId: expect.any(String) });
  const reservation = () => db.spendReservation.findUniqueOrThrow({ where: { id: row.reservationId! }, select: { status: true, cents: true } });
  expect(await reservation()).toMatchObject({ status: "reserved" });
  const spent = () => db.spendEntry.findMany({ where: { reservationId: row.reservationId! }, select: { cents: true, unconfirmedCents: true } });
  const message = (id: string) => db.message.findUniqueOrThrow({ where: { id }, select: { status: true, errorCode: true, providerMessageId: true } });
  return { ...reply, messageId: sending, reservation, spent, message };
}

describe("a scheduled reply whose worker is killed mid-send", () => {
  it("the takeover waits for the claim to go stale, then settles the dead send by what the sender knows", async () => {
    // Three real crashes, side by side: the provider held each written message when the worker died.
    const [unknown, neverArrived, arrived] = await Promise.all([crashedMidSend(), crashedMidSend(), crashedMidSend()]);

    // A redelivery while a claim is fresh (its worker might be alive) does nothing.
    const early = countingSender(async () => null);
    await runScheduledReply(db, neverArrived.id, early);
    expect(await neverArrived.reply()).toMatchObject({ status: "sending", messageId: neverArrived.messageId });
    expect(early.calls).toBe(0);
    for (const crashed of [unknown, neverArrived, arrived]) await crashed.ageClaim();

    // The sender cannot tell: never texted again, the cost counted as possibly billed, the reply says so.
    const blind = countingSender();
    await runScheduledReply(db, unknown.id, blind);
    expect(await unknown.reply()).toMatchObject({ status: "sent", messageId: unknown.messageId });
    expect(blind.calls).toBe(0);
    expect(await unknown.outbound()).toEqual([{ id: unknown.messageId }]);
    const unknownCents = (await unknown.reservation()).cents;
    expect(await unknown.spent()).toEqual([{ cents: unknownCents, unconfirmedCents: unknownCents }]);
    expect((await db.scheduledReply.findUniqueOrThrow({ where: { id: unknown.id } })).outcome).toMatch(/may have gone out/);

    // The sender says it never arrived: that message is marked failed and its money given back; the reply goes once, anew.
    const asked: string[] = [];
    const honest = countingSender(async (query) => (asked.push(query.to), null));
    await runScheduledReply(db, neverArrived.id, honest);
    expect(asked).toEqual([neverArrived.phone]);
    expect(honest.calls).toBe(1);
    const resent = await neverArrived.reply();
    expect(resent.status).toBe("sent");
    expect(resent.messageId).not.toBe(neverArrived.messageId);
    expect(await neverArrived.message(neverArrived.messageId)).toMatchObject({ status: "failed", errorCode: "NOT_SENT" });
    expect(await neverArrived.reservation()).toMatchObject({ status: "released" });
    expect(await neverArrived.spent()).toEqual([]);
    expect(await neverArrived.outbound()).toHaveLength(2);
    expect((await neverArrived.message(resent.messageId!)).providerMessageId).toMatch(/^SM/);

    // The provider took it: the message gets its SID and the send is charged; nobody is texted again.
    const found = countingSender(async (query) => ({ providerMessageId: "SMfound0000000000000000000000000000", status: "queued", segments: 1, to: query.to, from: null, messagingServiceSid: null, raw: {} }));
    await runScheduledReply(db, arrived.id, found);
    expect(found.calls).toBe(0);
    expect(await arrived.reply()).toMatchObject({ status: "sent", messageId: arrived.messageId });
    expect(await arrived.message(arrived.messageId)).toMatchObject({ providerMessageId: "SMfound0000000000000000000000000000" });
    const arrivedCents = (await arrived.reservation()).cents;
    expect(await arrived.spent()).toEqual([{ cents: arrivedCents, unconfirmedCents: 0 }]);

    // Every claim is settled: the recovery job finds nothing more.
    expect(await recoverStaleScheduledReplies(db, countingSender())).toBe(0);
  }, 120_000);

  it("killed after claiming it, before any message: the recovery job sends it, once", async () => {
    const reply = await scheduledReplyOnThread();
    await db.scheduledReply.update({ where: { id: reply.id }, data: { status: "sending" } });
    await reply.ageClaim();
    const sender = countingSender();
    expect(await recoverStaleScheduledReplies(db, sender)).toBeGreaterThanOrEqual(1);
    await runScheduledReply(db, reply.id, sender);
    const done = await reply.reply();
    expect(done.status).toBe("sent");
    expect(sender.calls).toBe(1);
    expect(await reply.outbound()).toEqual([{ id: done.messageId }]);
  });

  raceTest("two takeovers of the same stale claim text the owner once", async () => {
    const reply = await scheduledReplyOnThread();
    await db.scheduledReply.update({ where: { id: reply.id }, data: { status: "sending" } });
    await reply.ageClaim();
    const sender = countingSender();
    await Promise.all(Array.from({ length: 4 }, () => runScheduledReply(db, reply.id, sender)));
    expect(sender.calls).toBe(1);
    expect(await reply.outbound()).toHaveLength(1);
    expect((await reply.reply()).status).toBe("sent");
  });

  it("a send that failed after its message was written (not the provider's refusal) stays claimed for the takeover, not 'failed'", async () => {
    const reply = await scheduledReplyOnThread();
    const sandbox = createSandboxSmsSender();
    // Twilio took it, then the database failed before the answer was recorded.
    const breaking: SmsSender = { ...sandbox, send: async (request) => { await sandbox.send(request); throw new Error("connection to the database lost"); } };
    await runScheduledReply(db, reply.id, breaking);
    const row = await reply.reply();
    expect(row.status).toBe("sending");
    expect(row.messageId).toEqual(expect.any(String));
  });
});
