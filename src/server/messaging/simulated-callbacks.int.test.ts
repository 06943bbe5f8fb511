import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { JOB_HANDLERS } from "@/server/jobs/handlers";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import { callerFor, createTeam } from "@/test/factories";
import { sendSms } from "./send";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";

let leadCounter = 0;
const runCallbackJob = (params: Record<string, string>) =>
  JOB_HANDLERS["sms-simulated-callbacks"].run({ params }, { signal: new AbortController().signal, finalAttempt: true });

type QueuedCallback = { params: Record<string, string>; delayMs: number };

/** The callback jobs sendSms queued for this message SID, in the order they are due, each with its delay after the message was written (a busy machine's slow send does not shorten it). */
async function queuedCallbacks(messageSid: string): Promise<QueuedCallback[]> {
  const rows = await db.$queryRaw<{ params: Record<string, string>; delayMs: number }[]>`
    SELECT data->'params' AS params, (EXTRACT(EPOCH FROM start_after - (m."createdAt" AT TIME ZONE 'UTC')) * 1000)::float8 AS "delayMs"
    FROM pgboss.job JOIN "Message" m ON m."providerMessageId" = ${messageSid}
    WHERE name = 'sms-simulated-callbacks' AND data->'params'->>'MessageSid' = ${messageSid}
    ORDER BY start_after`;
  return rows;
}

async function simulatedSend(suffix: string, areaCode: string) {
  const team = await createTeam();
  await allowSendingAtAnyHour(team.org.id);
  const orgId = team.org.id;
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: `+1${areaCode}5550100` } });
  await db.budgetSetting.create({ data: { organizationId: orgId, provider: "twilio_sms", costPerCallCents: 3, dailyCapCents: 10_000 } });
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${200 + ++leadCounter} Oak St`, city: "Austin", state: "TX", zip: "78701", ownerName: "Sam Lee" });
  const phone = `+1${areaCode}555${suffix}`;
  await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test" } });
  const ctx = { db, orgId, userId: team.manager.id, requestId: `test-${orgId}` };
  const sent = await sendSms(ctx, { phone, leadId: lead.id, body: "Hi Sam, is the house on Oak St for sale?", kind: "inbox_reply" }, createSandboxSmsSender());
  const state = async () => ({
    message: await db.message.findUniqueOrThrow({ where: { id: sent.id }, select: { status: true, errorCode: true } }),
    statusEvents: (await db.messageStatusEvent.findMany({ where: { messageId: sent.id }, orderBy: { receivedAt: "asc" }, select: { status: true, errorCode: true } })).map(
      (e) => `${e.status}${e.errorCode ? ` ${e.errorCode}` : ""}`,
    ),
    webhookEvents: await db.providerWebhookEvent.count({ where: { organizationId: orgId, kind: "status" } }),
  });
  return { sent, state, orgId, leadId: lead.id };
}

describe("simulated status callbacks", () => {
  it("are queued on a simulated send, due after a delay, and deliver 0190 through the status route; a second run changes nothing", async () => {
    const { sent, state } = await simulatedSend("0190", "512");
    expect(sent.status).toBe("queued");
    const queued = await queuedCallbacks(sent.providerMessageId!);
    expect(queued.map((q) => q.params.MessageStatus)).toEqual(["sent", "delivered"]);
    expect(queued[0]!.delayMs).toBeGreaterThanOrEqual(500);
    expect(queued[1]!.delayMs).toBeGreaterThan(queued[0]!.delayMs);

    for (const { params } of queued) await runCallbackJob(params);
    const after = await state();
    expect(after).toEqual({ message: { status: "delivered", errorCode: null }, statusEvents: ["sent", "delivered"], webhookEvents: 2 });

    for (const { params } of queued) await runCallbackJob(params);
    expect(await state()).toEqual(after);
  });

  it("end 0191 undelivered with 30003", async () => {
    const { sent, state } = await simulatedSend("0191", "737");
    const queued = await queuedCallbacks(sent.providerMessageId!);
    expect(queued.map((q) => q.params.MessageStatus)).toEqual(["sent", "undelivered"]);
    for (const { params } of queued) await runCallbackJob(params);
    for (const { params } of queued) await runCallbackJob(params);
    expect(await state()).toEqual({ message: { status: "undelivered", errorCode: "30003" }, statusEvents: ["sent", "undelivered 30003"], webhookEvents: 2 });
  });

  it("that the status route refuses (an unknown sender, 404) are logged, not retried, and write nothing", async () => {
    const { sent, state } = await simulatedSend("0190", "646");
    const [first] = await queuedCallbacks(sent.providerMessageId!);
    // An unknown sender makes the route answer 404: logged, not retried, nothing written.
    await runCallbackJob({ ...first!.params, From: "+19995550100" });
    expect(await state()).toEqual({ message: { status: "queued", errorCode: null }, statusEvents: [], webhookEvents: 0 });
  });
});
