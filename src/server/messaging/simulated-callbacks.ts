import "server-only";
import { env } from "../env";
import { AppError } from "../errors";
import { enqueue } from "../jobs/queue";
import { log } from "../log";
import type { SimulatedStatusCallback } from "../providers/sms-sender";
import { handleTwilioWebhookRequest, SMS_STATUS_CALLBACK_PATH } from "./webhook-route";
import { signedTwilioWebhook } from "./webhook-signature";
import { handleStatusWebhook } from "./webhooks";

export type SimulatedCallbackJob = { params: Record<string, string> };

/** Longest delay honoured, so a malformed outcome table cannot park a job for hours. */
const MAX_CALLBACK_DELAY_MS = 60_000;

/**
 * Queues the simulated sender's status callbacks, one job each, due when Twilio would have posted
 * them. A queue failure is logged, not thrown: the message was stored and "sent" already.
 */
export async function queueSimulatedStatusCallbacks(callbacks: readonly SimulatedStatusCallback[]) {
  const now = Date.now();
  for (const callback of callbacks) {
    const startAfter = new Date(now + Math.min(Math.max(callback.afterMs, 0), MAX_CALLBACK_DELAY_MS));
    const singletonKey = `${callback.params.MessageSid}:${callback.params.MessageStatus}`;
    try {
      await enqueue("sms-simulated-callbacks", { params: callback.params }, { startAfter, singletonKey });
    } catch (error) {
      log.error({ err: error, singletonKey }, "could not queue a simulated SMS status callback");
    }
  }
}

/**
 * Posts one simulated callback as Twilio would: a request signed with this deployment's secret,
 * through the status route's own handler (signature check, parsing, idempotency row, status rules).
 */
export async function deliverSimulatedStatusCallback({ params }: SimulatedCallbackJob): Promise<Response> {
  const { url, init } = signedTwilioWebhook(env, SMS_STATUS_CALLBACK_PATH, params);
  const response = await handleTwilioWebhookRequest(new Request(url, init), "status", handleStatusWebhook);
  if (response.status >= 500) {
    throw new AppError("INTERNAL", `The simulated status callback was answered ${response.status}.`, { status: response.status });
  }
  if (response.status !== 200) {
    // A 4xx will not change on retry (e.g. the sender identity was removed meanwhile).
    log.warn({ status: response.status, messageSid: params.MessageSid, messageStatus: params.MessageStatus }, "simulated status callback refused by the status route");
  }
  return response;
}
