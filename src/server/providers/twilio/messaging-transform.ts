/**
 * Twilio Messages API JSON → domain, in one place: the answer to
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` and Twilio's REST error body
 * `{ code, message, more_info, status, details }`. Only what LeadFlow reads is required.
 */
import { z } from "zod";
import { SMS_STATUSES, type SmsSendResult, type SmsStatus } from "../sms-sender";

const nullableText = z.string().nullish().catch(null);

/** Twilio sends counts as strings ("1"); a missing or unreadable count is null. */
const countField = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform((value) => Number(value))
  .pipe(z.number().int().nonnegative())
  .nullish()
  .catch(null);

export const twilioMessageSchema = z.looseObject({
  sid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  status: z.string(),
  to: z.string(),
  from: nullableText,
  messaging_service_sid: nullableText,
  num_segments: countField,
  error_code: z.union([z.number(), z.string()]).nullish().catch(null),
});
export type TwilioMessageResponse = z.output<typeof twilioMessageSchema>;

export const twilioErrorSchema = z.looseObject({
  code: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).nullish().catch(null),
  message: nullableText,
  more_info: nullableText,
  status: z.number().nullish().catch(null),
});
export type TwilioErrorBody = z.output<typeof twilioErrorSchema>;

const KNOWN_STATUSES = new Set<string>(SMS_STATUSES);

/** A status Twilio may add later is kept as the closest known one: not yet sent. */
export function toSmsStatus(status: string): SmsStatus {
  return KNOWN_STATUSES.has(status) ? (status as SmsStatus) : "queued";
}

/**
 * The send result. Twilio reports the segments it counted; when it leaves them out (or says 0,
 * as it can before counting), LeadFlow's own estimate stands in so billing never drops to zero.
 */
export function toSmsSendResult(response: TwilioMessageResponse, estimatedSegments: number, raw: unknown = response): SmsSendResult {
  return {
    providerMessageId: response.sid,
    status: toSmsStatus(response.status),
    segments: response.num_segments || estimatedSegments,
    to: response.to,
    from: response.from?.trim() || null,
    messagingServiceSid: response.messaging_service_sid?.trim() || null,
    raw,
  };
}

/** Twilio's error body, or null when the answer is not one (HTML from a proxy, empty …). */
export function parseTwilioErrorBody(bodyText: string): TwilioErrorBody | null {
  try {
    const parsed = twilioErrorSchema.safeParse(JSON.parse(bodyText));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The Messages API answer (and the JSON as Twilio sent it), or null when the body is not JSON or not a message. */
export function parseTwilioMessage(bodyText: string): { message: TwilioMessageResponse; json: unknown } | null {
  try {
    const json: unknown = JSON.parse(bodyText);
    const parsed = twilioMessageSchema.safeParse(json);
    return parsed.success ? { message: parsed.data, json } : null;
  } catch {
    return null;
  }
}
