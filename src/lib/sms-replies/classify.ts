import { normalizeSmsBody, type NormalizedSmsBody } from "./normalize";
import { compilePhrase, occurrences, type CompiledPhrase } from "./phrases";
import type { SmsReplyKind, SmsReplyRule, SmsReplyRuleSet } from "./rules";

export type SmsReplyOutcome = SmsReplyKind | "none";

/** Twilio Advanced Opt-Out's `OptOutType` webhook parameter. */
export type TwilioOptOutType = "STOP" | "START" | "HELP";

export type SmsReplyMatch = {
  ruleId: string;
  kind: SmsReplyKind;
  /** The rule's phrase as written in the rule set. */
  phrase: string;
  /** The words of the message that matched it. */
  matchedText: string;
  /** The guard phrase that set this match aside, if any: it then counts only as a reason to review. */
  negatedBy: string | null;
};

export type SmsReplyClassification = {
  outcome: SmsReplyOutcome;
  /** The deciding rule; "twilio-opt-out-type" when OptOutType decided; null for `none`. */
  ruleId: string | null;
  phrase: string | null;
  matchedText: string | null;
  /** One sentence for the audit trail and the review queue. */
  reason: string;
  /** Twilio already answered the keyword (OptOutType present): send no reply. */
  answeredByProvider: boolean;
  /** What to suppress: the number for the whole organization, or this phone for this lead only (wrong number). */
  suppression: "number" | "lead_phone" | null;
  /** Every rule that matched, including ones that lost to a stronger kind or were negated. */
  matches: SmsReplyMatch[];
  normalized: NormalizedSmsBody;
};

export type ClassifyOptions = {
  /** The raw `OptOutType` webhook parameter; anything other than STOP/START/HELP is ignored. */
  optOutType?: string | null;
};

/** Strongest first: a message that both refuses and says "wrong number" is a refusal (the number is suppressed for everyone). */
const KIND_PRIORITY: readonly SmsReplyKind[] = ["opt_out", "refusal", "wrong_number", "opt_in", "help", "review"];

const OPT_OUT_TYPE_OUTCOME: Record<TwilioOptOutType, SmsReplyKind> = { STOP: "opt_out", START: "opt_in", HELP: "help" };

type CompiledRule = { rule: SmsReplyRule; phrases: CompiledPhrase[]; unless: CompiledPhrase[]; unlessAnywhere: CompiledPhrase[] };


const compiledRuleSets = new WeakMap<SmsReplyRuleSet, CompiledRule[]>();

function compile(ruleSet: SmsReplyRuleSet): CompiledRule[] {
  let compiled = compiledRuleSets.get(ruleSet);
  if (!compiled) {
    compiled = ruleSet.rules.map((rule) => ({
      rule,
      phrases: rule.phrases.map((phrase) => compilePhrase(phrase, rule.match === "whole_body")),
      unless: (rule.unless ?? []).map((phrase) => compilePhrase(phrase, false)),
      unlessAnywhere: (rule.unlessAnywhere ?? []).map((phrase) => compilePhrase(phrase, false)),
    }));
    compiledRuleSets.set(ruleSet, compiled);
  }
  return compiled;
}

/** The first match of a rule: an un-negated occurrence if there is one, else the first negated one. */
function matchRule({ rule, phrases, unless, unlessAnywhere }: CompiledRule, words: string): SmsReplyMatch | null {
  const anywhereGuard = unlessAnywhere.find((guard) => occurrences(guard, words).length > 0)?.phrase ?? null;
  let negated: SmsReplyMatch | null = null;
  for (const compiled of phrases) {
    for (const occurrence of occurrences(compiled, words)) {
      const overlappingGuard =
        unless.find((guard) => occurrences(guard, words).some((g) => g.start < occurrence.end && occurrence.start < g.end))?.phrase ?? null;
      const negatedBy = overlappingGuard ?? anywhereGuard;
      const match = { ruleId: rule.id, kind: rule.kind, phrase: compiled.phrase, matchedText: occurrence.text, negatedBy };
      if (!negatedBy) return match;
      negated ??= match;
    }
  }
  return negated;
}

function rank(match: SmsReplyMatch): number {
  // A negated match ranks just above plain review rules: it is the better explanation of why a person must look.
  return match.negatedBy ? KIND_PRIORITY.length - 1.5 : KIND_PRIORITY.indexOf(match.kind);
}

function suppressionFor(outcome: SmsReplyOutcome): SmsReplyClassification["suppression"] {
  if (outcome === "opt_out" || outcome === "refusal") return "number";
  if (outcome === "wrong_number") return "lead_phone";
  return null;
}

export function parseOptOutType(value: string | null | undefined): TwilioOptOutType | null {
  const upper = value?.trim().toUpperCase();
  return upper === "STOP" || upper === "START" || upper === "HELP" ? upper : null;
}

/**
 * Classifies an inbound SMS body against a (validated) rule set. Pure and synchronous; compiled
 * rule sets are cached per rule-set object. When Twilio's `OptOutType` is present it decides the
 * outcome and Twilio has already replied.
 */
export function classifyInboundSms(body: string, ruleSet: SmsReplyRuleSet, options: ClassifyOptions = {}): SmsReplyClassification {
  const normalized = normalizeSmsBody(body);
  const rules = compile(ruleSet);
  const matches = normalized.words ? rules.map((rule) => matchRule(rule, normalized.words)).filter((m): m is SmsReplyMatch => m !== null) : [];
  const base = { matches, normalized, answeredByProvider: false };

  const optOutType = parseOptOutType(options.optOutType);
  if (optOutType) {
    const outcome = OPT_OUT_TYPE_OUTCOME[optOutType];
    return {
      ...base,
      outcome,
      ruleId: "twilio-opt-out-type",
      phrase: null,
      matchedText: normalized.text || null,
      reason: `Twilio Advanced Opt-Out marked this message OptOutType=${optOutType} and has already replied to it, so LeadFlow records the ${outcome.replace("_", "-")} and sends nothing.`,
      answeredByProvider: true,
      suppression: suppressionFor(outcome),
    };
  }

  const best = [...matches].sort((a, b) => rank(a) - rank(b))[0];
  if (!best) {
    return {
      ...base,
      outcome: "none",
      ruleId: null,
      phrase: null,
      matchedText: null,
      reason: normalized.words
        ? "No rule matched: an ordinary reply that neither opts out nor needs review."
        : "The message has no words (empty, or only emoji or punctuation): nothing to act on.",
      suppression: null,
    };
  }

  const rule = ruleSet.rules.find((r) => r.id === best.ruleId)!;
  const outcome: SmsReplyOutcome = best.negatedBy ? "review" : best.kind;
  const reason = best.negatedBy
    ? `"${best.matchedText}" matches "${best.phrase}" in rule ${rule.id} (${rule.kind}), but "${best.negatedBy}" negates or qualifies it, so it does not suppress; a person should read it.`
    : `"${best.matchedText}" matches "${best.phrase}" in rule ${rule.id}: ${rule.explanation}`;
  return { ...base, outcome, ruleId: best.ruleId, phrase: best.phrase, matchedText: best.matchedText, reason, suppression: suppressionFor(outcome) };
}
