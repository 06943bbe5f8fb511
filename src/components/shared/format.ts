import { formatCents } from "@/lib/money";

const COUNT = new Intl.NumberFormat("en-US");
/** 12,345, the same on the server and in every browser (hydration). One formatter for all: `toLocaleString("en-US")` builds one per call. */
export const formatCount = (n: number) => COUNT.format(n);

/** "1 lead", "2 leads". */
export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export type ParseResult = { ok: true; cents: number } | { ok: false; error: string };

const MAX_CAP_CENTS = 10_000_000; // mirrors updateBudgetInput: $100,000 a day
const MAX_UNIT_CENTS = 10_000;

/**
 * Dollars typed by a person → integer cents, by string math (never `parseFloat(x) * 100`).
 * Accepts "15", "15.5", "15.50", "$1,234.56", ".75"; refuses more than two decimals,
 * negatives, stray characters and amounts above the server's limit.
 */
export function parseDollarsToCents(raw: string, maxCents = MAX_CAP_CENTS): ParseResult {
  let text = raw.trim();
  if (text.startsWith("$")) text = text.slice(1).trim();
  if (text === "") return { ok: false, error: "Enter an amount in dollars, for example 15.00." };
  if (text.startsWith("-")) return { ok: false, error: "The amount can't be negative." };
  if (text.includes(",")) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) return { ok: false, error: "Use dollars and cents, like 1,500 or 15.50." };
    text = text.replace(/,/g, "");
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === "" && !match[2])) return { ok: false, error: "Use dollars and cents, like 15 or 15.50." };
  const fraction = match[2] ?? "";
  if (fraction.length > 2) return { ok: false, error: "Use at most 2 decimal places (whole cents)." };
  const whole = match[1]!.replace(/^0+(?=\d)/, "") || "0";
  if (whole.length > 9) return { ok: false, error: `That is above the limit of ${formatCents(maxCents)}.` };
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (cents > maxCents) return { ok: false, error: `That is above the limit of ${formatCents(maxCents)}.` };
  return { ok: true, cents };
}

/** A whole number of cents, e.g. "10" or "10¢". */
export function parseWholeCents(raw: string, maxCents = MAX_UNIT_CENTS): ParseResult {
  const text = raw.trim().replace(/¢$/, "").trim();
  if (text === "") return { ok: false, error: "Enter a price in cents, for example 10." };
  if (text.startsWith("-")) return { ok: false, error: "The price can't be negative." };
  if (!/^\d+$/.test(text)) return { ok: false, error: "Whole cents only, for example 10 (not 0.10)." };
  const cents = Number(text.replace(/^0+(?=\d)/, ""));
  if (text.length > 6 || cents > maxCents) return { ok: false, error: `At most ${maxCents.toLocaleString("en-US")}¢ per unit.` };
  return { ok: true, cents };
}

/** Integer cents in the dollars input's format: 1500 → "15.00". */
export function centsToDollarInput(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** 10 → "10¢", 150 → "$1.50". */
export function formatUnitPrice(cents: number): string {
  return cents < 100 ? `${cents}¢` : formatCents(cents);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** An org day "2025-03-07" as "Mar 7" (or "Fri, Mar 7"), independent of the viewer's time zone. */
export function formatDay(day: string, withWeekday = false): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const label = `${MONTHS[month - 1]} ${date}`;
  if (!withWeekday) return label;
  return `${WEEKDAYS[new Date(Date.UTC(year, month - 1, date)).getUTCDay()]}, ${label}`;
}

/** Share of the cap used, 0–100 (a zero cap counts as full). */
export function percentOfCap(usedCents: number, capCents: number): number {
  if (capCents <= 0) return 100;
  return Math.min(100, Math.max(0, (usedCents / capCents) * 100));
}

/** "3 min ago", "in 5 h", "just now". */
export function formatRelative(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return seconds <= 0 ? "just now" : "in a moment";
  const [value, unit] =
    abs < 3_600 ? [Math.round(abs / 60), "min"] : abs < 86_400 ? [Math.round(abs / 3_600), "h"] : [Math.round(abs / 86_400), abs < 2 * 86_400 ? "day" : "days"];
  return seconds < 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

/** A US number in E.164 for people: "+15125550123" → "(512) 555-0123"; anything else unchanged. */
export function formatPhone(number: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : number;
}

/** Today as YYYY-MM-DD in the viewer's own calendar (a default for date inputs). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A calendar day "2024-03-07" as "Mar 7, 2024", the same in every time zone. */
export function formatIsoDay(day: string): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date)).toLocaleDateString("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
}
