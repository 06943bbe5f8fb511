/**
 * Wall-clock arithmetic in IANA zones with nothing but Intl.DateTimeFormat (the runtime's tz
 * database): no date library, correct across DST changes and in zones without DST (Arizona).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
    });
    formatters.set(zone, format);
  }
  return format;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

export interface LocalDateTime {
  year: number;
  month: number; // 1–12
  day: number;
  /** Minutes since local midnight, 0–1439. */
  minutes: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** The wall clock in `zone` at `at` (throws RangeError for an unknown zone). */
export function localDateTime(zone: string, at: Date): LocalDateTime {
  const parts = formatter(zone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? "";
  return {
    year: Number(get("year")),
    month: Number(get("month")),
    day: Number(get("day")),
    minutes: Number(get("hour")) * 60 + Number(get("minute")),
    weekday: WEEKDAYS.indexOf(get("weekday") as (typeof WEEKDAYS)[number]),
  };
}

/** Offset of local time from UTC at an instant, in ms (New York in winter: -5 h). */
export function zoneOffsetMs(zone: string, at: number): number {
  const parts = formatter(zone).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens in `zone`. `minutes` may exceed 1439 (24:00 is the
 * next midnight). A time skipped by a spring-forward change maps to the instant after the gap
 * (02:30 → 03:30 daylight time); a time that happens twice on a fall-back day maps to the first.
 */
export function localToInstant(zone: string, year: number, month: number, day: number, minutes: number): number {
  const key = `${zone}|${year}-${month}-${day}|${minutes}`;
  const cached = instants.get(key);
  if (cached !== undefined) return cached;
  if (instants.size >= MAX_CACHED_INSTANTS) instants.clear();
  const instant = computeLocalToInstant(zone, year, month, day, minutes);
  instants.set(key, instant);
  return instant;
}

/** Memo of localToInstant: a campaign asks the same few zones about the same few days over and over. */
const instants = new Map<string, number>();
const MAX_CACHED_INSTANTS = 20_000;

function computeLocalToInstant(zone: string, year: number, month: number, day: number, minutes: number): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const before = zoneOffsetMs(zone, wall - DAY);
  const after = zoneOffsetMs(zone, wall + DAY);
  const candidates = [wall - before, wall - after].filter((instant) => instant + zoneOffsetMs(zone, instant) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before; // in a gap: the old offset lands just past it
}

/** The calendar day `offset` days after (year, month, day), with its weekday. */
export function addDays(year: number, month: number, day: number, offset: number): { year: number; month: number; day: number; weekday: number } {
  const date = new Date(Date.UTC(year, month - 1, day + offset));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() };
}

export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

export { MINUTE, DAY };
