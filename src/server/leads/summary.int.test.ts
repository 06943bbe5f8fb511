import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createOpenAiSummarizer } from "@/server/providers/openai/client";
import { resetProviderHttpForTests } from "@/server/providers/http";
import { callerFor, createTeam } from "@/test/factories";
import { summarizeLead } from "./summary";

// An HTTP-level fake of OpenAI's chat completions endpoint.
type Answer = { status: number; body: unknown };
let answers: Answer[] = [];
const received: { path: string; auth: string | undefined; body: { model: string; messages: { role: string; content: string }[] } }[] = [];
const server = createServer(async (req: IncomingMessage, res) => {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  received.push({ path: req.url ?? "", auth: req.headers.authorization, body: JSON.parse(raw) });
  const answer = answers.shift() ?? { status: 200, body: { id: "chatcmpl-1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "Absentee owner with high equity who has held the property 20 years. Verify occupancy." }, finish_reason: "stop" }], usage: { prompt_tokens: 90, completion_tokens: 20, total_tokens: 110 } } };
  res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
});
let baseUrl = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  answers = [];
  received.length = 0;
  resetProviderHttpForTests();
});

const summarizer = () => createOpenAiSummarizer({ apiKey: "sk-test", baseUrl, model: "gpt-4o-mini", http: { retries: 1, backoff: { baseDelayMs: 1, maxDelayMs: 2 } } });

describe("AI lead summary", () => {
  it("stores the summary from facts only, never the owner's name or contact details", async () => {
    const team = await createTeam();
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "5 Summary St", city: "Austin", state: "TX", zip: "78701", ownerName: "Private Person", equityPct: 90, absentee: true });
    const ctx = { db, orgId: team.org.id, userId: team.user.id };
    const result = await summarizeLead(ctx, lead.id, summarizer());
    expect(result.aiSummary).toMatch(/Absentee owner with high equity/);
    expect((await callerFor(team.user).leads.get({ id: lead.id })).aiSummary).toBe(result.aiSummary);

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: "/v1/chat/completions", auth: "Bearer sk-test", body: { model: "gpt-4o-mini" } });
    const sent = received[0]!.body.messages.map((m) => m.content).join(" ");
    expect(sent).toContain('"equityPct":90');
    expect(sent).not.toContain("Private Person");
    expect(sent).not.toContain("5 Summary St");
  });

  it("retries a 429 and reports an empty answer clearly", async () => {
    const team = await createTeam();
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "6 Summary St", city: "Austin", state: "TX", zip: "78701" });
    const ctx = { db, orgId: team.org.id, userId: team.user.id };
    answers = [{ status: 429, body: { error: { message: "Rate limit" } } }];
    await expect(summarizeLead(ctx, lead.id, summarizer())).resolves.toMatchObject({ aiSummary: expect.any(String) });
    expect(received).toHaveLength(2);

    answers = [{ status: 200, body: { choices: [{ message: { content: "" } }] } }];
    const error = await summarizeLead(ctx, lead.id, summarizer()).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("BAD_GATEWAY");
  });

  it("is off without OPENAI_API_KEY, and everything else still works", async () => {
    const team = await createTeam();
    const caller = callerFor(team.user);
    expect(await caller.leads.aiSummaryAvailable()).toBe(false);
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "7 Summary St", city: "Austin", state: "TX", zip: "78701" });
    const error = await caller.leads.summarize({ id: lead.id }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((error as Error).message).toMatch(/OPENAI_API_KEY/);
  });
});
