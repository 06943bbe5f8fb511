/**
 * An HTTP-level fake of Twilio Lookup v2 on 127.0.0.1 (see docs/PROVIDERS.md, Lookup v2).
 *
 * By default it answers `GET /v2/PhoneNumbers/{E164}` like Twilio: Basic auth with the account
 * SID and auth token (401 with Twilio's error body otherwise); `line_type_intelligence` only when
 * `Fields=line_type_intelligence` was asked for; `valid: false` for a number that is not E.164;
 * 404 (code 20404) for numbers ending in 0000; otherwise the line type follows the last digit —
 * 0–4 mobile, 5–6 landline, 7 fixedVoip, 8 nonFixedVoip, 9 tollFree. Tests script other answers
 * with `respondWith`.
 */
import {
  requestWithQuery,
  startScriptedServer,
  type ScriptedHandler,
  type ScriptedQueryRequest,
  type ScriptedResponse,
  type ScriptedServer,
} from "./scripted-server";

export const FAKE_TWILIO_ACCOUNT_SID = "AC00000000000000000000000000fake";
export const FAKE_TWILIO_AUTH_TOKEN = "test-twilio-auth-token";
const API_PREFIX = "/v2";

export interface FakeTwilioLookupRequest extends ScriptedQueryRequest {
  /** Path below the API prefix, decoded, e.g. "/PhoneNumbers/+15125550100". */
  path: string;
}

export type FakeTwilioLookupResponse = ScriptedResponse;

export type FakeTwilioLookupHandler = ScriptedHandler<FakeTwilioLookupRequest>;

export interface FakeTwilioLookup extends ScriptedServer<FakeTwilioLookupRequest> {
  /** Use as the lookup base URL (Twilio's is https://lookups.twilio.com/v2). */
  baseUrl: string;
  accountSid: string;
  authToken: string;
}

/** Twilio's REST error body. */
export function twilioError(
  status: number,
  code: number,
  message: string,
): FakeTwilioLookupResponse {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

export const TWILIO_LINE_TYPE_BY_LAST_DIGIT = [
  "mobile",
  "mobile",
  "mobile",
  "mobile",
  "mobile",
  "landline",
  "landline",
  "fixedVoip",
  "nonFixedVoip",
  "tollFree",
] as const;

const CARRIER_BY_TYPE: Record<string, string> = {
  mobile: "T-Mobile USA, Inc.",
  landline: "AT&T Southwest",
  fixedVoip: "Vonage America - SVR",
  nonFixedVoip: "Google (Grand Central) - SVR",
  tollFree: "Toll Free",
};

/** A Lookup v2 answer in Twilio's full shape (packages not requested are null). */
export function twilioLookupAnswer(
  phoneNumber: string,
  lineTypeIntelligence: { type: string | null; carrier_name: string | null } | null,
  valid = true,
): FakeTwilioLookupResponse {
  const digits = phoneNumber.replace(/^\+1/, "");
  return {
    status: 200,
    body: {
      calling_country_code: "1",
      country_code: "US",
      phone_number: phoneNumber,
      national_format: valid
        ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`
        : null,
      valid,
      validation_errors: valid ? [] : ["INVALID_LENGTH"],
      caller_name: null,
      sim_swap: null,
      call_forwarding: null,
      line_status: null,
      line_type_intelligence: lineTypeIntelligence && {
        mobile_country_code: lineTypeIntelligence.type === "mobile" ? "310" : null,
        mobile_network_code: lineTypeIntelligence.type === "mobile" ? "160" : null,
        error_code: null,
        ...lineTypeIntelligence,
      },
      identity_match: null,
      reassigned_number: null,
      sms_pumping_risk: null,
      phone_number_quality_score: null,
      pre_fill: null,
      url: `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(phoneNumber)}`,
    },
  };
}

export function defaultTwilioLookupResponse(
  request: FakeTwilioLookupRequest,
  credentials: { accountSid: string; authToken: string },
): FakeTwilioLookupResponse {
  const expected = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString("base64")}`;
  if (request.headers.authorization !== expected) return twilioError(401, 20003, "Authenticate");

  const match = /^\/PhoneNumbers\/([^/]+)$/.exec(request.path);
  if (request.method !== "GET" || !match?.[1]) {
    return twilioError(
      404,
      20404,
      `The requested resource ${API_PREFIX}${request.path} was not found`,
    );
  }
  const number = match[1];
  if (!/^\+[1-9]\d{7,14}$/.test(number)) return twilioLookupAnswer(number, null, false);
  if (number.endsWith("0000")) {
    return twilioError(
      404,
      20404,
      `The requested resource ${API_PREFIX}${request.path} was not found`,
    );
  }

  const fields = (request.query.Fields ?? "").split(",");
  if (!fields.includes("line_type_intelligence")) return twilioLookupAnswer(number, null);
  const type = TWILIO_LINE_TYPE_BY_LAST_DIGIT[Number(number.slice(-1))] ?? "mobile";
  return twilioLookupAnswer(number, { type, carrier_name: CARRIER_BY_TYPE[type] ?? null });
}

export async function startFakeTwilioLookup(
  options: { accountSid?: string; authToken?: string } = {},
): Promise<FakeTwilioLookup> {
  const credentials = {
    accountSid: options.accountSid ?? FAKE_TWILIO_ACCOUNT_SID,
    authToken: options.authToken ?? FAKE_TWILIO_AUTH_TOKEN,
  };
  const server = await startScriptedServer<FakeTwilioLookupRequest>({
    apiPrefix: API_PREFIX,
    contentType: "application/json",
    decodePath: true,
    toRequest: requestWithQuery,
    defaultResponse: (request) => defaultTwilioLookupResponse(request, credentials),
  });
  return { ...server, ...credentials };
}
