import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { SMS_MAX_BODY_CHARACTERS } from "@/lib/sms-segments";

const id = safeString().min(1).max(64);
const e164 = safeString().trim().regex(/^\+[1-9]\d{6,14}$/, "Enter the phone in E.164 form (+15125550123).");

export const CAMPAIGN_STATUSES = ["draft", "scheduled", "running", "paused", "halted", "completed", "cancelled"] as const;
export const RECIPIENT_STATUSES = ["pending", "sending", "sent", "excluded", "skipped", "failed", "cancelled"] as const;
export const campaignStatusSchema = z.enum(CAMPAIGN_STATUSES);
export const recipientStatusSchema = z.enum(RECIPIENT_STATUSES);

/** The most leads one campaign reaches (the pre-flight decides them all in one batch). */
export const CAMPAIGN_MAX_RECIPIENTS = 10_000;
/** The throttle's bounds; the sender's own throughput (Settings → Texting) caps it further. */
export const CAMPAIGN_MAX_RATE_PER_SECOND = 100;
/** A pre-flight older than this must be run again before launch. */
export const PREFLIGHT_FRESH_MINUTES = 15;

/**
 * Why a recipient is not texted (pre-flight and at send time): the decision's reasons, plus what
 * the audience itself rules out before any decision.
 */
export const EXCLUSION_REASONS = [
  "no_textable_phone",
  "duplicate_phone",
  "suppressed",
  "dnc_listed",
  "litigator",
  "phone_invalid",
  "phone_landline",
  "phone_wrong_number",
  "no_recorded_consent",
  "no_send_window",
  "kill_switch",
] as const;
export const exclusionReasonSchema = z.enum(EXCLUSION_REASONS);

// --- editor ----------------------------------------------------------------------------------

export const audienceSchema = z.discriminatedUnion("kind", [
  /** A saved filter: its filters are copied at save time and re-read from the saved filter at pre-flight. */
  z.object({ kind: z.literal("filter"), savedFilterId: id }),
  z.object({ kind: z.literal("selection"), leadIds: z.array(id).min(1, "Select at least one lead.").max(CAMPAIGN_MAX_RECIPIENTS) }),
]);
export type CampaignAudience = z.output<typeof audienceSchema>;

const template = safeString()
  .trim()
  .min(1, "Write the message.")
  .max(SMS_MAX_BODY_CHARACTERS, `Keep the message under ${SMS_MAX_BODY_CHARACTERS.toLocaleString("en-US")} characters.`);

const campaignFields = {
  name: safeString().trim().min(1, "Name the campaign.").max(120),
  template,
  senderIdentityId: id.nullable(),
  audience: audienceSchema,
  allPhones: z.boolean(),
  /** Null: as soon as it is launched. */
  scheduledAt: z.date().nullable(),
  ratePerSecond: z.number().int().min(1, "At least 1 message per second.").max(CAMPAIGN_MAX_RATE_PER_SECOND, `At most ${CAMPAIGN_MAX_RATE_PER_SECOND} messages per second.`),
};

export const createCampaignInput = z.object({
  ...campaignFields,
  allPhones: campaignFields.allPhones.default(false),
  scheduledAt: campaignFields.scheduledAt.default(null),
  ratePerSecond: campaignFields.ratePerSecond.default(1),
});
/** Only the fields given change (no defaults fill in the others). */
export const updateCampaignInput = z.object(campaignFields).partial().extend({ id });
export const campaignIdInput = z.object({ id });
export const campaignIdOutput = z.object({ id: z.string() });

export const previewInput = z.object({
  template,
  audience: audienceSchema,
  allPhones: z.boolean().default(false),
  /** How many of the audience's leads to render. */
  limit: z.number().int().min(1).max(20).default(5),
});

const segmentsOutput = z.object({ segments: z.number().int(), encoding: z.enum(["GSM-7", "UCS-2"]), characters: z.number().int(), nonGsmCharacters: z.array(z.string()) });

export const previewOutput = z.object({
  audienceLeads: z.number().int(),
  samples: z.array(z.object({ leadId: z.string(), ownerName: z.string().nullable(), address: z.string(), phone: z.string().nullable(), body: z.string(), emptyFields: z.array(z.string()), ...segmentsOutput.shape })),
  unknownFields: z.array(z.string()),
  firstMessageProblems: z.array(z.object({ code: z.enum(["no_sender_identification", "no_opt_out_language"]), message: z.string() })),
  /** The template with the missing sender name / opt-out language appended (the one-click fix); null when nothing is missing. */
  fixedTemplate: z.string().nullable(),
  brand: z.string(),
});

// --- pre-flight ------------------------------------------------------------------------------

export const campaignPreflightOutput = z.object({
  decidedAt: z.date(),
  /** Leads in the audience. */
  audienceLeads: z.number().int(),
  /** Phones that would be texted (one per lead, or every textable phone). */
  recipients: z.number().int(),
  eligible: z.number().int(),
  /** Eligible, but waiting for their window (quiet hours) or the frequency cap: sent later, not dropped. */
  deferred: z.number().int(),
  excluded: z.number().int(),
  exclusions: z.array(z.object({ reason: exclusionReasonSchema, label: z.string(), count: z.number().int(), example: z.string() })),
  deferrals: z.array(z.object({ reason: z.enum(["quiet_hours", "frequency_cap"]), label: z.string(), count: z.number().int(), example: z.string(), firstAt: z.date() })),
  segments: z.object({ total: z.number().int(), maxPerMessage: z.number().int(), ucs2Messages: z.number().int() }),
  estimatedCostCents: z.number().int(),
  budget: z.object({ capCents: z.number().int().nullable(), spentCents: z.number().int(), reservedCents: z.number().int(), remainingCents: z.number().int().nullable(), fits: z.boolean() }),
  /** When the first and last texts would go at the campaign's rate, given quiet hours (an estimate). */
  window: z.object({ firstSendAt: z.date().nullable(), lastSendAt: z.date().nullable(), timeZone: z.string() }),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type CampaignPreflight = z.output<typeof campaignPreflightOutput>;

export const exclusionsInput = z.object({ id, reason: exclusionReasonSchema, cursor: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(100).default(50) });
export const exclusionsOutput = z.object({
  items: z.array(z.object({ leadId: z.string(), ownerName: z.string().nullable(), address: z.string(), phone: z.string().nullable(), message: z.string() })),
  total: z.number().int(),
  nextCursor: z.number().int().nullable(),
});

// --- campaign, counters, recipients ----------------------------------------------------------

export const campaignStatsOutput = z.object({
  recipients: z.number().int(),
  excluded: z.number().int(),
  pending: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  undelivered: z.number().int(),
  /** Undelivered with carrier error 30007. */
  filtered: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int(),
  replied: z.number().int(),
  optedOut: z.number().int(),
  costCents: z.number().int(),
  /** Rates over the messages sent (0–1); null before anything was sent. */
  rates: z.object({ delivery: z.number().nullable(), filtered: z.number().nullable(), failure: z.number().nullable(), reply: z.number().nullable(), optOut: z.number().nullable() }),
  /** The next instant a deferred recipient becomes due, when nothing is due now. */
  nextDueAt: z.date().nullable(),
});
export type CampaignStats = z.output<typeof campaignStatsOutput>;

export const campaignSummaryOutput = z.object({
  id: z.string(),
  name: z.string(),
  status: campaignStatusSchema,
  haltReason: z.string().nullable(),
  haltMessage: z.string().nullable(),
  resumeAt: z.date().nullable(),
  scheduledAt: z.date().nullable(),
  launchedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
  createdAt: z.date(),
  ratePerSecond: z.number().int(),
  stats: campaignStatsOutput,
});
export const listCampaignsOutput = z.array(campaignSummaryOutput);

export const campaignOutput = campaignSummaryOutput.extend({
  template: z.string(),
  senderIdentity: z.object({ id: z.string(), kind: z.enum(["messaging_service", "phone_number"]), value: z.string(), messagesPerSecond: z.number().int() }).nullable(),
  audience: audienceSchema,
  audienceLabel: z.string(),
  allPhones: z.boolean(),
  preflight: campaignPreflightOutput.nullable(),
  /** True when the stored pre-flight was computed for the campaign as it is now and is recent enough to launch. */
  preflightFresh: z.boolean(),
  timeZone: z.string(),
  canEdit: z.boolean(),
});

export const recipientsInput = z.object({
  id,
  status: recipientStatusSchema.optional(),
  cursor: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100).default(50),
});
export const recipientRowOutput = z.object({
  id: z.string(),
  leadId: z.string().nullable(),
  ownerName: z.string().nullable(),
  address: z.string().nullable(),
  /** Null for a lead without a phone, and for a number another lead of the campaign takes. */
  phone: z.string().nullable(),
  status: recipientStatusSchema,
  reason: z.string().nullable(),
  reasonMessage: z.string().nullable(),
  notBefore: z.date().nullable(),
  message: z.object({ id: z.string(), status: z.string(), errorCode: z.string().nullable(), createdAt: z.date(), costCents: z.number().int().nullable(), replied: z.boolean() }).nullable(),
  /** Every send decision taken for this recipient, newest first. */
  decisions: z.array(z.object({ outcome: z.string(), reason: z.string().nullable(), message: z.string().nullable(), decidedAt: z.date() })),
});
export const recipientsOutput = z.object({ items: z.array(recipientRowOutput), total: z.number().int(), nextCursor: z.number().int().nullable() });

export const testSendInput = z.object({ id, phone: e164 });
export const testSendOutput = z.object({ messageId: z.string(), body: z.string(), status: z.string() });
export const okOutput = z.object({ ok: z.literal(true) });
