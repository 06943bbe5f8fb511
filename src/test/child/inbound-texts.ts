/**
 * Another web process receiving Twilio inbound texts: handles each body as an inbound webhook
 * from `from` to `to` (the same handler the route calls after verifying the signature), then
 * prints {"done":true,"messageIds":[…]} and exits. Used by the live-update tests and the bench.
 * Args: from to body...
 */
import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { handleInboundWebhook } from "@/server/messaging/webhooks";

const [from, to, ...bodies] = process.argv.slice(2);
const messageIds: string[] = [];
for (const body of bodies) {
  const result = await handleInboundWebhook(db, {
    MessageSid: `SM${randomBytes(16).toString("hex")}`,
    AccountSid: "AC00000000000000000000000000000000",
    From: from!,
    To: to!,
    Body: body,
    NumSegments: "1",
  });
  if (!result.duplicate) messageIds.push(result.messageId);
}
process.stdout.write(`${JSON.stringify({ done: true, messageIds })}\n`);
await db.$disconnect();
process.exit(0);
