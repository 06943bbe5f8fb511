import { z } from "zod";
import { safeString } from "@/lib/text-schema";

const id = safeString().min(1).max(64);
const e164 = safeString()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, "Enter the phone in E.164 form, like +15125550123.");

/** A text body as a person types it: at most 10 segments' worth (Twilio concatenates up to 10). */
const smsBody = safeString().trim().min(1, "Write a message first.").max(1600, "A text is at most 1,600 characters.");

export const MESSAGE_STATUSES = ["received", "queued", "sending", "sent", "delivered", "undelivered", "failed"] as const;
export const REPLY_OUTCOMES = ["opt_out", "opt_in", "help", "refusal", "wrong_number", "review", "none"] as const;

export const leadThreadInput = z.object({ leadId: id });

const threadMessage = z.object({
  id: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  body: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  errorCode: z.string().nullable(),
  segments: z.number().int(),
  costCents: z.number().int().nullable(),
  replyOutcome: z.enum(REPLY_OUTCOMES).nullable(),
  /** Why the send decision allowed it (kind), for outbound. */
  createdAt: z.date(),
  statusUpdatedAt: z.date(),
});

export const threadPhone = z.object({
  number: z.string(),
  type: z.enum(["mobile", "landline", "voip", "unknown"]),
  status: z.enum(["ok", "wrong_number", "opted_out", "invalid"]),
  isBest: z.boolean(),
  dnc: z.boolean(),
  /** A live suppression covering this phone for this lead (org-wide or this lead only), with its reason. */
  suppression: z.object({ reason: z.string(), createdAt: z.date(), evidence: z.string() }).nullable(),
  messages: z.array(threadMessage),
  /** More messages exist than were returned (the newest are kept). */
  truncated: z.boolean(),
});

export const leadThreadOutput = z.object({
  phones: z.array(threadPhone),
  /** Texting runs simulated (no Twilio keys): "Simulate reply" is available. */
  simulated: z.boolean(),
  /** The organization has a sending number or Messaging Service configured. */
  hasSender: z.boolean(),
});

export const sendToLeadInput = z.object({
  leadId: id,
  phone: e164,
  body: smsBody,
  idempotencyKey: safeString().min(8).max(100).optional(),
});
export const sentMessageOutput = z.object({
  id: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  segments: z.number().int(),
  costCents: z.number().int().nullable(),
  errorCode: z.string().nullable(),
});

export const simulateReplyInput = z.object({
  leadId: id,
  phone: e164,
  body: safeString().max(1600, "A text is at most 1,600 characters."),
});
export const simulateReplyOutput = z.object({
  messageId: z.string(),
  replyOutcome: z.enum(REPLY_OUTCOMES),
  /** The sentence the reply rules gave (for the audit trail and the review queue). */
  reason: z.string(),
  suppressed: z.boolean(),
});

export const reviewQueueInput = z.object({
  status: z.enum(["open", "resolved"]).default("open"),
  cursor: id.optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export const reviewItemOutput = z.object({
  id: z.string(),
  phone: z.string(),
  leadId: z.string().nullable(),
  leadLabel: z.string().nullable(),
  body: z.string(),
  matchedText: z.string().nullable(),
  reason: z.string(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  resolution: z.enum(["suppressed", "dismissed"]).nullable(),
  resolvedByName: z.string().nullable(),
});
export const reviewQueueOutput = z.object({
  items: z.array(reviewItemOutput),
  nextCursor: z.string().nullable(),
  openCount: z.number().int(),
});

export const resolveReviewInput = z.object({
  id,
  resolution: z.enum(["suppressed", "dismissed"]),
  note: safeString().trim().max(500).optional(),
});
export const resolveReviewOutput = z.object({ id: z.string(), resolution: z.enum(["suppressed", "dismissed"]), suppressionId: z.string().nullable() });
