/**
 * One CSV record + the column mapping → a lead ready to store, or the reasons it cannot be. Pure.
 *
 * A row is rejected only when the lead itself is unusable or a mapped value cannot be read:
 * no street address, no way to place it (ZIP, or city and state), an invalid state or ZIP, a
 * number/date that is not one (storing the lead without it would silently lose what the user
 * asked to import; the rejects file shows the row and the reasons so it can be fixed and
 * re-imported), or a row that ends before a mapped column (its values have likely shifted).
 * Every problem of a row is reported, not only the first. Phones and emails are different: a
 * list row often carries several, so an unreadable one is dropped with a warning and the lead
 * and its other contacts are kept.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z } from "zod";
import { isCorporateOwnerName, normalizeStateCode, normalizeStreet, normalizeZip5, US_STATE_CODES } from "../address";
import { foldHeader } from "./detect";
import type { ImportedLead, ImportMapping, PhoneType, SingleImportField } from "./fields";

export type { ImportedLead, PhoneType };

export type MappedRow =
  | { ok: true; lead: ImportedLead; warnings: string[]; droppedPhones: string[]; droppedEmails: string[] }
  /** `problems`: every reason, in the row's column order; `reason`: them as one sentence list. */
  | { ok: false; reason: string; problems: string[] };

/** How a rejected row's problems read as one text (the rejects file's "reason" column). */
export const joinProblems = (problems: readonly string[]) => problems.join("; ");

/** Where a row's problems are collected: parsers note one and carry on, so all are reported. */
type Problems = string[];

/** Spreadsheet placeholders that mean "no value". */
const BLANK = new Set(["", "-", "--", "n/a", "na", "none", "null", "nil", "unknown", "?", "#n/a"]);
const isBlank = (value: string) => BLANK.has(value.trim().toLowerCase());

const collapse = (value: string) => value.replace(/\s+/g, " ").trim();

function cell(record: readonly string[], index: number | null | undefined): string {
  if (index === null || index === undefined) return "";
  const value = collapse(record[index] ?? "");
  return isBlank(value) ? "" : value;
}

const LABELS: Partial<Record<SingleImportField, string>> = {
  beds: "Beds",
  baths: "Baths",
  sqft: "Living area",
  yearBuilt: "Year built",
  estimatedValue: "Estimated value",
  assessedValue: "Assessed value",
  equityPct: "Equity %",
  lastSaleDate: "Last sale date",
  lastSalePrice: "Last sale price",
};

const quoteValue = (value: string) => `"${value.length > 60 ? `${value.slice(0, 57)}…` : value}"`;

/** "1,234.5", "$250,000", "45%", " 3 " → number; "" → null; anything else rejects the row. */
function decimal(problems: Problems, field: SingleImportField, raw: string, range: { min: number; max: number }): number | null {
  if (!raw) return null;
  const text = raw.replace(/[$,%\s]/g, "");
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(text)) {
    problems.push(`${LABELS[field]} is not a number: ${quoteValue(raw)}`);
    return null;
  }
  const value = Number(text);
  if (value < range.min || value > range.max) {
    problems.push(`${LABELS[field]} is out of range (${range.min}–${range.max}): ${quoteValue(raw)}`);
    return null;
  }
  return value;
}

function integer(problems: Problems, field: SingleImportField, raw: string, range: { min: number; max: number }): number | null {
  const value = decimal(problems, field, raw, range);
  return value === null ? null : Math.round(value);
}

/** Dollars as written ("$1,234.56", "250000") → integer cents, with string arithmetic (no floats). */
export function dollarsToCents(raw: string): number | null | "invalid" {
  const text = raw.replace(/[$,\s]/g, "");
  if (!text) return null;
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return "invalid";
  const whole = match[1] as string;
  const fraction = (match[2] ?? "").padEnd(3, "0");
  if (whole.length > 13) return "invalid";
  // round half up on the third decimal
  const cents = Number(whole) * 100 + Number(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1 : 0);
  return cents;
}

function money(problems: Problems, field: SingleImportField, raw: string): number | null {
  if (!raw) return null;
  const cents = dollarsToCents(raw);
  if (cents === "invalid") {
    problems.push(`${LABELS[field]} is not an amount in dollars: ${quoteValue(raw)}`);
    return null;
  }
  return cents;
}

/**
 * "2015-03-04", "2015/3/4", "3/4/2015", "03-04-15", "20150304", "2015-03-04T00:00:00Z" →
 * "2015-03-04". Two-digit years up to this year's are 20xx, later ones 19xx.
 */
export function parseDate(raw: string, now: Date = new Date()): string | null | "invalid" {
  const text = raw.trim();
  if (!text) return null;
  let year: number, month: number, day: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?: [\d:]+(?: ?[AP]M)?)?$/i.exec(text))) {
    [month, day, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if ((match[3] as string).length === 2) year += year <= now.getUTCFullYear() % 100 ? 2000 : 1900;
  } else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(text))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return "invalid";
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!valid || year < 1800 || date.getTime() > now.getTime() + 86_400_000) return "invalid";
  return date.toISOString().slice(0, 10);
}

const PHONE_SPLIT = /[;|,]+/;
const EMAIL_SPLIT = /[;|,\s]+/;
const emailSchema = z.email();

/** The line type a column's header promises ("Mobile", "Cell 2", "Landline"). */
export function phoneTypeFromHeader(header: string): PhoneType {
  const folded = foldHeader(header);
  if (/\b(mobile|cell|cellphone|wireless)\b/.test(folded)) return "mobile";
  if (/\b(landline|land line|home|residential)\b/.test(folded)) return "landline";
  if (/\bvoip\b/.test(folded)) return "voip";
  return "unknown";
}

/** A US/Canadian (NANP) number in E.164, or null when it is not one. */
export function toE164(raw: string): string | null {
  const parsed = parsePhoneNumberFromString(raw, "US");
  if (!parsed || !parsed.isValid() || parsed.countryCallingCode !== "1") return null;
  return parsed.number;
}

/** The phone to text first: a mobile, else one of unknown line type; never a landline. */
export function bestPhoneIndex(phones: readonly { type: PhoneType }[]): number {
  const mobile = phones.findIndex((phone) => phone.type === "mobile");
  if (mobile >= 0) return mobile;
  return phones.findIndex((phone) => phone.type === "unknown" || phone.type === "voip");
}

export function splitTags(raw: string): string[] {
  return raw
    .split(/[;|,]+/)
    .map((tag) => collapse(tag).slice(0, 50))
    .filter(Boolean);
}

/** The mapped columns (0-based) a record of `length` cells does not reach. */
function mappedColumnsPast(mapping: ImportMapping, length: number): number[] {
  const { fixedTags: _fixedTags, ...columns } = mapping;
  const indexes = Object.values(columns).flatMap((value) => (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]));
  return [...new Set(indexes.filter((index) => index >= length))].sort((a, b) => a - b);
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

export function mapRecord(record: readonly string[], mapping: ImportMapping, headers: readonly string[], now: Date = new Date()): MappedRow {
  // A row that stops before a mapped column has lost values or shifted them into the wrong
  // columns (a missing delimiter, an unquoted comma or line break): reading its cells as their
  // headers say would report nonsense ('Invalid state "columns"'), so it is rejected as such.
  const missing = headers.length > record.length ? mappedColumnsPast(mapping, record.length) : [];
  if (missing.length) {
    const names = missing.map((index) => headers[index] || `column ${index + 1}`);
    const shown = names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more` : names.join(", ");
    const problem =
      `This row has ${plural(record.length, "column")} but the header has ${headers.length}, so it has no ${shown}. ` +
      "A separator may be missing, or a value holding a comma or a line break may need quotes.";
    return { ok: false, reason: problem, problems: [problem] };
  }
  const problems: Problems = [];
  const mapped = mapCells(record, mapping, headers, now, problems);
  if (problems.length) return { ok: false, reason: joinProblems(problems), problems };
  return mapped;
}

function mapCells(record: readonly string[], mapping: ImportMapping, headers: readonly string[], now: Date, problems: Problems): MappedRow {
  const get = (field: SingleImportField) => cell(record, mapping[field]);
  const warnings: string[] = [];

  // Where the property is: the lead is unusable without it.
  const addressLine1 = get("address");
  if (!addressLine1 || !normalizeStreet(addressLine1)) problems.push("Missing property address");
  const rawState = get("state");
  const state = rawState ? normalizeStateCode(rawState) : "";
  const stateValid = !rawState || US_STATE_CODES.has(state);
  if (!stateValid) problems.push(`Invalid state ${quoteValue(rawState)}`);
  const rawZip = get("zip");
  const zip = rawZip ? normalizeZip5(rawZip) : "";
  if (rawZip && !zip) problems.push(`Invalid ZIP code ${quoteValue(rawZip)}`);
  const city = get("city");
  // (an unreadable state or ZIP was reported above: not again as missing)
  if (!zip && !rawZip && stateValid && !(city && state)) problems.push("Missing ZIP code (or city and state)");

  // Who owns it
  const fullName = get("ownerName");
  const combined = collapse(`${get("ownerFirstName")} ${get("ownerLastName")}`);
  const ownerName = (fullName || combined).slice(0, 200) || null;

  // Where the owner gets mail; absentee when that is not the property itself
  const mailingStreet = get("mailingAddress");
  const mailingCity = get("mailingCity");
  const rawMailingState = get("mailingState");
  const mailingState = rawMailingState ? normalizeStateCode(rawMailingState) : "";
  const rawMailingZip = get("mailingZip");
  const mailingZip = normalizeZip5(rawMailingZip) || rawMailingZip;
  const mailingTail = collapse(`${mailingState} ${mailingZip}`);
  const mailingAddress = mailingStreet ? [mailingStreet, mailingCity, mailingTail].filter(Boolean).join(", ").slice(0, 300) : null;
  let absentee: boolean | null = null;
  if (mailingStreet) {
    const mailStreetOnly = mailingCity || mailingTail ? mailingStreet : (mailingStreet.split(",")[0] as string);
    const sameStreet = normalizeStreet(mailStreetOnly) === normalizeStreet(addressLine1);
    const mailZip5 = normalizeZip5(rawMailingZip) || normalizeZip5(/\b\d{5}(?:-\d{4})?\s*$/.exec(mailingStreet)?.[0] ?? "");
    const sameZip = !zip || !mailZip5 || mailZip5 === zip;
    absentee = !(sameStreet && sameZip);
  }

  // Property facts and valuation
  const currentYear = now.getUTCFullYear();
  const beds = decimal(problems, "beds", get("beds"), { min: 0, max: 100 });
  const baths = decimal(problems, "baths", get("baths"), { min: 0, max: 100 });
  const sizeSqft = integer(problems, "sqft", get("sqft"), { min: 0, max: 10_000_000 });
  const yearBuilt = integer(problems, "yearBuilt", get("yearBuilt"), { min: 1600, max: currentYear + 2 });
  const estimatedValueCents = money(problems, "estimatedValue", get("estimatedValue"));
  const assessedValueCents = money(problems, "assessedValue", get("assessedValue"));
  const equityPct = decimal(problems, "equityPct", get("equityPct"), { min: -1000, max: 100 });
  const rawSaleDate = get("lastSaleDate");
  const parsedSaleDate = parseDate(rawSaleDate, now);
  if (parsedSaleDate === "invalid") problems.push(`${LABELS.lastSaleDate} is not a date: ${quoteValue(rawSaleDate)}`);
  const lastSaleDate = parsedSaleDate === "invalid" ? null : parsedSaleDate;
  const lastSalePriceCents = money(problems, "lastSalePrice", get("lastSalePrice"));

  // Contacts: unreadable ones are dropped, never the lead
  const phones: ImportedLead["phones"] = [];
  const droppedPhones: string[] = [];
  for (const index of mapping.phones) {
    const type = phoneTypeFromHeader(headers[index] ?? "");
    for (const raw of cell(record, index).split(PHONE_SPLIT).map(collapse).filter(Boolean)) {
      const number = toE164(raw);
      if (!number) {
        droppedPhones.push(raw);
        warnings.push(`Phone ${quoteValue(raw)} is not a valid US number; dropped`);
      } else if (!phones.some((phone) => phone.number === number)) {
        phones.push({ number, type });
      }
    }
  }
  const emails: string[] = [];
  const droppedEmails: string[] = [];
  for (const index of mapping.emails) {
    for (const raw of cell(record, index).split(EMAIL_SPLIT).filter(Boolean)) {
      const email = raw.toLowerCase().replace(/^mailto:/, "");
      if (!emailSchema.safeParse(email).success || email.length > 254) {
        droppedEmails.push(raw);
        warnings.push(`Email ${quoteValue(raw)} is not a valid address; dropped`);
      } else if (!emails.includes(email)) {
        emails.push(email);
      }
    }
  }
  const tags = [...new Set(mapping.tags.flatMap((index) => splitTags(cell(record, index))))];
  // Each Notes column's text becomes a note on the lead (line breaks kept, blanks skipped).
  const notes = mapping.notes.map((index) => noteText(record[index] ?? "")).filter((note): note is string => note !== null);

  return {
    ok: true,
    warnings,
    droppedPhones,
    droppedEmails,
    lead: {
      addressLine1: addressLine1.slice(0, 200),
      city: city.slice(0, 100),
      state,
      zip,
      ownerName,
      ownerIsCorporate: ownerName ? isCorporateOwnerName(ownerName) : false,
      mailingAddress,
      absentee,
      propertyType: get("propertyType").slice(0, 100) || null,
      beds,
      baths,
      sizeSqft,
      yearBuilt,
      estimatedValueCents,
      assessedValueCents,
      equityPct,
      lastSaleDate,
      lastSalePriceCents,
      phones,
      emails,
      tags,
      notes,
    },
  };
}

/** The longest note an import writes (as long as a note written on the lead page). */
export const MAX_IMPORTED_NOTE_LENGTH = 10_000;

/** A Notes cell as a note's text: trimmed lines, at most MAX_IMPORTED_NOTE_LENGTH; null when blank. */
export function noteText(raw: string): string | null {
  const text = raw
    .replace(/\u0000/g, "")
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (!text || isBlank(text)) return null;
  return text.length > MAX_IMPORTED_NOTE_LENGTH ? `${text.slice(0, MAX_IMPORTED_NOTE_LENGTH - 1)}…` : text;
}

/** A previewed row: the lead it becomes, or why it is rejected. */
export type SampleRow = { rowNumber: number; lead: ImportedLead | null; rejection: string | null; problems: string[]; warnings: string[] };

/** The first records of a file as `mapping` imports them (row numbers 1-based, header not counted). */
export function mapSampleRows(records: readonly (readonly string[])[], mapping: ImportMapping, headers: readonly string[], now: Date = new Date()): SampleRow[] {
  return records.map((record, i) => {
    const mapped = mapRecord(record, mapping, headers, now);
    return mapped.ok
      ? { rowNumber: i + 1, lead: mapped.lead, rejection: null, problems: [], warnings: mapped.warnings }
      : { rowNumber: i + 1, lead: null, rejection: mapped.reason, problems: mapped.problems, warnings: [] };
  });
}
