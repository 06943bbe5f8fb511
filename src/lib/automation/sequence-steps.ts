import { z } from "zod";
import { addDays, DAY, localDateTime, localToInstant } from "../quiet-hours/local-time";
import { safeString } from "../text-schema";

/**
 * Follow-up sequence steps (issue 12 item 6): each step waits `delayDays` after the previous
 * text went out (the campaign's first message, or the start on a selection), then goes at
 * `sendAt` on the recipient's local clock ("HH:MM"), or — without a send time — exactly
 * delayDays × 24 h later. Pure: the sweep that writes each step's send time (automation/sequences.ts)
 * and the editor's explanation use the same arithmetic. The compliance decision still holds the
 * text back when that local time is in the recipient's quiet hours.
 */

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const sequenceStepSchema = z.object({
  delayDays: z.number().int().min(0, "A delay is 0 days or more.").max(90, "A delay is at most 90 days."),
  sendAt: z.string().regex(TIME, "A send time is HH:MM (24-hour).").nullable(),
  template: safeString().trim().min(1, "A step needs a message.").max(1600, "A message is at most 1600 characters."),
});
export const sequenceStepsSchema = z.array(sequenceStepSchema).min(1, "A sequence needs at least one step.").max(10, "At most 10 steps.");
export type SequenceStep = z.infer<typeof sequenceStepSchema>;

function minutesOf(sendAt: string): number {
  const [, h, m] = TIME.exec(sendAt)!;
  return Number(h) * 60 + Number(m);
}

/**
 * When a step goes: `delayDays` calendar days after `previousAt` in `zone`, at `sendAt` local
 * time (a time already past on that day moves to the next day), never before `notBefore`.
 */
export function stepSendAt(step: Pick<SequenceStep, "delayDays" | "sendAt">, previousAt: Date, zone: string, notBefore: Date = previousAt): Date {
  let at: number;
  if (step.sendAt === null) {
    at = previousAt.getTime() + step.delayDays * DAY;
  } else {
    const local = localDateTime(zone, previousAt);
    const minutes = minutesOf(step.sendAt);
    let day = addDays(local.year, local.month, local.day, step.delayDays);
    at = localToInstant(zone, day.year, day.month, day.day, minutes);
    if (at <= previousAt.getTime()) {
      day = addDays(day.year, day.month, day.day, 1);
      at = localToInstant(zone, day.year, day.month, day.day, minutes);
    }
  }
  return new Date(Math.max(at, notBefore.getTime()));
}

/** "2 days later at 10:00 (their time)" */
export function describeStep(step: Pick<SequenceStep, "delayDays" | "sendAt">): string {
  const when = step.delayDays === 0 ? "The same day" : step.delayDays === 1 ? "1 day later" : `${step.delayDays} days later`;
  return step.sendAt ? `${when} at ${step.sendAt} (their time)` : `${when}, at the same time of day`;
}
