import "server-only";
import { AppError } from "../../errors";
import { NOT_BILLED, possiblyBilled, ProviderCallError } from "../billing";
import {
  createProviderHttp,
  ProviderHttpError,
  ProviderNetworkError,
  type ProviderHttpTuning,
} from "../http";
import {
  skipTraceAddressProblem,
  skipTraceBatchProblem,
  untracedResult,
  type SkipTraceBatch,
  type SkipTraceOptions,
  type SkipTraceProvider,
  type SkipTraceRequest,
  type SkipTraceResult,
} from "../skip-trace";
import { batchDataErrorMessage, parseBatchDataResponse, type BatchDataResponse } from "./schema";
import { toBatchDataRequestBody, toSkipTraceBatch } from "./transform";

export const BATCHDATA_SKIP_TRACE_ENDPOINT = "property/skip-trace";

export interface BatchDataSkipTraceConfig {
  token: string;
  /** e.g. https://api.batchdata.com/api/v1 (BATCHDATA_BASE_URL) */
  baseUrl: string;
  http?: ProviderHttpTuning;
}

/** True when BatchData may have received the request, and so may have traced and billed it. */
function mayHaveReachedBatchData(error: ProviderNetworkError): boolean {
  return !error.neverSent;
}

/**
 * BatchData's synchronous skip trace: `POST /property/skip-trace`, up to 100 records per call,
 * billed per matched record on a successful answer.
 *
 * Retries: BatchData bills only the matches of a successful (2xx) answer, so a 429 or 5xx answer
 * cost nothing and the http layer may resend the POST (`retryNonIdempotent`). A timeout or a
 * dropped connection after the request went out is different: BatchData may have traced and
 * billed the batch, and resending would bill every match twice. Those are not retried (the
 * `beforeRetry` hook below stops them; only a connection that was refused or never resolved is
 * retried) and are reported with `details.possiblyBilled: true`.
 */
export function createBatchDataSkipTrace(config: BatchDataSkipTraceConfig): SkipTraceProvider {
  const http = createProviderHttp("batchdata", {
    ...config.http,
    prefixUrl: config.baseUrl,
    headers: { Accept: "application/json", Authorization: `Bearer ${config.token}` },
    retryNonIdempotent: true,
    hooks: {
      beforeRetry: [
        ({ error }) => {
          if (error instanceof ProviderNetworkError && mayHaveReachedBatchData(error)) throw error;
        },
      ],
    },
  });

  async function post(requests: SkipTraceRequest[], opts: SkipTraceOptions): Promise<SkipTraceBatch> {
    const { signal } = opts;
    let response: Response;
    try {
      response = await http.post(BATCHDATA_SKIP_TRACE_ENDPOINT, {
        json: toBatchDataRequestBody(requests),
        signal,
        deadlineMs: opts.deadlineMs,
      });
    } catch (error) {
      throw toProviderCallError(error, requests.length);
    }

    let parsed: BatchDataResponse;
    try {
      parsed = parseBatchDataResponse(JSON.parse(await response.text()));
    } catch (error) {
      if (signal?.aborted) throw ProviderCallError.from(error);
      // An answer we cannot read gave the user nothing: it is not charged (as with ATTOM, issue #3).
      throw ProviderCallError.from(unreadableResponse());
    }
    return toSkipTraceBatch(parsed, requests);
  }

  return {
    name: "batchdata",
    simulated: false,
    async trace(requests: SkipTraceRequest[], opts: SkipTraceOptions = {}) {
      const problem = skipTraceBatchProblem(requests);
      if (problem) throw new ProviderCallError("BAD_REQUEST", problem);

      const untraceable = new Map<string, SkipTraceResult>();
      for (const request of requests) {
        const addressProblem = skipTraceAddressProblem(request.address);
        if (addressProblem) {
          untraceable.set(request.requestId, untracedResult(request.requestId, addressProblem));
        }
      }
      const toSend = requests.filter((request) => !untraceable.has(request.requestId));
      opts.signal?.throwIfAborted();
      const sent = toSend.length > 0 ? await post(toSend, opts) : null;

      const sentResults = new Map(sent?.value.map((result) => [result.requestId, result]));
      return {
        value: requests.map(
          (request) =>
            untraceable.get(request.requestId) ??
            (sentResults.get(request.requestId) as SkipTraceResult),
        ),
        billing: sent?.billing ?? NOT_BILLED,
      };
    },
  };
}

function unreadableResponse(): AppError {
  return new AppError(
    "PROVIDER_ERROR",
    "BatchData returned an unreadable response. Nothing was charged; try again, and if it keeps happening, BatchData may be having problems.",
  );
}

function toProviderCallError(error: unknown, requestCount: number): AppError {
  if (error instanceof ProviderHttpError) return ProviderCallError.from(fromHttpError(error));
  if (error instanceof ProviderNetworkError) {
    if (!mayHaveReachedBatchData(error)) {
      return new ProviderCallError(
        "PROVIDER_UNAVAILABLE",
        "Could not reach BatchData. Try again in a minute.",
      );
    }
    const what = requestCount === 1 ? "this record" : `these ${requestCount} records`;
    // Every record sent could have matched: the worst case is counted.
    return new ProviderCallError(
      "PROVIDER_TIMEOUT",
      `${error.timedOut ? "BatchData did not answer in time" : "The connection to BatchData broke before it answered"}. ` +
        `It may still have traced ${what} and billed the matches, so LeadFlow did not send them again; ` +
        "check BatchData's usage before tracing them again.",
      possiblyBilled(requestCount),
      { requestCount },
    );
  }
  return ProviderCallError.from(error);
}

function fromHttpError(error: ProviderHttpError): AppError {
  const { status } = error;
  if (status === 400) {
    const message = batchDataErrorMessage(error.bodyText);
    return new AppError(
      "BAD_REQUEST",
      `BatchData rejected the request (400): ${message ?? "no reason given"}`,
    );
  }
  if (status === 401 || status === 403) {
    return new AppError(
      "PRECONDITION_FAILED",
      `BatchData token rejected (${status}): check BATCHDATA_API_TOKEN`,
    );
  }
  if (status === 404 || status === 405) {
    return new AppError(
      "PROVIDER_ERROR",
      `BatchData has no skip-trace endpoint at this address (HTTP ${status}): check BATCHDATA_BASE_URL`,
    );
  }
  if (status === 429) {
    return new AppError(
      "PROVIDER_UNAVAILABLE",
      "BatchData's rate limit was reached (429). Nothing was charged; wait a minute and try again.",
    );
  }
  if (status >= 500) {
    return new AppError(
      "PROVIDER_UNAVAILABLE",
      `BatchData is having problems (HTTP ${status}). Nothing was charged; try again in a few minutes.`,
    );
  }
  return new AppError("PROVIDER_ERROR", `BatchData answered with an unexpected HTTP ${status}.`);
}
