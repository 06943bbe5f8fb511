import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { createOpenAiReplyAssistant, createOpenAiSummarizer } from "@/server/providers/openai/client";
import { resetProviderHttpForTests, type ProviderHttpTuning } from "@/server/providers/http";
import { releaseExpiredReservations } from "@/server/budget/ledger";
import { summarizeLead } from "@/server/leads/summary";
import { suggestReply } from "@/server/inbox/reply-assistant";
import { applyReplyIntent } from "@/server/inbox/reply-intent";
import { callerFor, createTeam } from "@/test/factories";
import { completion, openAiError, fakeOpenAiForFile } from "@/test/fakes/openai-server";

// OpenAI spend in the one ledger: every request reserved under the organization's AI budget,
// settled to what OpenAI billed, refused by the AI kill switch and the daily cap before any request.
const fake = fakeOpenAiForFile();

const tuning = { retries: 0, timeoutMs: 10_000, deadlineMs: 12_000, backoff: { baseDelayMs: 1, maxDelayMs: 2 } };
const summarizer = (http: ProviderHttpTuning = tuning) => createOpenAiSummarizer({ apiKey: "sk-test", baseUrl: fake.server.baseUrl, model: "gpt-4o-mini", http });
const assistant = () => createOpenAiReplyAssistant({ apiKey: "sk-test", baseUrl: fake.server.baseUrl, model: "gpt-4o-mini", http: tuning });

async function teamWithLead(budget: { dailyCapCents: number; costPerCallCents: number } = { dailyCapCents: 500, costPerCallCents: 2 }) {
  const team = await createTeam();
  await callerFor(team.admin).budgets.update({ provider: "openai", ...budget });
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${Math.floor(Math.random() * 9000) + 100} Ledger Ave`, city: "Austin", state: "TX", zip: "78701", equityPct: 70 });
  return { team, lead, ctx: { db, orgId: team.org.id, userId: team.manager.id, requestId: `req-${randomBytes(4).toString("hex")}` } };
}

const aiSpend = (orgId: string) => db.dailySpend.findMany({ where: { organizationId: orgId, provider: "openai" } });
const aiEntries = (orgId: string) => db.spendEntry.findMany({ where: { organizationId: orgId, provider: "openai" }, orderBy: { createdAt: "asc" } });

describe("AI spend in the ledger", () => {
  it("charges an answered summary at the organization's price per AI request, with the lead and request on the entry", async () => {
    const { team, lead, ctx } = await teamWithLead();
    fake.server.respondWith([completion("High equity and an absentee owner. Verify occupancy.")]);
    await summarizeLead(ctx, lead.id, summarizer());
    const [entry] = await aiEntries(team.org.id);
    expect(entry).toMatchObject({ operation: "lead_summary", cents: 2, unconfirmedCents: 0, simulated: false, relatedType: "lead", relatedId: lead.id, requestId: ctx.requestId });
    expect(await aiSpend(team.org.id)).toEqual([expect.objectContaining({ spentCents: 2, reservedCents: 0 })]);

    const overview = await callerFor(team.admin).budgets.overview();
    expect(overview.providers.find((p) => p.provider === "openai")).toMatchObject({ spentCents: 2, dailyCapCents: 500 });
  });

  it("charges an answer with no text (OpenAI billed it) and nothing for 401, 429 or 500 answers", async () => {
    const { team, lead, ctx } = await teamWithLead();
    fake.server.respondWith([{ status: 200, body: { choices: [{ message: { content: "" } }] } }]);
    await expect(summarizeLead(ctx, lead.id, summarizer())).rejects.toMatchObject({ appCode: "PROVIDER_ERROR" });
    for (const [status, code] of [[401, "PRECONDITION_FAILED"], [429, "PROVIDER_UNAVAILABLE"], [500, "PROVIDER_UNAVAILABLE"]] as const) {
      resetProviderHttpForTests();
      fake.server.respondWith([openAiError(status, `status ${status}`)]);
      await expect(summarizeLead(ctx, lead.id, summarizer())).rejects.toMatchObject({ appCode: code });
    }
    expect(fake.server.requests).toHaveLength(4);
    expect((await aiEntries(team.org.id)).map((e) => e.cents)).toEqual([2]);
    expect(await aiSpend(team.org.id)).toEqual([expect.objectContaining({ spentCents: 2, reservedCents: 0 })]);
    expect((await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).aiSummary).toBeNull();
  });

  it("counts a timed-out request as possibly billed and never sends it twice", async () => {
    const { team, lead, ctx } = await teamWithLead();
    fake.server.respondWith([{ ...completion("late"), delayMs: 1_500 }]);
    await expect(summarizeLead(ctx, lead.id, summarizer({ ...tuning, timeoutMs: 300, deadlineMs: 2_000 }))).rejects.toMatchObject({ appCode: "PROVIDER_TIMEOUT" });
    expect(fake.server.requests).toHaveLength(1);
    const [entry] = await aiEntries(team.org.id);
    expect(entry).toMatchObject({ cents: 2, unconfirmedCents: 2 });
  });

  it("with the production retry policy: a dropped connection is possibly billed and never resent, a 500 is not billed and not resent, a 429 is asked again", async () => {
    const { team, lead, ctx } = await teamWithLead();
    // A server that reads the request, then drops the connection without answering.
    let dropped = 0;
    const dropper = createServer((req) => {
      req.resume();
      req.on("end", () => ((dropped += 1), req.socket.destroy()));
    });
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    const production = { backoff: { baseDelayMs: 1, maxDelayMs: 2 } };
    try {
      const droppingOpenAi = createOpenAiSummarizer({ apiKey: "sk-test", baseUrl: `http://127.0.0.1:${(dropper.address() as AddressInfo).port}/v1`, model: "gpt-4o-mini", http: production });
      await expect(summarizeLead(ctx, lead.id, droppingOpenAi)).rejects.toMatchObject({ appCode: "PROVIDER_UNAVAILABLE" });
      expect(dropped).toBe(1);
    } finally {
      await new Promise<void>((resolve) => dropper.close(() => resolve()));
    }
    resetProviderHttpForTests();
    fake.server.respondWith([openAiError(500, "The server had an error")]);
    await expect(summarizeLead(ctx, lead.id, summarizer(production))).rejects.toMatchObject({ appCode: "PROVIDER_UNAVAILABLE" });
    expect(fake.server.requests).toHaveLength(1);
    fake.server.respondWith([openAiError(429, "Rate limit reached", "requests"), completion("Absentee owner.")]);
    await summarizeLead(ctx, lead.id, summarizer(production));
    expect(fake.server.requests).toHaveLength(3);
    expect((await aiEntries(team.org.id)).map((e) => [e.cents, e.unconfirmedCents])).toEqual([[2, 2], [2, 0]]);
  });

  it("refuses every AI feature before any request while the AI kill switch is engaged", async () => {
    const { team, lead, ctx } = await teamWithLead();
    await callerFor(team.admin).killSwitches.set({ kind: "ai", engaged: true, reason: "AI bill review" });
    await expect(summarizeLead(ctx, lead.id, summarizer())).rejects.toMatchObject({ appCode: "KILL_SWITCH_ON", message: expect.stringMatching(/AI assistance/) });

    const thread = await inboundThread(team.org.id, lead.id, "The tenants moved out and the roof leaks");
    await expect(suggestReply(ctx, thread.conversationId, assistant())).rejects.toMatchObject({ appCode: "KILL_SWITCH_ON" });
    // The worker's AI reading is skipped: the phrase rules alone read the reply.
    await applyReplyIntent(db, thread.messageId, assistant());
    expect((await db.message.findUniqueOrThrow({ where: { id: thread.messageId } })).replyIntent).toBe("unknown");

    expect(fake.server.requests).toHaveLength(0);
    expect(await aiEntries(team.org.id)).toHaveLength(0);
    expect((await callerFor(team.user).killSwitches.list()).find((s) => s.kind === "ai")).toMatchObject({ engaged: true, reason: "AI bill review" });
  });

  it("lets exactly as many concurrent AI requests through as the cap holds, and tells the admins once", async () => {
    const { team, lead, ctx } = await teamWithLead({ dailyCapCents: 10, costPerCallCents: 2 });
    fake.server.respondWith(() => ({ ...completion("Motivated seller signals."), delayMs: 30 }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => summarizeLead({ ...ctx }, lead.id, summarizer())));
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ appCode: "CAP_EXCEEDED" });
    expect(fake.server.requests).toHaveLength(5);
    expect(await aiSpend(team.org.id)).toEqual([expect.objectContaining({ spentCents: 10, reservedCents: 0 })]);
    const notices = await db.notification.findMany({ where: { organizationId: team.org.id, kind: "cap_reached", userId: team.admin.id } });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toMatch(/OpenAI/);
  });

  it("charges suggested replies and the worker's reply reading, and a spent cap leaves a reply to the rules", async () => {
    const { team, lead, ctx } = await teamWithLead({ dailyCapCents: 3, costPerCallCents: 1 });
    const thread = await inboundThread(team.org.id, lead.id, "Maybe, depends what you are thinking");
    fake.server.respondWith([completion("Thanks for getting back to me. What condition is the house in?")]);
    await suggestReply(ctx, thread.conversationId, assistant());

    const unclear = await inboundThread(team.org.id, lead.id, "The tenants moved out and the roof leaks");
    fake.server.respondWith([completion(JSON.stringify({ intent: "interested", reason: "Vacant and needs repairs." }))]);
    await applyReplyIntent(db, unclear.messageId, assistant());
    expect((await db.message.findUniqueOrThrow({ where: { id: unclear.messageId } })).replyIntent).toBe("interested");

    const entries = await aiEntries(team.org.id);
    expect(entries.map((e) => [e.operation, e.relatedType, e.cents])).toEqual([
      ["suggested_reply", "conversation", 1],
      ["reply_intent", "message", 1],
    ]);

    // One cent left: a third request spends it; the fourth is refused by the cap before any request.
    fake.server.respondWith([completion("Sure, happy to talk.")]);
    await suggestReply(ctx, thread.conversationId, assistant());
    const another = await inboundThread(team.org.id, lead.id, "Garage roof caved in after the storm, tenants gone");
    const requestsBefore = fake.server.requests.length;
    await applyReplyIntent(db, another.messageId, assistant());
    expect(fake.server.requests).toHaveLength(requestsBefore);
    expect((await db.message.findUniqueOrThrow({ where: { id: another.messageId } })).replyIntent).toBe("unknown");
    expect(await aiSpend(team.org.id)).toEqual([expect.objectContaining({ spentCents: 3, reservedCents: 0 })]);
  });

  it("gives back an AI reservation abandoned by a crashed process", async () => {
    const { team } = await teamWithLead({ dailyCapCents: 2, costPerCallCents: 2 });
    const day = (await db.$queryRaw<{ day: string }[]>`SELECT (now() AT TIME ZONE o."timeZone")::date::text AS day FROM "Organization" o WHERE o.id = ${team.org.id}`)[0]!.day;
    // What a process killed between reserve and settle leaves: an open reservation holding the cap.
    await db.dailySpend.create({ data: { organizationId: team.org.id, provider: "openai", day: new Date(`${day}T00:00:00Z`), reservedCents: 2 } });
    await db.spendReservation.create({ data: { organizationId: team.org.id, provider: "openai", day: new Date(`${day}T00:00:00Z`), operation: "lead_summary", cents: 2, expiresAt: new Date(Date.now() - 1_000) } });
    expect(await releaseExpiredReservations(db)).toBeGreaterThanOrEqual(1);
    expect(await aiSpend(team.org.id)).toEqual([expect.objectContaining({ spentCents: 0, reservedCents: 0 })]);
  });
});

const senders = new Map<string, string>();
const randomDigits = () => String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0");

/** An inbound text from a mobile phone of the lead, through the inbound webhook's handler. */
async function inboundThread(orgId: string, leadId: string, body: string) {
  let senderNumber = senders.get(orgId);
  if (!senderNumber) {
    senderNumber = `+1512${randomDigits()}`;
    await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: senderNumber } });
    senders.set(orgId, senderNumber);
  }
  const phone = `+1737${randomDigits()}`;
  await db.leadPhone.create({ data: { organizationId: orgId, leadId, number: phone, type: "mobile", source: "test" } });
  const result = await handleInboundWebhook(db, { MessageSid: `SM${randomBytes(16).toString("hex")}`, From: phone, To: senderNumber, Body: body, NumSegments: "1" });
  if (result.duplicate) throw new Error("unexpected duplicate");
  return { messageId: result.messageId, conversationId: result.conversationId };
}
