/**
 * Inbound SMS keywords and refusals (issue 9, COMPLIANCE.md): pure and data-driven.
 *
 *   const result = classifyInboundSms(body, ruleSet, { optOutType });   // ruleSet: DEFAULT_SMS_REPLY_RULES or an org's parsed copy
 *   result.outcome      // opt_out | opt_in | help | refusal | wrong_number | review | none
 *   result.suppression  // "number" (org-wide) | "lead_phone" (wrong number: this lead only) | null
 *   const text = autoReplyFor(result, { brand, contact }, texts, { wasOptedOut });   // null: send nothing
 *
 * Stored rule sets and texts are validated with parseSmsReplyRuleSet / smsReplyTextsSchema.
 */
export { normalizeSmsBody, type NormalizedSmsBody } from "./normalize";
export {
  SMS_REPLY_KINDS,
  KEYWORD_KINDS,
  WILDCARD_MAX_WORDS,
  smsReplyRuleSchema,
  smsReplyRuleSetSchema,
  parseSmsReplyRuleSet,
  phraseSchema as smsReplyPhraseSchema,
  phraseTokens,
  type SmsReplyKind,
  type SmsReplyRule,
  type SmsReplyRuleSet,
} from "./rules";
export { DEFAULT_SMS_REPLY_RULES } from "./default-rules";
export { compilePhrase, occurrences, type CompiledPhrase, type Occurrence } from "./phrases";
export {
  classifyInboundSms,
  parseOptOutType,
  type ClassifyOptions,
  type SmsReplyClassification,
  type SmsReplyMatch,
  type SmsReplyOutcome,
  type TwilioOptOutType,
} from "./classify";
export {
  autoReplyFor,
  smsReplyTextsSchema,
  DEFAULT_SMS_REPLY_TEXTS,
  type ReplyContext,
  type SenderIdentity,
  type SmsReplyTexts,
} from "./replies";
