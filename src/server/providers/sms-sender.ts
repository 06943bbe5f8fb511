/**
 * The SMS sender port: send one text through Twilio Programmable Messaging
 * (twilio/messaging.ts) or the simulated sender (sandbox/sms-sender.ts). No secrets and no I/O
 * here; the meaning of Twilio's error codes lives here because both implementations, and the
 * status callbacks handled later, share it.
 *
 * Billing is in segments. A caller reserves `countSmsSegments(body).segments` × the price of a
 * segment under the `twilio_sms` budget, then settles with `billing.units` (the segments Twilio
 * says it billed) or releases what a failure did not cost. Twilio does not charge a message that
 * ends `failed` (it does charge `undelivered`); correcting the ledger from status callbacks belongs
 * to the messages data model, not to this port.
 */
import { SMS_MAX_BODY_CHARACTERS } from "@/lib/sms-segments";
import type { AppErrorCode } from "../errors";
import { ProviderCallError, type Billed, type Billing } from "./billing";
import { e164Schema } from "./skip-trace";

/** Twilio's message statuses (docs/PROVIDERS.md, status callbacks). */
export const SMS_STATUSES = [
  "queued",
  "accepted",
  "scheduled",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "receiving",
  "received",
  "read",
  "partially_delivered",
  "canceled",
] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

interface SmsSendCommon {
  /** The recipient, E.164. */
  to: string;
  body: string;
  /** Where Twilio posts this message's status callbacks (PUBLIC_BASE_URL + the status route). */
  statusCallbackUrl: string;
  /** LeadFlow's id of the message (the message row), for logs and the simulated SID. */
  clientReference: string;
  /**
   * Seconds Twilio may hold the message before dropping it (ValidityPeriod, 1–36000): set from the
   * end of the recipient's sending window so a late message is dropped, not delivered at night.
   */
  validityPeriodSeconds?: number;
  signal?: AbortSignal;
  /** Overall deadline of the call; a background job passes a longer one. */
  deadlineMs?: number;
}

/** Either a sending number or a Messaging Service (Twilio then picks the number from its pool). */
export type SmsSendRequest = SmsSendCommon &
  ({ from: string; messagingServiceSid?: undefined } | { messagingServiceSid: string; from?: undefined });

/** A status callback as Twilio would post it (form fields), for the simulated sender. */
export interface SimulatedStatusCallback {
  /** After the send returned. */
  afterMs: number;
  status: SmsStatus;
  errorCode: number | null;
  /** The form fields, with Twilio's names (MessageSid, MessageStatus, ErrorCode …). */
  params: Record<string, string>;
}

export interface SmsSendResult {
  /** Twilio's message SID (SM…). */
  providerMessageId: string;
  /** Usually queued (a number) or accepted (a Messaging Service). */
  status: SmsStatus;
  /** Segments Twilio counted for the message. */
  segments: number;
  to: string;
  /** The sending number, when known at send time (null when a Messaging Service picks it later). */
  from: string | null;
  messagingServiceSid: string | null;
  /** The provider's answer, for lineage. */
  raw: unknown;
  /**
   * Simulated sender only: the status callbacks it will produce, in order, so they can be fed
   * through the real webhook handler. Absent for Twilio (Twilio posts them itself).
   */
  simulatedStatusCallbacks?: readonly SimulatedStatusCallback[];
}

export type SmsSenderName = "twilio" | "sandbox";

export interface SmsSender {
  readonly name: SmsSenderName;
  /** True for the simulated sender: nothing leaves LeadFlow and nobody bills for real. */
  readonly simulated: boolean;
  /**
   * One paid send. Rejects with BAD_REQUEST before any paid call when the request is unusable
   * (see `smsSendRequestProblem`); with an `SmsSendError` when the provider refused the message
   * (its `smsError` says what the refusal means for the phone); with a `ProviderCallError` whose
   * `billing` says what a failed send may still have cost. A send that timed out or got a 5xx is
   * never resent: Twilio may have queued it, and resending could text the person twice.
   */
  send(request: SmsSendRequest): Promise<Billed<SmsSendResult>>;
  /**
   * After a crash between writing a message row and hearing the provider's answer: the message the
   * provider took for this recipient with this body since `since`, or null when it took none.
   * Absent when the sender cannot tell (then the caller must not send it again).
   */
  findSent?(query: { to: string; body: string; since: Date }): Promise<SmsSendResult | null>;
  /** Loads what the first send would load (the SDK), so a paced send is not held up by it. */
  warmUp?(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Twilio error codes
// ---------------------------------------------------------------------------------------------

/** What an SMS error means for the recipient's phone. */
export type SmsErrorEffect =
  /** The recipient opted out (21610): record it on the suppression list. */
  | "suppress"
  /** The number cannot exist or is not in service (21211, 30005): mark the phone invalid. */
  | "invalid"
  /** The number cannot receive texts (21614, 21635, 30006): mark it a landline, not textable. */
  | "landline"
  /** Twilio or the carrier is busy: the same message may be sent later. */
  | "retry_later"
  /** Nothing to record on the phone (a configuration problem, a filtered message …). */
  | "none";

export interface SmsErrorInfo {
  /** Twilio's numeric error code; null when the answer carried none. */
  code: number | null;
  /** True when sending the same message to the same number again would fail the same way. */
  permanent: boolean;
  effect: SmsErrorEffect;
}

interface SmsErrorMeaning {
  appCode: AppErrorCode;
  permanent: boolean;
  effect: SmsErrorEffect;
  /** For the user, without the number. */
  summary: string;
}

/** docs/PROVIDERS.md and COMPLIANCE.md: the codes LeadFlow acts on. Send-time and delivery codes. */
export const SMS_ERROR_MEANINGS: Readonly<Record<number, SmsErrorMeaning>> = {
  21610: {
    appCode: "PRECONDITION_FAILED",
    permanent: true,
    effect: "suppress",
    summary: "The recipient has opted out of texts from this sender (replied STOP)",
  },
  21211: { appCode: "BAD_REQUEST", permanent: true, effect: "invalid", summary: "The number is not a valid phone number" },
  21614: { appCode: "BAD_REQUEST", permanent: true, effect: "landline", summary: "The number is not a mobile number and cannot receive texts" },
  21635: { appCode: "BAD_REQUEST", permanent: true, effect: "landline", summary: "The number is a landline and cannot receive texts" },
  21602: { appCode: "BAD_REQUEST", permanent: true, effect: "none", summary: "The message body is empty" },
  21617: { appCode: "BAD_REQUEST", permanent: true, effect: "none", summary: "The message body is longer than 1,600 characters" },
  21606: { appCode: "PROVIDER_MISCONFIGURED", permanent: true, effect: "none", summary: "The sending number cannot send texts" },
  21212: { appCode: "PROVIDER_MISCONFIGURED", permanent: true, effect: "none", summary: "The sending number is not valid" },
  21608: { appCode: "PROVIDER_MISCONFIGURED", permanent: true, effect: "none", summary: "A Twilio trial account can only text verified numbers" },
  20003: { appCode: "PROVIDER_MISCONFIGURED", permanent: true, effect: "none", summary: "Twilio rejected the credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN" },
  30034: { appCode: "PROVIDER_MISCONFIGURED", permanent: true, effect: "none", summary: "The sending number is not registered for 10DLC (A2P) texting" },
  20429: { appCode: "PROVIDER_UNAVAILABLE", permanent: false, effect: "retry_later", summary: "Twilio's rate limit was reached" },
  30001: { appCode: "PROVIDER_UNAVAILABLE", permanent: false, effect: "retry_later", summary: "Twilio's sending queue is full" },
  21611: { appCode: "PROVIDER_UNAVAILABLE", permanent: false, effect: "retry_later", summary: "The sender's queue of messages is full" },
  30003: { appCode: "PROVIDER_ERROR", permanent: false, effect: "none", summary: "The handset was unreachable" },
  30005: { appCode: "PROVIDER_ERROR", permanent: true, effect: "invalid", summary: "The number is unknown or no longer in service" },
  30006: { appCode: "PROVIDER_ERROR", permanent: true, effect: "landline", summary: "The number is a landline or its carrier cannot take texts" },
  30007: { appCode: "PROVIDER_ERROR", permanent: true, effect: "none", summary: "The carrier filtered the message" },
  30036: { appCode: "PROVIDER_ERROR", permanent: false, effect: "none", summary: "The message expired before it could be delivered" },
};

/**
 * The meaning of a Twilio error code (send refusal or delivery failure). Unknown codes: an HTTP
 * 429 or 5xx is worth retrying later; any other refusal is permanent and touches nothing.
 */
export function smsErrorMeaning(code: number | null, httpStatus?: number): SmsErrorMeaning {
  const known = code === null ? undefined : SMS_ERROR_MEANINGS[code];
  if (known) return known;
  if (httpStatus === 429) return SMS_ERROR_MEANINGS[20429]!;
  if (httpStatus === 401 || httpStatus === 403) return SMS_ERROR_MEANINGS[20003]!;
  if (httpStatus !== undefined && httpStatus >= 500) {
    // Twilio may have queued the message before failing, so it is not "retry later".
    return {
      appCode: "PROVIDER_UNAVAILABLE",
      permanent: false,
      effect: "none",
      summary: `Twilio is having problems (HTTP ${httpStatus}); the message may have been queued, so it was not sent again`,
    };
  }
  return { appCode: "BAD_REQUEST", permanent: true, effect: "none", summary: "Twilio refused the message" };
}

export function smsErrorInfo(code: number | null, httpStatus?: number): SmsErrorInfo {
  const { permanent, effect } = smsErrorMeaning(code, httpStatus);
  return { code, permanent, effect };
}

/** The provider refused the message; `smsError` says what that means for the phone. */
export class SmsSendError extends ProviderCallError {
  readonly smsError: SmsErrorInfo;

  constructor(
    appCode: AppErrorCode,
    message: string,
    smsError: SmsErrorInfo,
    billing: Billing,
    details?: Record<string, unknown>,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(appCode, message, billing, { ...details, smsError }, options);
    this.name = "SmsSendError";
    this.smsError = smsError;
  }
}

export function isSmsSendError(error: unknown): error is SmsSendError {
  return error instanceof SmsSendError;
}

/** The refusal of a Twilio error code, worded for the user (Twilio's own text kept in details). */
export function smsSendError(
  code: number | null,
  options: { httpStatus?: number; providerMessage?: string | null; billing: Billing; retryAfterSeconds?: number; cause?: unknown },
): SmsSendError {
  const meaning = smsErrorMeaning(code, options.httpStatus);
  const suffix = code === null ? "" : ` (Twilio error ${code})`;
  return new SmsSendError(
    meaning.appCode,
    `${meaning.summary}${suffix}.`,
    { code, permanent: meaning.permanent, effect: meaning.effect },
    options.billing,
    { providerMessage: options.providerMessage ?? null, httpStatus: options.httpStatus ?? null },
    { cause: options.cause, retryAfterSeconds: options.retryAfterSeconds },
  );
}

// ---------------------------------------------------------------------------------------------
// Request checks
// ---------------------------------------------------------------------------------------------

const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** Why a send request cannot be sent, or null when it can. Checked before any paid call. */
export function smsSendRequestProblem(request: SmsSendRequest): string | null {
  if (!e164Schema.safeParse(request.to).success) return `"${request.to}" is not a phone number in E.164 form (+15125550100)`;
  if (request.body.trim() === "") return "The message body is empty";
  if (request.body.length > SMS_MAX_BODY_CHARACTERS) return `The message body is longer than ${SMS_MAX_BODY_CHARACTERS} characters`;
  if (request.from !== undefined && request.messagingServiceSid !== undefined) {
    return "Give either a sending number or a Messaging Service SID, not both";
  }
  if (request.from !== undefined && !e164Schema.safeParse(request.from).success) {
    return `The sending number "${request.from}" is not in E.164 form`;
  }
  if (request.messagingServiceSid !== undefined && !MESSAGING_SERVICE_SID.test(request.messagingServiceSid)) {
    return `"${request.messagingServiceSid}" is not a Messaging Service SID (MG followed by 32 hex digits)`;
  }
  if (
    request.validityPeriodSeconds !== undefined &&
    !(Number.isInteger(request.validityPeriodSeconds) && request.validityPeriodSeconds >= 1 && request.validityPeriodSeconds <= 36_000)
  ) {
    return "The validity period must be a whole number of seconds from 1 to 36000";
  }
  if (request.from === undefined && request.messagingServiceSid === undefined) {
    return "A sending number or a Messaging Service SID is needed";
  }
  try {
    const url = new URL(request.statusCallbackUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("not http");
  } catch {
    return `The status callback URL "${request.statusCallbackUrl}" is not an absolute http(s) URL`;
  }
  return null;
}
