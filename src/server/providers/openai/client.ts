import "server-only";
import { z } from "zod";
import { AppError } from "../../errors";
import { createProviderHttp, type ProviderHttpTuning } from "../http";

/** What the summary may use: facts only, never contact details. */
export type LeadFacts = Record<string, string | number | boolean | null>;

export interface LeadSummarizer {
  summarize(facts: LeadFacts): Promise<string>;
}

const chatCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const INSTRUCTIONS =
  "You help a real-estate investor decide whom to call first. In at most three short sentences, " +
  "say why this property's owner might be motivated to sell and what to verify. Use only the facts given; do not invent any.";

type OpenAiOptions = { apiKey: string; baseUrl: string; model: string; http?: ProviderHttpTuning };
type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** One chat completion's text (null when OpenAI answered none). */
function openAiChat(opts: OpenAiOptions) {
  const http = createProviderHttp("openai", {
    prefixUrl: opts.baseUrl,
    headers: { Authorization: `Bearer ${opts.apiKey}` },
    retryNonIdempotent: true,
    ...opts.http,
  });
  return async (messages: ChatMessage[], options: { maxTokens: number; temperature: number; json?: boolean }): Promise<string | null> => {
    const body = await http
      .post("chat/completions", {
        json: {
          model: opts.model,
          max_tokens: options.maxTokens,
          temperature: options.temperature,
          ...(options.json ? { response_format: { type: "json_object" } } : {}),
          messages,
        },
      })
      .json();
    const parsed = chatCompletion.safeParse(body);
    return (parsed.success ? parsed.data.choices[0]!.message.content?.trim() : null) || null;
  };
}

export function createOpenAiSummarizer(opts: OpenAiOptions): LeadSummarizer {
  const chat = openAiChat(opts);
  return {
    async summarize(facts) {
      const content = await chat(
        [
          { role: "system", content: INSTRUCTIONS },
          { role: "user", content: JSON.stringify(facts) },
        ],
        { maxTokens: 180, temperature: 0.2 },
      );
      if (!content) throw new AppError("PROVIDER_ERROR", "OpenAI returned no summary. Try again later.");
      return content;
    },
  };
}

/** What a suggested reply may use: the thread's texts, the owner's first name, the property's facts. */
export type ReplyContext = {
  ownerFirstName: string | null;
  brand: string | null;
  facts: LeadFacts;
  /** Oldest first. */
  messages: { direction: "inbound" | "outbound"; body: string }[];
};

export const AI_REPLY_INTENTS = ["interested", "not_interested", "wrong_number", "opt_out", "question", "unknown"] as const;
export type AiReplyIntent = (typeof AI_REPLY_INTENTS)[number];

export interface ReplyAssistant {
  /** A draft for the user to edit and send; never sent by itself. */
  suggestReply(context: ReplyContext): Promise<string>;
  /** An intent for a reply the phrase rules could not read, with the model's one-line reason. */
  classifyReply(body: string): Promise<{ intent: AiReplyIntent; reason: string }>;
}

const SUGGEST_INSTRUCTIONS =
  "You draft the next SMS from a real-estate investor to a property owner who may sell. Reply to the owner's last message " +
  "in one or two short, friendly, plain sentences (under 300 characters), no emojis, no links, no promises of a price. " +
  "If the owner asked to stop or said it is the wrong number, draft a short apology that confirms they will not be texted again. " +
  "Use only the facts given. Answer with the text only.";

const CLASSIFY_INSTRUCTIONS =
  'Classify a property owner\'s SMS reply to an investor\'s offer to buy their property. Answer JSON {"intent": one of ' +
  `${AI_REPLY_INTENTS.map((i) => `"${i}"`).join(", ")}, "reason": one short sentence}.`;

const classification = z.object({ intent: z.enum(AI_REPLY_INTENTS), reason: z.string().min(1).max(300) });

export function createOpenAiReplyAssistant(opts: OpenAiOptions): ReplyAssistant {
  const chat = openAiChat(opts);
  return {
    async suggestReply(context) {
      const content = await chat(
        [
          { role: "system", content: SUGGEST_INSTRUCTIONS },
          {
            role: "user",
            content: JSON.stringify({ ownerFirstName: context.ownerFirstName, sender: context.brand, property: context.facts }),
          },
          ...context.messages.map((m): ChatMessage => ({ role: m.direction === "outbound" ? "assistant" : "user", content: m.body })),
        ],
        { maxTokens: 120, temperature: 0.4 },
      );
      if (!content) throw new AppError("PROVIDER_ERROR", "OpenAI returned no suggestion. Try again, or write the reply yourself.");
      return content;
    },
    async classifyReply(body) {
      const content = await chat(
        [
          { role: "system", content: CLASSIFY_INSTRUCTIONS },
          { role: "user", content: body },
        ],
        { maxTokens: 80, temperature: 0, json: true },
      );
      let parsed;
      try {
        parsed = classification.safeParse(JSON.parse(content ?? ""));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) throw new AppError("PROVIDER_ERROR", "OpenAI answered the classification in an unexpected shape.");
      return parsed.data;
    },
  };
}
