import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { createOpenAiReplyAssistant } from "@/server/providers/openai/client";
import { callerFor, createTeam } from "@/test/factories";
import { completion, openAiError, fakeOpenAiForFile } from "@/test/fakes/openai-server";
import type { ScriptedResponse } from "@/test/fakes/scripted-server";
import { suggestReply } from "./reply-assistant";
import { applyReplyIntent } from "./reply-intent";

// OpenAI faked at the HTTP level (its chat completions shape).
const fake = fakeOpenAiForFile();
const request = (index: number) => fake.server.requests[index]!;
const script = (...answers: ScriptedResponse[]) => fake.server.respondWith(answers);

const assistant = () => createOpenAiReplyAssistant({ apiKey: "sk-test", baseUrl: fake.server.baseUrl, model: "gpt-4o-mini", http: { retries: 0, backoff: { baseDelayMs: 1, maxDelayMs: 2 } } });

let counter = 0;
async function threadWithReply(body: string) {
  const team = await createTeam();
  const orgId = team.org.id;
  const senderNumber = `+1737555${String(1000 + ++counter).padStart(4, "0")}`;
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: senderNumber } });
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "77 Secret Lane", city: "Austin", state: "TX", zip: "78701", ownerName: "Jordan Privateperson", equityPct: 80, absentee: true });
  const phone = `+1737666${String(1000 + counter).padStart(4, "0")}`;
  await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test" } });
  const result = await handleInboundWebhook(db, { MessageSid: `SM${randomBytes(16).toString("hex")}`, From: phone, To: senderNumber, Body: body, NumSegments: "1" });
  if (result.duplicate) throw new Error("unexpected duplicate");
  return { team, orgId, leadId: lead.id, phone, messageId: result.messageId, conversationId: result.conversationId };
}

describe("suggested reply (OpenAI configured)", () => {
  it("drafts from the thread and the property's facts, with the owner's first name only, and sends nothing", async () => {
    const thread = await threadWithReply("Maybe. What would you pay for it?");
    script(completion("Hi Jordan, thanks for getting back to me. Could you tell me a little about the condition of the house?"));
    const messagesBefore = await db.message.count({ where: { organizationId: thread.orgId } });
    const { text } = await suggestReply({ db, orgId: thread.orgId }, thread.conversationId, assistant());
    expect(text).toMatch(/^Hi Jordan/);
    const sent = request(0).body.messages.map((m) => m.content).join(" ");
    expect(sent).toContain("Maybe. What would you pay for it?");
    expect(sent).toContain('"ownerFirstName":"Jordan"');
    expect(sent).toContain('"equityPct":80');
    for (const secret of ["Privateperson", "77 Secret Lane", thread.phone, thread.phone.slice(2)]) expect(sent).not.toContain(secret);
    expect(await db.message.count({ where: { organizationId: thread.orgId } })).toBe(messagesBefore);
  });

  it("is absent without a key, and another organization's thread is NOT_FOUND", async () => {
    const thread = await threadWithReply("Who is this?");
    await expect(suggestReply({ db, orgId: thread.orgId }, thread.conversationId, null)).rejects.toMatchObject({ appCode: "PRECONDITION_FAILED" });
    const other = await createTeam();
    await expect(suggestReply({ db, orgId: other.org.id }, thread.conversationId, assistant())).rejects.toMatchObject({ appCode: "NOT_FOUND" });
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe("AI reply classification (OpenAI configured)", () => {
  it("reads a reply the phrase rules cannot, and says so in the reason", async () => {
    const thread = await threadWithReply("The tenants moved out last month and the roof needs work");
    script(completion(JSON.stringify({ intent: "interested", reason: "The owner describes a vacant property needing repairs." })));
    await applyReplyIntent(db, thread.messageId, assistant());
    expect(request(0).body.response_format).toEqual({ type: "json_object" });
    const message = await db.message.findUniqueOrThrow({ where: { id: thread.messageId }, select: { replyIntent: true, replyIntentReason: true } });
    expect(message).toEqual({ replyIntent: "interested", replyIntentReason: "AI: The owner describes a vacant property needing repairs." });
    expect((await db.lead.findUniqueOrThrow({ where: { id: thread.leadId }, select: { replyIntent: true } })).replyIntent).toBe("interested");
  });

  it("never asks the model about a reply the rules read, and a model's opt-out goes to the review queue, not the suppression list", async () => {
    const read = await threadWithReply("How much are you offering?");
    await applyReplyIntent(db, read.messageId, assistant());
    expect(fake.server.requests).toHaveLength(0);
    expect((await db.message.findUniqueOrThrow({ where: { id: read.messageId } })).replyIntent).toBe("question");

    const refusal = await threadWithReply("I would appreciate it if this was the last one of these");
    script(completion(JSON.stringify({ intent: "opt_out", reason: "The owner asks not to be contacted again." })));
    await applyReplyIntent(db, refusal.messageId, assistant());
    // Held for review like an ambiguous keyword: no auto-responder answers it while a person decides.
    expect(await db.message.findUniqueOrThrow({ where: { id: refusal.messageId }, select: { replyIntent: true, replyOutcome: true } })).toEqual({ replyIntent: "unknown", replyOutcome: "review" });
    const review = await db.smsReplyReview.findUniqueOrThrow({ where: { messageId: refusal.messageId } });
    expect(review.reason).toMatch(/AI reads this reply as a request to stop texting/);
    expect(await db.suppression.count({ where: { organizationId: refusal.orgId } })).toBe(0);
  });

  it("leaves the reply unknown when OpenAI fails or answers out of shape", async () => {
    const failing = await threadWithReply("The tenants moved out last month and the roof needs work");
    script(openAiError(500, "The server had an error"));
    await applyReplyIntent(db, failing.messageId, assistant());
    expect((await db.message.findUniqueOrThrow({ where: { id: failing.messageId } })).replyIntent).toBe("unknown");

    const odd = await threadWithReply("The tenants moved out last month and the roof needs work");
    script(completion("interested, probably"));
    await applyReplyIntent(db, odd.messageId, assistant());
    expect((await db.message.findUniqueOrThrow({ where: { id: odd.messageId } })).replyIntent).toBe("unknown");

    // The ledger: the 500 billed nothing; the out-of-shape answer was answered, so OpenAI billed it.
    const spent = await db.spendEntry.findMany({ where: { organizationId: { in: [failing.orgId, odd.orgId] }, provider: "openai" }, select: { organizationId: true, operation: true, cents: true } });
    expect(spent).toEqual([{ organizationId: odd.orgId, operation: "reply_intent", cents: 1 }]);
  });

  it("charges each suggestion to the organization's AI budget, and refuses one past the AI cap without asking OpenAI", async () => {
    const thread = await threadWithReply("Maybe. What would you pay for it?");
    await callerFor(thread.team.admin).budgets.update({ provider: "openai", dailyCapCents: 4, costPerCallCents: 3 });
    script(completion("Thanks for getting back to me. What condition is the house in?"));
    await suggestReply({ db, orgId: thread.orgId }, thread.conversationId, assistant());
    await expect(suggestReply({ db, orgId: thread.orgId }, thread.conversationId, assistant())).rejects.toMatchObject({ appCode: "CAP_EXCEEDED" });
    expect(fake.server.requests).toHaveLength(1);
    const entries = await db.spendEntry.findMany({ where: { organizationId: thread.orgId, provider: "openai" } });
    expect(entries).toEqual([expect.objectContaining({ operation: "suggested_reply", cents: 3, relatedType: "conversation", relatedId: thread.conversationId })]);
  });
});
