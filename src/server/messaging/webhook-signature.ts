import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Twilio webhook signatures (PROVIDERS.md): base64 HMAC-SHA1, keyed with the auth token, of the full
 * URL Twilio requested followed by every POST parameter as name + value, names sorted.
 * Implemented here rather than via the SDK's validateRequest so the route does not load the SDK;
 * the test checks both agree.
 */
export function twilioSignature(signingSecret: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac("sha1", signingSecret).update(Buffer.from(data, "utf8")).digest("base64");
}

export function isValidTwilioSignature(signingSecret: string, signature: string | null, url: string, params: Record<string, string>): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(signingSecret, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type WebhookSigningEnv = {
  NEXTAUTH_SECRET: string;
  NEXTAUTH_URL: string;
  PUBLIC_BASE_URL?: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
};

/**
 * The secret webhooks are signed with: Twilio's auth token when Twilio is live; otherwise (simulated
 * mode) a key derived from NEXTAUTH_SECRET, so the simulator signs and the route verifies with the
 * same code as real webhooks.
 */
export function webhookSigningSecret(env: WebhookSigningEnv): string {
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN) return env.TWILIO_AUTH_TOKEN;
  let derived = simulatedSigningKeys.get(env.NEXTAUTH_SECRET);
  if (!derived) {
    derived = createHmac("sha256", env.NEXTAUTH_SECRET).update("leadflow:simulated-twilio-webhook-signing").digest("base64url");
    simulatedSigningKeys.set(env.NEXTAUTH_SECRET, derived);
  }
  return derived;
}

/** Derived once per secret, not per webhook (one HMAC less on every request). */
const simulatedSigningKeys = new Map<string, string>();

/** The URL Twilio was given for this path: PUBLIC_BASE_URL (else NEXTAUTH_URL) + path + query. */
export function publicWebhookUrl(env: WebhookSigningEnv, requestUrl: string): string {
  const base = (env.PUBLIC_BASE_URL ?? env.NEXTAUTH_URL).replace(/\/+$/, "");
  const { pathname, search } = new URL(requestUrl);
  return `${base}${pathname}${search}`;
}

/**
 * A webhook request as Twilio would send it, signed with this deployment's secret: what the
 * simulator (simulated status callbacks, "Simulate reply") posts to the real route handlers.
 */
export function signedTwilioWebhook(env: WebhookSigningEnv, path: string, params: Record<string, string>): { url: string; init: RequestInit } {
  const url = `${(env.PUBLIC_BASE_URL ?? env.NEXTAUTH_URL).replace(/\/+$/, "")}${path}`;
  return {
    url,
    init: {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(webhookSigningSecret(env), url, params) },
      body: new URLSearchParams(params).toString(),
    },
  };
}
