import { z } from "zod";
import { idString, safeString } from "@/lib/text-schema";
import { RECORDED_CONSENT_TYPES, recordedConsentTypeSchema, suppressionReasonSchema } from "./schema";

/**
 * The consent log contract (issue 10 item 4, SPEC §6): inputs and outputs of the consent.*
 * procedures and the CSV export's filters. Phones are typed by people and parsed by the service.
 */

/** What a person may record: the consents (defined with the opt-out lift, which records one). A revocation is an opt-out (suppressions.add). */
export { RECORDED_CONSENT_TYPES, recordedConsentTypeSchema };
export type RecordedConsentType = z.infer<typeof recordedConsentTypeSchema>;

/** Every event of the log: the three consents and the revocations (opt-outs). */
export const CONSENT_LOG_TYPES = [...RECORDED_CONSENT_TYPES, "revoked"] as const;
export const consentLogTypeSchema = z.enum(CONSENT_LOG_TYPES);
export type ConsentLogType = z.infer<typeof consentLogTypeSchema>;

/**
 * Where an event comes from: recorded on the consent page, an opt-out lifted with documented
 * consent, a START reply (inbound webhook), or how the opt-out arrived (the Suppression reasons).
 */
export const CONSENT_SOURCES = ["recorded", "opt_out_lift", "start_reply", ...suppressionReasonSchema.options] as const;
export const consentSourceSchema = z.enum(CONSENT_SOURCES);
export type ConsentSource = z.infer<typeof consentSourceSchema>;

const phoneText = safeString().trim().min(1, "Enter a phone number.").max(40, "That is too long for a phone number.");

export const consentFiltersSchema = z.object({
  /** Digits (or an E.164 number) anywhere in the phone. */
  q: safeString().trim().max(40).optional(),
  /** The lead's own events and every event on one of its phones (an opt-out covers the number, not the lead). */
  leadId: idString().optional(),
  type: consentLogTypeSchema.optional(),
  /** Inclusive bounds on when the event happened. */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type ConsentFilters = z.output<typeof consentFiltersSchema>;
export type ConsentFiltersInput = z.input<typeof consentFiltersSchema>;

/** "<ISO instant>|<event id>": the last row of the previous page (newest first). */
const cursorSchema = safeString()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\|(consent|optout|optin):[A-Za-z0-9_-]{1,64}$/, "That page cursor is not valid.")
  // The shape alone lets through a day like 2026-13-45, which would reach the query as an invalid date.
  .refine((cursor) => !Number.isNaN(new Date(cursor.slice(0, cursor.indexOf("|"))).getTime()), "That page cursor is not valid.");

export const listConsentInput = z.object({
  filters: consentFiltersSchema.default({}),
  cursor: cursorSchema.nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

const personOutput = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });

export const consentEventOutput = z.object({
  /** "consent:<ConsentEvent id>", "optout:<Suppression id>" or "optin:<Suppression id>" (a START reply lifting it). */
  id: z.string(),
  type: consentLogTypeSchema,
  source: consentSourceSchema,
  phone: z.string(),
  lead: z.object({ id: z.string(), label: z.string(), archived: z.boolean() }).nullable(),
  evidence: z.string(),
  documentRef: z.string().nullable(),
  /** Who recorded it, when a person did (a STOP or START reply has none). */
  actor: personOutput.nullable(),
  /** When the consent was given or revoked. */
  occurredAt: z.date(),
  /** When LeadFlow recorded it. */
  recordedAt: z.date(),
});
export type ConsentEventRow = z.infer<typeof consentEventOutput>;

export const listConsentOutput = z.object({ items: z.array(consentEventOutput), nextCursor: z.string().nullable() });

export const recordConsentInput = z.object({
  phone: phoneText,
  /** The lead it was given on, if any; the consent covers the number. */
  leadId: idString().nullish(),
  type: recordedConsentTypeSchema,
  evidence: safeString()
    .trim()
    .min(3, "Describe the evidence: what the person agreed to, how and where (the form, the call, the reply).")
    .max(2000, "Keep it under 2,000 characters."),
  /** Where the document lives: a file name, a signed form's URL, a recording id. */
  documentRef: safeString().trim().max(500, "Keep it under 500 characters.").optional(),
  /** When the consent was given; now when absent. */
  occurredAt: z.coerce.date().optional(),
});
export const recordConsentOutput = z.object({ event: consentEventOutput });

export const consentSettingsOutput = z.object({
  requireRecordedConsent: z.boolean(),
  allowDncWithExpressConsent: z.boolean(),
  /** Whether this member may change them (admins). */
  canEdit: z.boolean(),
});
/** Either setting or both; what is left out keeps its value. */
export const updateConsentSettingsInput = z
  .object({ requireRecordedConsent: z.boolean().optional(), allowDncWithExpressConsent: z.boolean().optional() })
  .refine((input) => input.requireRecordedConsent !== undefined || input.allowDncWithExpressConsent !== undefined, { message: "Say which setting to change." });
