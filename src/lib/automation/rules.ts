import { z } from "zod";
import { normalizeSmsBody } from "../sms-replies";
import { REPLY_INTENTS, REPLY_INTENT_LABELS, type ReplyIntent } from "../reply-intent";
import { safeString } from "../text-schema";

/**
 * Auto-responder matching (issue 12 item 5): pure, so the "what would fire" box, the tests and the
 * inbound follow-up job answer the same. A rule matches an inbound text when the text's reply
 * intent is one of the rule's intents, or when one of its phrases occurs as whole words (any case,
 * punctuation ignored); a rule tied to a campaign only matches threads whose last campaign message
 * was that campaign's. The first enabled rule in position order that matches is the one that fires.
 *
 * Never for an opt-out: a text that opted out (keyword, refusal, wrong number, or the opt_out /
 * wrong_number intent) or a thread whose number is suppressed matches nothing. Nor for a text
 * waiting for review as a possible opt-out, or a HELP / START keyword (the texting rules answer those).
 */

/** Intents a rule may react to: an opt-out or a wrong number is never answered by a rule. */
export const RULE_REPLY_INTENTS = REPLY_INTENTS.filter((intent) => intent !== "opt_out" && intent !== "wrong_number") as Exclude<ReplyIntent, "opt_out" | "wrong_number">[];
export type RuleReplyIntent = (typeof RULE_REPLY_INTENTS)[number];

/** Texting outcomes (lib/sms-replies) that end every automatic reaction to the text. */
export const OPTED_OUT_OUTCOMES: ReadonlySet<string> = new Set(["opt_out", "refusal", "wrong_number"]);

export const phraseListSchema = z.array(safeString().trim().min(1, "A phrase cannot be empty.").max(80, "A phrase is at most 80 characters.")).max(30, "At most 30 phrases.");

export type MatchableRule = {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  intents: readonly string[];
  phrases: readonly string[];
  campaignId: string | null;
};

export type InboundFacts = {
  body: string;
  intent: ReplyIntent;
  /** The webhook's texting outcome (lib/sms-replies), null for an ordinary reply. */
  replyOutcome: string | null;
  /** The thread's number is on the opt-out list. */
  suppressed: boolean;
  /** The campaign of the thread's last campaign message. */
  threadCampaignId: string | null;
};

export type RuleVerdict = { ruleId: string; ruleName: string; matched: boolean; reason: string };
export type RuleMatch = { ruleId: string; ruleName: string; reason: string };

export type MatchResult = {
  /** The rule that fires, or null. */
  match: RuleMatch | null;
  /** Why nothing may fire at all (an opt-out), or null. */
  blockedReason: string | null;
  /** Every rule's answer in order, for the test box. */
  verdicts: RuleVerdict[];
};

function words(text: string): string {
  return ` ${normalizeSmsBody(text).words.replace(/\s+/g, " ")} `;
}

/** The first phrase of the list that occurs in the text as whole words, or null. */
export function matchingPhrase(body: string, phrases: readonly string[]): string | null {
  const text = words(body);
  for (const phrase of phrases) {
    const needle = words(phrase);
    if (needle.trim() && text.includes(needle)) return phrase;
  }
  return null;
}

/** Why automatic reactions are off for this text, or null. */
export function optedOutReason(facts: Pick<InboundFacts, "intent" | "replyOutcome" | "suppressed">): string | null {
  if (facts.replyOutcome && OPTED_OUT_OUTCOMES.has(facts.replyOutcome)) return `The text opted out (${facts.replyOutcome.replace("_", " ")}): no automatic reply after an opt-out.`;
  if (facts.intent === "opt_out" || facts.intent === "wrong_number") return `The text reads as ${REPLY_INTENT_LABELS[facts.intent].toLowerCase()}: no automatic reply after an opt-out.`;
  if (facts.suppressed) return "This number opted out: no automatic reply after an opt-out.";
  if (facts.replyOutcome === "review") return "The text may be an opt-out and waits for a person's review: no automatic reply.";
  if (facts.replyOutcome === "help" || facts.replyOutcome === "opt_in") return `The text is the ${facts.replyOutcome === "help" ? "HELP" : "START"} keyword, which the texting rules answer: no second automatic reply.`;
  return null;
}

function verdictOf(rule: MatchableRule, facts: InboundFacts): RuleVerdict {
  const base = { ruleId: rule.id, ruleName: rule.name };
  if (!rule.enabled) return { ...base, matched: false, reason: "The rule is off." };
  if (rule.campaignId && rule.campaignId !== facts.threadCampaignId) return { ...base, matched: false, reason: "The thread is not on the rule's campaign." };
  if (rule.intents.includes(facts.intent)) return { ...base, matched: true, reason: `The reply reads as ${REPLY_INTENT_LABELS[facts.intent].toLowerCase()}.` };
  const phrase = matchingPhrase(facts.body, rule.phrases);
  if (phrase) return { ...base, matched: true, reason: `The reply contains "${phrase}".` };
  return { ...base, matched: false, reason: rule.intents.length || rule.phrases.length ? "Neither its intents nor its phrases match." : "The rule has no intents or phrases." };
}

/** Which rule fires for an inbound text (see the module comment). */
export function matchRules(rules: readonly MatchableRule[], facts: InboundFacts): MatchResult {
  const ordered = [...rules].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  const blockedReason = optedOutReason(facts);
  const verdicts = ordered.map((rule) => (blockedReason ? { ruleId: rule.id, ruleName: rule.name, matched: false, reason: blockedReason } : verdictOf(rule, facts)));
  const first = verdicts.find((v) => v.matched);
  return { match: first ? { ruleId: first.ruleId, ruleName: first.ruleName, reason: first.reason } : null, blockedReason, verdicts };
}
