import "server-only";
import { z } from "zod";
import { AppError } from "../../errors";
import { billed, possiblyBilled, ProviderCallError, type Billed } from "../billing";
import { createProviderHttp, ProviderHttpError, ProviderNetworkError, vendorErrorMessage, type ProviderHttpTuning } from "../http";

/**
 * OpenAI's chat completions behind three small ports (lead summary, suggested reply, reply
 * intent). Every call is one paid request: callers reserve and settle it under the `openai`
 * budget (budget/paid-request.ts). Billing: OpenAI bills the tokens of a request it answered
 * (even one whose text is empty or unreadable); an error answer bills nothing; a request that
 * timed out or lost its connection may have been processed, so it is not resent and counts as
 * possibly billed.
 */

/** What the summary may use: facts only, never contact details. */
export type LeadFacts = Record<string, string | number | boolean | null>;

export interface LeadSummarizer {
  summarize(facts: LeadFacts): Promise<Billed<string>>;
}

const chatCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const INSTRUCTIONS =
  "You help a real-estate investor decide whom to call first. In at most three short sentences, " +
  "say why this property's owner might be motivated to sell and what to verify. Use only the facts given; do not invent any.";

type OpenAiOptions = { apiKey: string; baseUrl: string; model: string; http?: ProviderHttpTuning };
type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
const openAiMessage = (bodyText: string) =>
  vendorErrorMessage(bodyText, z.looseObject({ error: z.looseObject({ message: z.string() }) }), (body) => body.error.message);

function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof ProviderNetworkError) {
    return error.timedOut
      ? new AppError("PROVIDER_TIMEOUT", "OpenAI did not answer in time. It may still have billed the request, so it was not sent again; try again in a minute.")
      : new AppError("PROVIDER_UNAVAILABLE", "Could not reach OpenAI. Try again in a minute.");
  }
  if (!(error instanceof ProviderHttpError)) return error;
  const { status } = error;
  if (status === 401 || status === 403) return new AppError("PRECONDITION_FAILED", `OpenAI rejected the API key (${status}): check OPENAI_API_KEY.`);
  if (status === 429) return new AppError("PROVIDER_UNAVAILABLE", "OpenAI's rate limit or quota was reached (429). Wait a minute and try again.");
  if (status >= 500) return new AppError("PROVIDER_UNAVAILABLE", `OpenAI is having problems (HTTP ${status}). Try again in a few minutes.`);
  return new AppError("PROVIDER_ERROR", `OpenAI refused the request (HTTP ${status}): ${openAiMessage(error.bodyText) ?? "no reason given"}`);
}

/** One chat completion's text (null when OpenAI answered none), billed as one request when OpenAI answered. */
function openAiChat(opts: OpenAiOptions) {
  const http = createProviderHttp("openai", {
    prefixUrl: opts.baseUrl,
    headers: { Authorization: `Bearer ${opts.apiKey}` },
    // Only a 429 is asked again: after a 5xx, a timeout or a dropped connection OpenAI may have
    // processed (and billed) the request.
    retryNonIdempotent: false,
    ...opts.http,
  });
  return async (messages: ChatMessage[], options: { maxTokens: number; temperature: number; json?: boolean }): Promise<Billed<string | null>> => {
    let response: Response;
    try {
      response = await http.post("chat/completions", {
        json: {
          model: opts.model,
          max_tokens: options.maxTokens,
          temperature: options.temperature,
          ...(options.json ? { response_format: { type: "json_object" } } : {}),
          messages,
        },
      });
    } catch (error) {
      const mayHaveArrived = error instanceof ProviderNetworkError && !error.neverSent;
      throw ProviderCallError.from(toAppError(error), mayHaveArrived ? possiblyBilled(1) : undefined);
    }
    let body: unknown = null;
    try {
      body = JSON.parse(await response.text());
    } catch {
      // An unreadable answer to a request OpenAI answered: billed all the same, read as no text.
    }
    const parsed = chatCompletion.safeParse(body);
    return { value: (parsed.success ? parsed.data.choices[0]!.message.content?.trim() : null) || null, billing: billed(1) };
  };
}

/** The text of an answered request, or the failure (still billed: OpenAI answered). */
function textOrFail(answer: Billed<string | null>, failure: string): Billed<string> {
  if (!answer.value) throw new ProviderCallError("PROVIDER_ERROR", failure, answer.billing);
  return { value: answer.value, billing: answer.billing };
}

export function createOpenAiSummarizer(opts: OpenAiOptions): LeadSummarizer {
  const chat = openAiChat(opts);
  return {
    async summarize(facts) {
      const answer = await chat(
        [
          { role: "system", content: INSTRUCTIONS },
          { role: "user", content: JSON.stringify(facts) },
        ],
        { maxTokens: 180, temperature: 0.2 },
      );
      return textOrFail(answer, "OpenAI returned no summary. Try again later.");
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
  suggestReply(context: ReplyContext): Promise<Billed<string>>;
  /** An intent for a reply the phrase rules could not read, with the model's one-line reason. */
  classifyReply(body: string): Promise<Billed<{ intent: AiReplyIntent; reason: string }>>;
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
      const answer = await chat(
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
      return textOrFail(answer, "OpenAI returned no suggestion. Try again, or write the reply yourself.");
    },
    async classifyReply(body) {
      const answer = await chat(
        [
          { role: "system", content: CLASSIFY_INSTRUCTIONS },
          { role: "user", content: body },
        ],
        { maxTokens: 80, temperature: 0, json: true },
      );
      let parsed;
      try {
        parsed = classification.safeParse(JSON.parse(answer.value ?? ""));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) throw new ProviderCallError("PROVIDER_ERROR", "OpenAI answered the classification in an unexpected shape.", answer.billing);
      return { value: parsed.data, billing: answer.billing };
    },
  };
}
