import { z } from "zod";
import { smsReplyPhraseSchema } from "../sms-replies";

/**
 * What an owner's reply means for the deal (issue 12 item 3), next to what it means for
 * compliance (lib/sms-replies). Intent rules are data an organization can see and edit, in the
 * same phrase language as the texting reply rules: plain words, `*` for up to three words between
 * two of them, `whole_body` or `contains`, and `unless` guards that set an occurrence aside when a
 * guard phrase overlaps it ("not interested" sets aside "interested").
 *
 * `opt_out` is never an intent rule's verdict: it comes only from the texting reply rules (a STOP
 * or a refusal), which also decide the suppression, so the two can never disagree. Their
 * wrong-number outcome is `wrong_number` here too; intent rules may add wrong-number phrasings of
 * their own ("I'm not the owner"), which suppress nothing.
 */

export const REPLY_INTENTS = ["interested", "not_interested", "wrong_number", "opt_out", "question", "unknown"] as const;
export type ReplyIntent = (typeof REPLY_INTENTS)[number];

/** The intents a phrase rule may decide. */
export const RULE_INTENTS = ["interested", "not_interested", "wrong_number", "question"] as const;
export type RuleIntent = (typeof RULE_INTENTS)[number];

export const REPLY_INTENT_LABELS: Record<ReplyIntent, string> = {
  interested: "interested",
  not_interested: "not interested",
  wrong_number: "wrong number",
  opt_out: "opt-out",
  question: "question",
  unknown: "unknown",
};

export const replyIntentRuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'A rule id is lowercase letters, digits and hyphens (at most 63), like "interested-offer".'),
  intent: z.enum(RULE_INTENTS, { error: `An intent rule decides one of: ${RULE_INTENTS.join(", ")} (opt-outs come from the texting reply rules).` }),
  match: z.enum(["whole_body", "contains"]),
  phrases: z.array(smsReplyPhraseSchema).min(1, "A rule needs at least one phrase.").max(300),
  unless: z.array(smsReplyPhraseSchema).max(100).optional(),
  /** Why this rule exists, shown next to it in Settings → Texting. */
  explanation: z.string().trim().min(1, "A rule needs an explanation.").max(300),
});

export const replyIntentRuleSetSchema = z
  .object({
    version: z.literal(1),
    rules: z.array(replyIntentRuleSchema).min(1, "A rule set needs at least one rule.").max(200),
    /** A reply no rule matched that contains a question mark is a question. Default true. */
    questionMarkIsQuestion: z.boolean().optional(),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: ["rules", index, "id"], message: `Rule id "${rule.id}" is used twice.` });
      seen.add(rule.id);
    });
  });

export type ReplyIntentRule = z.infer<typeof replyIntentRuleSchema>;
export type ReplyIntentRuleSet = z.infer<typeof replyIntentRuleSetSchema>;

/** Validates a stored or edited rule set; throws a ZodError naming the rule and field at fault. */
export function parseReplyIntentRuleSet(input: unknown): ReplyIntentRuleSet {
  return replyIntentRuleSetSchema.parse(input);
}

/** How an organization lets the classification act: suggest (a person decides) or apply (the lead's status moves). */
export const REPLY_INTENT_MODES = ["suggest", "apply"] as const;
export type ReplyIntentMode = (typeof REPLY_INTENT_MODES)[number];
export const replyIntentModeSchema = z.enum(REPLY_INTENT_MODES, { error: 'The mode is "suggest" or "apply".' });
