/**
 * The simulated SMS sender: deterministic, no network, used in development and when Twilio
 * credentials are not configured. Nothing leaves LeadFlow.
 *
 * What happens to a message depends only on the recipient's last four digits, in the fictional
 * 555-01xx family the sandbox skip trace hands out (`SANDBOX_SMS_OUTCOMES`, any area code): some
 * numbers are refused at send time exactly as Twilio refuses them (21610, 21211, 21614), some end
 * undelivered (30003, 30007) or failed (30034); every other number is delivered. A send returns
 * the status callbacks Twilio would post, in order and with Twilio's form fields, so the webhook
 * work can feed them through the real handler (this module stores nothing).
 */
import { createHash } from "node:crypto";
import { countSmsSegments } from "@/lib/sms-segments";
import { billed, NOT_BILLED, type Billed } from "../billing";
import {
  smsSendError,
  smsSendRequestProblem,
  SmsSendError,
  type SimulatedStatusCallback,
  type SmsSender,
  type SmsSendRequest,
  type SmsSendResult,
  type SmsStatus,
} from "../sms-sender";

export const SANDBOX_TWILIO_ACCOUNT_SID = "AC00000000000000000000000000000000";
/** The number a simulated Messaging Service sends from. */
export const SANDBOX_SMS_SENDER_NUMBER = "+15125550100";

export type SandboxSmsOutcome =
  | { kind: "delivered" }
  /** Sent, then a status callback with this final status and error code. */
  | { kind: "undelivered" | "failed"; errorCode: number }
  /** Refused at send time, like Twilio's HTTP 400 with this code. */
  | { kind: "refused"; errorCode: number };

export interface SandboxSmsNumber {
  /** The last four digits of the recipient (any area code): +1 AAA 555 01xx. */
  suffix: string;
  outcome: SandboxSmsOutcome;
  description: string;
}

/** Every special number of the simulated sender; all others are delivered. */
export const SANDBOX_SMS_OUTCOMES: readonly SandboxSmsNumber[] = [
  { suffix: "0190", outcome: { kind: "delivered" }, description: "delivered (explicitly)" },
  { suffix: "0191", outcome: { kind: "undelivered", errorCode: 30003 }, description: "undelivered: handset unreachable (30003)" },
  { suffix: "0192", outcome: { kind: "undelivered", errorCode: 30007 }, description: "undelivered: filtered by the carrier (30007)" },
  { suffix: "0193", outcome: { kind: "refused", errorCode: 21610 }, description: "refused at send: recipient opted out (21610)" },
  { suffix: "0194", outcome: { kind: "refused", errorCode: 21211 }, description: "refused at send: invalid number (21211)" },
  { suffix: "0195", outcome: { kind: "refused", errorCode: 21614 }, description: "refused at send: not a mobile number (21614)" },
  { suffix: "0196", outcome: { kind: "failed", errorCode: 30034 }, description: "failed: sender not registered for 10DLC (30034)" },
];

const DELIVERED: SandboxSmsOutcome = { kind: "delivered" };

/** The fictional family: +1, an area code, 555 01xx. */
const SANDBOX_FAMILY = /^\+1[2-9]\d{2}55501\d{2}$/;

export function sandboxSmsOutcome(to: string): SandboxSmsOutcome {
  if (!SANDBOX_FAMILY.test(to)) return DELIVERED;
  return SANDBOX_SMS_OUTCOMES.find((entry) => to.endsWith(entry.suffix))?.outcome ?? DELIVERED;
}

/** Delays of the simulated callbacks after the send returned. */
export const SANDBOX_SMS_TIMINGS = { sentAfterMs: 1_000, finalAfterMs: 3_000 } as const;

/** A Twilio-shaped SID, the same for the same message reference and recipient. */
export function sandboxMessageSid(clientReference: string, to: string): string {
  return `SM${createHash("sha256").update(`${clientReference}\n${to}`).digest("hex").slice(0, 32)}`;
}

function callback(
  afterMs: number,
  status: SmsStatus,
  errorCode: number | null,
  message: { sid: string; to: string; from: string; messagingServiceSid: string | null },
): SimulatedStatusCallback {
  return {
    afterMs,
    status,
    errorCode,
    params: {
      AccountSid: SANDBOX_TWILIO_ACCOUNT_SID,
      ApiVersion: "2010-04-01",
      From: message.from,
      To: message.to,
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: status,
      SmsStatus: status,
      ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
      ...(errorCode === null ? {} : { ErrorCode: String(errorCode) }),
    },
  };
}

export function createSandboxSmsSender(): SmsSender {
  return {
    name: "sandbox",
    simulated: true,
    async send(request: SmsSendRequest): Promise<Billed<SmsSendResult>> {
      request.signal?.throwIfAborted();
      const problem = smsSendRequestProblem(request);
      if (problem) {
        throw new SmsSendError("BAD_REQUEST", problem, { code: null, permanent: true, effect: "none" }, NOT_BILLED);
      }
      const outcome = sandboxSmsOutcome(request.to);
      if (outcome.kind === "refused") {
        throw smsSendError(outcome.errorCode, { httpStatus: 400, providerMessage: "Simulated refusal", billing: NOT_BILLED });
      }
      const { segments } = countSmsSegments(request.body);
      const sid = sandboxMessageSid(request.clientReference, request.to);
      const messagingServiceSid = request.messagingServiceSid ?? null;
      const from = request.from ?? SANDBOX_SMS_SENDER_NUMBER;
      const status: SmsStatus = messagingServiceSid ? "accepted" : "queued";
      const message = { sid, to: request.to, from, messagingServiceSid };
      // Twilio posts no callback for the initial queued/accepted state.
      const callbacks: SimulatedStatusCallback[] = [callback(SANDBOX_SMS_TIMINGS.sentAfterMs, "sent", null, message)];
      if (outcome.kind === "delivered") {
        callbacks.push(callback(SANDBOX_SMS_TIMINGS.finalAfterMs, "delivered", null, message));
      } else if (outcome.kind === "failed") {
        callbacks.splice(0, 1, callback(SANDBOX_SMS_TIMINGS.sentAfterMs, "failed", outcome.errorCode, message));
      } else {
        callbacks.push(callback(SANDBOX_SMS_TIMINGS.finalAfterMs, "undelivered", outcome.errorCode, message));
      }
      const raw = {
        sandbox: true,
        sid,
        status,
        to: request.to,
        from: messagingServiceSid ? null : from,
        messaging_service_sid: messagingServiceSid,
        num_segments: String(segments),
        body: request.body,
        status_callback: request.statusCallbackUrl,
      };
      return {
        value: {
          providerMessageId: sid,
          status,
          segments,
          to: request.to,
          from: messagingServiceSid ? null : from,
          messagingServiceSid,
          raw,
          simulatedStatusCallbacks: callbacks,
        },
        billing: billed(segments),
      };
    },
  };
}
