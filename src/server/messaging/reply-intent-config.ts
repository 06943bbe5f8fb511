import "server-only";
import { DEFAULT_REPLY_INTENT_RULES, replyIntentRuleSetSchema, type ReplyIntentMode, type ReplyIntentRuleSet } from "@/lib/reply-intent";
import { log } from "../log";

/**
 * An organization's reply-intent settings as stored in OrganizationSettings: the mode (suggest a
 * status, or apply it) and its intent rules (null: LeadFlow's defaults). A stored rule set that
 * no longer parses falls back to the defaults and is logged; Settings → Texting says so.
 */
export type ReplyIntentConfig = { mode: ReplyIntentMode; rules: ReplyIntentRuleSet; customisedRules: boolean; storedRulesInvalid: boolean };

export const REPLY_INTENT_SETTINGS_SELECT = { replyIntentMode: true, replyIntentRules: true } as const;

export function replyIntentConfigFrom(orgId: string, settings: { replyIntentMode: string; replyIntentRules: unknown } | null | undefined): ReplyIntentConfig {
  const mode: ReplyIntentMode = settings?.replyIntentMode === "apply" ? "apply" : "suggest";
  const stored = settings?.replyIntentRules;
  if (stored === null || stored === undefined) return { mode, rules: DEFAULT_REPLY_INTENT_RULES, customisedRules: false, storedRulesInvalid: false };
  const parsed = replyIntentRuleSetSchema.safeParse(stored);
  if (parsed.success) return { mode, rules: parsed.data, customisedRules: true, storedRulesInvalid: false };
  log.error({ orgId }, "stored reply intent rules do not parse; using the defaults");
  return { mode, rules: DEFAULT_REPLY_INTENT_RULES, customisedRules: true, storedRulesInvalid: true };
}
