import { addDays, DAY, formatMinutes, localDateTime, localToInstant, WEEKDAY_NAMES } from "./local-time";
import { applicableRules, dayKind, parseTime, type DayKind, type DayWindows, type QuietHoursRule, type QuietHoursRuleSet, type TimeWindow } from "./rules";

/**
 * May a message go to this recipient now, and if not, when? The allowed times in each candidate
 * zone are, for each local day, the organization's window ∩ every applicable rule's windows for
 * that kind of day (the strictest wins); the recipient's allowed times are the intersection over
 * all candidate zones (ambiguous location → only the hours all candidates allow). Local days are
 * turned into instants through the zone's own rules, so spring-forward and fall-back days, and
 * Arizona's year-round standard time, come out right. The search looks at most 8 days ahead.
 */

export const QUIET_HOURS_HORIZON_DAYS = 8;

export interface QuietHoursInput {
  at: Date;
  /** IANA zones, at least one (resolveRecipientLocation never returns none). */
  zones: readonly string[];
  /** USPS codes of the recipient's state(s). */
  states: readonly string[];
  /** The organization's own window (default 08:00–21:00). */
  orgWindow: TimeWindow;
  rules: QuietHoursRuleSet;
}

export interface RuleRef {
  /** Absent for the federal row and the organization's window. */
  state?: string;
  name: string;
  source: string;
}

export type QuietHoursVerdict =
  | {
      allowed: true;
      /** When the window the recipient is in now closes (the end of the common allowed interval). */
      closesAt: Date;
    }
  | {
      allowed: false;
      /** The first instant ≥ at when every candidate zone is inside its window; null when none within 8 days. */
      opensAt: Date | null;
      reason: string;
      /** The rule that closes the window at `at` (the strictest one that does). */
      rule: RuleRef;
    };

export const ORG_WINDOW_RULE: RuleRef = { name: "Organization quiet hours", source: "organization setting" };

type Interval = readonly [number, number];

function toIntervals(windows: DayWindows): Interval[] {
  return windows.map((window) => [parseTime(window.start), parseTime(window.end)] as const);
}

/** Intersection of two sorted lists of disjoint half-open intervals. */
function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]![0], b[j]![0]);
    const end = Math.min(a[i]![1], b[j]![1]);
    if (start < end) out.push([start, end]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

function mergeTouching(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Allowed minutes of a local day of this kind: org window ∩ each rule's windows. */
function allowedMinutes(kind: DayKind, orgWindow: TimeWindow, rules: readonly QuietHoursRule[]): Interval[] {
  return rules.reduce<Interval[]>((allowed, rule) => intersect(allowed, toIntervals(rule[kind])), toIntervals([orgWindow]));
}

/** Allowed instants in one zone over local days today-1 … today+lastDay (contiguous from before `at`). */
function allowedInstants(zone: string, at: number, orgWindow: TimeWindow, rules: readonly QuietHoursRule[], lastDay: number): Interval[] {
  const today = localDateTime(zone, new Date(at));
  const intervals: Interval[] = [];
  for (let offset = -1; offset <= lastDay; offset++) {
    const day = addDays(today.year, today.month, today.day, offset);
    for (const [start, end] of allowedMinutes(dayKind(day.weekday), orgWindow, rules)) {
      intervals.push([localToInstant(zone, day.year, day.month, day.day, start), localToInstant(zone, day.year, day.month, day.day, end)]);
    }
  }
  return mergeTouching(intervals);
}

function describeWindows(windows: DayWindows): string {
  return windows.map((window) => `${window.start}–${window.end}`).join(", ");
}

function ruleRef(rule: QuietHoursRule): RuleRef {
  return rule.state ? { state: rule.state, name: rule.name, source: rule.source } : { name: rule.name, source: rule.source };
}

/** Why `at` is closed in `zone`: the strictest closing rule (a day with no messages, then state rows, federal, the org window). */
function explain(zone: string, at: Date, orgWindow: TimeWindow, rules: readonly QuietHoursRule[]): { rule: RuleRef; why: string } | null {
  const local = localDateTime(zone, at);
  const kind = dayKind(local.weekday);
  const dayName = WEEKDAY_NAMES[local.weekday]!;
  const inside = (windows: DayWindows) => windows.some((w) => parseTime(w.start) <= local.minutes && local.minutes < parseTime(w.end));
  const ordered = [...rules.filter((rule) => rule.state !== null), ...rules.filter((rule) => rule.state === null)];
  const prefix = `it is ${dayName} ${formatMinutes(local.minutes)} in ${zone}`;
  const noDay = ordered.find((rule) => rule[kind].length === 0);
  if (noDay) return { rule: ruleRef(noDay), why: `${prefix}; ${noDay.name} allows no messages on ${dayName}` };
  const closing = ordered.find((rule) => !inside(rule[kind]));
  if (closing) return { rule: ruleRef(closing), why: `${prefix}; ${closing.name} allows ${describeWindows(closing[kind])} on ${dayName}` };
  if (!inside([orgWindow])) return { rule: ORG_WINDOW_RULE, why: `${prefix}; the organization allows ${describeWindows([orgWindow])}` };
  return null;
}

export function quietHoursVerdict(input: QuietHoursInput): QuietHoursVerdict {
  if (input.zones.length === 0) throw new Error("quietHoursVerdict needs at least one zone (use the organization's zone as the fallback).");
  const at = input.at.getTime();
  const zones = [...new Set(input.zones)];
  const rules = applicableRules(input.rules, input.states);

  // Look two local days ahead first (almost every answer is there), then the whole horizon. Each
  // zone's days run contiguously from before `at`, so the first common interval found is the first.
  let next: Interval | undefined;
  for (const lastDay of [2, QUIET_HOURS_HORIZON_DAYS + 1]) {
    const allowed = zones
      .map((zone) => allowedInstants(zone, at, input.orgWindow, rules, lastDay))
      .reduce((common, intervals) => intersect(common, intervals));
    const current = allowed.find(([start, end]) => start <= at && at < end);
    if (current) return { allowed: true, closesAt: new Date(current[1]) };
    next = allowed.find(([start]) => start > at && start <= at + QUIET_HOURS_HORIZON_DAYS * DAY);
    if (next) break;
  }
  const explanation = zones.map((zone) => explain(zone, input.at, input.orgWindow, rules)).find((found) => found !== null);
  const rule = explanation?.rule ?? ORG_WINDOW_RULE;
  const why = explanation?.why ?? `the candidate zones (${zones.join(", ")}) share no allowed hour now`;
  const opensAt = next ? new Date(next[0]) : null;
  const when = opensAt ? `opens ${opensAt.toISOString()}` : `no allowed time within ${QUIET_HOURS_HORIZON_DAYS} days`;
  return { allowed: false, opensAt, reason: `Quiet hours: ${why}; ${when}.`, rule };
}
