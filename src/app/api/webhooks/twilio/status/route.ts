import { handleTwilioWebhookRequest } from "@/server/messaging/webhook-route";
import { handleStatusWebhook } from "@/server/messaging/webhooks";

export const dynamic = "force-dynamic";

/** Twilio's status SMS webhook: signed, idempotent, answers empty TwiML. No session: the signature is the authentication. */
export async function POST(req: Request) {
  return handleTwilioWebhookRequest(req, "status", handleStatusWebhook);
}
