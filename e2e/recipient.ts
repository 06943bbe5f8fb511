/**
 * A recipient the send decision lets through now. Texts wait for the recipient's quiet hours
 * (08:00–21:00 local, stricter in some states; src/server/compliance/decide.ts), so a spec that
 * texts at whatever time it runs places its lead where the local time is inside that window (with
 * 30 minutes to spare). ZIP and area code agree, and none of these places has a state rule.
 * Between about 10:30 and 12:00 UTC no US place qualifies (Guam closes at 11:00 UTC, Puerto Rico
 * opens at 12:00 UTC): placeOpenNow() is null, and a spec that needs a text to go out skips with
 * NO_PLACE_OPEN as its reason.
 */
export const PLACES = [
  { city: "New York", state: "NY", zip: "10001", areaCode: "212", zone: "America/New_York" },
  { city: "San Juan", state: "PR", zip: "00901", areaCode: "787", zone: "America/Puerto_Rico" },
  { city: "Honolulu", state: "HI", zip: "96813", areaCode: "808", zone: "Pacific/Honolulu" },
  { city: "Hagatna", state: "GU", zip: "96910", areaCode: "671", zone: "Pacific/Guam" },
] as const;
export type Place = (typeof PLACES)[number];

export const NO_PLACE_OPEN = "no US recipient is inside 08:00–21:00 local time right now (10:30–12:00 UTC): a text would be deferred by quiet hours";

function minutesAt(zone: string, offsetMinutes: number): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "numeric", hourCycle: "h23" }).formatToParts(new Date(Date.now() + offsetMinutes * 60_000));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part("hour") * 60 + part("minute");
}

export function placeOpenNow(): Place | null {
  const inside = (minutes: number) => minutes >= 8 * 60 && minutes < 21 * 60;
  return PLACES.find((place) => inside(minutesAt(place.zone, 0)) && inside(minutesAt(place.zone, 30))) ?? null;
}

/** A fresh mobile number in the place's area code, outside the sandbox's 555-01xx outcome family, so texts to it deliver. */
export function freshNumberIn(areaCode: string): { typed: string; e164: string } {
  const line = String(1000 + Math.floor(Math.random() * 9000));
  // Guam's numbering plan allows only some exchanges; 300 is one.
  const exchange = areaCode === "671" ? "300" : String(200 + Math.floor(Math.random() * 700));
  return { typed: `(${areaCode}) ${exchange}-${line}`, e164: `+1${areaCode}${exchange}${line}` };
}
