import "server-only";
import type { Db } from "../db";
import { applyReplyIntent } from "./reply-intent";

/**
 * What follows an inbound text once it is recorded (the sms-inbound-followup job, queued with the
 * message by its webhook): off the webhook's path, retried on failure, so every step must be
 * idempotent (a retry repeats the steps that already ran).
 */
export async function runInboundFollowup(db: Db, inboundMessageId: string): Promise<void> {
  const steps: ((db: Db, inboundMessageId: string) => Promise<unknown>)[] = [
    // What the reply means for the deal: intent on the message, the lead suggested or moved, its score.
    applyReplyIntent,
  ];
  for (const step of steps) await step(db, inboundMessageId);
}
