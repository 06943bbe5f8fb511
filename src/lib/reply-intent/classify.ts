import {
  classifyInboundSms,
  DEFAULT_SMS_REPLY_RULES,
  compilePhrase,
  normalizeSmsBody,
  occurrences,
  type CompiledPhrase,
  type SmsReplyClassification,
  type SmsReplyRuleSet,
} from "../sms-replies";
import { REPLY_INTENT_LABELS, type ReplyIntent, type ReplyIntentRule, type ReplyIntentRuleSet, type RuleIntent } from "./rules";

export type ReplyIntentMatch = {
  ruleId: string;
  intent: RuleIntent;
  phrase: string;
  matchedText: string;
  /** The guard phrase that set this occurrence aside, if any (it then did not count). */
  negatedBy: string | null;
};

export type ReplyIntentResult = {
  intent: ReplyIntent;
  /** The deciding rule: an intent rule's id, the texting reply rule's id (opt-out, wrong number), "question-mark", or null for unknown. */
  ruleId: string | null;
  /** The words of the reply that decided it (normalised), or null. */
  matchedText: string | null;
  /** One sentence a user reads, e.g. `Matched "how much" (question).` */
  reason: string;
  /** Where the verdict came from. */
  source: "texting_rules" | "intent_rules" | "question_mark" | "none" | "ai";
  /** Every intent rule that matched (negated ones included), for the settings tester. */
  matches: ReplyIntentMatch[];
};

export type ClassifyReplyIntentOptions = {
  /** The organization's texting reply rules (opt-outs, refusals, wrong numbers); LeadFlow's defaults when absent. */
  smsRules?: SmsReplyRuleSet;
  /** The texting classification already made for this message (the webhook's); computed from smsRules when absent. */
  sms?: SmsReplyClassification;
};

/** Strongest first: a reply that says wrong number and no is a wrong number; a no beats a yes; a yes beats a question. */
const INTENT_PRIORITY: readonly RuleIntent[] = ["wrong_number", "not_interested", "interested", "question"];

/** Emoji that carry a meaning, read as words before matching (everything else is dropped by the normaliser). */
const EMOJI_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?/gu, " thumbs up "],
  [/\u{1F44E}[\u{1F3FB}-\u{1F3FF}]?/gu, " thumbs down "],
  [/\u{1F595}[\u{1F3FB}-\u{1F3FF}]?/gu, " middle finger "],
  [/[\u{1F602}\u{1F923}\u{1F606}]/gu, " lol "],
  [/[\u2753\u2754]/gu, " ? "],
];

function withEmojiWords(body: string): string {
  return EMOJI_WORDS.reduce((text, [pattern, words]) => text.replace(pattern, words), body);
}

type CompiledRule = { rule: ReplyIntentRule; phrases: CompiledPhrase[]; unless: CompiledPhrase[] };


const compiledRuleSets = new WeakMap<ReplyIntentRuleSet, CompiledRule[]>();

function compile(ruleSet: ReplyIntentRuleSet): CompiledRule[] {
  let compiled = compiledRuleSets.get(ruleSet);
  if (!compiled) {
    compiled = ruleSet.rules.map((rule) => ({
      rule,
      phrases: rule.phrases.map((phrase) => compilePhrase(phrase, rule.match === "whole_body")),
      unless: (rule.unless ?? []).map((phrase) => compilePhrase(phrase, false)),
    }));
    compiledRuleSets.set(ruleSet, compiled);
  }
  return compiled;
}

/** A rule's first un-negated occurrence, else its first negated one (reported, never deciding). */
function matchRule({ rule, phrases, unless }: CompiledRule, words: string): ReplyIntentMatch | null {
  let negated: ReplyIntentMatch | null = null;
  for (const compiled of phrases) {
    for (const occurrence of occurrences(compiled, words)) {
      const negatedBy = unless.find((guard) => occurrences(guard, words).some((g) => g.start < occurrence.end && occurrence.start < g.end))?.phrase ?? null;
      const match = { ruleId: rule.id, intent: rule.intent, phrase: compiled.phrase, matchedText: occurrence.text, negatedBy };
      if (!negatedBy) return match;
      negated ??= match;
    }
  }
  return negated;
}

const TEXTING_INTENT: Partial<Record<SmsReplyClassification["outcome"], ReplyIntent>> = {
  opt_out: "opt_out",
  refusal: "opt_out",
  wrong_number: "wrong_number",
};

/**
 * What an owner's reply means: interested / not_interested / wrong_number / opt_out / question /
 * unknown, with the rule and words that decided it and a sentence saying so. Pure and
 * synchronous; compiled rule sets are cached per rule-set object.
 *
 * Order: the texting reply rules first (a STOP or refusal is `opt_out`, their wrong number is
 * `wrong_number`, exactly as the webhook acted on it); then the intent rules, strongest intent
 * first (wrong number, not interested, interested, question); then, when the rule set says so, a
 * question mark makes a question; otherwise unknown.
 */
export function classifyReplyIntent(body: string, ruleSet: ReplyIntentRuleSet, options: ClassifyReplyIntentOptions = {}): ReplyIntentResult {
  const sms = options.sms ?? classifyInboundSms(body, options.smsRules ?? DEFAULT_SMS_REPLY_RULES);
  const words = normalizeSmsBody(withEmojiWords(body)).words;
  const matches = words ? compile(ruleSet).map((rule) => matchRule(rule, words)).filter((m): m is ReplyIntentMatch => m !== null) : [];

  const fromTexting = TEXTING_INTENT[sms.outcome];
  if (fromTexting) {
    const matchedText = sms.matchedText ?? (sms.normalized.text || null);
    const what = sms.outcome === "refusal" ? "a refusal" : REPLY_INTENT_LABELS[fromTexting];
    return {
      intent: fromTexting,
      ruleId: sms.ruleId,
      matchedText,
      reason: matchedText
        ? `Matched "${matchedText}" (${REPLY_INTENT_LABELS[fromTexting]}): the texting reply rules read it as ${what}.`
        : `The texting reply rules read it as ${what} (${REPLY_INTENT_LABELS[fromTexting]}).`,
      source: "texting_rules",
      matches,
    };
  }

  for (const intent of INTENT_PRIORITY) {
    const best = matches.find((match) => match.intent === intent && !match.negatedBy);
    if (best) {
      return {
        intent,
        ruleId: best.ruleId,
        matchedText: best.matchedText,
        reason: `Matched "${best.matchedText}" (${REPLY_INTENT_LABELS[intent]}).`,
        source: "intent_rules",
        matches,
      };
    }
  }

  if ((ruleSet.questionMarkIsQuestion ?? true) && /[?\uFF1F]/.test(withEmojiWords(body))) {
    return { intent: "question", ruleId: "question-mark", matchedText: "?", reason: "No phrase matched, but it asks something (a question mark): question.", source: "question_mark", matches };
  }

  const negated = matches.find((match) => match.negatedBy);
  return {
    intent: "unknown",
    ruleId: null,
    matchedText: null,
    reason: !words
      ? "The reply has no words to read (empty, or only emoji or punctuation): unknown."
      : negated
        ? `"${negated.matchedText}" would read as ${REPLY_INTENT_LABELS[negated.intent]}, but "${negated.negatedBy}" negates it, and nothing else matched: unknown.`
        : "No intent rule matched: unknown, a person reads it.",
    source: "none",
    matches,
  };
}
