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
import { runScheduledReply } from "./service";

// A scheduled inbox reply whose worker dies mid-send: the retried job takes the stale claim over and
// the owner is texted exactly once (before: the reply stayed "sending" for good, the job never retried).

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
  return { id: scheduled.id, outbound, reply, ageClaim };
}

function countingSender() {
  const sandbox = createSandboxSmsSender();
  const sender: SmsSender & { calls: number } = {
    name: sandbox.name,
    simulated: sandbox.simulated,
    calls: 0,
    send: (request) => {
      sender.calls += 1;
      return sandbox.send(request);
    },
  };
  return sender;
}

describe("a scheduled reply whose worker is killed mid-send", () => {
  it("killed after its message was written: the takeover marks it sent with that message and texts nobody again", async () => {
    const reply = await scheduledReplyOnThread();
    const child = spawnScript("scheduled-reply-then-hang.ts", [reply.id]);
    const { sending } = JSON.parse(await child.firstLine) as { sending: string };
    child.process.kill("SIGKILL");
    await child.exited;
    expect(await reply.reply()).toEqual({ status: "sending", messageId: sending });
    expect(await reply.outbound()).toEqual([{ id: sending }]);

    // A redelivery while the claim is fresh (its worker might be alive) does nothing.
    const sender = countingSender();
    await runScheduledReply(db, reply.id, sender);
    expect(await reply.reply()).toEqual({ status: "sending", messageId: sending });

    // The retried job, once the claim is stale: sent, with the message the dead worker wrote.
    await reply.ageClaim();
    await runScheduledReply(db, reply.id, sender);
    expect(await reply.reply()).toEqual({ status: "sent", messageId: sending });
    expect(sender.calls).toBe(0);
    expect(await reply.outbound()).toEqual([{ id: sending }]);
  }, 60_000);

  it("killed after claiming it, before any message: the takeover sends it, once", async () => {
    const reply = await scheduledReplyOnThread();
    await db.scheduledReply.update({ where: { id: reply.id }, data: { status: "sending" } });
    await reply.ageClaim();
    const sender = countingSender();
    await runScheduledReply(db, reply.id, sender);
    await runScheduledReply(db, reply.id, sender);
    const done = await reply.reply();
    expect(done.status).toBe("sent");
    expect(sender.calls).toBe(1);
    expect(await reply.outbound()).toEqual([{ id: done.messageId }]);
  });

  raceTest("two retried jobs taking over the same stale claim text the owner once", async () => {
    const reply = await scheduledReplyOnThread();
    await db.scheduledReply.update({ where: { id: reply.id }, data: { status: "sending" } });
    await reply.ageClaim();
    const sender = countingSender();
    await Promise.all(Array.from({ length: 4 }, () => runScheduledReply(db, reply.id, sender)));
    expect(sender.calls).toBe(1);
    expect(await reply.outbound()).toHaveLength(1);
    expect((await reply.reply()).status).toBe("sent");
  });
});
