import "server-only";
import type { LeadStatus } from "@/generated/prisma/enums";
import { REPLY_INTENTS, type ReplyIntent } from "@/lib/reply-intent";
import { scoreLead } from "@/lib/scoring";

/** A lead whose owner answered counts the reply in its score. */
const REPLIED_STATUSES: LeadStatus[] = ["replied", "interested", "negotiating", "under_contract", "closed"];

/** The stored facts of a lead row that its score is computed from. */
export type LeadScoreInputs = {
  equityPct: number | null;
  absentee: boolean | null;
  ownerIsCorporate: boolean;
  lastSaleDate: Date | null;
  lastSalePriceCents: bigint | null;
  estimatedValueCents: bigint | null;
  vacant: boolean | null;
  status: LeadStatus;
  /** The latest classified reply's intent and its reason (inbox/reply-intent.ts); absent on a new lead. */
  replyIntent?: string | null;
  replyIntentReason?: string | null;
};

const asIntent = (value: string | null | undefined): ReplyIntent | null => (REPLY_INTENTS as readonly string[]).includes(value ?? "") ? (value as ReplyIntent) : null;

const toNumber = (value: bigint | null) => (value === null ? null : Number(value));

/** The score columns (score, temperature, factors) for a lead row, from its stored facts. */
export function leadScoreData(lead: LeadScoreInputs) {
  const score = scoreLead({
    equityPct: lead.equityPct,
    absentee: lead.absentee,
    ownerIsCorporate: lead.ownerIsCorporate,
    lastSaleDate: lead.lastSaleDate ? lead.lastSaleDate.toISOString().slice(0, 10) : null,
    lastSalePriceCents: toNumber(lead.lastSalePriceCents),
    estimatedValueCents: toNumber(lead.estimatedValueCents),
    vacant: lead.vacant,
    replied: REPLIED_STATUSES.includes(lead.status),
    replyIntent: asIntent(lead.replyIntent),
    replyIntentReason: lead.replyIntentReason ?? null,
  });
  return { score: score.score, temperature: score.temperature, scoreFactors: score.factors };
}
