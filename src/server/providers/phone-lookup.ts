/**
 * The phone-lookup port: the line type and carrier of one number, from Twilio Lookup v2
 * (twilio/lookup.ts) or the sandbox (sandbox/phone-lookup.ts). No secrets and no I/O here.
 * Lookups are paid one by one; callers cap them under their own budget (`twilio_lookup`).
 */
import type { Billed } from "./billing";
import { e164Schema, type PhoneType } from "./skip-trace";

export interface PhoneLookupResult {
  /** E.164, as the provider normalized it. */
  number: string;
  lineType: PhoneType;
  carrier: string | null;
  /** False when the provider says the number cannot exist (too short, unassigned range …). */
  valid: boolean;
  /** The provider's answer, for lineage. */
  raw: unknown;
}

export type PhoneLookupProviderName = "twilio_lookup" | "sandbox";

export interface PhoneLookupOptions {
  signal?: AbortSignal;
}

export interface PhoneLookup {
  readonly name: PhoneLookupProviderName;
  /** True for the sandbox: its lookups are counted under the budget but billed by nobody. */
  readonly simulated: boolean;
  /**
   * One paid lookup. Rejects with BAD_REQUEST, before any paid call, when `e164` is not in E.164
   * form (see `phoneLookupNumberProblem`); with NOT_FOUND when the provider does not know the
   * number; with a `ProviderCallError` whose `billing` says what a failed lookup still cost.
   */
  lookup(e164: string, opts?: PhoneLookupOptions): Promise<Billed<PhoneLookupResult>>;
}

/** Why a number cannot be looked up, or null when it can. */
export function phoneLookupNumberProblem(e164: string): string | null {
  return e164Schema.safeParse(e164).success
    ? null
    : `"${e164}" is not a phone number in E.164 form (+15125550100)`;
}
