import "server-only";
import { TRPCError } from "@trpc/server";

/**
 * The one error vocabulary. Services, providers and route handlers throw `AppError` with a
 * domain code; this table maps each code once to a tRPC code (procedures) and once to an HTTP
 * status (route handlers and tRPC's own status), so the two transports always agree.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { trpc: "BAD_REQUEST", http: 400 },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", http: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  /** A state the request needs is missing (an expired invite, the last admin, a feature not configured). */
  PRECONDITION_FAILED: { trpc: "PRECONDITION_FAILED", http: 412 },
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", http: 413 },
  RATE_LIMITED: { trpc: "TOO_MANY_REQUESTS", http: 429 },
  /** A paid call would take today's spend past the provider's daily cap. Nothing was charged. */
  CAP_EXCEEDED: { trpc: "PRECONDITION_FAILED", http: 412 },
  /** An admin or the operator switched the capability off. */
  KILL_SWITCH_ON: { trpc: "PRECONDITION_FAILED", http: 412 },
  /** The vendor cannot be reached, or its circuit is open. */
  PROVIDER_UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", http: 503 },
  /** The vendor did not answer within the deadline. */
  PROVIDER_TIMEOUT: { trpc: "GATEWAY_TIMEOUT", http: 504 },
  /** The vendor answered with something we cannot use (an unexpected status or body). */
  PROVIDER_ERROR: { trpc: "BAD_GATEWAY", http: 502 },
  /** The vendor refused our credentials: an operator must fix the configuration. */
  PROVIDER_MISCONFIGURED: { trpc: "BAD_GATEWAY", http: 502 },
  /** The job queue could not take the work; nothing ran. */
  QUEUE_UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", http: 503 },
  /** The database is out of connections or not accepting them right now. */
  DATABASE_BUSY: { trpc: "SERVICE_UNAVAILABLE", http: 503 },
  /** The caller went away before the work finished. */
  REQUEST_ABORTED: { trpc: "CLIENT_CLOSED_REQUEST", http: 499 },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", http: 500 },
} as const satisfies Record<string, { trpc: TRPCError["code"]; http: number }>;

export type AppErrorCode = keyof typeof ERROR_CODES;

export type AppErrorOptions = {
  /** Seconds after which a retry may succeed; sent as Retry-After. */
  retryAfterSeconds?: number;
  cause?: unknown;
};

export class AppError extends TRPCError {
  /** The domain code; `code` is its tRPC code. */
  readonly appCode: AppErrorCode;
  readonly httpStatus: number;
  readonly details?: Record<string, unknown>;
  readonly retryAfterSeconds?: number;

  constructor(appCode: AppErrorCode, message: string, details?: Record<string, unknown>, options: AppErrorOptions = {}) {
    super({ code: ERROR_CODES[appCode].trpc, message, cause: options.cause });
    this.name = "AppError";
    this.appCode = appCode;
    this.httpStatus = ERROR_CODES[appCode].http;
    this.details = details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} was not found.`);

export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.appCode === code);
}

/** A unique constraint refused the write (Prisma P2002): someone else created it first. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

const DATABASE_BUSY_RETRY_SECONDS = 2;

/** Postgres SQLSTATEs that mean "not now", not "wrong": too many connections, starting up or shutting down. */
const BUSY_SQLSTATES = new Set(["53300", "53400", "57P01", "57P02", "57P03"]);
/** Prisma's codes for a pool that could not hand out a connection in time, or a server it cannot reach. */
const BUSY_PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024", "P2037"]);
// "Unable to start a transaction in the given time" is Prisma's P2028 when an interactive
// transaction waited longer than its maxWait for a connection; P2028's other messages (a
// transaction that ran past its timeout) are not "busy".
const POOL_TIMEOUT = /timeout exceeded when trying to connect|Connection terminated due to connection timeout|too many clients|remaining connection slots|ECONNREFUSED|Timed out fetching a new connection|Unable to start a transaction in the given time/i;

function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && typeof current === "object" && chain.length < 6 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** The underlying database code and message of an error, for the log (never for the client). */
export function databaseErrorFacts(error: unknown): { dbCode: string; dbMessage: string; sqlState?: string } | null {
  for (const link of errorChain(error)) {
    const { code, message, meta } = link as { code?: unknown; message?: unknown; meta?: Record<string, unknown> };
    const sqlState = (meta?.code ?? (meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause?.originalCode) as unknown;
    if (typeof code === "string" && (/^P\d{4}$/.test(code) || /^[0-9A-Z]{5}$/.test(code))) {
      return {
        dbCode: code,
        dbMessage: typeof message === "string" ? message.slice(0, 1000) : "",
        ...(typeof sqlState === "string" ? { sqlState } : {}),
      };
    }
  }
  return null;
}

/** Whether Postgres raised this SQLSTATE anywhere in the error's chain (pg's own error or Prisma's). */
export function hasSqlState(error: unknown, sqlState: string): boolean {
  return errorChain(error).some((link) => {
    const { code, meta } = link as { code?: unknown; meta?: Record<string, unknown> };
    return code === sqlState || meta?.code === sqlState;
  });
}

function isDatabaseBusy(error: unknown): boolean {
  return errorChain(error).some((link) => {
    const { code, message, meta } = link as { code?: unknown; message?: unknown; meta?: Record<string, unknown> };
    if (typeof code === "string" && (BUSY_SQLSTATES.has(code) || BUSY_PRISMA_CODES.has(code))) return true;
    if (typeof meta?.code === "string" && BUSY_SQLSTATES.has(meta.code)) return true;
    return typeof message === "string" && POOL_TIMEOUT.test(message);
  });
}

/** Postgres class 22 (data exception): a value the database cannot store, e.g. the date 0000-01-01. */
function isDataException(error: unknown): boolean {
  return errorChain(error).some((link) => {
    const { code, meta } = link as { code?: unknown; meta?: Record<string, unknown> };
    return [code, meta?.code].some((value) => typeof value === "string" && /^22[0-9A-Z]{3}$/.test(value));
  });
}

export const databaseBusy = (cause?: unknown) =>
  new AppError(
    "DATABASE_BUSY",
    "LeadFlow is very busy right now and could not reach its database in time. Nothing was changed; try again in a few seconds.",
    undefined,
    { retryAfterSeconds: DATABASE_BUSY_RETRY_SECONDS, cause },
  );

/**
 * Maps database errors into the vocabulary. Known request errors (P2002 …) become what they
 * mean; an exhausted pool or a server refusing connections becomes DATABASE_BUSY (503 with
 * Retry-After); other database errors become INTERNAL with the original kept as `cause` for the
 * log. Returns null for anything that is not a database error.
 */
export function fromPrismaError(error: unknown): AppError | null {
  if (error instanceof AppError) return null;
  if (isDatabaseBusy(error)) return databaseBusy(error);
  if (isDataException(error)) {
    return new AppError("BAD_REQUEST", "A value in the request is out of range or not valid for storage. Check dates and numbers.", undefined, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^P\d{4}$/.test(code)) return null;
  if (code === "P2025") return new AppError("NOT_FOUND", "That record no longer exists.", undefined, { cause: error });
  if (code === "P2002") return new AppError("CONFLICT", "That already exists.", undefined, { cause: error });
  if (code === "P2003") return new AppError("BAD_REQUEST", "That refers to something that does not exist.", undefined, { cause: error });
  return new AppError("INTERNAL", "A database error occurred.", undefined, { cause: error });
}

/** Any thrown value as an AppError: itself, a mapped database error, or INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const mapped = fromPrismaError(error);
  if (mapped) return mapped;
  if (error instanceof TRPCError) {
    const entry = (Object.entries(ERROR_CODES) as [AppErrorCode, (typeof ERROR_CODES)[AppErrorCode]][]).find(([, v]) => v.trpc === error.code);
    return new AppError(entry?.[0] ?? "INTERNAL", error.message, undefined, { cause: error.cause ?? error });
  }
  return new AppError("INTERNAL", "Something went wrong on our side.", undefined, { cause: error });
}

export function httpStatusOf(error: unknown): number {
  return toAppError(error).httpStatus;
}

/** Retry-After (and nothing else) for an error that has one. */
export function retryAfterHeaders(error: AppError): Record<string, string> {
  return error.retryAfterSeconds ? { "retry-after": String(error.retryAfterSeconds) } : {};
}
