/**
 * Zod schemas for ATTOM Property API responses — only the fields LeadFlow reads.
 *
 * ATTOM's casing differs by endpoint (basicprofile: `assessment.owner.absenteeOwnerStatus`,
 * `sale.saleAmountData.saleAmt`; detail/detailowner: `owner.absenteeownerstatus`,
 * `sale.amount.saleamt`), and the same field is a number in one response and a string in another.
 * Keys are lowercased before parsing, so one schema reads every casing; leaf values are read
 * leniently (a malformed leaf becomes null, never a failed page). Unknown blocks (`vintage`,
 * `utilities`, `echoed_fields` …) pass through untouched. Only the envelope's `status.code` is
 * required: without it the body is not an ATTOM answer.
 */
import { z } from "zod";

function lowercaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowercaseKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowercaseKeys(inner)]),
    );
  }
  return value;
}

function toNumberOrNull(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  const cleaned = value.trim().replace(/[$,]/g, "");
  if (cleaned === "") return null;
  const parsed = Number(cleaned);
  return Number.isFinite(parsed) ? parsed : null;
}

function toTextOrNull(value: unknown): string | null {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

const numeric = z.unknown().transform(toNumberOrNull).default(null);
const text = z.unknown().transform(toTextOrNull).default(null);

/** A block that may be missing or malformed; either way it reads as absent. */
function block<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.looseObject(shape).optional().catch(undefined);
}

const ownerNameSchema = block({
  fullname: text,
  lastname: text,
  firstnameandmi: text,
});

const ownerSchema = block({
  corporateindicator: text,
  owner1: ownerNameSchema,
  absenteeownerstatus: text,
  mailingaddressoneline: text,
});

const saleAmountSchema = block({
  saleamt: numeric,
  salerecdate: text,
});

const mortgageSchema = block({
  firstconcurrent: block({ amount: numeric }),
  secondconcurrent: block({ amount: numeric }),
});

export const attomPropertySchema = z.looseObject({
  identifier: block({ id: text, attomid: text, fips: text, apn: text }),
  address: block({
    line1: text,
    line2: text,
    locality: text,
    countrysubd: text,
    postal1: text,
    oneline: text,
  }),
  location: block({ latitude: numeric, longitude: numeric }),
  summary: block({
    propclass: text,
    proptype: text,
    propertytype: text,
    propsubtype: text,
    propindicator: numeric,
    yearbuilt: numeric,
    absenteeind: text,
  }),
  building: block({
    size: block({ universalsize: numeric, livingsize: numeric, bldgsize: numeric }),
    rooms: block({ beds: numeric, bathstotal: numeric, bathsfull: numeric, bathshalf: numeric }),
  }),
  assessment: block({
    assessed: block({ assdttlvalue: numeric }),
    market: block({ mktttlvalue: numeric }),
    // basicprofile puts the owner and the last sale's loans inside the assessment
    owner: ownerSchema,
    mortgage: mortgageSchema,
  }),
  owner: ownerSchema,
  sale: block({
    salesearchdate: text,
    saletransdate: text,
    // basicprofile
    saleamountdata: saleAmountSchema,
    // detail, detailowner, attomavm/detail
    amount: saleAmountSchema,
    mortgage: mortgageSchema,
  }),
  avm: block({ eventdate: text, amount: block({ value: numeric }) }),
});
export type AttomProperty = z.output<typeof attomPropertySchema>;

const statusCode = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

export const attomStatusSchema = z.looseObject({
  version: text,
  code: statusCode,
  msg: text,
  total: numeric,
  page: numeric,
  pagesize: numeric,
  transactionid: text,
});
export type AttomStatus = z.output<typeof attomStatusSchema>;

export const attomEnvelopeSchema = z.preprocess(
  lowercaseKeys,
  z.looseObject({
    status: attomStatusSchema,
    property: z.array(attomPropertySchema).optional(),
  }),
);
export type AttomEnvelope = z.output<typeof attomEnvelopeSchema>;

/** Parses a response body; throws a ZodError when it is not an ATTOM envelope at all. */
export function parseAttomEnvelope(body: unknown): AttomEnvelope {
  return attomEnvelopeSchema.parse(body);
}
