/**
 * Zod schemas for BatchData's property skip-trace response — only the fields LeadFlow reads.
 *
 * Only the envelope is required (`results.persons` must be an array): without it the body is not
 * a skip-trace answer. Everything inside a person is read leniently — a malformed leaf becomes
 * null, a malformed phone or email is dropped, never the whole batch — and unknown fields pass
 * through untouched. Each person keeps its original JSON next to the parsed form, for lineage.
 */
import { z } from "zod";

function toTextOrNull(value: unknown): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function toNumberOrNull(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}

/** true/false, "true"/"false", "Y"/"N", 1/0; anything else is unknown (null). */
function toBooleanOrNull(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : null;
  if (typeof value !== "string") return null;
  const folded = value.trim().toLowerCase();
  if (["true", "y", "yes", "1"].includes(folded)) return true;
  if (["false", "n", "no", "0"].includes(folded)) return false;
  return null;
}

const text = z.unknown().transform(toTextOrNull).default(null);
const numeric = z.unknown().transform(toNumberOrNull).default(null);
const flag = z.unknown().transform(toBooleanOrNull).default(null);

/** A block that may be missing or malformed; either way it reads as absent. */
function block<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.looseObject(shape).optional().catch(undefined);
}

/** Keeps the items that parse; a missing or non-array value is an empty list. */
function lenientArray<Item extends z.ZodType>(item: Item) {
  return z
    .unknown()
    .optional()
    .transform((value): z.output<Item>[] => {
      if (!Array.isArray(value)) return [];
      return value.flatMap((entry: unknown) => {
        const parsed = item.safeParse(entry);
        return parsed.success ? [parsed.data] : [];
      });
    });
}

const addressSchema = block({
  street: text,
  city: text,
  state: text,
  zip: text,
  zipPlus4: text,
});

export const batchDataPhoneSchema = z.looseObject({
  number: text,
  carrier: text,
  /** "Mobile", "Land Line", and occasionally others ("VoIP", "Unknown"). */
  type: text,
  tested: flag,
  reachable: flag,
  score: numeric,
  dnc: flag,
  /** Present when the request asked for TCPA-blacklisted phones to be included. */
  tcpa: flag,
});
export type BatchDataPhone = z.output<typeof batchDataPhoneSchema>;

const emailSchema = z.union([
  z.looseObject({ email: text }),
  z.string().transform((email) => ({ email: toTextOrNull(email) })),
]);

export const batchDataPersonSchema = z.looseObject({
  name: block({ first: text, middle: text, last: text, full: text }),
  phoneNumbers: lenientArray(batchDataPhoneSchema),
  emails: lenientArray(emailSchema),
  propertyAddress: addressSchema,
  mailingAddress: addressSchema,
  // Flags arrive as booleans or as objects ({ deceased: false }, a bankruptcy record, {} for none).
  litigator: z.unknown().optional(),
  death: z.unknown().optional(),
  bankruptcy: z.unknown().optional(),
  involuntaryLien: z.unknown().optional(),
  meta: block({
    matched: flag,
    /** false, true, or a message. */
    error: z.unknown().optional(),
    errorMessage: text,
    requestId: text,
  }),
});
export type BatchDataPerson = z.output<typeof batchDataPersonSchema>;

export const batchDataEnvelopeSchema = z.looseObject({
  status: block({ code: numeric, text, message: text }),
  results: z.looseObject({
    persons: z.array(z.unknown()),
    meta: block({
      results: block({
        requestCount: numeric,
        matchCount: numeric,
        noMatchCount: numeric,
        errorCount: numeric,
      }),
    }),
  }),
});

/** A person as parsed, with the vendor's original JSON for lineage. */
export interface BatchDataPersonEntry {
  person: BatchDataPerson;
  raw: unknown;
}

export interface BatchDataResponse {
  status: z.output<typeof batchDataEnvelopeSchema>["status"];
  persons: BatchDataPersonEntry[];
  meta: z.output<typeof batchDataEnvelopeSchema>["results"]["meta"];
}

/**
 * Parses a response body; throws a ZodError when it is not a skip-trace answer at all. A person
 * entry that is not an object is dropped (its request then reads as unanswered).
 */
export function parseBatchDataResponse(body: unknown): BatchDataResponse {
  const envelope = batchDataEnvelopeSchema.parse(body);
  const persons = envelope.results.persons.flatMap((raw) => {
    const parsed = batchDataPersonSchema.safeParse(raw);
    return parsed.success ? [{ person: parsed.data, raw }] : [];
  });
  return { status: envelope.status, persons, meta: envelope.results.meta };
}

/** BatchData's own explanation in an error body, when it gave one. */
export function batchDataErrorMessage(bodyText: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    // Plain text is a message; an HTML error page is not.
    return bodyText.trimStart().startsWith("<") ? null : toTextOrNull(bodyText.slice(0, 300));
  }
  const parsed = z
    .looseObject({
      status: block({ message: text, text }),
      message: text,
      error: z.union([text, block({ message: text })]).catch(null),
    })
    .safeParse(body);
  if (!parsed.success) return null;
  const { status, message, error } = parsed.data;
  const errorText = typeof error === "string" ? error : (error?.message ?? null);
  return status?.message ?? message ?? errorText ?? status?.text ?? null;
}
