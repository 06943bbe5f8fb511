import "server-only";
import { env } from "../env";
import { createAttomPropertySearch } from "./attom/client";
import type { PropertySearchProvider } from "./property-search";
import { createSandboxPropertySearch } from "./sandbox/property-search";
import { createBatchDataSkipTrace } from "./batchdata/client";
import type { PhoneLookup } from "./phone-lookup";
import { createSandboxPhoneLookup } from "./sandbox/phone-lookup";
import { createSandboxSkipTrace } from "./sandbox/skip-trace";
import type { SkipTraceProvider } from "./skip-trace";
import { createTwilioPhoneLookup } from "./twilio/lookup";

let propertySearch: PropertySearchProvider | undefined;

/** ATTOM when a key is configured, else the deterministic sandbox. */
export function propertySearchProvider(): PropertySearchProvider {
  return (propertySearch ??= env.ATTOM_API_KEY
    ? createAttomPropertySearch({ apiKey: env.ATTOM_API_KEY, baseUrl: env.ATTOM_BASE_URL })
    : createSandboxPropertySearch());
}

let skipTrace: SkipTraceProvider | undefined;

/** BatchData when a token is configured, else the deterministic sandbox (555-01xx phones). */
export function skipTraceProvider(): SkipTraceProvider {
  return (skipTrace ??= env.BATCHDATA_API_TOKEN
    ? createBatchDataSkipTrace({ token: env.BATCHDATA_API_TOKEN, baseUrl: env.BATCHDATA_BASE_URL })
    : createSandboxSkipTrace());
}

let lookup: PhoneLookup | undefined;

/** Twilio Lookup v2 when Twilio credentials are configured, else the sandbox. */
export function phoneLookup(): PhoneLookup {
  return (lookup ??= env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
    ? createTwilioPhoneLookup({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, baseUrl: env.TWILIO_LOOKUP_BASE_URL })
    : createSandboxPhoneLookup());
}
