/**
 * Pure arithmetic of the analytics pages (issue 13): calendar days, rates and per-unit cents.
 * Shared by the server's figures and the tests' oracle.
 */

const DAY_MS = 86_400_000;

/** A calendar day (YYYY-MM-DD) moved by n days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from..to inclusive, oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** count / over, or null when there is nothing to divide by. */
export function rate(count: number, over: number): number | null {
  return over > 0 ? count / over : null;
}

/** Cents per unit rounded to the cent (half away from zero), or null with no units. */
export function centsPer(cents: number, units: number): number | null {
  return units > 0 ? Math.round(cents / units) : null;
}

/** Median of a list of numbers, or null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The first and last day of the calendar month holding `day`. */
export function monthOf(day: string): { month: string; from: string; to: string } {
  const [year, month] = day.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  return { month: day.slice(0, 7), from: `${day.slice(0, 7)}-01`, to: last };
}

/** One CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is neutralized for spreadsheets. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvOf(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
