import { z } from "zod";
import { normalizeSmsBody } from "./normalize";

/**
 * Reply rules are data an organization can see and edit: plain phrases with `*` standing for up
 * to three words, never raw regular expressions. `whole_body` rules match only when the entire
 * normalised body is the phrase; `contains` rules match the phrase anywhere on word boundaries.
 * `unless` phrases are negation guards: an occurrence of a rule's phrase that overlaps a guard
 * ("don't stop texting") does not count, and the message goes to review instead. `unlessAnywhere`
 * phrases set the whole rule aside (to review) when they appear anywhere in the message
 * ("don't call, text me instead").
 */

export const SMS_REPLY_KINDS = ["opt_out", "opt_in", "help", "refusal", "wrong_number", "review"] as const;
export type SmsReplyKind = (typeof SMS_REPLY_KINDS)[number];

/** Keyword families follow Twilio: the whole body is the keyword. */
export const KEYWORD_KINDS: readonly SmsReplyKind[] = ["opt_out", "opt_in", "help"];

/** Words a `*` may stand for, at most. */
export const WILDCARD_MAX_WORDS = 3;

const PHRASE_CHARACTERS = /^[\p{L}\p{N}\s'\u2019*-]+$/u;

/** A rule phrase: plain words, `*` for up to three words between two of them (shared with lib/reply-intent). */
export const phraseSchema = z
  .string()
  .trim()
  .min(1, "A phrase must not be empty.")
  .max(100, "A phrase is at most 100 characters.")
  .refine((phrase) => PHRASE_CHARACTERS.test(phrase), {
    error: (issue) =>
      `"${String(issue.input)}" is not a plain phrase: use letters, digits, spaces, apostrophes, hyphens and * (up to ${WILDCARD_MAX_WORDS} any words); regular expressions are not supported.`,
  })
  .refine(
    (phrase) => {
      const tokens = phraseTokens(phrase);
      return tokens.length > 0 && tokens[0] !== "*" && tokens.at(-1) !== "*" && !tokens.some((t, i) => t === "*" && tokens[i + 1] === "*");
    },
    { error: (issue) => `"${String(issue.input)}" must start and end with a word, and * must stand between two words.` },
  );

export const smsReplyRuleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "A rule id is lowercase letters, digits and hyphens (at most 63), like \"refusal-stop-contact\"."),
    kind: z.enum(SMS_REPLY_KINDS),
    match: z.enum(["whole_body", "contains"]),
    phrases: z.array(phraseSchema).min(1, "A rule needs at least one phrase.").max(300),
    unless: z.array(phraseSchema).max(100).optional(),
    unlessAnywhere: z.array(phraseSchema).max(100).optional(),
    /** Shown in the audit trail and the review queue: why this rule exists. */
    explanation: z.string().trim().min(1, "A rule needs an explanation.").max(300),
  })
  .superRefine((rule, ctx) => {
    if (KEYWORD_KINDS.includes(rule.kind) && rule.match !== "whole_body") {
      ctx.addIssue({
        code: "custom",
        path: ["match"],
        message: `Rule "${rule.id}": ${rule.kind} is a keyword family and must match the whole body (Twilio's rule); put longer phrasings in a refusal or review rule.`,
      });
    }
  });

export const smsReplyRuleSetSchema = z
  .object({
    version: z.literal(1),
    rules: z.array(smsReplyRuleSchema).min(1, "A rule set needs at least one rule.").max(200),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: ["rules", index, "id"], message: `Rule id "${rule.id}" is used twice.` });
      seen.add(rule.id);
    });
    if (!set.rules.some((rule) => rule.kind === "opt_out" && rule.phrases.some((p) => phraseTokens(p).join(" ") === "stop"))) {
      ctx.addIssue({ code: "custom", path: ["rules"], message: "The rule set must keep STOP as an opt-out keyword (CTIA, FCC 47 CFR 64.1200(a)(10))." });
    }
  });

export type SmsReplyRule = z.infer<typeof smsReplyRuleSchema>;
export type SmsReplyRuleSet = z.infer<typeof smsReplyRuleSetSchema>;

/** The words of a phrase after the same normalisation as message bodies; `*` kept as its own token. */
export function phraseTokens(phrase: string): string[] {
  return phrase
    .split("*")
    .map((part) => normalizeSmsBody(part).words)
    .flatMap((words, index) => (index === 0 ? [words] : ["*", words]))
    .flatMap((part) => (part === "*" ? ["*"] : part.split(" ").filter(Boolean)));
}

/** Validates a stored or edited rule set; throws a ZodError naming the rule and field at fault. */
export function parseSmsReplyRuleSet(input: unknown): SmsReplyRuleSet {
  return smsReplyRuleSetSchema.parse(input);
}
