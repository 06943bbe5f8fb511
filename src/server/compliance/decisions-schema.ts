import { z } from "zod";
import { orgWindowSchema, quietHoursRuleSetSchema, dayWindowsSchema } from "@/lib/quiet-hours";
import { idString, safeString } from "@/lib/text-schema";

/**
 * The send-decision contract (issue 10 items 1–2, 5–7): the rules page (window, cap, state rules
 * with sources, a decision preview) and the decision log (filters, paging, CSV export). Kinds,
 * outcomes and reason codes are the ones compliance/decide.ts answers with.
 */

export const SEND_KINDS = ["campaign", "inbox_reply", "auto_reply", "help_reply", "opt_out_confirmation", "test"] as const;
export const SEND_OUTCOMES = ["allowed", "blocked", "deferred"] as const;
export const SEND_BLOCK_REASONS = [
  "kill_switch",
  "suppressed",
  "phone_invalid",
  "phone_landline",
  "phone_wrong_number",
  /** An opt-out confirmation for a number with no fresh keyword opt-out, or one already confirmed. */
  "no_opt_out_to_confirm",
  /** On the internal do-not-contact list, a loaded National DNC Registry extract, or flagged DNC/TCPA by skip tracing. */
  "dnc_listed",
  /** The rules leave no allowed hour within 8 days (e.g. an edited row with no windows). */
  "no_send_window",
  /** A campaign send while the organization requires recorded consent, and the number has none current. */
  "no_recorded_consent",
] as const;
export const SEND_DEFER_REASONS = ["quiet_hours", "frequency_cap"] as const;
export const DECISION_REASONS = [...SEND_BLOCK_REASONS, ...SEND_DEFER_REASONS] as const;

export const sendKindSchema = z.enum(SEND_KINDS);
export const sendOutcomeSchema = z.enum(SEND_OUTCOMES);
export const decisionReasonSchema = z.enum(DECISION_REASONS);

// --- rules ---------------------------------------------------------------------------------

const ruleOutput = z.object({
  state: z.string().nullable(),
  name: z.string(),
  weekdays: dayWindowsSchema,
  saturday: dayWindowsSchema,
  sunday: dayWindowsSchema,
  frequencyCap: z.number().int().nullable(),
  source: z.string(),
  note: z.string().nullable(),
  updatedAt: z.date(),
});

export const complianceRulesOutput = z.object({
  /** The organization's zone: the recipient's zone when no ZIP or area code gives one. */
  timeZone: z.string(),
  orgWindow: z.object({ start: z.string(), end: z.string() }),
  frequencyCap: z.number().int(),
  rules: z.array(ruleOutput),
  canEdit: z.boolean(),
});
export type ComplianceRulesOutput = z.infer<typeof complianceRulesOutput>;

export const updateComplianceRulesInput = z.object({
  orgWindow: orgWindowSchema,
  frequencyCap: z.number().int().min(1, "A cap is at least 1 message.").max(50, "At most 50 messages a day."),
  rules: quietHoursRuleSetSchema,
});
export type UpdateComplianceRulesInput = z.infer<typeof updateComplianceRulesInput>;

// --- preview -------------------------------------------------------------------------------

const zipText = safeString().trim().max(10).regex(/^(\d{5}(-?\d{4})?)?$/, "A ZIP is 5 digits (or ZIP+4).");
export const previewDecisionInput = z.object({
  phone: safeString().trim().max(40).optional(),
  propertyZip: zipText.optional(),
  mailingZip: zipText.optional(),
  state: safeString().trim().regex(/^([A-Za-z]{2})?$/, "A state is its two-letter code (FL).").optional(),
  at: z.date(),
  kind: sendKindSchema.default("campaign"),
});
export type PreviewDecisionInput = z.infer<typeof previewDecisionInput>;

const decisionRuleOutput = z.object({ name: z.string(), source: z.string(), state: z.string().optional() });
export const previewDecisionOutput = z.object({
  outcome: sendOutcomeSchema,
  reason: decisionReasonSchema.nullable(),
  message: z.string().nullable(),
  until: z.date().nullable(),
  rule: decisionRuleOutput.nullable(),
  /** Where the recipient was placed, with the local time at the instant asked about. */
  zones: z.array(z.object({ zone: z.string(), source: z.string(), localTime: z.string() })),
  states: z.array(z.object({ state: z.string(), source: z.string() })),
  phone: z.string().nullable(),
});

// --- decision log --------------------------------------------------------------------------

export const decisionFiltersSchema = z.object({
  outcome: sendOutcomeSchema.optional(),
  kind: sendKindSchema.optional(),
  reason: decisionReasonSchema.optional(),
  /** Digits (or an E.164 number) anywhere in the phone. */
  phone: safeString().trim().max(40).optional(),
  from: z.coerce.date().optional(),
  /** Exclusive. */
  to: z.coerce.date().optional(),
});
export type DecisionFilters = z.infer<typeof decisionFiltersSchema>;

export const listDecisionsInput = z.object({
  filters: decisionFiltersSchema.default({}),
  cursor: idString().nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

export const decisionRowOutput = z.object({
  id: z.string(),
  decidedAt: z.date(),
  phone: z.string(),
  lead: z.object({ id: z.string(), label: z.string() }).nullable(),
  kind: z.string(),
  outcome: z.string(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  deferredUntil: z.date().nullable(),
  ruleName: z.string().nullable(),
  ruleSource: z.string().nullable(),
  location: z.string().nullable(),
  actor: z.object({ id: z.string(), name: z.string().nullable(), email: z.string() }).nullable(),
  campaignId: z.string().nullable(),
  messageId: z.string().nullable(),
});
export type DecisionRow = z.infer<typeof decisionRowOutput>;

export const listDecisionsOutput = z.object({ items: z.array(decisionRowOutput), nextCursor: z.string().nullable() });

// --- pre-flight ----------------------------------------------------------------------------

/** The most recipients one pre-flight decides (SPEC: 10k under a second). */
export const PREFLIGHT_MAX_RECIPIENTS = 10_000;

export const preflightInput = z.object({
  kind: sendKindSchema.default("campaign"),
  recipients: z
    .array(
      z.object({
        phone: safeString().trim().regex(/^\+[1-9]\d{6,14}$/, "Each recipient's phone is in E.164 form (+15125550123)."),
        leadId: idString().optional(),
      }),
    )
    .min(1, "Give at least one recipient.")
    .max(PREFLIGHT_MAX_RECIPIENTS, `At most ${PREFLIGHT_MAX_RECIPIENTS.toLocaleString("en-US")} recipients per pre-flight.`),
  /** When the texts would go; now when absent. */
  at: z.date().optional(),
});

export const PREFLIGHT_WARNINGS = ["dnc_registry_stale", "dnc_registry_missing"] as const;

export const preflightOutput = z.object({
  decidedAt: z.date(),
  total: z.number().int(),
  allowed: z.number().int(),
  blocked: z.number().int(),
  deferred: z.number().int(),
  /** Every reason a recipient would not be texted now, most frequent first, with one of its sentences. */
  reasons: z.array(z.object({ outcome: sendOutcomeSchema, reason: decisionReasonSchema, count: z.number().int(), example: z.string() })),
  /** What makes the answers less trustworthy than they look (a stale or missing DNC registry). */
  warnings: z.array(z.object({ code: z.enum(PREFLIGHT_WARNINGS), message: z.string() })),
});
