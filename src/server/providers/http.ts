import "server-only";
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  circuitBreaker,
  handleType,
  type CircuitBreakerPolicy,
} from "cockatiel";
import ky, { HTTPError, type Hooks, type KyInstance, type Options as KyOptions, type ResponsePromise } from "ky";
import type { z } from "zod";
import { env } from "../env";
import { AppError } from "../errors";
import { metrics } from "../metrics";
import { PROVIDERS, type ProviderName } from "./registry";

/**
 * The one HTTP client factory for every vendor: per-attempt timeout, retries with exponential
 * backoff and jitter (429, 5xx, network errors and timeouts only; Retry-After honoured up to a
 * bound), an overall deadline across attempts and backoff, a circuit breaker per provider name,
 * and metrics for every attempt.
 *
 * Breaker failures are 429, 5xx, network errors and timeouts. Any other answer (2xx, or a 4xx
 * such as ATTOM's "no result" 400) proves the provider is up and resets the failure count.
 */

export type { ProviderName } from "./registry";

const vendorOf = (name: ProviderName) => PROVIDERS[name].vendor;

export interface CircuitBreakerSettings {
  /** Consecutive failed requests that open the circuit. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe request is let through. */
  halfOpenAfterMs?: number;
}

export interface BackoffSettings {
  /** Delay before the first retry; doubles per retry, then equal jitter is applied. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A longer Retry-After is not waited for: the call fails at once instead. */
  maxRetryAfterMs?: number;
}

export interface ProviderHttpOptions {
  prefixUrl: string;
  headers?: Record<string, string>;
  /** Per attempt. Defaults to PROVIDER_TIMEOUT_MS. */
  timeoutMs?: number;
  /**
   * Across all attempts and the waits between them. Defaults to PROVIDER_DEADLINE_MS (an
   * interactive request); a background job passes a longer one per call.
   */
  deadlineMs?: number;
  /** Retries after the first attempt. */
  retries?: number;
  backoff?: BackoffSettings;
  /**
   * POST and PATCH are retried only on 429 (the provider refused the request) unless this is set:
   * after a 5xx or a timeout the provider may have acted, and retrying could bill twice.
   */
  retryNonIdempotent?: boolean;
  /**
   * Whether an attempt that timed out may be sent again. Defaults to the registry's
   * `retryTimedOutPaidCall` for the provider: a vendor that may bill an unanswered call is not
   * asked twice.
   */
  retryTimedOut?: boolean;
  /** Extra ky hooks (e.g. a beforeRetry that vetoes a retry). */
  hooks?: Hooks;
  /** Applies when the provider's breaker is first created in this process. */
  breaker?: CircuitBreakerSettings;
}

/** What an adapter may tune without changing where it sends requests. */
export type ProviderHttpTuning = Omit<ProviderHttpOptions, "prefixUrl" | "headers">;

export const PROVIDER_HTTP_DEFAULTS = {
  retries: 2,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
  failureThreshold: 5,
  halfOpenAfterMs: 30_000,
  /** The deadline of a call made by a background job (bulk skip trace), where nobody is waiting. */
  backgroundDeadlineMs: 60_000,
} as const;

const MAX_ERROR_BODY_CHARS = 100_000;
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
const RETRYABLE_STATUSES = [429, ...Array.from({ length: 100 }, (_, i) => 500 + i)];

/** The provider answered with a non-2xx status that was final (not retried, or retries ran out). */
export class ProviderHttpError extends HTTPError {
  readonly provider: ProviderName;
  readonly status: number;
  readonly bodyText: string;

  constructor(provider: ProviderName, error: HTTPError, bodyText: string) {
    super(error.response, error.request, error.options);
    this.name = "ProviderHttpError";
    this.provider = provider;
    this.status = error.response.status;
    this.bodyText = bodyText;
    this.message = `${vendorOf(provider)} answered HTTP ${this.status} to ${error.request.method} ${new URL(error.request.url).pathname}`;
  }
}

/** No answer: the connection failed, the attempt timed out, or the call's deadline passed. */
export class ProviderNetworkError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly timedOut: boolean,
    readonly method: string,
    message: string,
    options?: { cause?: unknown; deadlineReached?: boolean },
  ) {
    super(message, options);
    this.name = "ProviderNetworkError";
    this.deadlineReached = options?.deadlineReached ?? false;
  }

  /** The call's overall deadline ran out (as opposed to one attempt's timeout). */
  readonly deadlineReached: boolean;

  /**
   * The connection failed in a way that proves the request never reached the vendor (refused,
   * DNS), so it cannot have been acted on or billed. A timeout or a dropped connection may have.
   */
  get neverSent(): boolean {
    if (this.timedOut) return false;
    let current: unknown = this.cause;
    for (let depth = 0; depth < 4 && current; depth++) {
      const code = (current as { code?: unknown }).code;
      if (typeof code === "string") return NEVER_SENT_CODES.has(code);
      current = (current as { cause?: unknown }).cause;
    }
    return false;
  }
}

const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** The provider's circuit is open: the call was refused without sending a request. */
export class ProviderUnavailableError extends AppError {
  constructor(
    readonly provider: ProviderName,
    readonly retryAt: Date,
  ) {
    const seconds = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000));
    super(
      "PROVIDER_UNAVAILABLE",
      `${vendorOf(provider)} is not responding reliably, so LeadFlow has paused requests to it. ` +
        `It will try again in about ${formatWait(seconds)} (after ${retryAt.toISOString().slice(11, 19)} UTC).`,
      { provider, retryAt: retryAt.toISOString() },
    );
    this.name = "ProviderUnavailableError";
  }
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.round(seconds / 60)} minutes`;
}

export type CircuitStatus = "closed" | "open" | "half_open";

export interface ProviderHealth {
  circuit: CircuitStatus;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
  /** When an open circuit lets its next probe through. */
  nextProbeAt: Date | null;
}

interface ProviderCircuit {
  policy: CircuitBreakerPolicy;
  counter: ConsecutiveBreaker;
  halfOpenAfterMs: number;
  openedAt: number | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
  dispose: () => void;
}

const globalForHttp = globalThis as unknown as {
  leadflowProviderCircuits?: Map<ProviderName, ProviderCircuit>;
};
/** One breaker per provider per process, surviving dev hot reloads. */
const circuits = (globalForHttp.leadflowProviderCircuits ??= new Map());

const isBreakerFailureStatus = (status: number) => status === 429 || status >= 500;

function circuitStatus(state: CircuitState): CircuitStatus {
  if (state === CircuitState.Closed) return "closed";
  if (state === CircuitState.HalfOpen) return "half_open";
  return "open";
}

const GAUGE_VALUE: Record<CircuitStatus, number> = { closed: 0, half_open: 1, open: 2 };

function circuitFor(name: ProviderName, settings: CircuitBreakerSettings = {}): ProviderCircuit {
  const existing = circuits.get(name);
  if (existing) return existing;

  const counter = new ConsecutiveBreaker(
    settings.failureThreshold ?? PROVIDER_HTTP_DEFAULTS.failureThreshold,
  );
  const halfOpenAfterMs = settings.halfOpenAfterMs ?? PROVIDER_HTTP_DEFAULTS.halfOpenAfterMs;
  const policy = circuitBreaker(
    handleType(ProviderNetworkError).orWhenResult(
      (result) => result instanceof Response && isBreakerFailureStatus(result.status),
    ),
    { halfOpenAfter: halfOpenAfterMs, breaker: counter },
  );
  const circuit: ProviderCircuit = {
    policy,
    counter,
    halfOpenAfterMs,
    openedAt: null,
    lastError: null,
    lastErrorAt: null,
    lastSuccessAt: null,
    dispose: () => undefined,
  };
  const onBreak = policy.onBreak(() => {
    circuit.openedAt = Date.now();
  });
  const onStateChange = policy.onStateChange((state) => {
    metrics.providerCircuitState.set({ provider: name }, GAUGE_VALUE[circuitStatus(state)]);
  });
  circuit.dispose = () => {
    onBreak.dispose();
    onStateChange.dispose();
  };
  metrics.providerCircuitState.set({ provider: name }, GAUGE_VALUE.closed);
  circuits.set(name, circuit);
  return circuit;
}

function nextProbeAt(circuit: ProviderCircuit): Date {
  return new Date((circuit.openedAt ?? Date.now()) + circuit.halfOpenAfterMs);
}

export function providerHealth(name: ProviderName): ProviderHealth {
  const circuit = circuits.get(name);
  if (!circuit) {
    return {
      circuit: "closed",
      lastError: null,
      lastErrorAt: null,
      lastSuccessAt: null,
      consecutiveFailures: 0,
      nextProbeAt: null,
    };
  }
  const status = circuitStatus(circuit.policy.state);
  return {
    circuit: status,
    lastError: circuit.lastError,
    lastErrorAt: circuit.lastErrorAt,
    lastSuccessAt: circuit.lastSuccessAt,
    consecutiveFailures: circuit.counter.state,
    nextProbeAt: status === "open" ? nextProbeAt(circuit) : null,
  };
}

/** Forgets every breaker and its history; the next createProviderHttp builds fresh ones. */
export function resetProviderHttpForTests(): void {
  for (const [name, circuit] of circuits) {
    circuit.dispose();
    metrics.providerCircuitState.set({ provider: name }, GAUGE_VALUE.closed);
  }
  circuits.clear();
}

type RequestOutcome =
  | "success"
  | "client_error"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network_error"
  | "aborted"
  | "circuit_open";

function outcomeOfStatus(status: number): RequestOutcome {
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "success";
}

function observe(name: ProviderName, outcome: RequestOutcome, startedAt?: number) {
  metrics.providerRequests.inc({ provider: name, outcome });
  if (startedAt !== undefined) {
    metrics.providerRequestDuration.observe(
      { provider: name },
      (performance.now() - startedAt) / 1000,
    );
  }
}

function noteError(circuit: ProviderCircuit, message: string) {
  circuit.lastError = message;
  circuit.lastErrorAt = new Date();
}

/** A credentials problem is worth showing on the status page even though it is not an outage. */
const isAuthFailure = (status: number) => status === 401 || status === 403;

async function attemptOnce(
  name: ProviderName,
  request: Request,
  init: RequestInit | undefined,
  timeoutMs: number,
  deadlineAt: number,
): Promise<Response> {
  const label = vendorOf(name);
  const remaining = deadlineAt - Date.now();
  if (remaining <= 0) {
    throw new ProviderNetworkError(name, true, request.method, `${label} did not answer before the deadline`, { deadlineReached: true });
  }
  const limitedByDeadline = remaining < timeoutMs;
  const attemptMs = Math.min(timeoutMs, remaining);
  const timeout = AbortSignal.timeout(attemptMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  try {
    return await Promise.race([vendorFetch()(request, { ...init, signal }), rejectWhenAborted(signal)]);
  } catch (error) {
    if (request.signal.aborted) throw error;
    if (timeout.aborted) {
      throw new ProviderNetworkError(
        name,
        true,
        request.method,
        limitedByDeadline ? `${label} did not answer before the deadline` : `${label} did not answer within ${timeoutMs} ms`,
        { cause: error, deadlineReached: limitedByDeadline },
      );
    }
    throw new ProviderNetworkError(
      name,
      false,
      request.method,
      `Could not reach ${label}: ${networkReason(error)}`,
      { cause: error },
    );
  }
}

/**
 * Node's own fetch. Inside Next.js the global fetch is Next's caching wrapper, which rebuilds the
 * request and has been seen to drop its abort signal (a hung vendor then held a user for 120 s, the
 * socket's own timeout, instead of the deadline).
 */
function vendorFetch(): typeof fetch {
  return (globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch })._nextOriginalFetch ?? globalThis.fetch;
}

/** Settles as soon as the signal aborts, whether or not the fetch underneath noticed. */
function rejectWhenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(signal.reason ?? new DOMException("The operation was aborted.", "AbortError"));
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  });
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Every attempt ky makes passes through here: breaker, timeout, health and metrics. */
function guardedFetch(name: ProviderName, circuit: ProviderCircuit, timeoutMs: number, deadlineAt: number) {
  return async (input: Request | URL | string, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const startedAt = performance.now();
    let response: Response;
    try {
      response = await circuit.policy.execute(() => attemptOnce(name, request, init, timeoutMs, deadlineAt));
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        observe(name, "circuit_open");
        throw new ProviderUnavailableError(name, nextProbeAt(circuit));
      }
      if (error instanceof ProviderNetworkError) {
        observe(name, error.timedOut ? "timeout" : "network_error", startedAt);
        noteError(circuit, error.message);
      } else {
        observe(name, "aborted", startedAt);
      }
      throw error;
    }
    observe(name, outcomeOfStatus(response.status), startedAt);
    if (isBreakerFailureStatus(response.status) || isAuthFailure(response.status)) {
      noteError(
        circuit,
        `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
      );
    } else {
      circuit.lastSuccessAt = new Date();
    }
    return response;
  };
}

/** Seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff with equal jitter: half the delay is fixed, half is random. */
export function backoffDelayMs(
  retryNumber: number,
  settings: { baseDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const exponential = Math.min(
    settings.maxDelayMs,
    settings.baseDelayMs * 2 ** Math.max(0, retryNumber - 1),
  );
  return exponential / 2 + random() * (exponential / 2);
}

/** Per call: ky's options plus a deadline of its own (a background job's longer one). */
export type ProviderRequestOptions = Omit<KyOptions, "method" | "fetch" | "retry" | "timeout" | "prefixUrl"> & {
  deadlineMs?: number;
};

/** The vendor's HTTP client: every call runs under its own deadline. */
export interface ProviderHttp {
  get(url: string, options?: ProviderRequestOptions): ResponsePromise;
  post(url: string, options?: ProviderRequestOptions): ResponsePromise;
}

export function createProviderHttp(name: ProviderName, opts: ProviderHttpOptions): ProviderHttp {
  const circuit = circuitFor(name, opts.breaker);
  const timeoutMs = opts.timeoutMs ?? env.PROVIDER_TIMEOUT_MS;
  const defaultDeadlineMs = opts.deadlineMs ?? env.PROVIDER_DEADLINE_MS;
  const backoff = {
    baseDelayMs: opts.backoff?.baseDelayMs ?? PROVIDER_HTTP_DEFAULTS.baseDelayMs,
    maxDelayMs: opts.backoff?.maxDelayMs ?? PROVIDER_HTTP_DEFAULTS.maxDelayMs,
  };
  const maxRetryAfterMs = opts.backoff?.maxRetryAfterMs ?? PROVIDER_HTTP_DEFAULTS.maxRetryAfterMs;
  const retryTimedOut = opts.retryTimedOut ?? PROVIDERS[name].retryTimedOutPaidCall;
  const mayRetryFailure = (method: string) =>
    opts.retryNonIdempotent === true || IDEMPOTENT_METHODS.has(method.toUpperCase());

  const base: KyInstance = ky.create({
    prefixUrl: opts.prefixUrl,
    headers: opts.headers,
    timeout: false,
    hooks: {
      ...opts.hooks,
      beforeError: [
        ...(opts.hooks?.beforeError ?? []),
        async (error) => {
          const body = await error.response.text().catch(() => "");
          return new ProviderHttpError(name, error, body.slice(0, MAX_ERROR_BODY_CHARS));
        },
      ],
    },
  });

  function request(method: "get" | "post", url: string, options: ProviderRequestOptions = {}): ResponsePromise {
    const { deadlineMs = defaultDeadlineMs, ...kyOptions } = options;
    const deadlineAt = Date.now() + deadlineMs;
    /** The wait before the next attempt, decided in shouldRetry so the deadline check and ky agree. */
    let nextDelayMs = 0;
    // A retry starts only when it can run its whole per-attempt timeout before the deadline.
    const fitsBeforeDeadline = (waitMs: number) => Date.now() + waitMs + timeoutMs <= deadlineAt;

    return base(url, {
      ...kyOptions,
      method,
      fetch: guardedFetch(name, circuit, timeoutMs, deadlineAt),
      retry: {
        limit: opts.retries ?? PROVIDER_HTTP_DEFAULTS.retries,
        methods: ["get", "post", "put", "patch", "delete", "head", "options", "trace"],
        statusCodes: RETRYABLE_STATUSES,
        afterStatusCodes: [429, 503],
        maxRetryAfter: maxRetryAfterMs,
        delay: () => nextDelayMs,
        shouldRetry: ({ error, retryCount }) => {
          nextDelayMs = backoffDelayMs(retryCount, backoff);
          if (error instanceof HTTPError) {
            const { status } = error.response;
            if (status !== 429 && !(status >= 500 && mayRetryFailure(error.request.method))) {
              return false;
            }
            const retryAfter = [429, 503].includes(status)
              ? parseRetryAfterMs(error.response.headers.get("retry-after"))
              : null;
            if (retryAfter !== null && retryAfter > maxRetryAfterMs) return false;
            if (!fitsBeforeDeadline(retryAfter ?? nextDelayMs)) return false;
            // ky waits for Retry-After when present, else for the backoff delay.
            return undefined;
          }
          if (error instanceof ProviderNetworkError) {
            if (error.deadlineReached) return false;
            if (error.timedOut && !retryTimedOut) return false;
            return mayRetryFailure(error.method) && fitsBeforeDeadline(nextDelayMs);
          }
          return false;
        },
      },
    });
  }

  return {
    get: (url, options) => request("get", url, options),
    post: (url, options) => request("post", url, options),
  };
}

/** What a vendor's JSON error body says, read with `schema`; null when the body is not JSON of that shape. */
export function vendorErrorMessage<T>(bodyText: string, schema: z.ZodType<T>, message: (body: T) => string): string | null {
  try {
    const parsed = schema.safeParse(JSON.parse(bodyText));
    return parsed.success ? message(parsed.data) : null;
  } catch {
    return null;
  }
}
