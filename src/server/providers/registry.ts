import "server-only";
import type { KillSwitchKind, PaidProvider } from "@/generated/prisma/enums";
import { env } from "../env";
import { createAttomPropertySearch } from "./attom/client";
import { createAttomPlaceResolver } from "./attom/place-resolver";
import type { PlaceResolver } from "./place-resolver";
import { createSandboxPlaceResolver } from "./sandbox/place-resolver";
import type { PropertySearchProvider } from "./property-search";
import { createSandboxPropertySearch } from "./sandbox/property-search";
import { createBatchDataSkipTrace } from "./batchdata/client";
import type { PhoneLookup } from "./phone-lookup";
import { createSandboxPhoneLookup } from "./sandbox/phone-lookup";
import { createSandboxSkipTrace } from "./sandbox/skip-trace";
import type { SkipTraceProvider } from "./skip-trace";
import { createTwilioPhoneLookup } from "./twilio/lookup";
import { createSandboxSmsSender } from "./sandbox/sms-sender";
import type { SmsSender } from "./sms-sender";
import { createTwilioSmsSender } from "./twilio/messaging";

/**
 * The one table of external providers: what each is called, what it bills and under which
 * budget, whether it runs live or simulated, which kill switch stops it and how its calls may be
 * retried. Labels, budgets, the admin status page, the http layer and the capabilities all read it.
 */

/** A vendor the http layer talks to (one circuit breaker each). */
export type ProviderName = "attom" | "batchdata" | "twilio" | "twilio_lookup" | "openai";

export interface ProviderEntry {
  name: ProviderName;
  /** Short vendor name in error messages ("ATTOM"). */
  vendor: string;
  /** What the provider is for, in budgets and the status page. */
  label: string;
  /** The budget (daily cap and unit price) its calls are paid under; null when free to LeadFlow. */
  budgetKey: PaidProvider | null;
  /** What one billed unit is. */
  unit: string;
  /** Default price of one unit and default daily cap, from the environment (an org may override both). */
  defaults: () => { unitCents: number; dailyCapCents: number } | null;
  killSwitch: KillSwitchKind | null;
  /** Live when credentials are configured; otherwise the sandbox (simulated, nothing billed for real). */
  live: () => boolean;
  sandboxDescription: string;
  /**
   * Whether a paid call that timed out may be sent again. Only where the vendor cannot have billed
   * an unanswered call; otherwise the timeout is reported as possibly billed and not retried.
   */
  retryTimedOutPaidCall: boolean;
  /** Why, from docs/PROVIDERS.md. */
  retryReasoning: string;
}

export const PROVIDERS: Record<ProviderName, ProviderEntry> = {
  attom: {
    name: "attom",
    vendor: "ATTOM",
    label: "ATTOM property data",
    budgetKey: "attom",
    unit: "search call",
    defaults: () => ({ unitCents: env.COST_ATTOM_SEARCH_CENTS, dailyCapCents: env.DAILY_CAP_ATTOM_CENTS }),
    killSwitch: "search",
    live: () => !!env.ATTOM_API_KEY,
    sandboxDescription: "Sandbox search (deterministic sample data)",
    retryTimedOutPaidCall: false,
    retryReasoning:
      "ATTOM bills every HTTP 200 it sends. A GET that timed out on our side may have been answered 200 (and counted) " +
      "after we stopped waiting, so a retry could bill the same search twice; the timeout is counted as possibly billed. " +
      "429 and 5xx answers are not billed and are retried.",
  },
  batchdata: {
    name: "batchdata",
    vendor: "BatchData",
    label: "BatchData skip tracing",
    budgetKey: "batchdata",
    unit: "matched record",
    defaults: () => ({ unitCents: env.COST_BATCH_MATCH_CENTS, dailyCapCents: env.DAILY_CAP_BATCH_CENTS }),
    killSwitch: "skip_trace",
    live: () => !!env.BATCHDATA_API_TOKEN,
    sandboxDescription: "Sandbox skip trace (fictional 555-01xx phones)",
    retryTimedOutPaidCall: false,
    retryReasoning:
      "BatchData bills the matches of a batch it traced. After a timeout (or a connection dropped once the POST was sent) " +
      "it may have traced and billed the whole batch, so it is never resent: the batch is reported possibly billed. " +
      "429 and 5xx answers bill nothing and are retried; a connection that was refused or never resolved is retried.",
  },
  twilio: {
    name: "twilio",
    vendor: "Twilio",
    label: "Twilio SMS",
    budgetKey: "twilio_sms",
    unit: "segment",
    defaults: () => ({ unitCents: env.COST_SMS_SEGMENT_CENTS, dailyCapCents: env.DAILY_CAP_SMS_CENTS }),
    killSwitch: "sms",
    live: () => !!(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN),
    sandboxDescription: "Simulated SMS (fictional 555-01xx numbers show every outcome)",
    retryTimedOutPaidCall: false,
    retryReasoning:
      "Twilio bills the segments of every message it accepts. A create that timed out, got a 5xx or lost its connection " +
      "after the POST went out may have been queued, and resending would text the person twice: it is never resent and " +
      "its estimated segments count as possibly billed. A 429 (Twilio did not take the message) is retried; a 4xx " +
      "refusal such as 21610 or 21211 is not billed.",
  },
  twilio_lookup: {
    name: "twilio_lookup",
    vendor: "Twilio Lookup",
    label: "Twilio Lookup",
    budgetKey: "twilio_lookup",
    unit: "lookup",
    defaults: () => ({ unitCents: env.COST_LOOKUP_CENTS, dailyCapCents: env.DAILY_CAP_LOOKUP_CENTS }),
    killSwitch: null,
    live: () => !!(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN),
    sandboxDescription: "Simulated line-type lookup",
    retryTimedOutPaidCall: false,
    retryReasoning:
      "Twilio bills each line-type lookup it answers; a timed-out GET may have been answered and billed, so it is not " +
      "resent and is counted as possibly billed. 429 and 5xx are retried.",
  },
  openai: {
    name: "openai",
    vendor: "OpenAI",
    label: "OpenAI (AI assistance)",
    budgetKey: "openai",
    unit: "AI request",
    defaults: () => ({ unitCents: env.COST_AI_REQUEST_CENTS, dailyCapCents: env.DAILY_CAP_AI_CENTS }),
    killSwitch: "ai",
    live: () => !!env.OPENAI_API_KEY,
    sandboxDescription: "Off (optional): lead summaries, suggested replies and AI reply reading need OPENAI_API_KEY",
    retryTimedOutPaidCall: false,
    retryReasoning:
      "OpenAI bills the tokens of every request it processes. A request that timed out on our side may have been processed " +
      "(and billed) after we stopped waiting, so it is not resent and counts as possibly billed. 429 and 5xx answers are " +
      "not billed and are retried.",
  },
};

export const PROVIDER_LIST: readonly ProviderEntry[] = Object.values(PROVIDERS);

/** The provider whose budget is `key` (the paid providers are exactly the entries with a budget). */
export function providerForBudget(key: PaidProvider): ProviderEntry {
  const entry = PROVIDER_LIST.find((provider) => provider.budgetKey === key);
  if (!entry) throw new Error(`No provider is paid under the budget "${key}"`);
  return entry;
}

// ---------------------------------------------------------------------------------------------
// The adapters in use (live vendor when configured, else the sandbox)
// ---------------------------------------------------------------------------------------------

let propertySearch: PropertySearchProvider | undefined;

export function propertySearchProvider(): PropertySearchProvider {
  return (propertySearch ??= PROVIDERS.attom.live()
    ? createAttomPropertySearch({ apiKey: env.ATTOM_API_KEY!, baseUrl: env.ATTOM_BASE_URL })
    : createSandboxPropertySearch());
}

let places: PlaceResolver | undefined;

/** Resolves cities and counties for the property search in use (ATTOM's location lookup, or the sandbox's). */
export function placeResolver(): PlaceResolver {
  return (places ??= PROVIDERS.attom.live()
    ? createAttomPlaceResolver({ apiKey: env.ATTOM_API_KEY!, baseUrl: env.ATTOM_BASE_URL })
    : createSandboxPlaceResolver());
}

/** Tests that change the providers' configuration (env) make the next call build the adapters anew. */
export function resetProviderAdaptersForTests(): void {
  propertySearch = undefined;
  places = undefined;
}

let skipTrace: SkipTraceProvider | undefined;

export function skipTraceProvider(): SkipTraceProvider {
  return (skipTrace ??= PROVIDERS.batchdata.live()
    ? createBatchDataSkipTrace({ token: env.BATCHDATA_API_TOKEN!, baseUrl: env.BATCHDATA_BASE_URL })
    : createSandboxSkipTrace());
}

let lookup: PhoneLookup | undefined;

export function phoneLookup(): PhoneLookup {
  return (lookup ??= PROVIDERS.twilio_lookup.live()
    ? createTwilioPhoneLookup({ accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, baseUrl: env.TWILIO_LOOKUP_BASE_URL })
    : createSandboxPhoneLookup());
}

let sms: SmsSender | undefined;

/** The sender behind the one send path (messaging/send.ts: compliance decision → budget → sender → message row). */
export function smsSender(): SmsSender {
  return (sms ??= PROVIDERS.twilio.live()
    ? createTwilioSmsSender({ accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, baseUrl: env.TWILIO_API_BASE_URL })
    : createSandboxSmsSender());
}
