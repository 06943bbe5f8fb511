import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { LEAD_STATUSES, TEMPERATURES, temperatureSchema } from "../leads/schema";
import { MESSAGE_STATUSES, REPLY_OUTCOMES } from "../messaging/schema";

const id = safeString().min(1).max(64);
/** A keyset position in a newest-first list: "<epoch ms>_<id>". */
const cursor = safeString()
  .max(120)
  .regex(/^\d{1,15}_[A-Za-z0-9_-]{1,64}$/, "That page cursor is not valid; start from the first page.");
const smsBody = safeString().trim().min(1, "Write a message first.").max(1600, "A text is at most 1,600 characters.");
const idempotencyKey = safeString().min(8).max(100);

// --- the thread list ------------------------------------------------------------------------

export const threadFiltersSchema = z.object({
  /** Threads with inbound messages nobody opened since. */
  unread: z.boolean().optional(),
  /** The last message in the thread came from the lead (it waits for an answer). */
  needsReply: z.boolean().optional(),
  /** Assigned to the signed-in user. */
  assignedToMe: z.boolean().optional(),
  /** The thread's last campaign message was from this campaign. */
  campaignId: id.optional(),
  temperature: z.array(temperatureSchema).max(TEMPERATURES.length).optional(),
  /** true: only numbers on the opt-out list; false: only numbers that are not. */
  optedOut: z.boolean().optional(),
  /** true: the archive instead of the inbox. */
  archived: z.boolean().optional(),
});
export type ThreadFilters = z.output<typeof threadFiltersSchema>;

export const threadsInput = z.object({
  filters: threadFiltersSchema.default({}),
  /** Phone digits, owner name, property address or message text. */
  q: safeString().trim().max(100).optional(),
  cursor: cursor.optional(),
  limit: z.number().int().min(1).max(100).default(30),
});

const person = z.object({ id: z.string(), name: z.string().nullable() });

export const threadSummary = z.object({
  id: z.string(),
  phone: z.string(),
  leadId: z.string().nullable(),
  ownerName: z.string().nullable(),
  address: z.string().nullable(),
  leadStatus: z.enum(LEAD_STATUSES).nullable(),
  temperature: z.enum(TEMPERATURES).nullable(),
  lastMessageAt: z.date(),
  lastMessagePreview: z.string().nullable(),
  lastDirection: z.enum(["inbound", "outbound"]).nullable(),
  unreadCount: z.number().int(),
  assignedUser: person.nullable(),
  archived: z.boolean(),
  optedOut: z.boolean(),
  lastCampaign: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type ThreadSummary = z.output<typeof threadSummary>;

export const threadsOutput = z.object({ items: z.array(threadSummary), nextCursor: z.string().nullable() });

// --- one thread -----------------------------------------------------------------------------

export const threadInput = z.object({
  id,
  /** Older messages: the cursor of the previous page. */
  cursor: cursor.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

const inboxMessage = z.object({
  id: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  body: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  errorCode: z.string().nullable(),
  segments: z.number().int(),
  costCents: z.number().int().nullable(),
  replyOutcome: z.enum(REPLY_OUTCOMES).nullable(),
  campaignId: z.string().nullable(),
  createdAt: z.date(),
  statusUpdatedAt: z.date(),
});

export const SCHEDULED_REPLY_STATUSES = ["scheduled", "sending", "sent", "blocked", "failed", "cancelled"] as const;
const scheduledReply = z.object({
  id: z.string(),
  body: z.string(),
  sendAt: z.date(),
  status: z.enum(SCHEDULED_REPLY_STATUSES),
  outcome: z.string().nullable(),
  createdAt: z.date(),
});

export const threadOutput = z.object({
  id: z.string(),
  phone: z.string(),
  unreadCount: z.number().int(),
  archived: z.boolean(),
  assignedUser: person.nullable(),
  lead: z
    .object({
      id: z.string(),
      ownerName: z.string().nullable(),
      addressLine1: z.string(),
      city: z.string(),
      state: z.string(),
      zip: z.string(),
      status: z.enum(LEAD_STATUSES),
      temperature: z.enum(TEMPERATURES),
      score: z.number().int(),
    })
    .nullable(),
  /** The lead's record of this number (line type, status, DNC flag), when the lead has it. */
  leadPhone: z
    .object({
      type: z.enum(["mobile", "landline", "voip", "unknown"]),
      status: z.enum(["ok", "wrong_number", "opted_out", "invalid"]),
      dnc: z.boolean(),
    })
    .nullable(),
  /** A live opt-out covering this number (org-wide or for this lead), with its reason. */
  suppression: z.object({ reason: z.string(), createdAt: z.date(), evidence: z.string() }).nullable(),
  /** Newest first. */
  messages: z.array(inboxMessage),
  nextCursor: z.string().nullable(),
  /** Replies waiting for their sending window (and recent ones that did not go). */
  scheduled: z.array(scheduledReply),
  /** Texting runs simulated: "Simulate reply" is available. */
  simulated: z.boolean(),
  hasSender: z.boolean(),
  /** The name texts are signed with (the {{brand}} merge field). */
  brand: z.string(),
});

export const threadIdInput = z.object({ id });
export const threadStateOutput = z.object({
  id: z.string(),
  unreadCount: z.number().int(),
  archived: z.boolean(),
  assignedUser: person.nullable(),
});
export const assignInput = z.object({ id, userId: id.nullable() });

export const unreadCountOutput = z.object({ threads: z.number().int() });

// --- replying -------------------------------------------------------------------------------

export const replyCheckOutput = z.object({
  outcome: z.enum(["allowed", "blocked", "deferred"]),
  /** The decision's reason code (suppressed, quiet_hours …); null when allowed. */
  reason: z.string().nullable(),
  /** The sentence a person reads; null when allowed. */
  message: z.string().nullable(),
  /** Deferred: the first instant the rules allow. */
  until: z.date().nullable(),
  decidedAt: z.date(),
});

export const replyInput = z.object({ id, body: smsBody, idempotencyKey: idempotencyKey.optional() });
export const replyOutput = z.object({
  id: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  segments: z.number().int(),
  costCents: z.number().int().nullable(),
  errorCode: z.string().nullable(),
});

export const scheduleReplyInput = z.object({ id, body: smsBody });
export const scheduleReplyOutput = scheduledReply;
export const cancelScheduledInput = z.object({ id, scheduledReplyId: id });
export const cancelScheduledOutput = z.object({ id: z.string(), status: z.literal("cancelled") });

export const setLeadStatusInput = z.object({ id, status: z.enum(LEAD_STATUSES) });
export const setLeadStatusOutput = z.object({
  leadId: z.string(),
  status: z.enum(LEAD_STATUSES),
  temperature: z.enum(TEMPERATURES),
  score: z.number().int(),
});

/** What this deployment offers beyond the rules: AI suggestions only when the operator configured OpenAI. */
export const assistantOutput = z.object({ suggestions: z.boolean() });
export const suggestReplyOutput = z.object({ text: z.string() });
