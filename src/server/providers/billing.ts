/**
 * The billing contract of every paid port: a call resolves with what it returned and what the
 * vendor billed for it, or rejects with a `ProviderCallError` that says the same. Units are the
 * vendor's (search calls, matched records, lookups); the price of a unit is the organization's
 * budget setting, so cents are worked out by `budget/`, not here.
 */
import { AppError, type AppErrorCode } from "../errors";

export interface Billing {
  /**
   * Units to count against the budget. When `possiblyBilled` is true some of them may not have
   * been billed: the vendor did not answer, and the worst case is counted so the cap holds.
   */
  units: number;
  possiblyBilled: boolean;
}

export type Billed<T> = { value: T; billing: Billing };

export const NOT_BILLED: Billing = Object.freeze({ units: 0, possiblyBilled: false });

export const billed = (units: number): Billing => ({ units, possiblyBilled: false });

export const possiblyBilled = (units: number): Billing => ({ units, possiblyBilled: units > 0 });

/** A paid call failed; `billing` is what the vendor billed (or may have billed) all the same. */
export class ProviderCallError extends AppError {
  readonly billing: Billing;

  constructor(
    appCode: AppErrorCode,
    message: string,
    billing: Billing = NOT_BILLED,
    details?: Record<string, unknown>,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(appCode, message, { ...details, billedUnits: billing.units, possiblyBilled: billing.possiblyBilled }, options);
    this.name = "ProviderCallError";
    this.billing = billing;
  }

  /**
   * The same failure carrying what it cost. A domain error that cost nothing is kept as it is
   * (e.g. ProviderUnavailableError); anything else that is not a domain error becomes one.
   */
  static from(error: unknown, billing: Billing = NOT_BILLED): AppError {
    if (billing.units === 0 && error instanceof AppError) return error;
    if (error instanceof AppError) {
      const { billedUnits: _units, possiblyBilled: _possibly, ...details } = error.details ?? {};
      return new ProviderCallError(error.appCode, error.message, billing, details, { cause: error.cause ?? error, retryAfterSeconds: error.retryAfterSeconds });
    }
    if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
      return new ProviderCallError("REQUEST_ABORTED", "The request was cancelled before the provider answered.", billing, undefined, { cause: error });
    }
    return new ProviderCallError("INTERNAL", error instanceof Error ? error.message : String(error), billing, undefined, { cause: error });
  }
}

/** What a failed call cost: nothing unless it says otherwise. */
export function billingOfFailure(error: unknown): Billing {
  return error instanceof ProviderCallError ? error.billing : NOT_BILLED;
}
