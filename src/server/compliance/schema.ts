import { z } from "zod";
import { idString, safeString } from "@/lib/text-schema";

/**
 * The suppression list ("Opt-outs") contract: inputs and outputs of the suppressions.* procedures
 * and the CSV export's filters. Phones are E.164; a person's typing is parsed by the service
 * (libphonenumber-js, US default), so inputs carry the text as typed.
 */

export const SUPPRESSION_REASONS = ["keyword", "refusal", "provider_21610", "manual", "import", "wrong_number"] as const;
export const suppressionReasonSchema = z.enum(SUPPRESSION_REASONS);
export type SuppressionReasonValue = z.infer<typeof suppressionReasonSchema>;

export const SUPPRESSION_STATES = ["live", "lifted", "all"] as const;

/** The kinds of opt-in that may lift an opt-out (COMPLIANCE.md: revocation is honoured until consent is given again). */
export const OPT_IN_KINDS = ["documented_consent", "start_reply"] as const;
export const optInKindSchema = z.enum(OPT_IN_KINDS);

/** The consents a person may record (the consent log, consent-schema.ts); a revocation is an opt-out. */
export const RECORDED_CONSENT_TYPES = ["express_written", "verbal", "inbound_initiated"] as const;
export const recordedConsentTypeSchema = z.enum(RECORDED_CONSENT_TYPES);

/** A phone number as typed: "(512) 555-0142", "512.555.0142", "+15125550142". */
const phoneText = safeString().trim().min(1, "Enter a phone number.").max(40, "That is too long for a phone number.");
const evidenceText = safeString()
  .trim()
  .min(3, "Say how you know: what the person said, where and when.")
  .max(1000, "Keep it under 1,000 characters.");

export const suppressionFiltersSchema = z.object({
  /** Digits (or an E.164 number) anywhere in the phone. */
  q: safeString().trim().max(40).optional(),
  reason: suppressionReasonSchema.optional(),
  state: z.enum(SUPPRESSION_STATES).default("live"),
});
export type SuppressionFilters = z.output<typeof suppressionFiltersSchema>;
export type SuppressionFiltersInput = z.input<typeof suppressionFiltersSchema>;

export const listSuppressionsInput = z.object({
  filters: suppressionFiltersSchema.default({ state: "live" }),
  cursor: idString().nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

const personOutput = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });

export const suppressionOutput = z.object({
  id: z.string(),
  phone: z.string(),
  reason: suppressionReasonSchema,
  /** "organization": never text this number; "lead": a wrong number, only for that lead. */
  scope: z.enum(["organization", "lead"]),
  lead: z.object({ id: z.string(), label: z.string() }).nullable(),
  /** The inbound message that caused it (keyword, refusal, wrong number), when there is one. */
  sourceMessage: z.object({ id: z.string(), body: z.string(), at: z.date() }).nullable(),
  /** Who added it (manual, import), when a person did. */
  addedBy: personOutput.nullable(),
  evidence: z.string(),
  createdAt: z.date(),
  lifted: z.object({ at: z.date(), by: personOutput.nullable(), reason: z.string() }).nullable(),
});
export type SuppressionRow = z.infer<typeof suppressionOutput>;

export const listSuppressionsOutput = z.object({
  items: z.array(suppressionOutput),
  nextCursor: z.string().nullable(),
});

export const addSuppressionInput = z.object({
  phone: phoneText,
  evidence: evidenceText,
  /** The lead it was reported on (a call, a letter); the opt-out itself covers the number org-wide. */
  leadId: idString().nullish(),
});
export const addSuppressionOutput = z.object({
  /** False when the number was already on the list: nothing changed. */
  created: z.boolean(),
  suppression: suppressionOutput,
});

export const liftSuppressionInput = z.object({
  id: idString(),
  optInKind: optInKindSchema,
  reason: safeString().trim().min(3, "Say why the number may be texted again.").max(500, "Keep it under 500 characters."),
  evidence: evidenceText,
  /** The consent it records in the consent log: documented consent is written unless said otherwise, a START reply is inbound-initiated. */
  consentType: recordedConsentTypeSchema.optional(),
});
export const liftSuppressionOutput = z.object({ suppression: suppressionOutput });

/**
 * A CSV file as text (read in the browser; at most the 1 MiB tRPC body). A column named phone
 * (or mobile, cell, number …) is required; evidence/notes and reason columns are optional.
 */
export const MAX_IMPORT_TEXT_CHARS = 900_000;
export const importSuppressionsInput = z.object({
  fileName: safeString().trim().min(1).max(200),
  csv: safeString()
    .min(1, "The file is empty.")
    .max(MAX_IMPORT_TEXT_CHARS, "The file is larger than 900 KB; split it into smaller files (about 50,000 numbers each)."),
  /** Where the list comes from; recorded as evidence on every row added. */
  source: evidenceText,
});
export const IMPORT_REJECTS_SHOWN = 500;
export const importSuppressionsOutput = z.object({
  /** Data rows read (the header not counted). */
  rows: z.number().int(),
  added: z.number().int(),
  /** Already on the list (live), or repeated within the file. */
  alreadySuppressed: z.number().int(),
  rejectedCount: z.number().int(),
  /** The first IMPORT_REJECTS_SHOWN rejected rows: the row as a spreadsheet numbers it (header = 1). */
  rejected: z.array(z.object({ row: z.number().int(), value: z.string(), reason: z.string() })),
  phoneColumn: z.string(),
});
export type ImportSuppressionsResult = z.infer<typeof importSuppressionsOutput>;
