import "server-only";
import { ownerNameParts } from "@/lib/sms-template";
import type { ServiceContext } from "../context";
import { env } from "../env";
import { AppError, notFound } from "../errors";
import { createOpenAiReplyAssistant, type ReplyAssistant } from "../providers/openai/client";
import { withAiRequest } from "../ai/request";

let assistant: ReplyAssistant | null | undefined;

/** OpenAI's reply assistant when the operator configured a key, else null (the features are absent). */
export function defaultReplyAssistant(): ReplyAssistant | null {
  if (assistant === undefined) {
    assistant = env.OPENAI_API_KEY ? createOpenAiReplyAssistant({ apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL }) : null;
  }
  return assistant;
}

/** Texts of the thread the suggestion reads (the newest). */
const SUGGESTION_CONTEXT_MESSAGES = 20;

/**
 * A suggested reply for the open thread, from its latest texts and the lead's property facts: no
 * owner details beyond the first name (no full name, street address, phone or email), and nothing
 * is sent — the user edits it and sends it through the reply box like any reply. Paid under the AI
 * budget and kill switch.
 */
export async function suggestReply(ctx: Pick<ServiceContext, "db" | "orgId"> & { requestId?: string }, conversationId: string, use: ReplyAssistant | null = defaultReplyAssistant()) {
  if (!use) throw new AppError("PRECONDITION_FAILED", "Suggested replies are off: the operator has not configured OPENAI_API_KEY.");
  const conversation = await ctx.db.conversation.findFirst({
    where: { id: conversationId, organizationId: ctx.orgId },
    select: {
      leadId: true,
      messages: { orderBy: { createdAt: "desc" }, take: SUGGESTION_CONTEXT_MESSAGES, select: { direction: true, body: true } },
    },
  });
  if (!conversation) throw notFound("That conversation");
  const [lead, settings] = await Promise.all([
    conversation.leadId
      ? ctx.db.lead.findFirst({
          where: { id: conversation.leadId, organizationId: ctx.orgId },
          select: {
            ownerName: true, city: true, state: true, propertyType: true, beds: true, baths: true, sizeSqft: true, yearBuilt: true,
            estimatedValueCents: true, equityPct: true, absentee: true, vacant: true, status: true,
          },
        })
      : null,
    ctx.db.organizationSettings.findUnique({ where: { organizationId: ctx.orgId }, select: { smsBrandName: true } }),
  ]);
  const { ownerName, estimatedValueCents, ...facts } = lead ?? { ownerName: null, estimatedValueCents: null };
  const context = {
    ownerFirstName: ownerNameParts(ownerName).first,
    brand: settings?.smsBrandName ?? null,
    facts: JSON.parse(JSON.stringify({ ...facts, estimatedValueDollars: estimatedValueCents === null ? null : Math.round(Number(estimatedValueCents) / 100) })),
    messages: conversation.messages.reverse().map((m) => ({ direction: m.direction === "outbound" ? ("outbound" as const) : ("inbound" as const), body: m.body })),
  };
  const text = await withAiRequest(
    ctx.db,
    { orgId: ctx.orgId, operation: "suggested_reply", requestId: ctx.requestId, relatedType: "conversation", relatedId: conversationId },
    () => use.suggestReply(context),
  );
  return { text };
}
