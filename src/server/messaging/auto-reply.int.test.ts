import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { JOB_HANDLERS } from "@/server/jobs/handlers";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import type { SmsSender } from "@/server/providers/sms-sender";
import { createTeam } from "@/test/factories";
import { sendAutoReply } from "./auto-reply";
import { handleInboundWebhook } from "./webhooks";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";

let counter = 0;
const uniquePhone = () => `+1646${String(3_000_000 + (++counter * 7919) % 1_000_000).padStart(7, "0")}`;
const sid = () => `SM${randomBytes(16).toString("hex")}`;
const runJob = (inboundMessageId: string) => JOB_HANDLERS["sms-auto-reply"].run({ inboundMessageId }, { signal: new AbortController().signal, finalAttempt: true });

async function orgWithSender() {
  const team = await createTeam("Rivera Home Buyers");
  await allowSendingAtAnyHour(team.org.id);
  const senderNumber = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: team.org.id, kind: "phone_number", value: senderNumber } });
  const inbound = async (from: string, body: string, extra: Record<string, string> = {}) => {
    const result = await handleInboundWebhook(db, { MessageSid: sid(), AccountSid: "AC00000000000000000000000000000000", From: from, To: senderNumber, Body: body, NumSegments: "1", ...extra });
    if (result.duplicate) throw new Error("unexpected duplicate");
    return result.messageId;
  };
  const outbound = (phone: string) => db.message.findMany({ where: { organizationId: team.org.id, direction: "outbound", conversation: { phone } }, orderBy: { createdAt: "asc" } });
  return { orgId: team.org.id, senderNumber, inbound, outbound };
}

function countingSender() {
  const inner = createSandboxSmsSender();
  const calls: string[] = [];
  const sender: SmsSender = { name: inner.name, simulated: true, send: (request) => (calls.push(request.body), inner.send(request)) };
  return { sender, calls };
}

describe("the sms-auto-reply job", () => {
  it("STOP gets exactly one confirmation naming the sender, even when the job runs twice or STOP is repeated", async () => {
    const org = await orgWithSender();
    const phone = uniquePhone();
    const stop = await org.inbound(phone, "STOP");

    await runJob(stop);
    await runJob(stop);
    const again = await org.inbound(phone, " Stop. ");
    await runJob(again);

    const replies = await org.outbound(phone);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toBe("Rivera Home Buyers: You are unsubscribed and will receive no more messages. Reply START to resubscribe.");
    const decisions = await db.sendDecision.findMany({ where: { organizationId: org.orgId, phone }, orderBy: { decidedAt: "asc" }, select: { kind: true, outcome: true, reason: true } });
    expect(decisions).toEqual([
      { kind: "opt_out_confirmation", outcome: "allowed", reason: null },
      { kind: "opt_out_confirmation", outcome: "blocked", reason: "no_opt_out_to_confirm" },
      { kind: "opt_out_confirmation", outcome: "blocked", reason: "no_opt_out_to_confirm" },
    ]);
  });

  it("HELP gets the help text with the sender identity; START after STOP gets the resubscribe text", async () => {
    const org = await orgWithSender();
    const phone = uniquePhone();
    const { sender, calls } = countingSender();
    expect(await sendAutoReply(db, await org.inbound(phone, "help"), sender)).toMatchObject({ outcome: "sent" });
    expect(calls).toEqual([`Rivera Home Buyers: for help contact ${org.senderNumber}. Reply STOP to opt out.`]);

    await sendAutoReply(db, await org.inbound(phone, "STOP"), sender);
    expect(await sendAutoReply(db, await org.inbound(phone, "START"), sender)).toMatchObject({ outcome: "sent" });
    expect(calls).toHaveLength(3);
    expect(calls[2]).toContain("resubscribed");
  });

  it("sends nothing when Twilio already answered (OptOutType), for free-text refusals and for ordinary replies", async () => {
    const org = await orgWithSender();
    const { sender, calls } = countingSender();
    expect(await sendAutoReply(db, await org.inbound(uniquePhone(), "STOP", { OptOutType: "STOP" }), sender)).toEqual({ outcome: "none" });
    expect(await sendAutoReply(db, await org.inbound(uniquePhone(), "please stop texting me"), sender)).toEqual({ outcome: "none" });
    expect(await sendAutoReply(db, await org.inbound(uniquePhone(), "Sure, what's your offer?"), sender)).toEqual({ outcome: "none" });
    expect(calls).toEqual([]);
  });

  it("the inbound webhook queues the job once for a keyword, not for a redelivery or an ordinary reply", async () => {
    const org = await orgWithSender();
    const params = { MessageSid: sid(), AccountSid: "AC00000000000000000000000000000000", From: uniquePhone(), To: org.senderNumber, Body: "STOP", NumSegments: "1" };
    const first = await handleInboundWebhook(db, params);
    await handleInboundWebhook(db, params);
    const plain = await org.inbound(uniquePhone(), "Sure, call me tomorrow");
    const queued = await db.$queryRaw<{ inboundMessageId: string }[]>`SELECT data->>'inboundMessageId' AS "inboundMessageId" FROM pgboss.job WHERE name = 'sms-auto-reply'`;
    if (first.duplicate) throw new Error("the first delivery was taken for a duplicate");
    const ids = queued.map((j) => j.inboundMessageId);
    expect(ids.filter((id) => id === first.messageId)).toHaveLength(1);
    expect(ids).not.toContain(plain);
  });

  it("a refused reply (sms kill switch) is recorded and is not a job failure", async () => {
    const org = await orgWithSender();
    await db.killSwitch.create({ data: { organizationId: org.orgId, kind: "sms", engaged: true, reason: "paused" } });
    const { sender, calls } = countingSender();
    expect(await sendAutoReply(db, await org.inbound(uniquePhone(), "HELP"), sender)).toEqual({ outcome: "refused", reason: "kill_switch" });
    expect(calls).toEqual([]);
  });
});
