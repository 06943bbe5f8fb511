import "server-only";
import { AppError } from "../../errors";
import { billed, NOT_BILLED, possiblyBilled, ProviderCallError, type Billed, type Billing } from "../billing";
import {
  createProviderHttp,
  ProviderHttpError,
  ProviderNetworkError,
  type ProviderHttpTuning,
} from "../http";
import {
  geoIdOf,
  isRadiusLocation,
  matchesPropertyFilters,
  type PropertyFilters,
  type PropertyRecord,
  type PropertySearchOptions,
  type PropertySearchPage,
  type PropertySearchProvider,
  type PropertySearchQuery,
} from "../property-search";
import { needsLocalFiltering, toAttomParams } from "./params";
import { parseAttomEnvelope, type AttomEnvelope } from "./schema";
import { AttomStatusError, isNoResult, toPropertySearchResult } from "./transform";

/**
 * `expandedprofile` answers a postalCode search with everything a lead needs in one paid call:
 * owner name and corporate flag, absentee status and mailing address (assessment.owner), the
 * last sale with its price and loans (for equity), and assessed and market values. `detailowner`
 * has the owner but no sale price or loans, and `attomavm/detail` is one property per request.
 */
export const ATTOM_SEARCH_ENDPOINT = "property/expandedprofile";

export interface AttomPropertySearchConfig {
  apiKey: string;
  baseUrl: string;
  http?: ProviderHttpTuning;
}

interface ZipPage {
  result: Pick<PropertySearchPage, "properties" | "total">;
  billing: Billing;
}

/** A ZIP call failed; `billing` is what ATTOM billed (or may have billed) all the same. */
class ZipCallFailure {
  constructor(
    readonly error: unknown,
    readonly billing: Billing,
  ) {}
}

/**
 * One ZIP per call (ATTOM's postalCode takes one ZIP); the search capability splits a multi-ZIP
 * query, and caches and bills each ZIP's page on its own. A city or county is searched by the
 * geoIdV4 its resolution found (see ./place-resolver.ts), one call per page.
 *
 * Billing: ATTOM bills HTTP 200 answers. A "no result" answer (HTTP 400, or status 400 on a 200)
 * is not billed, nor is an answer we could not read; a readable 200 we could not use is. A call
 * that timed out may have been answered 200 after we stopped waiting: it is not resent (see the
 * registry's `retryTimedOutPaidCall`) and is reported possibly billed.
 */
export function createAttomPropertySearch(
  config: AttomPropertySearchConfig,
): PropertySearchProvider {
  const http = createProviderHttp("attom", {
    ...config.http,
    prefixUrl: config.baseUrl,
    headers: { Accept: "application/json", APIKey: config.apiKey },
  });

  async function searchZip(query: PropertySearchQuery, signal?: AbortSignal): Promise<ZipPage> {
    let response: Response;
    const geoIdV4 = geoIdOf(query.location);
    try {
      response = await http.get(ATTOM_SEARCH_ENDPOINT, {
        searchParams: toAttomParams(query, geoIdV4 ? { geoIdV4: [geoIdV4] } : {}),
        signal,
      });
    } catch (error) {
      if (error instanceof ProviderHttpError && error.status === 400) {
        return { result: fromRejectedSearch(error.bodyText), billing: NOT_BILLED };
      }
      const timedOut = error instanceof ProviderNetworkError && error.timedOut;
      throw new ZipCallFailure(toAppError(error), timedOut ? possiblyBilled(1) : NOT_BILLED);
    }

    const billing = response.status === 200 ? billed(1) : NOT_BILLED;
    let envelope: AttomEnvelope;
    try {
      envelope = parseAttomEnvelope(JSON.parse(await response.text()));
    } catch (error) {
      // An answer we cannot read gave the user nothing: it is not charged (issue #3), even
      // though ATTOM may count the HTTP 200. Error codes inside a readable 200 are charged.
      if (signal?.aborted) throw new ZipCallFailure(error, NOT_BILLED);
      throw new ZipCallFailure(unreadableResponse(), NOT_BILLED);
    }
    if (isNoResult(envelope)) return { result: { properties: [], total: 0 }, billing: NOT_BILLED };
    try {
      return { result: toPropertySearchResult(envelope, query), billing };
    } catch (error) {
      throw new ZipCallFailure(toAppError(error), billing);
    }
  }

  return {
    name: "attom",
    simulated: false,
    supportsCityCounty: true,
    async search(query: PropertySearchQuery, opts: PropertySearchOptions = {}): Promise<Billed<PropertySearchPage>> {
      if (isRadiusLocation(query.location)) {
        // latitude + longitude + radius: one call, like a ZIP.
      } else if (!("zips" in query.location)) {
        if (!query.location.geoIdV4) {
          throw new ProviderCallError(
            "BAD_REQUEST",
            "ATTOM searches a city or county by its geoIdV4: resolve the place with the location lookup first.",
          );
        }
      } else if (query.location.zips.length !== 1) {
        throw new ProviderCallError("BAD_REQUEST", "ATTOM searches one ZIP per call: split the query by ZIP first.");
      }
      let page: ZipPage;
      try {
        page = await searchZip(query, opts.signal);
      } catch (error) {
        if (error instanceof ZipCallFailure) throw ProviderCallError.from(error.error, error.billing);
        throw ProviderCallError.from(error);
      }
      const { properties, total } = page.result;
      return {
        value: {
          properties: needsLocalFiltering(query) ? applyLocalFilters(properties, query.filters) : properties,
          total,
          page: query.page,
          pageSize: query.pageSize,
        },
        billing: page.billing,
      };
    },
  };
}

/** HTTP 400 carries either "no result" (an empty page) or a rejected parameter. */
function fromRejectedSearch(bodyText: string): ZipPage["result"] {
  let envelope: AttomEnvelope;
  try {
    envelope = parseAttomEnvelope(JSON.parse(bodyText));
  } catch {
    throw new ZipCallFailure(
      new AppError("BAD_REQUEST", "ATTOM rejected the search (HTTP 400) without saying why."),
      NOT_BILLED,
    );
  }
  if (isNoResult(envelope)) return { properties: [], total: 0 };
  const { code, msg, transactionid } = envelope.status;
  throw new ZipCallFailure(toAppError(new AttomStatusError(code, msg, transactionid)), NOT_BILLED);
}

/** Only the filters ATTOM cannot apply; the others ATTOM has applied already. */
function applyLocalFilters(
  properties: PropertyRecord[],
  filters: PropertyFilters,
): PropertyRecord[] {
  const localOnly: PropertyFilters = {
    propertyType: "any",
    valueBasis: filters.valueBasis,
    absentee: "any",
    equityPctMin: filters.equityPctMin,
  };
  return properties.filter((record) => matchesPropertyFilters(record, localOnly));
}

export function unreadableResponse(): AppError {
  return new AppError(
    "PROVIDER_ERROR",
    "ATTOM returned an unreadable response. Try again; if it keeps happening, ATTOM may be having problems.",
  );
}

/** An ATTOM failure (status, HTTP, network) in the app's error vocabulary. */
export function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof AttomStatusError) {
    return new AppError(
      "BAD_REQUEST",
      `ATTOM rejected the search (code ${error.code}): ${error.attomMessage ?? "no reason given"}`,
      { attomCode: error.code, transactionId: error.transactionId },
    );
  }
  if (error instanceof ProviderHttpError) return fromHttpStatus(error.status);
  if (error instanceof ProviderNetworkError) {
    return error.timedOut
      ? new AppError(
          "PROVIDER_TIMEOUT",
          "ATTOM did not answer in time. It may still have billed the call, so it was not sent again and is counted against today's cap; try again in a minute.",
        )
      : new AppError("PROVIDER_UNAVAILABLE", "Could not reach ATTOM. Try again in a minute.");
  }
  return error;
}

function fromHttpStatus(status: number): AppError {
  if (status === 401) {
    return new AppError("PROVIDER_MISCONFIGURED", "ATTOM key rejected (401): check ATTOM_API_KEY");
  }
  if (status === 403) {
    return new AppError(
      "PRECONDITION_FAILED",
      "ATTOM refused the request (403): check that the ATTOM_API_KEY plan includes property search and has quota left",
    );
  }
  if (status === 404) {
    return new AppError(
      "PRECONDITION_FAILED",
      "ATTOM endpoint not found (404): check ATTOM_BASE_URL",
    );
  }
  if (status === 429) {
    return new AppError(
      "PROVIDER_UNAVAILABLE",
      "ATTOM's rate limit was reached (429). Wait a minute and search again.",
    );
  }
  if (status >= 500) {
    return new AppError(
      "PROVIDER_UNAVAILABLE",
      `ATTOM is having problems (HTTP ${status}). Try again in a few minutes.`,
    );
  }
  return new AppError("PROVIDER_ERROR", `ATTOM answered with an unexpected HTTP ${status}.`);
}
