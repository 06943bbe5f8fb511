import "server-only";
import { routeErrorResponse } from "../route-errors";
import { db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import { log } from "../log";
import { apiSecurityHeaders, isServedOverHttps } from "@/lib/security-headers";
import { requestIdFrom } from "../request";
import { isValidTwilioSignature, publicWebhookUrl, webhookSigningSecret } from "./webhook-signature";
import type { TwilioWebhookParams } from "./webhooks";

/** Twilio's webhook bodies are a few kilobytes; anything far bigger is not Twilio. */
export const MAX_TWILIO_WEBHOOK_BYTES = 64 * 1024;

/** Where Twilio (and "Simulate reply") post inbound texts. */
export const SMS_INBOUND_WEBHOOK_PATH = "/api/webhooks/twilio/inbound";

/** Where Twilio (and the simulator) post delivery status callbacks. */
export const SMS_STATUS_CALLBACK_PATH = "/api/webhooks/twilio/status";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

function parseForm(raw: string): TwilioWebhookParams | null {
  const params: TwilioWebhookParams = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    if (Object.hasOwn(params, name)) return null; // Twilio never repeats a parameter
    params[name] = value;
  }
  return params;
}

/**
 * A Twilio webhook route: raw body, signature verified before anything else (403, nothing written),
 * then the handler; answers empty TwiML. Domain errors get their 4xx status; never a 500 for a bad body.
 */
export async function handleTwilioWebhookRequest(req: Request, kind: string, handle: (database: typeof db, params: TwilioWebhookParams) => Promise<unknown>): Promise<Response> {
  const requestId = requestIdFrom(req.headers);
  const answer = await answerTwilioWebhook(req, kind, handle, requestId);
  // These routes skip src/proxy.ts (see its matcher), so they set what it would have.
  if (answer === "handled") return new Response(EMPTY_TWIML, { status: 200, headers: { ...webhookResponseHeaders(), "content-type": "text/xml", "x-request-id": requestId } });
  for (const [name, value] of Object.entries(webhookResponseHeaders())) answer.headers.set(name, value);
  answer.headers.set("x-request-id", requestId);
  return answer;
}

let responseHeaders: Record<string, string> | null = null;
function webhookResponseHeaders(): Record<string, string> {
  responseHeaders ??= apiSecurityHeaders({ https: isServedOverHttps(env.PUBLIC_BASE_URL ?? env.NEXTAUTH_URL, "http:"), development: env.NODE_ENV === "development" });
  return responseHeaders;
}

/** "handled" (answered with empty TwiML by the caller), or the refusal to send. */
async function answerTwilioWebhook(req: Request, kind: string, handle: (database: typeof db, params: TwilioWebhookParams) => Promise<unknown>, requestId: string): Promise<Response | "handled"> {
  try {
    const declaredLength = Number(req.headers.get("content-length") ?? "0");
    if (declaredLength > MAX_TWILIO_WEBHOOK_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", "Webhook body too large.");
    const raw = await req.text();
    if (Buffer.byteLength(raw) > MAX_TWILIO_WEBHOOK_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", "Webhook body too large.");
    const contentType = req.headers.get("content-type") ?? "";
    const params = contentType.toLowerCase().startsWith("application/x-www-form-urlencoded") ? parseForm(raw) : null;
    const url = publicWebhookUrl(env, req.url);
    if (!isValidTwilioSignature(webhookSigningSecret(env), req.headers.get("x-twilio-signature"), url, params ?? {})) {
      log.warn({ requestId, kind, url }, "twilio webhook with a missing or invalid signature");
      return new Response("Invalid signature", { status: 403, headers: { "x-request-id": requestId } });
    }
    if (!params) throw new AppError("BAD_REQUEST", "Expected a form-encoded body with each parameter once.");
    await handle(db, params);
    return "handled";
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
