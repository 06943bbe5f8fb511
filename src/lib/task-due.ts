/**
 * When a task is due (issue 14 item 11): a calendar day in the organization's time zone and, if
 * given, a time of day there. Pure arithmetic on Intl; no I/O.
 */
import { zoneOffsetMinutes } from "./org-day";

/** The instant the wall clock of the zone reads `day` (YYYY-MM-DD) at `minutes` after midnight. */
export function zonedInstant(day: string, minutes: number, timeZone: string): Date {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const wallAsUtc = Date.UTC(year, month - 1, date, 0, minutes);
  // Two passes settle the offset next to a DST change.
  let guess = wallAsUtc - zoneOffsetMinutes(timeZone, new Date(wallAsUtc)) * 60_000;
  guess = wallAsUtc - zoneOffsetMinutes(timeZone, new Date(guess)) * 60_000;
  return new Date(guess);
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "HH:MM" (24-hour) → minutes after midnight, or null when it is not a time. */
export function parseTimeOfDay(time: string): number | null {
  const match = TIME.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/**
 * The instant a task is due: its day at its time in the zone, or — with no time — the end of its
 * day (the last millisecond), so an all-day task is overdue only once its day is over and sorts
 * after the timed tasks of the same day.
 */
export function taskDueAt(dueOn: string, dueTime: string | null, timeZone: string): Date {
  if (dueTime !== null) {
    const minutes = parseTimeOfDay(dueTime);
    if (minutes === null) throw new Error(`Not a time of day: ${dueTime}`);
    return zonedInstant(dueOn, minutes, timeZone);
  }
  const [year, month, date] = dueOn.split("-").map(Number) as [number, number, number];
  const nextDay = new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
  return new Date(zonedInstant(nextDay, 0, timeZone).getTime() - 1);
}

export type TaskWhen = "overdue" | "today" | "upcoming" | "done";

/** Where an open task stands against the organization's today (YYYY-MM-DD) and now. */
export function taskWhen(task: { dueOn: string; dueAt: Date; completedAt: Date | null }, today: string, now: Date = new Date()): TaskWhen {
  if (task.completedAt) return "done";
  if (task.dueAt.getTime() < now.getTime()) return "overdue";
  return task.dueOn <= today ? "today" : "upcoming";
}

/** "3:30 PM" from "15:30". */
export function formatTimeOfDay(time: string): string {
  const minutes = parseTimeOfDay(time);
  if (minutes === null) return time;
  const hours = Math.floor(minutes / 60);
  const suffix = hours >= 12 ? "PM" : "AM";
  return `${hours % 12 === 0 ? 12 : hours % 12}:${String(minutes % 60).padStart(2, "0")} ${suffix}`;
}

/** "Today", "Tomorrow", "Yesterday" or "Mon, Dec 7" (plus the time when given), against the organization's today. */
export function formatTaskDue(dueOn: string, dueTime: string | null, today: string): string {
  const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
  const diff = Math.round((dayMs(dueOn) - dayMs(today)) / 86_400_000);
  const day =
    diff === 0
      ? "Today"
      : diff === 1
        ? "Tomorrow"
        : diff === -1
          ? "Yesterday"
          : new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric", ...(dueOn.slice(0, 4) !== today.slice(0, 4) ? { year: "numeric" } : {}) }).format(new Date(dayMs(dueOn)));
  return dueTime ? `${day} ${formatTimeOfDay(dueTime)}` : day;
}
