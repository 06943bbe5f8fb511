/**
 * Twilio Lookup v2 behind the PhoneLookup port (../phone-lookup.ts): the line type and carrier of
 * one number. Paid per lookup; callers cap it under its own budget (`twilio_lookup`). The port
 * and the sandbox are re-exported here for convenience.
 */
import "server-only";
import { z } from "zod";
import { AppError } from "../../errors";
import { billed, possiblyBilled, ProviderCallError, type Billed } from "../billing";
import {
  createProviderHttp,
  ProviderHttpError,
  ProviderNetworkError,
  vendorErrorMessage,
  type ProviderHttpTuning,
} from "../http";
import {
  phoneLookupNumberProblem,
  type PhoneLookup,
  type PhoneLookupOptions,
  type PhoneLookupResult,
} from "../phone-lookup";
import type { PhoneType } from "../skip-trace";

/** Where callers following the Twilio module find the port and its sandbox. */
export type {
  PhoneLookup,
  PhoneLookupOptions,
  PhoneLookupProviderName,
  PhoneLookupResult,
} from "../phone-lookup";
export { createSandboxPhoneLookup } from "../sandbox/phone-lookup";

// ---------------------------------------------------------------------------------------------
// Twilio Lookup v2
// ---------------------------------------------------------------------------------------------

export const TWILIO_LOOKUP_BASE_URL = "https://lookups.twilio.com/v2";

export interface TwilioPhoneLookupConfig {
  accountSid: string;
  authToken: string;
  /** Defaults to TWILIO_LOOKUP_BASE_URL; tests point it at a fake. */
  baseUrl?: string;
  http?: ProviderHttpTuning;
}

const nullableText = z.string().nullish().catch(null);

/** Only what LeadFlow reads; `phone_number` is required, or the body is not a Lookup answer. */
export const twilioLookupSchema = z.looseObject({
  phone_number: z.string(),
  valid: z.boolean().nullish().catch(null),
  validation_errors: z.array(z.string()).nullish().catch(null),
  line_type_intelligence: z
    .looseObject({
      type: nullableText,
      carrier_name: nullableText,
      error_code: z.union([z.number(), z.string()]).nullish().catch(null),
    })
    .nullish()
    .catch(null),
});
export type TwilioLookupResponse = z.output<typeof twilioLookupSchema>;

const LINE_TYPE_BY_TWILIO_TYPE: Record<string, PhoneType> = {
  mobile: "mobile",
  landline: "landline",
  fixedVoip: "voip",
  nonFixedVoip: "voip",
};

/** Twilio's `line_type_intelligence.type` → domain; personal, tollFree, pager … are unknown. */
export function toLineType(twilioType: string | null | undefined): PhoneType {
  return (twilioType && LINE_TYPE_BY_TWILIO_TYPE[twilioType]) || "unknown";
}

export function toPhoneLookupResult(response: TwilioLookupResponse): PhoneLookupResult {
  const intelligence = response.line_type_intelligence;
  return {
    number: response.phone_number,
    lineType: toLineType(intelligence?.type),
    carrier: intelligence?.carrier_name?.trim() || null,
    valid: response.valid !== false,
    raw: response,
  };
}

export function createTwilioPhoneLookup(config: TwilioPhoneLookupConfig): PhoneLookup {
  const credentials = Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64");
  const http = createProviderHttp("twilio_lookup", {
    ...config.http,
    prefixUrl: config.baseUrl ?? TWILIO_LOOKUP_BASE_URL,
    headers: { Accept: "application/json", Authorization: `Basic ${credentials}` },
  });

  /**
   * Billing: Twilio bills a lookup it answered. An error answer is not billed; a lookup that timed
   * out may have been answered and billed, so it is not resent (registry) and counts as possibly
   * billed; an unreadable answer is not charged (the user got nothing).
   */
  return {
    name: "twilio_lookup",
    simulated: false,
    async lookup(e164: string, opts: PhoneLookupOptions = {}): Promise<Billed<PhoneLookupResult>> {
      const problem = phoneLookupNumberProblem(e164);
      if (problem) throw new ProviderCallError("BAD_REQUEST", problem);
      let response: Response;
      try {
        response = await http.get(`PhoneNumbers/${encodeURIComponent(e164)}`, {
          searchParams: { Fields: "line_type_intelligence" },
          signal: opts.signal,
        });
      } catch (error) {
        const timedOut = error instanceof ProviderNetworkError && error.timedOut;
        throw ProviderCallError.from(toAppError(error), timedOut ? possiblyBilled(1) : undefined);
      }
      try {
        return { value: toPhoneLookupResult(twilioLookupSchema.parse(JSON.parse(await response.text()))), billing: billed(1) };
      } catch (error) {
        if (opts.signal?.aborted) throw ProviderCallError.from(error);
        throw new ProviderCallError(
          "PROVIDER_ERROR",
          "Twilio Lookup returned an unreadable response. Try again; if it keeps happening, Twilio may be having problems.",
        );
      }
    },
  };
}

/** Twilio's REST error body: `{ code, message, more_info, status }`. */
const twilioMessage = (bodyText: string) => vendorErrorMessage(bodyText, z.looseObject({ message: z.string() }), (body) => body.message);

function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof ProviderNetworkError) {
    return error.timedOut
      ? new AppError(
          "PROVIDER_TIMEOUT",
          "Twilio Lookup did not answer in time. It may still have billed the lookup, so it was not sent again; try again in a minute.",
        )
      : new AppError(
          "PROVIDER_UNAVAILABLE",
          "Could not reach Twilio Lookup. Try again in a minute.",
        );
  }
  if (!(error instanceof ProviderHttpError)) return error;
  const { status } = error;
  if (status === 404) return new AppError("NOT_FOUND", "Twilio does not know this number");
  if (status === 401 || status === 403) {
    return new AppError(
      "PRECONDITION_FAILED",
      `Twilio credentials rejected (${status}): check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN`,
    );
  }
  if (status === 400) {
    return new AppError(
      "BAD_REQUEST",
      `Twilio Lookup rejected the request (400): ${twilioMessage(error.bodyText) ?? "no reason given"}`,
    );
  }
  if (status === 429) {
    return new AppError(
      "PROVIDER_UNAVAILABLE",
      "Twilio Lookup's rate limit was reached (429). Wait a minute and try again.",
    );
  }
  if (status >= 500) {
    return new AppError(
      "PROVIDER_UNAVAILABLE",
      `Twilio Lookup is having problems (HTTP ${status}). Try again in a few minutes.`,
    );
  }
  return new AppError("PROVIDER_ERROR", `Twilio Lookup answered with an unexpected HTTP ${status}.`);
}
