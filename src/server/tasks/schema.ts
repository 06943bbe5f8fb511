import { z } from "zod";
import { idString, isoCalendarDate, safeString } from "@/lib/text-schema";

const id = idString();
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter a time as HH:MM (24-hour).");
const note = safeString().trim().min(1, "Say what to do.").max(2000);

export const leadTasksInput = z.object({ leadId: id });
export const createTaskInput = z.object({
  leadId: id,
  note,
  /** The day it is due, in the organization's time zone. */
  dueOn: isoCalendarDate(),
  /** A time that day in the organization's time zone; null or left out: any time that day. */
  dueTime: timeOfDay.nullish(),
  /** A member of the organization; left out: the caller. null: nobody. */
  assigneeId: id.nullish(),
});
export const updateTaskInput = z.object({
  id,
  note: note.optional(),
  dueOn: isoCalendarDate().optional(),
  dueTime: timeOfDay.nullish(),
  assigneeId: id.nullish(),
});
export const setTaskDoneInput = z.object({ id, done: z.boolean() });
export const taskIdInput = z.object({ id });

const personOutput = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });

export const taskOutput = z.object({
  id: z.string(),
  leadId: z.string(),
  note: z.string(),
  dueOn: z.string(),
  dueTime: z.string().nullable(),
  dueAt: z.date(),
  /** Against the organization's today and now: overdue, today, upcoming or done. */
  when: z.enum(["overdue", "today", "upcoming", "done"]),
  assignee: personOutput.nullable(),
  completedAt: z.date().nullable(),
  completedBy: personOutput.nullable(),
  createdAt: z.date(),
});
export const leadTasksOutput = z.object({ today: z.string(), timeZone: z.string(), tasks: z.array(taskOutput) });

export const myTaskOutput = taskOutput.extend({ lead: z.object({ id: z.string(), addressLine1: z.string(), city: z.string(), state: z.string() }) });
export const myTasksOutput = z.object({
  today: z.string(),
  timeZone: z.string(),
  overdue: z.array(myTaskOutput),
  dueToday: z.array(myTaskOutput),
  /** Open tasks past the lists' length, so "N more" can be said. */
  overdueTotal: z.number().int(),
  dueTodayTotal: z.number().int(),
});
export const myTaskCountOutput = z.object({ overdue: z.number().int(), dueToday: z.number().int() });
export const okOutput = z.object({ ok: z.literal(true) });
