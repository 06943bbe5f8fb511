import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import { callerFor, createTeam } from "@/test/factories";
import { Prisma } from "@/generated/prisma/client";
import { sendAutoReply } from "./auto-reply";
import { sendToLead } from "./conversations";
import { SendGuardRefused } from "./send";
import { simulateReply } from "./simulate";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";

let counter = 0;
/** Outside the sandbox's 555-01xx family, so the simulated sender delivers. */
const uniquePhone = () => `+1737${String(3_000_000 + (++counter * 7919) % 1_000_000).padStart(7, "0")}`;

async function leadWithPhone() {
  const team = await createTeam("Thread Realty");
  await allowSendingAtAnyHour(team.org.id);
  const sendingNumber = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: team.org.id, kind: "phone_number", value: sendingNumber } });
  const user = callerFor(team.user);
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${200 + counter} Oak Ave`, city: "Austin", state: "TX", zip: "78702", ownerName: "Casey Morgan" });
  const phone = uniquePhone();
  await db.leadPhone.create({ data: { organizationId: team.org.id, leadId: lead.id, number: phone, type: "mobile", source: "test", isBest: true } });
  return { team, user, manager: callerFor(team.manager), leadId: lead.id, phone, sendingNumber };
}

async function trpcError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError & { cause?: { details?: Record<string, unknown> } };
}

describe("the lead's text thread", () => {
  it("a simulated STOP goes through the inbound route: the phone shows opted out, a send to it is refused with the reason, the thread holds the text", async () => {
    const { user, leadId, phone } = await leadWithPhone();
    const before = await user.messaging.leadThread({ leadId });
    expect(before).toMatchObject({ simulated: true, hasSender: true, phones: [{ number: phone, status: "ok", suppression: null, messages: [] }] });

    const stop = await user.messaging.simulateReply({ leadId, phone, body: "Stop." });
    expect(stop).toMatchObject({ replyOutcome: "opt_out", suppressed: true });
    expect(stop.reason).toMatch(/stop/i);
    // It arrived as a webhook: the idempotency row exists under the message's SID.
    const inbound = await db.message.findUniqueOrThrow({ where: { id: stop.messageId }, select: { providerMessageId: true } });
    expect(await db.providerWebhookEvent.count({ where: { eventId: inbound.providerMessageId! } })).toBe(1);

    const after = await user.messaging.leadThread({ leadId });
    expect(after.phones[0]).toMatchObject({ status: "opted_out", suppression: { reason: "keyword" } });
    expect(after.phones[0]!.messages.map((m) => [m.direction, m.body, m.replyOutcome])).toEqual([["inbound", "Stop.", "opt_out"]]);

    const refused = await trpcError(user.messaging.sendToLead({ leadId, phone, body: "Are you still thinking of selling?" }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(/opted out|suppressed/i);
    expect(await db.message.count({ where: { conversation: { phone }, direction: "outbound" } })).toBe(0);

    // START lifts it and the number can be texted again.
    expect(await user.messaging.simulateReply({ leadId, phone, body: "START" })).toMatchObject({ replyOutcome: "opt_in", suppressed: false });
    expect((await user.messaging.leadThread({ leadId })).phones[0]).toMatchObject({ status: "ok", suppression: null });
    const sent = await user.messaging.sendToLead({ leadId, phone, body: "Thanks for getting back to us." });
    expect(sent.status).toMatch(/queued|sent|delivered/);
  });

  it("HELP gets the organization's help text naming the sender, even from a number that opted out", async () => {
    const { team, user, leadId, phone, sendingNumber } = await leadWithPhone();
    await user.messaging.simulateReply({ leadId, phone, body: "STOP" });
    const help = await user.messaging.simulateReply({ leadId, phone, body: "help" });
    expect(help.replyOutcome).toBe("help");
    const reply = await sendAutoReply(db, help.messageId, createSandboxSmsSender());
    expect(reply.outcome).toBe("sent");
    const thread = await user.messaging.leadThread({ leadId });
    const outbound = thread.phones[0]!.messages.filter((m) => m.direction === "outbound");
    expect(outbound).toHaveLength(1);
    expect(outbound[0]!.body).toContain(team.org.name);
    expect(outbound[0]!.body).toContain(sendingNumber);
  });

  it("sending from the lead page: the lead must own the phone, and a retried request with the same key texts once", async () => {
    const { user, leadId, phone } = await leadWithPhone();
    const other = await leadWithPhone();
    expect((await trpcError(user.messaging.sendToLead({ leadId, phone: other.phone, body: "Hi" }))).code).toBe("NOT_FOUND");
    const key = "lead-page-send-0001";
    const twins = await Promise.allSettled([
      user.messaging.sendToLead({ leadId, phone, body: "Hi Casey", idempotencyKey: key }),
      user.messaging.sendToLead({ leadId, phone, body: "Hi Casey", idempotencyKey: key }),
    ]);
    // Whichever claimed the key sends; the other replays its result or is told it is still in flight.
    const sent = twins.flatMap((t) => (t.status === "fulfilled" ? [t.value] : []));
    expect(sent.length).toBeGreaterThanOrEqual(1);
    for (const t of twins) if (t.status === "rejected") expect((t.reason as TRPCError).code).toBe("CONFLICT");
    const first = sent[0]!;
    expect(new Set(sent.map((m) => m.id))).toEqual(new Set([first.id]));
    const again = await user.messaging.sendToLead({ leadId, phone, body: "Hi Casey", idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(await db.message.count({ where: { conversation: { phone }, direction: "outbound" } })).toBe(1);
    expect(await db.spendEntry.count({ where: { relatedId: first.id } })).toBe(1);
    expect((await trpcError(user.messaging.sendToLead({ leadId, phone, body: "   " }))).code).toBe("BAD_REQUEST");
  });

  it("a send to a lead under a guard (a scheduled reply's claim): a guard that finds nothing writes no message, calls no provider and keeps no money", async () => {
    const { team, leadId, phone } = await leadWithPhone();
    const ctx = { db, orgId: team.org.id, userId: team.user.id, role: team.user.role, requestId: "guarded-send" };
    const sandbox = createSandboxSmsSender();
    let calls = 0;
    const sender = { ...sandbox, send: (request: Parameters<typeof sandbox.send>[0]) => ((calls += 1), sandbox.send(request)) };
    await expect(sendToLead(ctx, { leadId, phone, body: "Hi Casey" }, sender, { guard: () => Prisma.sql`SELECT 1 WHERE false` })).rejects.toBeInstanceOf(SendGuardRefused);
    expect(calls).toBe(0);
    expect(await db.message.count({ where: { organizationId: team.org.id, direction: "outbound" } })).toBe(0);
    expect(await db.dailySpend.findMany({ where: { organizationId: team.org.id, provider: "twilio_sms" }, select: { spentCents: true, reservedCents: true } })).toEqual([{ spentCents: 0, reservedCents: 0 }]);

    let guardedId: string | null = null;
    const sent = await sendToLead(ctx, { leadId, phone, body: "Hi Casey" }, sender, { guard: ({ messageId }) => ((guardedId = messageId), Prisma.sql`SELECT 1`) });
    expect(sent.id).toBe(guardedId);
    expect(calls).toBe(1);
  });

  it("a phone typed in on the lead: checked and normalised, starts opted out when the number opted out before, never twice", async () => {
    const { user, manager, leadId, phone } = await leadWithPhone();
    await user.messaging.simulateReply({ leadId, phone, body: "STOP" });
    const lead = await user.leads.addPhone({ leadId, number: "(737) 555-2468", type: "mobile" });
    expect(lead.phones.map((p) => [p.number, p.status, p.source])).toContainEqual(["+17375552468", "ok", "manual"]);
    expect((await trpcError(user.leads.addPhone({ leadId, number: "737-555-2468" }))).code).toBe("CONFLICT");
    expect((await trpcError(user.leads.addPhone({ leadId, number: "12345" }))).code).toBe("BAD_REQUEST");

    // The number that texted STOP, typed on another lead of the same organization.
    const { lead: another } = await manager.leads.create({ addressLine1: `${300 + counter} Elm St`, city: "Austin", state: "TX", zip: "78703" });
    const added = await user.leads.addPhone({ leadId: another.id, number: phone });
    expect(added.phones).toEqual([expect.objectContaining({ number: phone, status: "opted_out", isBest: true })]);
  });

  it("simulated replies are refused when texting is live", async () => {
    const { team, leadId, phone } = await leadWithPhone();
    const live = { ...createSandboxSmsSender(), simulated: false };
    const ctx = { db, orgId: team.org.id, userId: team.user.id, role: "user" as const, requestId: "live-test" };
    await expect(simulateReply(ctx, { leadId, phone, body: "STOP" }, live)).rejects.toMatchObject({ appCode: "PRECONDITION_FAILED" });
    expect(await db.message.count({ where: { organizationId: team.org.id } })).toBe(0);
  });
});

describe("the reply review queue", () => {
  it("an ambiguous reply waits for a manager, who suppresses it with one click; a second click is a conflict; all audited", async () => {
    const { team, user, manager, leadId, phone } = await leadWithPhone();
    const ambiguous = await user.messaging.simulateReply({ leadId, phone, body: "Can you stop by tomorrow?" });
    expect(ambiguous).toMatchObject({ replyOutcome: "review", suppressed: false });
    await user.messaging.simulateReply({ leadId, phone, body: "don't stop texting me, I'm interested" });

    expect((await trpcError(user.messaging.reviewQueue({}))).code).toBe("FORBIDDEN");
    const queue = await manager.messaging.reviewQueue({});
    expect(queue.openCount).toBe(2);
    expect(queue.items.map((i) => i.body)).toEqual(["Can you stop by tomorrow?", "don't stop texting me, I'm interested"]);
    expect(queue.items[0]).toMatchObject({ phone, leadId, leadLabel: expect.stringContaining("Casey Morgan"), resolution: null });

    const [first, second] = queue.items;
    const resolved = await manager.messaging.resolveReview({ id: first!.id, resolution: "suppressed", note: "asked us to stop on the phone" });
    expect(resolved.suppressionId).toBeTruthy();
    expect((await trpcError(manager.messaging.resolveReview({ id: first!.id, resolution: "dismissed" }))).code).toBe("CONFLICT");
    await manager.messaging.resolveReview({ id: second!.id, resolution: "dismissed" });

    expect((await manager.messaging.reviewQueue({})).openCount).toBe(0);
    const history = await manager.messaging.reviewQueue({ status: "resolved" });
    expect(history.items.map((i) => i.resolution).sort()).toEqual(["dismissed", "suppressed"]);
    expect(history.items.every((i) => i.resolvedByName !== null)).toBe(true);

    const suppression = await db.suppression.findUniqueOrThrow({ where: { id: resolved.suppressionId! } });
    expect(suppression).toMatchObject({ phone, reason: "refusal", actorUserId: team.manager.id, sourceMessageId: ambiguous.messageId, liftedAt: null });
    expect(suppression.evidence).toContain("asked us to stop on the phone");
    expect((await user.messaging.leadThread({ leadId })).phones[0]).toMatchObject({ status: "opted_out", suppression: { reason: "refusal" } });
    expect(await db.auditLog.count({ where: { organizationId: team.org.id, action: { startsWith: "sms_review." } } })).toBe(2);
  });
});
