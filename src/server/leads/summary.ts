import "server-only";
import type { ServiceContext } from "../context";
import { env } from "../env";
import { AppError, notFound } from "../errors";
import { createOpenAiSummarizer, type LeadSummarizer } from "../providers/openai/client";
import { recordActivities } from "../lead-records/activity";
import { withAiRequest } from "../ai/request";

let summarizer: LeadSummarizer | null | undefined;
function defaultSummarizer(): LeadSummarizer | null {
  if (summarizer === undefined) {
    summarizer = env.OPENAI_API_KEY ? createOpenAiSummarizer({ apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL }) : null;
  }
  return summarizer;
}

export const aiSummariesEnabled = () => defaultSummarizer() !== null;

/** An optional AI summary of why the owner may sell, paid under the AI budget; everything else works without it. */
export async function summarizeLead(ctx: Pick<ServiceContext, "db" | "orgId" | "userId"> & { requestId?: string }, id: string, use: LeadSummarizer | null = defaultSummarizer()) {
  const lead = await ctx.db.lead.findFirst({
    where: { id, organizationId: ctx.orgId },
    select: {
      city: true, state: true, propertyType: true, beds: true, baths: true, sizeSqft: true, yearBuilt: true,
      estimatedValueCents: true, equityPct: true, lastSaleDate: true, lastSalePriceCents: true, absentee: true,
      ownerIsCorporate: true, vacant: true, status: true, score: true,
    },
  });
  if (!lead) throw notFound("That lead");
  if (!use) throw new AppError("PRECONDITION_FAILED", "AI summaries are off: the operator has not configured OPENAI_API_KEY.");
  const facts = {
    ...lead,
    estimatedValueDollars: lead.estimatedValueCents === null ? null : Math.round(Number(lead.estimatedValueCents) / 100),
    lastSalePriceDollars: lead.lastSalePriceCents === null ? null : Math.round(Number(lead.lastSalePriceCents) / 100),
    lastSaleDate: lead.lastSaleDate?.toISOString().slice(0, 10) ?? null,
    estimatedValueCents: undefined,
    lastSalePriceCents: undefined,
  };
  const text = await withAiRequest(
    ctx.db,
    { orgId: ctx.orgId, operation: "lead_summary", requestId: ctx.requestId, relatedType: "lead", relatedId: id },
    () => use.summarize(JSON.parse(JSON.stringify(facts))),
  );
  await ctx.db.$transaction(async (tx) => {
    await tx.lead.update({ where: { id }, data: { aiSummary: text } });
    await recordActivities(tx, [{ orgId: ctx.orgId, leadId: id, actorId: ctx.userId, kind: "updated", details: { fields: ["aiSummary"] } }]);
  });
  return { aiSummary: text };
}
