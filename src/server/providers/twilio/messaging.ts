/**
 * Twilio Programmable Messaging behind the SmsSender port (../sms-sender.ts), through the
 * `twilio` SDK's `messages.create`. The SDK's own HTTP layer (axios) is replaced by an
 * `httpClient` built on the project's provider http (../http.ts), so a send gets the same
 * per-attempt timeout, overall deadline, circuit breaker (`twilio`) and metrics as every other
 * vendor call, and tests can point it at a local fake (`baseUrl` / TWILIO_API_BASE_URL).
 *
 * Billing (segments, under the `twilio_sms` budget). Twilio bills a message it accepted:
 * - 2xx: billed, the segments Twilio counted (`num_segments`), else LeadFlow's estimate;
 *   an unreadable 2xx answer is still an accepted message, so it counts as possibly billed;
 * - 4xx (21610, 21211, 21614 …) and a 429: refused, nothing billed; a 429 is retried by the
 *   http layer because Twilio did not take the message;
 * - 5xx, a timeout, or a connection dropped after the POST went out: Twilio may have queued
 *   the message, so it is never resent (POSTs are not retried on them) and the estimate is
 *   counted as possibly billed.
 */
import "server-only";
import type TwilioSdk from "twilio";
import { countSmsSegments } from "@/lib/sms-segments";
import { env } from "../../env";
import type { AppError } from "../../errors";
import { NOT_BILLED, billed, possiblyBilled, ProviderCallError, type Billed } from "../billing";
import {
  createProviderHttp,
  parseRetryAfterMs,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderUnavailableError,
  type ProviderHttp,
  type ProviderHttpTuning,
} from "../http";
import {
  smsSendError,
  smsSendRequestProblem,
  SmsSendError,
  type SmsSender,
  type SmsSendRequest,
  type SmsSendResult,
} from "../sms-sender";
import { parseTwilioErrorBody, parseTwilioMessage, toSmsSendResult, toSmsStatus } from "./messaging-transform";

export const TWILIO_API_BASE_URL = "https://api.twilio.com";

export interface TwilioSmsSenderConfig {
  accountSid: string;
  authToken: string;
  /** Origin standing in for https://api.twilio.com (defaults to TWILIO_API_BASE_URL); tests use a fake. */
  baseUrl?: string;
  http?: ProviderHttpTuning;
}

/** What the SDK hands its `httpClient` (twilio-node 6.x, base/RequestClient.d.ts). */
export interface TwilioSdkRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
}

/** What the SDK expects back: the status and the body as text; it raises on non-2xx itself. */
export interface TwilioSdkResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

export interface TwilioSdkHttpClient {
  request(opts: TwilioSdkRequest): Promise<TwilioSdkResponse>;
}

/** Form fields the way Twilio reads them: repeated keys for lists, nothing for undefined. */
function toSearchParams(fields: Record<string, unknown> | undefined): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params;
}

/**
 * An SDK `httpClient` on the provider http: one call's signal and deadline apply to every
 * request the SDK makes, and `onAnswer` sees each answer Twilio gave (status, body text, headers).
 * Only paths are taken from the SDK's URIs; they are sent to the configured origin.
 */
export function createTwilioSdkHttpClient(
  http: ProviderHttp,
  call: { signal?: AbortSignal; deadlineMs?: number; onAnswer?: (answer: TwilioSdkResponse) => void } = {},
): TwilioSdkHttpClient {
  return {
    async request(opts) {
      const method = opts.method.toLowerCase();
      if (method !== "get" && method !== "post") throw new Error(`The Twilio http client does not send ${opts.method} requests`);
      const uri = new URL(opts.uri);
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.username !== undefined && opts.password !== undefined) {
        headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString("base64")}`;
      }
      const searchParams = toSearchParams({ ...Object.fromEntries(uri.searchParams), ...opts.params });
      let answer: TwilioSdkResponse;
      try {
        const response = await http[method](uri.pathname.replace(/^\/+/, ""), {
          headers,
          searchParams,
          body: method === "post" ? toSearchParams(opts.data) : undefined,
          signal: call.signal,
          deadlineMs: call.deadlineMs,
        });
        answer = { statusCode: response.status, body: await response.text(), headers: Object.fromEntries(response.headers) };
      } catch (error) {
        if (!(error instanceof ProviderHttpError)) throw error;
        answer = { statusCode: error.status, body: error.bodyText, headers: Object.fromEntries(error.response.headers) };
      }
      call.onAnswer?.(answer);
      return answer;
    },
  };
}

/** The SDK takes ~170 ms to load; only a live send pays for it, not every module that imports the registry. */
let sdk: Promise<typeof TwilioSdk> | undefined;
const loadTwilioSdk = () => (sdk ??= import("twilio").then((module) => module.default));

export function createTwilioSmsSender(config: TwilioSmsSenderConfig): SmsSender {
  const http = createProviderHttp("twilio", {
    ...config.http,
    prefixUrl: config.baseUrl ?? env.TWILIO_API_BASE_URL,
  });

  return {
    name: "twilio",
    simulated: false,
    async send(request: SmsSendRequest): Promise<Billed<SmsSendResult>> {
      const problem = smsSendRequestProblem(request);
      if (problem) {
        throw new SmsSendError("BAD_REQUEST", problem, { code: null, permanent: true, effect: "none" }, NOT_BILLED);
      }
      if (request.signal?.aborted) throw ProviderCallError.from(request.signal.reason);
      const estimatedSegments = countSmsSegments(request.body).segments;
      let answer: TwilioSdkResponse | null = null;
      const httpClient = createTwilioSdkHttpClient(http, {
        signal: request.signal,
        deadlineMs: request.deadlineMs,
        onAnswer: (received) => {
          answer = received;
        },
      });
      try {
        const twilio = await loadTwilioSdk();
        // The SDK types its option as its own RequestClient class; it only ever calls request().
        const client = twilio(config.accountSid, config.authToken, {
          httpClient: httpClient as unknown as TwilioSdk.RequestClient,
          autoRetry: false,
        });
        await client.messages.create({
          to: request.to,
          body: request.body,
          statusCallback: request.statusCallbackUrl,
          ...(request.messagingServiceSid !== undefined
            ? { messagingServiceSid: request.messagingServiceSid }
            : { from: request.from }),
          ...(request.validityPeriodSeconds !== undefined ? { validityPeriod: request.validityPeriodSeconds } : {}),
        });
      } catch (error) {
        // The SDK raises on every non-2xx answer and on a 2xx it cannot parse; `answer` says which.
        if (answer === null) throw transportFailure(error, estimatedSegments, request.signal);
      }
      return outcomeOf(answer as TwilioSdkResponse | null, estimatedSegments, request.clientReference);
    },
    async warmUp() {
      const twilio = await loadTwilioSdk();
      // The SDK requires its API modules on first use of `messages` (tens of milliseconds): done now, no request made.
      void twilio(config.accountSid, config.authToken, { httpClient: createTwilioSdkHttpClient(http) as unknown as TwilioSdk.RequestClient }).messages;
    },
    async findSent(query) {
      const twilio = await loadTwilioSdk();
      const client = twilio(config.accountSid, config.authToken, {
        httpClient: createTwilioSdkHttpClient(http) as unknown as TwilioSdk.RequestClient,
        autoRetry: false,
      });
      // Twilio filters on the sent date; a message still queued has none yet, so look from a minute before.
      const messages = await client.messages.list({ to: query.to, dateSentAfter: new Date(query.since.getTime() - 60_000), limit: 50 });
      const match = messages.find((message) => message.body === query.body && message.direction !== "inbound");
      if (!match) return null;
      const segments = Number(match.numSegments) || countSmsSegments(query.body).segments;
      return {
        providerMessageId: match.sid,
        status: toSmsStatus(match.status),
        segments,
        to: match.to,
        from: match.from?.trim() || null,
        messagingServiceSid: match.messagingServiceSid?.trim() || null,
        raw: match.toJSON(),
      };
    },
  };
}

function outcomeOf(answer: TwilioSdkResponse | null, estimatedSegments: number, clientReference: string): Billed<SmsSendResult> {
  if (answer === null) {
    throw new ProviderCallError("INTERNAL", "The Twilio SDK finished without sending a request.", NOT_BILLED, { clientReference });
  }
  const { statusCode } = answer;
  if (statusCode >= 200 && statusCode < 300) {
    const parsed = parseTwilioMessage(answer.body);
    if (!parsed) {
      throw new SmsSendError(
        "PROVIDER_ERROR",
        "Twilio accepted the message but its answer was unreadable, so LeadFlow does not know the message's ID. It was not sent again.",
        { code: null, permanent: false, effect: "none" },
        possiblyBilled(estimatedSegments),
        { clientReference, httpStatus: statusCode },
      );
    }
    const value = toSmsSendResult(parsed.message, estimatedSegments, parsed.json);
    return { value, billing: billed(value.segments) };
  }
  const body = parseTwilioErrorBody(answer.body);
  const retryAfterMs = statusCode === 429 ? parseRetryAfterMs(answer.headers["retry-after"] ?? null) : null;
  throw smsSendError(body?.code ?? null, {
    httpStatus: statusCode,
    providerMessage: body?.message ?? null,
    billing: statusCode >= 500 ? possiblyBilled(estimatedSegments) : NOT_BILLED,
    retryAfterSeconds: retryAfterMs === null ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}

/** No answer from Twilio: the circuit was open, the connection failed, or the call timed out or was cancelled. */
function transportFailure(error: unknown, estimatedSegments: number, signal?: AbortSignal): AppError {
  if (error instanceof ProviderUnavailableError) {
    return new SmsSendError(
      "PROVIDER_UNAVAILABLE",
      error.message,
      { code: null, permanent: false, effect: "retry_later" },
      NOT_BILLED,
      error.details,
      { cause: error, retryAfterSeconds: Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000)) },
    );
  }
  if (error instanceof ProviderNetworkError) {
    if (error.timedOut) {
      return new SmsSendError(
        "PROVIDER_TIMEOUT",
        "Twilio did not answer in time. The message may have been queued and billed, so it was not sent again; check its status before sending it again.",
        { code: null, permanent: false, effect: "none" },
        possiblyBilled(estimatedSegments),
        undefined,
        { cause: error },
      );
    }
    const neverSent = error.neverSent;
    return new SmsSendError(
      "PROVIDER_UNAVAILABLE",
      neverSent
        ? "Could not reach Twilio; nothing was sent. Try again in a minute."
        : "The connection to Twilio dropped after the message was sent. It may have been queued and billed, so it was not sent again.",
      { code: null, permanent: false, effect: neverSent ? "retry_later" : "none" },
      neverSent ? NOT_BILLED : possiblyBilled(estimatedSegments),
      undefined,
      { cause: error },
    );
  }
  if (signal?.aborted) {
    return new SmsSendError(
      "REQUEST_ABORTED",
      "The send was cancelled before Twilio answered; the message may have been queued.",
      { code: null, permanent: false, effect: "none" },
      possiblyBilled(estimatedSegments),
      undefined,
      { cause: error },
    );
  }
  return ProviderCallError.from(error);
}
