/**
 * The skip-trace port: what enrichment asks of a skip-trace provider (BatchData, sandbox), and
 * the domain shapes every provider answers with. No secrets and no I/O here, so schemas, types
 * and `chooseBestPhone` can be shared with tests and the client.
 *
 * Phones are E.164. A provider bills per matched record: a batch's `billing.units` is what to
 * settle against the budget, whatever the number of requests sent.
 */
import { z } from "zod";
import type { Billed } from "./billing";

/** Requests per provider call: BatchData's synchronous skip trace takes up to 100. */
export const SKIP_TRACE_BATCH_SIZE = 100;

export const PHONE_TYPES = ["mobile", "landline", "voip", "unknown"] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

/** +, a country code that does not start with 0, then up to 15 digits in all. */
export const e164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, "Expected an E.164 phone number");

const optionalText = z.string().trim().min(1).optional();

export const skipTraceAddressSchema = z.object({
  street: z.string().trim().min(1, "A skip trace needs a street address"),
  city: optionalText,
  state: optionalText,
  zip: optionalText,
});
export type SkipTraceAddress = z.output<typeof skipTraceAddressSchema>;

export const skipTraceRequestSchema = z.object({
  /** The caller's id for this request (a lead id); results are matched back by it. */
  requestId: z.string().trim().min(1).max(200),
  /** The property address. */
  address: skipTraceAddressSchema,
  /** The owner's name when it is a person's; improves the match. */
  ownerName: z.object({ first: optionalText, last: optionalText }).nullable().optional(),
  /** The owner's mailing address when it differs from the property's. */
  mailingAddress: skipTraceAddressSchema.nullable().optional(),
});
export type SkipTraceRequest = z.output<typeof skipTraceRequestSchema>;

export const skipTracePhoneSchema = z.object({
  number: e164Schema,
  type: z.enum(PHONE_TYPES),
  carrier: z.string().nullable(),
  /** On the National Do Not Call registry. */
  dnc: z.boolean(),
  /** On a TCPA litigator / blacklist: never text or call it. */
  tcpa: z.boolean(),
  /** The provider's confidence that the number reaches this person, 0–100. */
  score: z.number().min(0).max(100).nullable(),
  /** Whether the provider found the line connected; null when not tested. */
  reachable: z.boolean().nullable(),
});
export type SkipTracePhone = z.output<typeof skipTracePhoneSchema>;

export const skipTracePersonSchema = z.object({
  name: z.object({ first: z.string(), last: z.string(), full: z.string() }),
  phones: z.array(skipTracePhoneSchema),
  /** Lowercased, de-duplicated. */
  emails: z.array(z.string()),
  /** A known serial TCPA plaintiff. */
  litigator: z.boolean(),
  deceased: z.boolean(),
  bankruptcy: z.boolean(),
});
export type SkipTracePerson = z.output<typeof skipTracePersonSchema>;

export const skipTraceResultSchema = z.object({
  requestId: z.string(),
  /** A matched record is a billed record. */
  matched: z.boolean(),
  persons: z.array(skipTracePersonSchema),
  /** Confidence in the match, 0–100; null when the provider gives none or nothing matched. */
  confidence: z.number().min(0).max(100).nullable(),
  /** Why this one request produced nothing (unusable address, provider-side error); null otherwise. */
  error: z.string().nullable(),
  /** The provider's own record(s) for this request, for enrichment lineage; null when none. */
  raw: z.unknown(),
});
export type SkipTraceResult = z.output<typeof skipTraceResultSchema>;

/** One result per request, in request order; billed per matched record. */
export type SkipTraceBatch = Billed<SkipTraceResult[]>;
export const skipTraceBatchSchema = z.object({
  value: z.array(skipTraceResultSchema),
  billing: z.object({ units: z.int().min(0), possiblyBilled: z.boolean() }),
});

export type SkipTraceProviderName = "batchdata" | "sandbox";

export interface SkipTraceOptions {
  signal?: AbortSignal;
  /** Overall deadline of the call; a background job passes a longer one than a user's request. */
  deadlineMs?: number;
}

export interface SkipTraceProvider {
  readonly name: SkipTraceProviderName;
  /** True for the sandbox: its matches are counted under the budget but billed by nobody. */
  readonly simulated: boolean;
  /**
   * Traces up to SKIP_TRACE_BATCH_SIZE requests with distinct requestIds (more, or duplicate ids,
   * reject with BAD_REQUEST before anything is sent). Resolves with one result per request in
   * request order; a request whose address cannot be traced (see `skipTraceAddressProblem`) gets
   * an unmatched result with `error` set and is not sent.
   *
   * A rejection means nothing was billed, except a `ProviderCallError` whose `billing` says
   * otherwise: e.g. possibly billed when the provider may have traced the batch without LeadFlow
   * hearing back.
   */
  trace(requests: SkipTraceRequest[], opts?: SkipTraceOptions): Promise<SkipTraceBatch>;
}

/**
 * Why an address cannot be skip traced, or null when it can. BatchData accepts street + city +
 * state + ZIP, street + ZIP, or street + city + state.
 */
export function skipTraceAddressProblem(address: {
  street?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
}): string | null {
  const has = (value: string | null | undefined) => (value ?? "").trim() !== "";
  if (!has(address.street)) return "The address has no street line, so it cannot be skip traced";
  if (has(address.zip) || (has(address.city) && has(address.state))) return null;
  return "The address needs a ZIP code, or a city and state, to be skip traced";
}

/** Why a batch cannot be sent as one provider call, or null when it can. */
export function skipTraceBatchProblem(requests: readonly SkipTraceRequest[]): string | null {
  if (requests.length > SKIP_TRACE_BATCH_SIZE) {
    return `Skip trace at most ${SKIP_TRACE_BATCH_SIZE} records per call (got ${requests.length})`;
  }
  const seen = new Set<string>();
  for (const { requestId } of requests) {
    if (seen.has(requestId)) return `Two skip-trace requests share the requestId "${requestId}"`;
    seen.add(requestId);
  }
  return null;
}

/** The result for a request that was not traced (or that the provider did not answer). */
export function untracedResult(requestId: string, error: string | null): SkipTraceResult {
  return { requestId, matched: false, persons: [], confidence: null, error, raw: null };
}

// ---------------------------------------------------------------------------------------------
// Best phone
// ---------------------------------------------------------------------------------------------

export type BestPhoneChoice =
  { phone: SkipTracePhone; reason: string } | { phone: null; reason: string };

const TYPE_NOUN: Record<PhoneType, [singular: string, plural: string]> = {
  mobile: ["mobile", "mobiles"],
  landline: ["landline", "landlines"],
  voip: ["VoIP line", "VoIP lines"],
  unknown: ["phone of unknown line type", "phones of unknown line type"],
};

const count = (n: number, [singular, plural]: readonly [string, string]) =>
  `${n} ${n === 1 ? singular : plural}`;

/** "a", "a and b", "a, b and c" */
function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Higher score first (unknown scores last), then reachable before untested before unreachable. */
function rank(a: SkipTracePhone, b: SkipTracePhone): number {
  const byScore = (b.score ?? -1) - (a.score ?? -1);
  if (byScore !== 0) return byScore;
  const reach = (phone: SkipTracePhone) =>
    phone.reachable === true ? 2 : phone.reachable === null ? 1 : 0;
  return reach(b) - reach(a);
}

/**
 * The phone to text: a mobile (SMS needs one) that is neither on the DNC list nor TCPA-flagged,
 * with the highest score; a tie goes to the line known to be reachable, then to the first listed.
 * Returns null with the reason when no phone qualifies. Landlines, VoIP lines and phones of
 * unknown line type never qualify: validate an unknown one with a phone lookup first.
 */
export function chooseBestPhone(phones: readonly SkipTracePhone[]): BestPhoneChoice {
  if (phones.length === 0) return { phone: null, reason: "No phone numbers were found" };

  const mobiles = phones.filter((phone) => phone.type === "mobile");
  if (mobiles.length === 0) {
    const byType = PHONE_TYPES.map((type) => ({
      type,
      n: phones.filter((phone) => phone.type === type).length,
    })).filter(({ n }) => n > 0);
    if (byType.length === 1 && byType[0]) {
      const [singular, plural] = TYPE_NOUN[byType[0].type];
      return {
        phone: null,
        reason:
          phones.length === 1
            ? `The only phone is a ${singular}, not a mobile`
            : `All phones are ${plural}`,
      };
    }
    return {
      phone: null,
      reason: `None of the ${phones.length} phones is a mobile (${listOf(byType.map(({ type, n }) => count(n, TYPE_NOUN[type])))})`,
    };
  }

  const eligible = mobiles.filter((phone) => !phone.dnc && !phone.tcpa);
  if (eligible.length === 0) {
    const dnc = mobiles.filter((phone) => phone.dnc).length;
    const tcpa = mobiles.filter((phone) => phone.tcpa).length;
    const every = mobiles.length === 1 ? "The only mobile" : "Every mobile";
    if (dnc === mobiles.length) return { phone: null, reason: `${every} is on the DNC list` };
    if (tcpa === mobiles.length) return { phone: null, reason: `${every} is TCPA-flagged` };
    return {
      phone: null,
      reason: `Every mobile is on the DNC list or TCPA-flagged (${dnc} DNC, ${tcpa} TCPA)`,
    };
  }

  const ranked = [...eligible].sort(rank); // stable: equal phones keep their listed order
  const best = ranked[0] as SkipTracePhone;
  const runnerUp = ranked[1];

  let why: string;
  if (eligible.length === 1) {
    why =
      best.score === null
        ? "The only eligible mobile"
        : `The only eligible mobile (score ${best.score})`;
  } else if (best.score === null) {
    why =
      runnerUp && rank(best, runnerUp) < 0
        ? `None of the ${eligible.length} eligible mobiles has a score; picked by reachability`
        : `None of the ${eligible.length} eligible mobiles has a score; picked the first listed`;
  } else if (runnerUp && runnerUp.score === best.score) {
    why =
      rank(best, runnerUp) < 0
        ? `Highest score (${best.score}) of ${eligible.length} eligible mobiles; tie broken by reachability`
        : `Highest score (${best.score}) of ${eligible.length} eligible mobiles; first listed of a tie`;
  } else {
    why = `Highest score (${best.score}) of ${eligible.length} eligible mobiles`;
  }

  const skipped = [
    count(mobiles.filter((phone) => phone.dnc).length, [
      "mobile on the DNC list",
      "mobiles on the DNC list",
    ]),
    count(mobiles.filter((phone) => phone.tcpa && !phone.dnc).length, [
      "TCPA-flagged mobile",
      "TCPA-flagged mobiles",
    ]),
    ...PHONE_TYPES.filter((type) => type !== "mobile").map((type) =>
      count(phones.filter((phone) => phone.type === type).length, TYPE_NOUN[type]),
    ),
  ].filter((text) => !text.startsWith("0 "));
  return {
    phone: best,
    reason: skipped.length > 0 ? `${why}; skipped ${listOf(skipped)}` : why,
  };
}
