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

export function createOpenAiSummarizer(opts: { apiKey: string; baseUrl: string; model: string; http?: ProviderHttpTuning }): LeadSummarizer {
  const http = createProviderHttp("openai", {
    prefixUrl: opts.baseUrl,
    headers: { Authorization: `Bearer ${opts.apiKey}` },
    retryNonIdempotent: true,
    ...opts.http,
  });
  return {
    async summarize(facts) {
      const body = await http
        .post("chat/completions", {
          json: {
            model: opts.model,
            max_tokens: 180,
            temperature: 0.2,
            messages: [
              { role: "system", content: INSTRUCTIONS },
              { role: "user", content: JSON.stringify(facts) },
            ],
          },
        })
        .json();
      const parsed = chatCompletion.safeParse(body);
      const content = parsed.success ? parsed.data.choices[0]!.message.content?.trim() : null;
      if (!content) throw new AppError("PROVIDER_ERROR", "OpenAI returned no summary. Try again later.");
      return content;
    },
  };
}
