import { z } from "zod";
import { safeString } from "../text-schema";

/**
 * Quiet-hours rules are data an admin can see and edit (COMPLIANCE.md: "ship this table as
 * editable data with its source per row"). A row applies to recipients in its `state` (USPS code)
 * or, with `state: null`, to every recipient (the federal rule). Times are recipient-local
 * "HH:MM", windows are [start, end): 08:00–21:00 allows 08:00 through 20:59. A day with no
 * window (`[]`) allows no messages at all. The strictest applicable rule wins: the verdict
 * intersects the organization's window with every applicable row's windows for the local day.
 */

export const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** A window may end at 24:00 (the next midnight). */
const END_TIME_OF_DAY = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

export interface TimeWindow {
  start: string;
  end: string;
}

/** The windows of one kind of day; `[]` = no messages that day. */
export type DayWindows = readonly TimeWindow[];

export interface QuietHoursRule {
  /** USPS state code ("FL"); null: every recipient (federal). */
  state: string | null;
  /** What an admin reads: "Florida", "Federal". */
  name: string;
  /** Monday–Friday. */
  weekdays: DayWindows;
  saturday: DayWindows;
  sunday: DayWindows;
  /** Most messages to one recipient per rolling 24 h under this row; null = no cap of its own. */
  frequencyCap: number | null;
  /** Where the row comes from (statute or table), shown next to every decision it makes. */
  source: string;
  note?: string;
}

export type QuietHoursRuleSet = readonly QuietHoursRule[];

export function parseTime(time: string): number {
  const [hours, minutes] = time.split(":").map(Number) as [number, number];
  return hours * 60 + minutes;
}

const timeSchema = safeString().regex(TIME_OF_DAY, "A time is HH:MM between 00:00 and 23:59.");
const endTimeSchema = safeString().regex(END_TIME_OF_DAY, "An end time is HH:MM between 00:01 and 24:00.");

export const timeWindowSchema = z
  .object({ start: timeSchema, end: endTimeSchema })
  .refine((window) => parseTime(window.start) < parseTime(window.end), {
    message: "A window must end after it starts (windows do not cross midnight; use 24:00).",
    path: ["end"],
  });

/** Windows of one day: at most 4, in order, not overlapping. */
export const dayWindowsSchema = z
  .array(timeWindowSchema)
  .max(4, "At most 4 windows a day.")
  .superRefine((windows, ctx) => {
    for (let i = 1; i < windows.length; i++) {
      if (parseTime(windows[i]!.start) < parseTime(windows[i - 1]!.end)) {
        ctx.addIssue({ code: "custom", message: "Windows must be in order and must not overlap.", path: [i, "start"] });
      }
    }
  });

export const quietHoursRuleSchema = z.object({
  state: safeString()
    .regex(/^[A-Z]{2}$/, "A state is its two-letter USPS code (FL, TX).")
    .nullable(),
  name: safeString().trim().min(1, "Name the rule.").max(60),
  weekdays: dayWindowsSchema,
  saturday: dayWindowsSchema,
  sunday: dayWindowsSchema,
  frequencyCap: z.number().int().min(1, "A cap is at least 1 message.").max(50).nullable(),
  source: safeString().trim().min(1, "Every rule names its source.").max(300),
  note: safeString().trim().max(500).optional(),
});

export const quietHoursRuleSetSchema = z
  .array(quietHoursRuleSchema)
  .max(80)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      const key = rule.state ?? "federal";
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          message: rule.state ? `Only one rule per state (${rule.state} appears twice).` : "Only one rule for every recipient (state left empty).",
          path: [index, "state"],
        });
      }
      seen.add(key);
    });
  });

/** A stored or edited rule set, validated; throws a ZodError naming the row and field. */
export function parseQuietHoursRuleSet(input: unknown): QuietHoursRuleSet {
  return quietHoursRuleSetSchema.parse(input);
}

/** The organization's own window (Settings), default 08:00–21:00. */
export const orgWindowSchema = timeWindowSchema;
export const DEFAULT_ORG_WINDOW: TimeWindow = { start: "08:00", end: "21:00" };
export const DEFAULT_FREQUENCY_CAP = 3;

const THIRD_PARTY = "third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)";
const every = (start: string, end: string) => ({ weekdays: [{ start, end }], saturday: [{ start, end }], sunday: [{ start, end }] });
const FEDERAL_WINDOW = [{ start: "08:00", end: "21:00" }];

/** COMPLIANCE.md's quiet-hours table, one row per scope, as the seed of every organization's editable copy. */
export const DEFAULT_STATE_QUIET_HOURS: QuietHoursRuleSet = [
  { state: null, name: "Federal", ...every("08:00", "21:00"), frequencyCap: null, source: "47 CFR 64.1200(c)(1)" },
  {
    state: "FL",
    name: "Florida",
    ...every("08:00", "20:00"),
    frequencyCap: 3,
    source: "FTSA §501.616(6)",
    note: "The statute caps 3 messages / 24 h on the same subject; LeadFlow counts every message (stricter).",
  },
  { state: "OK", name: "Oklahoma", ...every("08:00", "20:00"), frequencyCap: 3, source: THIRD_PARTY },
  { state: "MD", name: "Maryland", ...every("08:00", "20:00"), frequencyCap: 3, source: THIRD_PARTY },
  {
    state: "CT",
    name: "Connecticut",
    ...every("09:00", "20:00"),
    frequencyCap: null,
    source: "COMPLIANCE.md quiet-hours table (no statute cited there)",
  },
  {
    state: "TX",
    name: "Texas",
    weekdays: [{ start: "09:00", end: "21:00" }],
    saturday: [{ start: "09:00", end: "21:00" }],
    sunday: [{ start: "12:00", end: "21:00" }],
    frequencyCap: null,
    source: "Texas SB 140 (from 2025-09-01)",
  },
  ...(
    [
      ["AL", "Alabama"],
      ["LA", "Louisiana"],
      ["MS", "Mississippi"],
    ] as const
  ).map(([state, name]) => ({
    state,
    name,
    weekdays: FEDERAL_WINDOW,
    saturday: FEDERAL_WINDOW,
    sunday: [],
    frequencyCap: null,
    source: THIRD_PARTY,
    note: "No Sunday sends; other days keep the federal window.",
  })),
  { state: "KY", name: "Kentucky", ...every("10:00", "21:00"), frequencyCap: null, source: THIRD_PARTY },
  {
    state: "RI",
    name: "Rhode Island",
    weekdays: [{ start: "09:00", end: "18:00" }],
    saturday: [],
    sunday: [],
    frequencyCap: null,
    source: THIRD_PARTY,
    note: "COMPLIANCE.md gives only a weekday window (09:00–18:00); weekends are read as no messages until an admin sets one.",
  },
];

export type DayKind = "weekdays" | "saturday" | "sunday";

/** 0 = Sunday … 6 = Saturday → the rule's kind of day. Holidays are not modelled (COMPLIANCE.md names none). */
export function dayKind(weekday: number): DayKind {
  return weekday === 0 ? "sunday" : weekday === 6 ? "saturday" : "weekdays";
}

/** The rows that apply to a recipient in these states: the federal row(s) and each state's row. */
export function applicableRules(rules: QuietHoursRuleSet, states: readonly string[]): QuietHoursRule[] {
  const wanted = new Set(states.map((state) => state.toUpperCase()));
  return rules.filter((rule) => rule.state === null || wanted.has(rule.state));
}
