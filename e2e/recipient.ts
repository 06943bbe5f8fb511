/**
 * A recipient the send decision lets through now. Texts wait for the recipient's quiet hours
 * (08:00–21:00 local, stricter in some states; src/server/compliance/decide.ts), so a spec that
 * texts at whatever time it runs places its lead where the local time is inside that window (with
 * 30 minutes to spare). ZIP and area code agree, and none of these places has a state rule.
 * Between about 10:30 and 12:00 UTC no US place qualifies (Guam closes at 11:00 UTC, Puerto Rico
 * opens at 12:00 UTC): then recipientOpenNow() opens the organization's own window for the spec's
 * run (its rows, as an admin's edit would) and restores it afterwards, so the spec never skips.
 */
import pg from "pg";
import { DEMO } from "./helpers";
export const PLACES = [
  { city: "New York", state: "NY", zip: "10001", areaCode: "212", zone: "America/New_York" },
  { city: "San Juan", state: "PR", zip: "00901", areaCode: "787", zone: "America/Puerto_Rico" },
  { city: "Honolulu", state: "HI", zip: "96813", areaCode: "808", zone: "Pacific/Honolulu" },
  { city: "Hagatna", state: "GU", zip: "96910", areaCode: "671", zone: "Pacific/Guam" },
] as const;
export type Place = (typeof PLACES)[number];


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

/**
 * A place where a text to the demo organization's recipient goes out now, and how to undo what
 * that took: nothing when some US place is inside its window; otherwise the demo organization's
 * window and rule rows are opened to every hour until `restore()` (specs that text run one at a
 * time in the org-settings project, so no other spec sees it).
 */
export async function recipientOpenNow(): Promise<{ place: Place; restore: () => Promise<void> }> {
  const open = placeOpenNow();
  if (open) return { place: open, restore: async () => {} };
  const database = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await database.connect();
  const orgOf = `(SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 LIMIT 1)`;
  const settings = await database.query(`SELECT "quietHoursStart", "quietHoursEnd" FROM "OrganizationSettings" WHERE "organizationId" = ${orgOf}`, [DEMO.email]);
  const rules = await database.query(`SELECT id, weekdays, saturday, sunday FROM "ComplianceRule" WHERE "organizationId" = ${orgOf}`, [DEMO.email]);
  const allDay = JSON.stringify([{ start: "00:00", end: "24:00" }]);
  await database.query(`UPDATE "OrganizationSettings" SET "quietHoursStart" = '00:00', "quietHoursEnd" = '24:00' WHERE "organizationId" = ${orgOf}`, [DEMO.email]);
  await database.query(`UPDATE "ComplianceRule" SET weekdays = $2::jsonb, saturday = $2::jsonb, sunday = $2::jsonb WHERE "organizationId" = ${orgOf}`, [DEMO.email, allDay]);
  return {
    place: PLACES[0],
    restore: async () => {
      const before = settings.rows[0] as { quietHoursStart: string; quietHoursEnd: string } | undefined;
      if (before) await database.query(`UPDATE "OrganizationSettings" SET "quietHoursStart" = $2, "quietHoursEnd" = $3 WHERE "organizationId" = ${orgOf}`, [DEMO.email, before.quietHoursStart, before.quietHoursEnd]);
      for (const rule of rules.rows as { id: string; weekdays: unknown; saturday: unknown; sunday: unknown }[]) {
        await database.query(`UPDATE "ComplianceRule" SET weekdays = $2::jsonb, saturday = $3::jsonb, sunday = $4::jsonb WHERE id = $1`, [rule.id, JSON.stringify(rule.weekdays), JSON.stringify(rule.saturday), JSON.stringify(rule.sunday)]);
      }
      await database.end();
    },
  };
}
