/**
 * Reply intent (issue 12 item 3): what an owner's reply means for the deal. Pure, deterministic,
 * explainable, data-driven.
 *
 *   const result = classifyReplyIntent(body, ruleSet, { smsRules });   // ruleSet: DEFAULT_REPLY_INTENT_RULES or an org's parsed copy
 *   result.intent   // interested | not_interested | wrong_number | opt_out | question | unknown
 *   result.reason   // `Matched "how much" (question).`
 *   statusForReplyIntent(result.intent, lead.status)   // { from, to } or null
 *
 * Stored rule sets are validated with parseReplyIntentRuleSet / replyIntentRuleSetSchema.
 */
export {
  REPLY_INTENTS,
  RULE_INTENTS,
  REPLY_INTENT_LABELS,
  REPLY_INTENT_MODES,
  replyIntentRuleSchema,
  replyIntentRuleSetSchema,
  replyIntentModeSchema,
  parseReplyIntentRuleSet,
  type ReplyIntent,
  type RuleIntent,
  type ReplyIntentMode,
  type ReplyIntentRule,
  type ReplyIntentRuleSet,
} from "./rules";
export { DEFAULT_REPLY_INTENT_RULES } from "./default-rules";
export { classifyReplyIntent, type ClassifyReplyIntentOptions, type ReplyIntentMatch, type ReplyIntentResult } from "./classify";
export { statusForReplyIntent, type PipelineStatus, type StatusSuggestion } from "./status";
