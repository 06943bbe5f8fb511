import "server-only";
import { LRUCache } from "lru-cache";
import {
  DEFAULT_SMS_REPLY_RULES,
  DEFAULT_SMS_REPLY_TEXTS,
  smsReplyRuleSetSchema,
  smsReplyTextsSchema,
  type SenderIdentity,
  type SmsReplyRuleSet,
  type SmsReplyTexts,
} from "@/lib/sms-replies";
import { log } from "../log";

/**
 * An organization's keyword/refusal rules and reply texts, as stored in OrganizationSettings
 * (null columns: the defaults). Writers validate with the same schemas; a stored value that no
 * longer parses falls back to the defaults and is logged, so an inbound STOP is never lost to it.
 */
export type SmsReplyConfig = {
  rules: SmsReplyRuleSet;
  texts: SmsReplyTexts;
  /** Both null when not customised: then the organization's name and the sending number. */
  brandName: string | null;
  helpContact: string | null;
  customisedRules: boolean;
  customisedTexts: boolean;
};

/** What to select from OrganizationSettings to build the config (one query, usually joined to another). */
export const SMS_REPLY_SETTINGS_SELECT = {
  smsReplyRules: true,
  smsReplyTexts: true,
  smsBrandName: true,
  smsHelpContact: true,
  updatedAt: true,
} as const;

export type SmsReplySettingsRow = {
  smsReplyRules: unknown;
  smsReplyTexts: unknown;
  smsBrandName: string | null;
  smsHelpContact: string | null;
  updatedAt: Date;
};

/** Parsed per (organization, settings version): classify.ts caches compiled rules per rule-set object. */
const parsedConfigs = new LRUCache<string, SmsReplyConfig>({ max: 1000 });

function parseOr<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, value: unknown, fallback: T, what: string, orgId: string): T {
  if (value === null || value === undefined) return fallback;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  log.error({ orgId, what }, "stored SMS reply settings do not parse; using the defaults");
  return fallback;
}

export function smsReplyConfigFrom(orgId: string, settings: SmsReplySettingsRow | null | undefined): SmsReplyConfig {
  if (!settings) {
    return { rules: DEFAULT_SMS_REPLY_RULES, texts: DEFAULT_SMS_REPLY_TEXTS, brandName: null, helpContact: null, customisedRules: false, customisedTexts: false };
  }
  const key = `${orgId}:${settings.updatedAt.getTime()}`;
  const cached = parsedConfigs.get(key);
  if (cached) return cached;
  const config: SmsReplyConfig = {
    rules: parseOr(smsReplyRuleSetSchema, settings.smsReplyRules, DEFAULT_SMS_REPLY_RULES, "rules", orgId),
    texts: parseOr(smsReplyTextsSchema, settings.smsReplyTexts, DEFAULT_SMS_REPLY_TEXTS, "texts", orgId),
    brandName: settings.smsBrandName,
    helpContact: settings.smsHelpContact,
    customisedRules: settings.smsReplyRules !== null && settings.smsReplyRules !== undefined,
    customisedTexts: settings.smsReplyTexts !== null && settings.smsReplyTexts !== undefined,
  };
  parsedConfigs.set(key, config);
  return config;
}

/** The {brand} and {contact} of keyword replies: the configured values, else the organization's name and sending number. */
export function senderIdentityFor(config: SmsReplyConfig, organizationName: string, sendingNumber: string | null): SenderIdentity {
  return { brand: config.brandName ?? organizationName, contact: config.helpContact ?? sendingNumber ?? "this number" };
}
