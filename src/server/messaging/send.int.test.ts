import { describe, expect, it } from "vitest";
import { countSmsSegments } from "@/lib/sms-segments";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import { possiblyBilled, ProviderCallError } from "@/server/providers/billing";
import type { SmsSender } from "@/server/providers/sms-sender";
import { raceTest } from "@/test/database-kind";
import { callerFor, createTeam } from "@/test/factories";
import { sendSms } from "./send";
import { suppress } from "../compliance/suppressions";
import { handleStatusWebhook } from "./webhooks";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";

const PRICE = 3;
let counter = 0;
let leadCounter = 0;
/** Outside the sandbox's 555-01xx family, so the simulated sender delivers. */
const uniquePhone = () => `+1646${String(2_000_000 + (++counter * 7919) % 1_000_000).padStart(7, "0")}`;

function countingSender(inner: SmsSender = createSandboxSmsSender()) {
  const calls: string[] = [];
  const sender: SmsSender = {
    name: inner.name,
    simulated: inner.simulated,
    async send(request) {
      calls.push(request.to);
      return inner.send(request);
    },
  };
  return { sender, calls };
}

async function orgReady(options: { capCents?: number } = {}) {
  const team = await createTeam();
  await allowSendingAtAnyHour(team.org.id);
  const orgId = team.org.id;
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: uniquePhone() } });
  await db.budgetSetting.create({ data: { organizationId: orgId, provider: "twilio_sms", costPerCallCents: PRICE, dailyCapCents: options.capCents ?? 10_000 } });
  const ctx = { db, orgId, userId: team.manager.id, requestId: `test-${orgId}` };
  const leadWithPhone = async (number = uniquePhone()) => {
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${100 + ++leadCounter} Main St`, city: "Austin", state: "TX", zip: "78701", ownerName: "Jordan Rivera" });
    await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number, type: "mobile", source: "test" } });
    return { leadId: lead.id, number };
  };
  const ledger = async () => {
    const entries = await db.spendEntry.findMany({ where: { organizationId: orgId, provider: "twilio_sms" } });
    const today = await db.dailySpend.findMany({ where: { organizationId: orgId, provider: "twilio_sms" } });
    return {
      entries: entries.length,
      cents: entries.reduce((sum, e) => sum + e.cents, 0),
      spentCents: today.reduce((s, d) => s + d.spentCents, 0),
      reservedCents: today.reduce((s, d) => s + d.reservedCents, 0),
      openReservations: await db.spendReservation.count({ where: { organizationId: orgId, status: "reserved" } }),
    };
  };
  return { team, orgId, ctx, leadWithPhone, ledger };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error("expected the send to be refused");
  return error as { appCode: string; details?: Record<string, unknown>; message: string };
}

describe("sendSms", () => {
  it("an allowed send creates the outbound message, a decision linked to it and a ledger entry at segments × price", async () => {
    const org = await orgReady();
    const { leadId, number } = await org.leadWithPhone();
    const { sender, calls } = countingSender();
    const body = "Hi Jordan, this is Sam about 101 Main St. ".repeat(5); // more than one segment
    const segments = countSmsSegments(body).segments;
    expect(segments).toBeGreaterThan(1);

    const message = await sendSms(org.ctx, { phone: number, leadId, body, kind: "inbox_reply" }, sender);

    expect(calls).toEqual([number]);
    expect(message).toMatchObject({ status: "queued", segments, costCents: segments * PRICE, errorCode: null });
    expect(message.providerMessageId).toMatch(/^SM/);
    const row = await db.message.findUniqueOrThrow({ where: { id: message.id }, include: { conversation: true } });
    expect(row).toMatchObject({ direction: "outbound", organizationId: org.orgId, body });
    expect(row.conversation).toMatchObject({ phone: number, leadId });
    expect(await org.ledger()).toEqual({ entries: 1, cents: segments * PRICE, spentCents: segments * PRICE, reservedCents: 0, openReservations: 0 });
    const decision = await db.sendDecision.findFirstOrThrow({ where: { organizationId: org.orgId } });
    expect(decision).toMatchObject({ phone: number, leadId, kind: "inbox_reply", outcome: "allowed", reason: null, messageId: message.id });
  });

  it("with the sms kill switch engaged: blocked and recorded, nothing reserved, no provider call, no message", async () => {
    const org = await orgReady();
    const { leadId, number } = await org.leadWithPhone();
    await db.killSwitch.create({ data: { organizationId: org.orgId, kind: "sms", engaged: true, reason: "carrier complaint" } });
    const { sender, calls } = countingSender();

    const error = await refusal(sendSms(org.ctx, { phone: number, leadId, body: "Hello", kind: "campaign" }, sender));

    expect(error.appCode).toBe("KILL_SWITCH_ON");
    expect(error.details).toMatchObject({ reason: "kill_switch" });
    expect(error.message).toContain("carrier complaint");
    expect(calls).toEqual([]);
    expect(await db.spendReservation.count({ where: { organizationId: org.orgId } })).toBe(0);
    expect(await db.message.count({ where: { organizationId: org.orgId } })).toBe(0);
    expect(await db.sendDecision.findFirstOrThrow({ where: { organizationId: org.orgId } })).toMatchObject({ outcome: "blocked", reason: "kill_switch", messageId: null });
  });

  it("a suppressed number is blocked with the reason; a lead-only suppression blocks that lead, not another", async () => {
    const org = await orgReady();
    const { leadId, number } = await org.leadWithPhone();
    const { sender, calls } = countingSender();
    await db.$transaction((tx) => suppress(tx, { organizationId: org.orgId, phone: number, leadId: null, reason: "keyword", evidence: "STOP" }));

    const error = await refusal(sendSms(org.ctx, { phone: number, leadId, body: "Hello", kind: "campaign" }, sender));
    expect(error.appCode).toBe("PRECONDITION_FAILED");
    expect(error.details).toMatchObject({ reason: "suppressed" });

    const other = await org.leadWithPhone();
    const second = await org.leadWithPhone(other.number); // same number, another lead
    await db.$transaction((tx) => suppress(tx, { organizationId: org.orgId, phone: other.number, leadId: other.leadId, reason: "wrong_number", evidence: "wrong number" }));
    // The wrong-number suppression also marks that lead's phone, which the decision reads first.
    expect((await refusal(sendSms(org.ctx, { phone: other.number, leadId: other.leadId, body: "Hello", kind: "campaign" }, sender))).details).toMatchObject({
      reason: "phone_wrong_number",
    });
    expect((await db.leadPhone.findMany({ where: { number: other.number }, select: { leadId: true, status: true }, orderBy: { createdAt: "asc" } })).map((p) => p.status)).toEqual([
      "wrong_number",
      "ok",
    ]);
    await sendSms(org.ctx, { phone: second.number, leadId: second.leadId, body: "Hello", kind: "campaign" }, sender);
    expect(calls).toEqual([second.number]);
    expect(await db.spendReservation.count({ where: { organizationId: org.orgId } })).toBe(1);
  });

  it("without a sender identity: PRECONDITION_FAILED saying to configure one, nothing reserved", async () => {
    const org = await orgReady();
    await db.smsSenderIdentity.deleteMany({ where: { organizationId: org.orgId } });
    const error = await refusal(sendSms(org.ctx, { phone: uniquePhone(), body: "Hello", kind: "test" }, countingSender().sender));
    expect(error.appCode).toBe("PRECONDITION_FAILED");
    expect(error.details).toMatchObject({ reason: "no_sender_identity" });
    expect(await db.spendReservation.count({ where: { organizationId: org.orgId } })).toBe(0);
  });

  raceTest("50 concurrent sends against an SMS cap that fits 5: exactly 5 accepted, 5 provider calls, ledger exact", async () => {
    const org = await orgReady({ capCents: 5 * PRICE });
    const { sender, calls } = countingSender();
    const phones = Array.from({ length: 50 }, () => uniquePhone());

    const results = await Promise.allSettled(phones.map((phone) => sendSms(org.ctx, { phone, body: "One segment", kind: "campaign" }, sender)));

    const accepted = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(accepted).toHaveLength(5);
    expect(refused.every((r) => isAppError(r.reason, "CAP_EXCEEDED"))).toBe(true);
    expect(calls).toHaveLength(5);
    expect(await org.ledger()).toEqual({ entries: 5, cents: 5 * PRICE, spentCents: 5 * PRICE, reservedCents: 0, openReservations: 0 });
    expect(await db.message.count({ where: { organizationId: org.orgId } })).toBe(5);
  }, 60_000);

  it("21610 from the provider: the number is suppressed, the message failed with the code, nothing charged", async () => {
    const org = await orgReady();
    const { leadId, number } = await org.leadWithPhone("+15125550193");

    const error = await refusal(sendSms(org.ctx, { phone: number, leadId, body: "Hello", kind: "campaign" }, countingSender().sender));

    expect(error.appCode).toBe("PRECONDITION_FAILED");
    const message = await db.message.findFirstOrThrow({ where: { organizationId: org.orgId } });
    expect(message).toMatchObject({ status: "failed", errorCode: "21610", costCents: 0 });
    const suppression = await db.suppression.findFirstOrThrow({ where: { organizationId: org.orgId, phone: number } });
    expect(suppression).toMatchObject({ reason: "provider_21610", leadId: null, sourceMessageId: message.id, liftedAt: null });
    expect(await org.ledger()).toEqual({ entries: 0, cents: 0, spentCents: 0, reservedCents: 0, openReservations: 0 });
    // and the next send is refused before the provider
    const { sender, calls } = countingSender();
    expect((await refusal(sendSms(org.ctx, { phone: number, leadId, body: "Hello", kind: "campaign" }, sender))).details).toMatchObject({ reason: "suppressed" });
    expect(calls).toEqual([]);
  });

  it("21211 marks the phone invalid and 21614 marks it a landline; later sends are blocked before the provider", async () => {
    const org = await orgReady();
    const invalid = await org.leadWithPhone("+15125550194");
    const landline = await org.leadWithPhone("+15125550195");
    await refusal(sendSms(org.ctx, { phone: invalid.number, leadId: invalid.leadId, body: "Hello", kind: "campaign" }, countingSender().sender));
    await refusal(sendSms(org.ctx, { phone: landline.number, leadId: landline.leadId, body: "Hello", kind: "campaign" }, countingSender().sender));

    expect(await db.leadPhone.findFirstOrThrow({ where: { leadId: invalid.leadId, number: invalid.number } })).toMatchObject({ status: "invalid" });
    expect(await db.leadPhone.findFirstOrThrow({ where: { leadId: landline.leadId, number: landline.number } })).toMatchObject({ type: "landline" });
    expect(await db.message.findMany({ where: { organizationId: org.orgId }, select: { status: true, errorCode: true }, orderBy: { createdAt: "asc" } })).toEqual([
      { status: "failed", errorCode: "21211" },
      { status: "failed", errorCode: "21614" },
    ]);
    expect((await org.ledger()).cents).toBe(0);

    const { sender, calls } = countingSender();
    expect((await refusal(sendSms(org.ctx, { phone: invalid.number, body: "Hello", kind: "campaign" }, sender))).details).toMatchObject({ reason: "phone_invalid" });
    expect((await refusal(sendSms(org.ctx, { phone: landline.number, body: "Hello", kind: "campaign" }, sender))).details).toMatchObject({ reason: "phone_landline" });
    expect(calls).toEqual([]);
  });

  it("a send that timed out after reaching Twilio: counted as possibly billed, the message stays queued for its callbacks", async () => {
    const org = await orgReady();
    const { leadId, number } = await org.leadWithPhone();
    const timingOut: SmsSender = {
      name: "twilio",
      simulated: false,
      send: () => Promise.reject(new ProviderCallError("PROVIDER_TIMEOUT", "Twilio did not answer in time.", possiblyBilled(1))),
    };

    const error = await refusal(sendSms(org.ctx, { phone: number, leadId, body: "Hello", kind: "inbox_reply" }, timingOut));

    expect(error.appCode).toBe("PROVIDER_TIMEOUT");
    expect(await db.message.findFirstOrThrow({ where: { organizationId: org.orgId } })).toMatchObject({ status: "queued", errorCode: "PROVIDER_TIMEOUT", costCents: PRICE });
    expect(await org.ledger()).toEqual({ entries: 1, cents: PRICE, spentCents: PRICE, reservedCents: 0, openReservations: 0 });
    expect(await db.spendEntry.findFirstOrThrow({ where: { organizationId: org.orgId } })).toMatchObject({ unconfirmedCents: PRICE, simulated: false });
  });

  it("a status callback that arrives before the send returned its SID is applied to the message", async () => {
    const org = await orgReady();
    const { leadId, number } = await org.leadWithPhone();
    const sandbox = createSandboxSmsSender();
    const earlyCallbackSender: SmsSender = {
      name: sandbox.name,
      simulated: true,
      async send(request) {
        const result = await sandbox.send(request);
        const delivered = result.value.simulatedStatusCallbacks!.find((c) => c.status === "delivered")!;
        const early = await handleStatusWebhook(db, delivered.params);
        expect(early).toMatchObject({ messageId: null, applied: false }); // the row has no SID yet
        return result;
      },
    };

    const message = await sendSms(org.ctx, { phone: number, leadId, body: "Hello", kind: "inbox_reply" }, earlyCallbackSender);

    expect(message.status).toBe("delivered");
    expect(await db.messageStatusEvent.findMany({ where: { organizationId: org.orgId }, select: { messageId: true, status: true } })).toEqual([
      { messageId: message.id, status: "delivered" },
    ]);
  });
});

describe("the STOP confirmation rule", () => {
  it("a keyword opt-out gets exactly one confirmation, even when asked concurrently; nothing else gets through", async () => {
    const org = await orgReady();
    const { leadId, number } = await org.leadWithPhone();
    const { sender, calls } = countingSender();
    // no opt-out yet: nothing to confirm
    expect((await refusal(sendSms(org.ctx, { phone: number, leadId, body: "You are unsubscribed.", kind: "opt_out_confirmation" }, sender))).details).toMatchObject({
      reason: "no_opt_out_to_confirm",
    });
    await db.$transaction((tx) => suppress(tx, { organizationId: org.orgId, phone: number, leadId: null, reason: "keyword", evidence: "STOP" }));

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => sendSms(org.ctx, { phone: number, leadId, body: "You are unsubscribed. Reply START to resubscribe.", kind: "opt_out_confirmation" }, sender)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(calls).toEqual([number]);
    expect((await refusal(sendSms(org.ctx, { phone: number, leadId, body: "Still there?", kind: "auto_reply" }, sender))).details).toMatchObject({ reason: "suppressed" });
    expect(calls).toHaveLength(1);
  });

  it("a refusal or a 21610 opt-out gets no confirmation", async () => {
    const org = await orgReady();
    const refused = await org.leadWithPhone();
    const provider = await org.leadWithPhone();
    await db.$transaction(async (tx) => {
      await suppress(tx, { organizationId: org.orgId, phone: refused.number, leadId: null, reason: "refusal", evidence: "please stop texting me" });
      await suppress(tx, { organizationId: org.orgId, phone: provider.number, leadId: null, reason: "provider_21610", evidence: "21610" });
    });
    const { sender, calls } = countingSender();
    for (const phone of [refused.number, provider.number]) {
      expect((await refusal(sendSms(org.ctx, { phone, body: "You are unsubscribed.", kind: "opt_out_confirmation" }, sender))).details).toMatchObject({
        reason: "no_opt_out_to_confirm",
      });
    }
    expect(calls).toEqual([]);
  });
});
