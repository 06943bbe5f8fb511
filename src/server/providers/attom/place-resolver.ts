import "server-only";
import { AppError } from "../../errors";
import { billed, billingOfFailure as billingOf, NOT_BILLED, possiblyBilled, ProviderCallError, type Billed } from "../billing";
import { createProviderHttp, ProviderHttpError, ProviderNetworkError, type ProviderHttpTuning } from "../http";
import { alternateSpelling, type PlaceCandidate, type PlaceQuery, type PlaceResolver } from "../place-resolver";
import type { PropertySearchOptions } from "../property-search";
import { toAppError, unreadableResponse } from "./client";
import {
  ATTOM_GEOGRAPHY_TYPE,
  ATTOM_LOCATION_LOOKUP_PATH,
  isLocationNoResult,
  locationLookupName,
  parseAttomLocationLookup,
  toPlaceCandidates,
  type AttomLocationLookup,
} from "./location-lookup";

export interface AttomPlaceResolverConfig {
  apiKey: string;
  /** ATTOM_BASE_URL (the property API's); the location lookup lives at its origin's /v4/location/lookup. */
  baseUrl: string;
  http?: ProviderHttpTuning;
}

/**
 * ATTOM's location lookup as a PlaceResolver: one GET per place, under the same breaker, retry
 * and deadline rules as the property calls (same vendor).
 *
 * Billing, as for the property endpoints: an HTTP 200 that names geographies is counted as one
 * billed call (whether or not one of them is the place asked for: ATTOM answered); a "no result"
 * answer (status 400 / SuccessWithoutResult, on HTTP 200 or 400), an error status, an answer we
 * could not read, 401, 429 and 5xx cost nothing; a timeout may have been answered and billed, so
 * it is not resent and counts as possibly billed. A name with another customary spelling ("Saint"
 * / "St.") that finds nothing is looked up once more in that spelling.
 */
export function createAttomPlaceResolver(config: AttomPlaceResolverConfig): PlaceResolver {
  const http = createProviderHttp("attom", {
    ...config.http,
    prefixUrl: new URL(config.baseUrl).origin,
    headers: { Accept: "application/json", APIKey: config.apiKey },
  });

  async function lookup(place: PlaceQuery, signal?: AbortSignal): Promise<Billed<PlaceCandidate[]>> {
    let response: Response;
    try {
      response = await http.get(ATTOM_LOCATION_LOOKUP_PATH, {
        searchParams: { name: locationLookupName(place), geographyTypeAbbreviation: ATTOM_GEOGRAPHY_TYPE[place.kind] },
        signal,
      });
    } catch (error) {
      if (error instanceof ProviderHttpError && error.status === 400) return { value: fromRejected(error.bodyText), billing: NOT_BILLED };
      const timedOut = error instanceof ProviderNetworkError && error.timedOut;
      throw ProviderCallError.from(toAppError(error), timedOut ? possiblyBilled(1) : NOT_BILLED);
    }
    let answer: AttomLocationLookup;
    try {
      answer = parseAttomLocationLookup(JSON.parse(await response.text()));
    } catch (error) {
      if (signal?.aborted) throw ProviderCallError.from(error);
      throw ProviderCallError.from(unreadableResponse());
    }
    if (isLocationNoResult(answer)) return { value: [], billing: NOT_BILLED };
    if (answer.status.code !== 0) throw ProviderCallError.from(statusError(answer), NOT_BILLED);
    return { value: toPlaceCandidates(answer, place), billing: response.status === 200 ? billed(1) : NOT_BILLED };
  }

  return {
    name: "attom",
    simulated: false,
    async resolve(place: PlaceQuery, opts: PropertySearchOptions = {}) {
      const first = await lookup(place, opts.signal);
      const other = alternateSpelling(place.name);
      if (first.value.length > 0 || !other) return first;
      // "Saint Louis" finds nothing where ATTOM writes "St. Louis" (or the reverse): one more
      // lookup with the other spelling; the answers' billing adds up.
      let second: Billed<PlaceCandidate[]>;
      try {
        second = await lookup({ ...place, name: other }, opts.signal);
      } catch (error) {
        if (first.billing.units === 0) throw error;
        throw ProviderCallError.from(error, { units: first.billing.units + billingOf(error).units, possiblyBilled: billingOf(error).possiblyBilled });
      }
      return {
        value: second.value,
        billing: { units: first.billing.units + second.billing.units, possiblyBilled: first.billing.possiblyBilled || second.billing.possiblyBilled },
      };
    },
  };
}

/** HTTP 400 carries either "no result" (an unknown place) or a rejected parameter. */
function fromRejected(bodyText: string): PlaceCandidate[] {
  let answer: AttomLocationLookup;
  try {
    answer = parseAttomLocationLookup(JSON.parse(bodyText));
  } catch {
    throw new ProviderCallError("BAD_REQUEST", "ATTOM rejected the place lookup (HTTP 400) without saying why.");
  }
  if (isLocationNoResult(answer)) return [];
  throw ProviderCallError.from(statusError(answer));
}

function statusError(answer: AttomLocationLookup): AppError {
  const { code, msg, transactionid } = answer.status;
  return new AppError("BAD_REQUEST", `ATTOM rejected the place lookup (code ${code}): ${msg ?? "no reason given"}`, { attomCode: code, transactionId: transactionid });
}
