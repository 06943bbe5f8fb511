import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z } from "zod";
import { REPLY_INTENTS, replyIntentModeSchema, replyIntentRuleSetSchema } from "@/lib/reply-intent";
import { SMS_REPLY_KINDS, smsReplyRuleSetSchema, smsReplyTextsSchema } from "@/lib/sms-replies";
import { safeString } from "@/lib/text-schema";

/**
 * Settings → Texting (issue 9): the organization's sending identities, the {brand} and {contact}
 * of keyword replies, the reply texts and the keyword/refusal rule set. Rule sets and texts are
 * validated by the same schemas the inbound webhook reads them with (lib/sms-replies), so what an
 * admin can save is exactly what the webhook can use; their messages name the rule and field.
 */

const id = safeString().min(1).max(64);

export const SENDER_KINDS = ["messaging_service", "phone_number"] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];

/** Twilio's Messaging Service SID: MG and 32 hexadecimal digits. */
const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/i;

function compact(raw: string): string {
  return raw.replace(/[\s\u00a0]+/g, "");
}

/** A sender as an admin pastes it: a Messaging Service SID, or a phone number (US numbers may omit +1). */
export function parseSenderValue(raw: string): { kind: SenderKind; value: string } | { problem: string } {
  const value = compact(raw);
  if (/^mg/i.test(value)) {
    return MESSAGING_SERVICE_SID.test(value)
      ? { kind: "messaging_service", value: `MG${value.slice(2).toLowerCase()}` }
      : {
          problem: `"${raw.trim()}" is not a Messaging Service SID: that is MG followed by 32 hexadecimal characters (0–9, a–f), 34 in all — copy it from Twilio Console → Messaging → Services.`,
        };
  }
  const parsed = parsePhoneNumberFromString(raw, "US");
  if (!parsed || !parsed.isValid()) {
    return { problem: `"${raw.trim()}" is not a valid phone number or Messaging Service SID. Enter a number in E.164 form, like +15125550123, or a SID starting with MG.` };
  }
  return { kind: "phone_number", value: parsed.number };
}

const senderValue = safeString()
  .trim()
  .min(1, "Enter a Messaging Service SID (MG…) or a phone number.")
  .max(40, "A Messaging Service SID is 34 characters and a phone number at most 15 digits.")
  .superRefine((raw, ctx) => {
    const parsed = parseSenderValue(raw);
    if ("problem" in parsed) ctx.addIssue({ code: "custom", message: parsed.problem });
  })
  .transform((raw) => parseSenderValue(raw) as { kind: SenderKind; value: string });

/**
 * The most messages per second a sender is recorded at. Twilio's throughput depends on the
 * sender: about 1 per second for a 10DLC number on the lowest trust tier, 3 for toll-free, 100
 * for a short code, more for a Messaging Service on a high tier; a campaign's throttle may not
 * exceed the figure of its sender.
 */
export const SENDER_MAX_MESSAGES_PER_SECOND = 1000;

const messagesPerSecond = z
  .number({ error: "Enter the messages per second Twilio allows this sender, a whole number." })
  .int("Messages per second is a whole number.")
  .min(1, "At least 1 message per second.")
  .max(SENDER_MAX_MESSAGES_PER_SECOND, `At most ${SENDER_MAX_MESSAGES_PER_SECOND.toLocaleString("en-US")} messages per second.`);

export const addSenderInput = z.object({ value: senderValue, messagesPerSecond: messagesPerSecond.default(1) });
export const removeSenderInput = z.object({ id });
/** The throughput Twilio gives the sender (its 10DLC trust tier, toll-free or short code): caps campaign throttles. */
export const updateSenderInput = z.object({ id, messagesPerSecond });

/** No line breaks or other control characters: these go into one line of a text. */
const oneLine = (what: string) => (value: string) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(value) || `${what} must be a single line of plain text.`;
const noBraces = (what: string) => (value: string) => !/[{}]/.test(value) || `${what} must not contain { or } (they mark placeholders in the reply texts).`;

function optionalLine(what: string, min: number, max: number) {
  return safeString()
    .trim()
    .max(max, `${what} is at most ${max} characters.`)
    .superRefine((value, ctx) => {
      if (value === "") return;
      for (const check of [oneLine(what), noBraces(what)]) {
        const result = check(value);
        if (result !== true) ctx.addIssue({ code: "custom", message: result });
      }
      if (value.length < min) ctx.addIssue({ code: "custom", message: `${what} needs at least ${min} characters.` });
    })
    .nullable()
    .transform((value) => (value ? value : null));
}

/** Empty or null: the default (the organization's name; the first sending number). */
export const updateIdentityInput = z.object({
  brandName: optionalLine("The brand name", 2, 60),
  helpContact: optionalLine("The help contact", 3, 100),
});

/** null: reset to LeadFlow's defaults. */
export const updateTextsInput = z.object({ texts: smsReplyTextsSchema.nullable() });
export const updateRulesInput = z.object({ ruleSet: smsReplyRuleSetSchema.nullable() });
/** How replies' intent acts on leads (suggest / apply) and the intent rules (null: LeadFlow's defaults). */
export const updateReplyIntentInput = z.object({ mode: replyIntentModeSchema, ruleSet: replyIntentRuleSetSchema.nullable() });

/** A sample message, tried against a draft rule set (not saved) or, without one, the stored rules. */
export const tryRulesInput = z.object({
  body: safeString().max(1600, "A text is at most 1,600 characters."),
  ruleSet: smsReplyRuleSetSchema.nullish(),
  /** Twilio Advanced Opt-Out's OptOutType, to see what happens when Twilio answered the keyword. */
  optOutType: z.enum(["STOP", "START", "HELP"]).nullish(),
  /** A draft intent rule set to read the sample's intent with (else the stored one). */
  intentRuleSet: replyIntentRuleSetSchema.nullish(),
});

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

export const senderOutput = z.object({ id: z.string(), kind: z.enum(SENDER_KINDS), value: z.string(), messagesPerSecond: z.number().int(), createdAt: z.date() });

export const smsSettingsOutput = z.object({
  organizationName: z.string(),
  /** Live: Twilio credentials are configured; simulated: the sandbox sender, nothing leaves LeadFlow. */
  mode: z.object({ live: z.boolean(), label: z.string(), description: z.string() }),
  /** Where Twilio must post for these senders (configure them on the number or Messaging Service). */
  webhooks: z.object({ inboundUrl: z.string(), statusUrl: z.string() }),
  senders: z.array(senderOutput),
  identity: z.object({
    brandName: z.string().nullable(),
    helpContact: z.string().nullable(),
    /** What {brand} and {contact} become now (the configured values or their fallbacks). */
    brand: z.string(),
    contact: z.string(),
    /** What {contact} falls back to without a help contact: the first sending number. */
    contactFallback: z.string(),
  }),
  texts: smsReplyTextsSchema,
  customisedTexts: z.boolean(),
  rules: smsReplyRuleSetSchema,
  customisedRules: z.boolean(),
  /** Stored values that no longer validate (the webhook uses the defaults instead): say so. */
  storedProblems: z.array(z.string()),
  defaults: z.object({ texts: smsReplyTextsSchema, rules: smsReplyRuleSetSchema }),
  /** What an inbound reply's intent does to its lead (inbox/reply-intent.ts), and the rules that read it. */
  replyIntent: z.object({
    mode: replyIntentModeSchema,
    rules: replyIntentRuleSetSchema,
    customisedRules: z.boolean(),
    defaultRules: replyIntentRuleSetSchema,
  }),
  /** Admins change these settings; managers read them (every mutation is admin-only). */
  canEdit: z.boolean(),
});

const OUTCOMES = [...SMS_REPLY_KINDS, "none"] as const;

export const tryRulesOutput = z.object({
  outcome: z.enum(OUTCOMES),
  ruleId: z.string().nullable(),
  phrase: z.string().nullable(),
  matchedText: z.string().nullable(),
  reason: z.string(),
  suppression: z.enum(["number", "lead_phone"]).nullable(),
  answeredByProvider: z.boolean(),
  matches: z.array(
    z.object({ ruleId: z.string(), kind: z.enum(SMS_REPLY_KINDS), phrase: z.string(), matchedText: z.string(), negatedBy: z.string().nullable() }),
  ),
  normalizedText: z.string(),
  /** The automatic reply that would be sent (saved texts, brand and contact), or null: none. */
  autoReply: z.string().nullable(),
  autoReplySegments: z.number().int().nullable(),
  usedDraft: z.boolean(),
  /** The sample's intent (lib/reply-intent) with the rule and the sentence saying why. */
  intent: z.object({ intent: z.enum(REPLY_INTENTS), ruleId: z.string().nullable(), matchedText: z.string().nullable(), reason: z.string() }),
});

export const okOutput = z.object({ ok: z.literal(true) });
