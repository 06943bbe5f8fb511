/**
 * BatchData skip trace ⇄ domain. The one place that knows BatchData's field names and quirks:
 * the request body, phone types ("Mobile", "Land Line" …), ten-digit numbers, flags sent as
 * objects, and results that come back out of request order.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { normalizeAddress } from "@/lib/address";
import { billed } from "../billing";
import {
  untracedResult,
  type PhoneType,
  type SkipTraceAddress,
  type SkipTraceBatch,
  type SkipTracePerson,
  type SkipTracePhone,
  type SkipTraceRequest,
  type SkipTraceResult,
} from "../skip-trace";
import type {
  BatchDataPerson,
  BatchDataPersonEntry,
  BatchDataPhone,
  BatchDataResponse,
} from "./schema";

interface BatchDataAddress {
  street: string;
  city?: string;
  state?: string;
  zip?: string;
}

export interface BatchDataSkipTraceBody {
  requests: {
    requestId: string;
    propertyAddress: BatchDataAddress;
    name?: { first?: string; last?: string };
    mailingAddress?: BatchDataAddress;
  }[];
  options: { includeTCPABlacklistedPhones: boolean };
}

/** The no-record explanation shown when BatchData's answer has nothing for a request. */
export const NO_RECORD_RETURNED = "BatchData returned no record for this request";

function toBatchDataAddress(address: SkipTraceAddress): BatchDataAddress {
  return { street: address.street, city: address.city, state: address.state, zip: address.zip };
}

/**
 * The POST body. TCPA-blacklisted phones are requested (`includeTCPABlacklistedPhones: true`):
 * without it BatchData silently drops them, and a lead would look as if it had fewer phones than
 * it does. With it they come back flagged `tcpa: true`, are stored and shown flagged, and are never
 * chosen as the best phone nor texted (chooseBestPhone, the SMS compliance checks).
 */
export function toBatchDataRequestBody(
  requests: readonly SkipTraceRequest[],
): BatchDataSkipTraceBody {
  return {
    requests: requests.map((request) => {
      const first = request.ownerName?.first;
      const last = request.ownerName?.last;
      return {
        requestId: request.requestId,
        propertyAddress: toBatchDataAddress(request.address),
        ...(first || last ? { name: { first, last } } : {}),
        ...(request.mailingAddress
          ? { mailingAddress: toBatchDataAddress(request.mailingAddress) }
          : {}),
      };
    }),
    options: { includeTCPABlacklistedPhones: true },
  };
}

/**
 * The whole batch in request order. Persons are matched to requests by `meta.requestId`; one
 * without a known requestId is matched by its echoed property address when exactly one request
 * has that address, and is otherwise ignored — never matched by position, since BatchData does
 * not keep request order for non-matches.
 */
export function toSkipTraceBatch(
  response: BatchDataResponse,
  requests: readonly SkipTraceRequest[],
): SkipTraceBatch {
  const byRequest = matchPersonsToRequests(response.persons, requests);
  const results = requests.map((request) =>
    toSkipTraceResult(request.requestId, byRequest.get(request.requestId) ?? []),
  );
  // BatchData bills the matched records of an answered batch.
  return { value: results, billing: billed(results.filter((result) => result.matched).length) };
}

function matchPersonsToRequests(
  persons: readonly BatchDataPersonEntry[],
  requests: readonly SkipTraceRequest[],
): Map<string, BatchDataPersonEntry[]> {
  const byRequest = new Map<string, BatchDataPersonEntry[]>(
    requests.map((request) => [request.requestId, []]),
  );
  const unclaimed: BatchDataPersonEntry[] = [];
  for (const entry of persons) {
    const requestId = entry.person.meta?.requestId;
    const list = requestId ? byRequest.get(requestId) : undefined;
    if (list) list.push(entry);
    else unclaimed.push(entry);
  }

  const requestsByAddress = new Map<string, string[]>();
  for (const request of requests) {
    const key = normalizeAddress(request.address).key;
    requestsByAddress.set(key, [...(requestsByAddress.get(key) ?? []), request.requestId]);
  }
  for (const entry of unclaimed) {
    const echoed = entry.person.propertyAddress;
    if (!echoed?.street) continue;
    const key = normalizeAddress({
      street: echoed.street,
      city: echoed.city,
      state: echoed.state,
      zip: echoed.zip,
    }).key;
    const candidates = requestsByAddress.get(key) ?? [];
    const [only] = candidates;
    if (candidates.length === 1 && only) byRequest.get(only)?.push(entry);
  }
  return byRequest;
}

function isMatched(person: BatchDataPerson): boolean {
  const matched = person.meta?.matched;
  if (matched !== null && matched !== undefined) return matched;
  // No verdict: a record with contact data is a match (and billed), an empty one is not.
  return person.phoneNumbers.length > 0 || person.emails.length > 0;
}

function errorOf(person: BatchDataPerson): string | null {
  const error = person.meta?.error;
  if (typeof error === "string" && error.trim() !== "" && error.trim().toLowerCase() !== "false") {
    return error.trim();
  }
  if (error === true) return person.meta?.errorMessage ?? "BatchData could not trace this record";
  return null;
}

export function toSkipTraceResult(
  requestId: string,
  entries: readonly BatchDataPersonEntry[],
): SkipTraceResult {
  if (entries.length === 0) return untracedResult(requestId, NO_RECORD_RETURNED);
  const matchedEntries = entries.filter((entry) => isMatched(entry.person));
  const error =
    matchedEntries.length > 0
      ? null
      : (entries.map((entry) => errorOf(entry.person)).find((text) => text !== null) ?? null);
  return {
    requestId,
    matched: matchedEntries.length > 0,
    persons: matchedEntries.map((entry) => toSkipTracePerson(entry.person)),
    // BatchData's synchronous skip trace carries no match confidence.
    confidence: null,
    error,
    raw: entries.map((entry) => entry.raw),
  };
}

export function toSkipTracePerson(person: BatchDataPerson): SkipTracePerson {
  const first = person.name?.first ?? "";
  const last = person.name?.last ?? "";
  const full =
    person.name?.full ??
    [person.name?.first, person.name?.middle, person.name?.last].filter(Boolean).join(" ");

  const phones = new Map<string, SkipTracePhone>();
  for (const phone of person.phoneNumbers) {
    const domain = toSkipTracePhone(phone);
    if (domain && !phones.has(domain.number)) phones.set(domain.number, domain);
  }
  const emails = new Set<string>();
  for (const { email } of person.emails) {
    const folded = email?.toLowerCase();
    if (folded && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(folded)) emails.add(folded);
  }

  return {
    name: { first, last, full },
    phones: [...phones.values()],
    emails: [...emails],
    litigator: flagOf(person.litigator),
    deceased: flagOf(person.death, "deceased"),
    bankruptcy: flagOf(person.bankruptcy),
  };
}

/** A phone that cannot be read as a valid number (US by default) is dropped. */
export function toSkipTracePhone(phone: BatchDataPhone): SkipTracePhone | null {
  const number = toE164(phone.number);
  if (!number) return null;
  return {
    number,
    type: toPhoneType(phone.type),
    carrier: phone.carrier,
    dnc: phone.dnc ?? false,
    tcpa: phone.tcpa ?? false,
    score: phone.score === null ? null : Math.round(Math.min(100, Math.max(0, phone.score))),
    reachable: phone.reachable,
  };
}

/** "5125550142", "(512) 555-0142", "+1 512 555 0142" → "+15125550142"; invalid → null. */
export function toE164(number: string | null): string | null {
  if (!number) return null;
  const parsed = parsePhoneNumberFromString(number, "US");
  return parsed?.isValid() ? parsed.number : null;
}

/** "Mobile" → mobile, "Land Line" → landline, anything VoIP → voip, the rest unknown. */
export function toPhoneType(type: string | null): PhoneType {
  const folded = (type ?? "").toLowerCase().replace(/[^a-z]/g, "");
  if (["mobile", "cell", "cellular", "wireless"].includes(folded)) return "mobile";
  if (["landline", "fixed", "fixedline", "residential"].includes(folded)) return "landline";
  if (folded.includes("voip")) return "voip";
  return "unknown";
}

/**
 * A flag sent as a boolean, as an object carrying it (`death: { deceased: true }`), or as a record
 * whose presence is the flag (`bankruptcy: { filingDate … }`, `{}` for none).
 */
function flagOf(value: unknown, key?: string): boolean {
  if (typeof value === "boolean") return value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (key !== undefined && key in record) return record[key] === true;
  return Object.values(record).some(
    (inner) => inner !== null && inner !== undefined && inner !== false && inner !== "",
  );
}
