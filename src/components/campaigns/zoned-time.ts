import { localDateTime, localToInstant } from "@/lib/quiet-hours/local-time";

/**
 * Instants shown and entered in the organization's time zone (campaign schedules and send
 * windows are the organization's, whatever the viewer's computer says). Pure.
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** An instant as a `datetime-local` value ("2026-12-01T09:30") on the zone's wall clock. */
export function toZonedInputValue(at: Date, zone: string): string {
  const local = localDateTime(zone, at);
  return `${local.year}-${pad(local.month)}-${pad(local.day)}T${pad(Math.floor(local.minutes / 60))}:${pad(local.minutes % 60)}`;
}

/** A `datetime-local` value read on the zone's wall clock → the instant; null when it is not one. */
export function fromZonedInputValue(value: string, zone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  // Reject days a month does not have (Feb 30 would silently become Mar 2).
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return new Date(localToInstant(zone, year, month, day, hour * 60 + minute));
}

/** "Dec 1, 2026, 9:30 AM EST" in the zone. */
export function formatInZone(at: Date, zone: string, options: { withDate?: boolean; withZone?: boolean } = {}): string {
  const { withDate = true, withZone = true } = options;
  return new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    ...(withDate ? { month: "short", day: "numeric", year: "numeric" } : {}),
    hour: "numeric",
    minute: "2-digit",
    ...(withZone ? { timeZoneName: "short" } : {}),
  })
    .format(at)
    .replace(/\u202f/g, " ");
}

/** "America/New_York (EST)": the zone and its abbreviation at that instant. */
export function zoneLabel(zone: string, at: Date = new Date()): string {
  const short = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" }).formatToParts(at).find((part) => part.type === "timeZoneName")?.value;
  return short ? `${zone.replace(/_/g, " ")} (${short})` : zone.replace(/_/g, " ");
}
