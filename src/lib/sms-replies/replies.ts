import { z } from "zod";
import type { SmsReplyClassification } from "./classify";

/**
 * The automatic answers to keywords. Placeholders: {brand} (the sender identity CTIA requires)
 * and {contact} (a phone, e-mail or URL for help). The opt-out confirmation is the one message
 * allowed after an opt-out (FCC 12-143): no marketing, so the defaults say only what happened.
 */

const PLACEHOLDER = /\{([^}]*)\}/g;
const KNOWN_PLACEHOLDERS = new Set(["brand", "contact"]);

const replyTextSchema = z
  .string()
  .trim()
  .min(1, "A reply text must not be empty.")
  .max(320, "A reply text is at most 320 characters (two segments).")
  .superRefine((text, ctx) => {
    for (const [, name] of text.matchAll(PLACEHOLDER)) {
      if (!KNOWN_PLACEHOLDERS.has(name ?? "")) ctx.addIssue({ code: "custom", message: `Unknown placeholder {${name}}: use {brand} or {contact}.` });
    }
  });

export const smsReplyTextsSchema = z.object({
  optOut: replyTextSchema.refine((text) => text.includes("{brand}"), "The opt-out confirmation must name the sender: include {brand}."),
  optIn: replyTextSchema.refine((text) => text.includes("{brand}"), "The opt-in confirmation must name the sender: include {brand}."),
  help: replyTextSchema.refine(
    (text) => text.includes("{brand}") && text.includes("{contact}"),
    "The help text must name the sender and how to reach them: include {brand} and {contact}.",
  ),
});

export type SmsReplyTexts = z.infer<typeof smsReplyTextsSchema>;

export const DEFAULT_SMS_REPLY_TEXTS: SmsReplyTexts = {
  optOut: "{brand}: You are unsubscribed and will receive no more messages. Reply START to resubscribe.",
  optIn: "{brand}: You are resubscribed to messages. Reply STOP to opt out, HELP for help.",
  help: "{brand}: for help contact {contact}. Reply STOP to opt out.",
};

export type SenderIdentity = { brand: string; contact: string };

export type ReplyContext = {
  /**
   * Whether the number was already suppressed before this message. A repeated STOP from an
   * opted-out number gets no second confirmation; an opt-in keyword from a number that was not
   * opted out (a "yes" answering a question) gets no resubscribe text. Unknown: reply.
   */
  wasOptedOut?: boolean;
};

function fill(template: string, sender: SenderIdentity): string {
  return template.replace(PLACEHOLDER, (_, name: string) => (name === "brand" ? sender.brand : sender.contact)).trim();
}

/**
 * The text to send in answer to a classified inbound message, or null to send nothing. Only
 * keywords are answered, and never when Twilio already answered (OptOutType present).
 * Free-text refusals, wrong numbers and review items get no automatic reply.
 */
export function autoReplyFor(
  classification: Pick<SmsReplyClassification, "outcome" | "answeredByProvider">,
  sender: SenderIdentity,
  texts: SmsReplyTexts = DEFAULT_SMS_REPLY_TEXTS,
  context: ReplyContext = {},
): string | null {
  if (classification.answeredByProvider) return null;
  switch (classification.outcome) {
    case "opt_out":
      return context.wasOptedOut === true ? null : fill(texts.optOut, sender);
    case "opt_in":
      return context.wasOptedOut === false ? null : fill(texts.optIn, sender);
    case "help":
      return fill(texts.help, sender);
    default:
      return null;
  }
}
