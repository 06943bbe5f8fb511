import "server-only";
import { AppError } from "../../errors";
import {
  createProviderHttp,
  ProviderHttpError,
  ProviderNetworkError,
  type ProviderHttpTuning,
} from "../http";
import {
  matchesPropertyFilters,
  type PropertyFilters,
  type PropertyRecord,
  type PropertySearchOptions,
  type PropertySearchPage,
  type PropertySearchProvider,
  type PropertySearchQuery,
} from "../property-search";
import { needsLocalFiltering, splitQueryByZip, toAttomParams } from "./params";
import { parseAttomEnvelope, type AttomEnvelope } from "./schema";
import { AttomStatusError, isNoResult, toPropertySearchResult } from "./transform";

/**
 * `expandedprofile` answers a postalCode search with everything a lead needs in one paid call:
 * owner name and corporate flag, absentee status and mailing address (assessment.owner), the
 * last sale with its price and loans (for equity), and assessed and market values. `detailowner`
 * has the owner but no sale price or loans, and `attomavm/detail` is one property per request.
 */
export const ATTOM_SEARCH_ENDPOINT = "property/expandedprofile";

/** ZIP requests in flight at once (ATTOM allows 200 calls a minute). */
const ZIP_CONCURRENCY = 4;

export interface AttomPropertySearchConfig {
  apiKey: string;
  baseUrl: string;
  http?: ProviderHttpTuning;
}

/**
 * A search failed after ATTOM had billed some of its calls (e.g. the third ZIP failed after two
 * answered). Carries the failure's code and message, plus the calls to settle.
 */
export class PartialSearchError extends AppError {
  constructor(
    readonly failure: unknown,
    readonly billableCalls: number,
    readonly providerCalls: number,
  ) {
    const app = failure instanceof AppError ? failure : null;
    super(
      app?.appCode ?? (isAbort(failure) ? "REQUEST_ABORTED" : "INTERNAL"),
      app?.message ?? "The ATTOM search stopped part-way through.",
      app?.details,
    );
    this.name = "PartialSearchError";
  }
}

interface ZipPage {
  result: Pick<PropertySearchPage, "properties" | "total">;
  billed: boolean;
}

/** A ZIP call failed; `billed` when ATTOM answered HTTP 200 all the same. */
class ZipCallFailure {
  constructor(
    readonly error: unknown,
    readonly billed: boolean,
  ) {}
}

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
    try {
      response = await http.get(ATTOM_SEARCH_ENDPOINT, {
        searchParams: toAttomParams(query),
        signal,
      });
    } catch (error) {
      if (error instanceof ProviderHttpError && error.status === 400) {
        return { result: fromRejectedSearch(error.bodyText), billed: false };
      }
      throw new ZipCallFailure(toAppError(error), false);
    }

    const billed = response.status === 200;
    let envelope: AttomEnvelope;
    try {
      envelope = parseAttomEnvelope(JSON.parse(await response.text()));
    } catch (error) {
      // An answer we cannot read gave the user nothing: it is not charged (issue #3), even
      // though ATTOM may count the HTTP 200. Error codes inside a readable 200 are charged.
      if (signal?.aborted) throw new ZipCallFailure(error, false);
      throw new ZipCallFailure(unreadableResponse(), false);
    }
    if (isNoResult(envelope)) return { result: { properties: [], total: 0 }, billed: false };
    try {
      return { result: toPropertySearchResult(envelope, query), billed };
    } catch (error) {
      throw new ZipCallFailure(toAppError(error), billed);
    }
  }

  return {
    name: "attom",
    async search(query: PropertySearchQuery, opts: PropertySearchOptions = {}) {
      if (!("zips" in query.location)) {
        throw new AppError(
          "BAD_REQUEST",
          "ATTOM searches by ZIP code; city and county search works with the sandbox provider",
        );
      }
      const zipQueries = splitQueryByZip(query);
      const { settled, started } = await runUntilFailure(zipQueries, ZIP_CONCURRENCY, (zipQuery) =>
        searchZip(zipQuery, opts.signal),
      );

      const pages: ZipPage[] = [];
      let billableCalls = 0;
      let failure: ZipCallFailure | null = null;
      for (const outcome of settled) {
        if (outcome.status === "fulfilled") {
          pages.push(outcome.value);
          if (outcome.value.billed) billableCalls++;
          continue;
        }
        const reason: unknown = outcome.reason;
        const callFailure =
          reason instanceof ZipCallFailure ? reason : new ZipCallFailure(reason, false);
        if (callFailure.billed) billableCalls++;
        failure ??= callFailure;
      }

      if (failure) {
        if (billableCalls > 0) throw new PartialSearchError(failure.error, billableCalls, started);
        throw failure.error;
      }

      const properties = pages.flatMap((page) => page.result.properties);
      return {
        properties: needsLocalFiltering(query)
          ? applyLocalFilters(properties, query.filters)
          : properties,
        total: pages.reduce((sum, page) => sum + page.result.total, 0),
        page: query.page,
        pageSize: query.pageSize,
        billableCalls,
        providerCalls: started,
      };
    },
  };
}

/**
 * Runs tasks with bounded concurrency, keeping results in item order. After the first failure no
 * new task starts, and the ones in flight are awaited so their billing is known.
 */
async function runUntilFailure<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<{ settled: PromiseSettledResult<R>[]; started: number }> {
  const settled: (PromiseSettledResult<R> | undefined)[] = [];
  let next = 0;
  let failed = false;
  async function worker() {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        settled[index] = { status: "fulfilled", value: await task(items[index] as T) };
      } catch (reason) {
        failed = true;
        settled[index] = { status: "rejected", reason };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { settled: settled.filter((outcome) => outcome !== undefined), started: next };
}

/** HTTP 400 carries either "no result" (an empty page) or a rejected parameter. */
function fromRejectedSearch(bodyText: string): ZipPage["result"] {
  let envelope: AttomEnvelope;
  try {
    envelope = parseAttomEnvelope(JSON.parse(bodyText));
  } catch {
    throw new ZipCallFailure(
      new AppError("BAD_REQUEST", "ATTOM rejected the search (HTTP 400) without saying why."),
      false,
    );
  }
  if (isNoResult(envelope)) return { properties: [], total: 0 };
  const { code, msg, transactionid } = envelope.status;
  throw new ZipCallFailure(toAppError(new AttomStatusError(code, msg, transactionid)), false);
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

function unreadableResponse(): AppError {
  return new AppError(
    "PROVIDER_ERROR",
    "ATTOM returned an unreadable response. Try again; if it keeps happening, ATTOM may be having problems.",
  );
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

function toAppError(error: unknown): unknown {
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
      ? new AppError("PROVIDER_TIMEOUT", "ATTOM did not answer in time. Try again in a minute.")
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
