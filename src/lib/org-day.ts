/** One formatter per zone and kind: building an Intl.DateTimeFormat costs far more than formatting with one. */
function cachedFormat(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: (timeZone: string) => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) cache.set(timeZone, (format = make(timeZone)));
  return format;
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** "Today" for an organization: the calendar day in its time zone, as YYYY-MM-DD. */
export function orgDay(timeZone: string, at: Date = new Date()): string {
  const format = cachedFormat(dayFormats, timeZone, (zone) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }));
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Offset of the zone from UTC at an instant, in minutes (e.g. -300 for New York in winter). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const format = cachedFormat(
    wallClockFormats,
    timeZone,
    (zone) => new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }),
  );
  const parts = format.formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant the organization's next day starts (when daily caps reset). */
export function nextOrgMidnight(timeZone: string, at: Date = new Date()): Date {
  const [year, month, day] = orgDay(timeZone, at).split("-").map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(year, month - 1, day + 1);
  // Two passes settle the offset when midnight falls next to a DST change.
  let guess = midnightAsUtc - zoneOffsetMinutes(timeZone, new Date(midnightAsUtc)) * 60_000;
  guess = midnightAsUtc - zoneOffsetMinutes(timeZone, new Date(guess)) * 60_000;
  return new Date(guess);
}

/** The last n org days ending today, oldest first. */
export function lastOrgDays(timeZone: string, n: number, at: Date = new Date()): string[] {
  const [year, month, day] = orgDay(timeZone, at).split("-").map(Number) as [number, number, number];
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(year, month - 1, day - (n - 1 - i))).toISOString().slice(0, 10));
}

/**
 * An instant as the organization's clock reads it, for messages people read:
 * "12:00 AM EST on Tue, Dec 1" (never a UTC timestamp).
 */
export function formatOrgTime(at: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(at);
  const day = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", month: "short", day: "numeric" }).format(at);
  return `${time} on ${day}`;
}
