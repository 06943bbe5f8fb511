import "server-only";
import type { Db } from "../db";
import { notifyNewReply } from "../notifications/producers";
import { runAutoResponders } from "../automation/auto-responders";
import { exitSequencesOnInbound } from "../automation/sequences";
import { applyReplyIntent } from "./reply-intent";

/**
 * What follows an inbound text once it is recorded (the sms-inbound-followup job, queued with the
 * message by its webhook): off the webhook's path, retried on failure, so every step must be
 * idempotent (a retry repeats the steps that already ran). Every step runs on every attempt, in
 * order, whatever an earlier one did: a failing auto-responder never keeps the assignee from
 * hearing of the reply. The job fails (and is retried) when any step failed.
 */
export async function runInboundFollowup(db: Db, inboundMessageId: string): Promise<void> {
  const steps: ((db: Db, inboundMessageId: string) => Promise<unknown>)[] = [
    // What the reply means for the deal: intent on the message, the lead suggested or moved, its score.
    applyReplyIntent,
    // A reply or an opt-out leaves the follow-up sequences the number is in (automation/sequences.ts).
    exitSequencesOnInbound,
    // Then the first matching auto-responder rule fires, at most once per thread in 24 h (automation/auto-responders.ts).
    (db, id) => runAutoResponders(db, id),
    // Last: the in-app notification of whoever the thread or lead is assigned to (once per message).
    notifyNewReply,
  ];
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step(db, inboundMessageId);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} steps after inbound message ${inboundMessageId} failed`);
}
