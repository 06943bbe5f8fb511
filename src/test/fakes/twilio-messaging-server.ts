/**
 * An HTTP-level fake of Twilio's Messages API on 127.0.0.1 (docs/PROVIDERS.md, Programmable
 * Messaging): `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded.
 *
 * By default it answers like Twilio: Basic auth with the account SID and auth token (401, code
 * 20003, otherwise); 404 (20404) for another account's path; 400 for a missing `To` (21604),
 * neither `From` nor `MessagingServiceSid` (21603), an empty `Body` (21602); the numbers the
 * simulated sender refuses (`SANDBOX_SMS_OUTCOMES`: 21610, 21211, 21614) are refused the same
 * way; anything else is 201 with the message resource (`queued` from a number, `accepted` via
 * a Messaging Service, `num_segments` as Twilio counts them). Tests script other answers with
 * `respondWith`.
 */
import { countSmsSegments } from "@/lib/sms-segments";
import { sandboxSmsOutcome } from "@/server/providers/sandbox/sms-sender";
import {
  startScriptedServer,
  type ScriptedHandler,
  type ScriptedRequest,
  type ScriptedResponse,
  type ScriptedServer,
} from "./scripted-server";
import { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, twilioError } from "./twilio-lookup-server";

export { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, twilioError };

const API_PREFIX = "/2010-04-01";

export interface FakeTwilioMessagingRequest extends ScriptedRequest {
  /** Path below /2010-04-01, e.g. "/Accounts/AC…/Messages.json". */
  path: string;
  /** The form fields as sent (the last value of a repeated key). */
  form: Record<string, string>;
  /** The query string's fields (the list filters of a GET). */
  query: Record<string, string>;
  rawBody: string;
}

export type FakeTwilioMessagingHandler = ScriptedHandler<FakeTwilioMessagingRequest>;

export interface FakeTwilioMessaging extends ScriptedServer<FakeTwilioMessagingRequest> {
  /** Every message the fake accepted (201), in order: what a recipient would have received. */
  accepted: { sid: string; to: string; body: string; createdAt: number }[];
  /** The origin to use as the Twilio API base URL (Twilio's is https://api.twilio.com). */
  origin: string;
  accountSid: string;
  authToken: string;
}

/** A Messages API resource in Twilio's full shape. */
export function twilioMessageResource(fields: {
  accountSid?: string;
  sid: string;
  to: string;
  from?: string | null;
  messagingServiceSid?: string | null;
  body: string;
  status?: string;
  numSegments?: string | number | null;
}): Record<string, unknown> {
  const accountSid = fields.accountSid ?? FAKE_TWILIO_ACCOUNT_SID;
  const now = new Date().toUTCString().replace("GMT", "+0000");
  return {
    account_sid: accountSid,
    api_version: "2010-04-01",
    body: fields.body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from: fields.from ?? null,
    messaging_service_sid: fields.messagingServiceSid ?? null,
    num_media: "0",
    num_segments: fields.numSegments === undefined ? "1" : fields.numSegments,
    price: null,
    price_unit: "USD",
    sid: fields.sid,
    status: fields.status ?? (fields.messagingServiceSid ? "accepted" : "queued"),
    subresource_uris: { media: `${API_PREFIX}/Accounts/${accountSid}/Messages/${fields.sid}/Media.json` },
    to: fields.to,
    uri: `${API_PREFIX}/Accounts/${accountSid}/Messages/${fields.sid}.json`,
  };
}

const REFUSAL_TEXT: Record<number, string> = {
  21610: "Attempt to send to unsubscribed recipient",
  21211: "Invalid 'To' Phone Number",
  21614: "'To' number is not a valid mobile number",
};

export function defaultTwilioMessagingResponse(
  request: FakeTwilioMessagingRequest,
  credentials: { accountSid: string; authToken: string },
  nextSid: () => string,
  accepted?: FakeTwilioMessaging["accepted"],
): ScriptedResponse {
  const expected = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString("base64")}`;
  if (request.headers.authorization !== expected) return twilioError(401, 20003, "Authenticate");
  if (request.method === "GET" && request.path === `/Accounts/${credentials.accountSid}/Messages.json` && accepted) {
    // The Messages list (GET Messages.json?To=…&DateSent>=…), newest first, one page.
    const since = request.query["DateSent>"] ? Date.parse(request.query["DateSent>"]) : 0;
    const found = accepted.filter((message) => (!request.query.To || message.to === request.query.To) && message.createdAt >= since).reverse();
    const uri = `${API_PREFIX}${request.path}?PageSize=${request.query.PageSize ?? 50}&Page=0`;
    return {
      status: 200,
      body: {
        messages: found.map((message) => twilioMessageResource({ accountSid: credentials.accountSid, sid: message.sid, to: message.to, body: message.body, status: "sent", numSegments: String(countSmsSegments(message.body).segments) })),
        end: Math.max(0, found.length - 1),
        first_page_uri: uri,
        next_page_uri: null,
        page: 0,
        page_size: Number(request.query.PageSize ?? 50),
        previous_page_uri: null,
        start: 0,
        uri,
      },
    };
  }
  if (request.method !== "POST" || request.path !== `/Accounts/${credentials.accountSid}/Messages.json`) {
    return twilioError(404, 20404, `The requested resource ${API_PREFIX}${request.path} was not found`);
  }
  const { To: to, From: from, MessagingServiceSid: messagingServiceSid, Body: body } = request.form;
  if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!from && !messagingServiceSid) return twilioError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
  if (!body) return twilioError(400, 21602, "Message body is required.");
  const outcome = sandboxSmsOutcome(to);
  if (outcome.kind === "refused") {
    return twilioError(400, outcome.errorCode, REFUSAL_TEXT[outcome.errorCode] ?? "Refused");
  }
  const sid = nextSid();
  accepted?.push({ sid, to, body, createdAt: Date.now() });
  return {
    status: 201,
    body: twilioMessageResource({
      accountSid: credentials.accountSid,
      sid,
      to,
      from: from ?? null,
      messagingServiceSid: messagingServiceSid ?? null,
      body,
      numSegments: String(countSmsSegments(body).segments),
    }),
  };
}

export async function startFakeTwilioMessaging(
  options: { accountSid?: string; authToken?: string } = {},
): Promise<FakeTwilioMessaging> {
  const credentials = {
    accountSid: options.accountSid ?? FAKE_TWILIO_ACCOUNT_SID,
    authToken: options.authToken ?? FAKE_TWILIO_AUTH_TOKEN,
  };
  let sent = 0;
  const nextSid = () => `SM${(++sent).toString(16).padStart(32, "0")}`;
  const accepted: FakeTwilioMessaging["accepted"] = [];
  const server = await startScriptedServer<FakeTwilioMessagingRequest>({
    apiPrefix: API_PREFIX,
    contentType: "application/json",
    readBody: true,
    toRequest: (incoming) => ({
      method: incoming.method,
      path: incoming.path,
      headers: incoming.headers,
      form: Object.fromEntries(new URLSearchParams(incoming.body)),
      query: Object.fromEntries(incoming.url.searchParams),
      rawBody: incoming.body,
    }),
    defaultResponse: (request) => defaultTwilioMessagingResponse(request, credentials, nextSid, accepted),
  });
  return { ...server, accepted, origin: server.baseUrl.slice(0, -API_PREFIX.length), ...credentials };
}
