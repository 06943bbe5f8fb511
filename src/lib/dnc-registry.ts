/**
 * National DNC Registry extracts (COMPLIANCE.md "Do-Not-Call"): reading an area-code file line by
 * line as its bytes arrive, and how fresh a loaded extract is. Pure: no I/O.
 *
 * A file holds one 10-digit number per line ("5125550142"; separators such as "512-555-0142" or
 * "512,5550142" and a leading 1 are tolerated). Every number must belong to the file's area code:
 * the registry is downloaded per area code, and a re-upload replaces exactly that area code.
 */

/** Where a number can be listed as do-not-contact (compliance/dnc.ts explains each). */
export const DNC_SOURCES = ["internal", "registry", "skip_trace_dnc", "skip_trace_tcpa"] as const;
export type DncSource = (typeof DNC_SOURCES)[number];

/** COMPLIANCE.md: scrub against a registry copy no older than 31 days. */
export const REGISTRY_STALE_AFTER_DAYS = 31;

const DAY_MS = 86_400_000;

/** A NANP area code: NXX with N = 2–9 (and not an N11 service code). */
export function isAreaCode(value: number): boolean {
  return Number.isInteger(value) && value >= 200 && value <= 999 && value % 100 !== 11;
}

/** "512.txt", "512_2026-11-20.txt", "DNC-512.csv" → 512; null when the name does not start with (or hold) one. */
export function areaCodeFromFileName(fileName: string): number | null {
  const match = /(?:^|[^0-9])([2-9][0-9]{2})(?:[^0-9]|$)/.exec(fileName);
  const code = match ? Number(match[1]) : NaN;
  return isAreaCode(code) ? code : null;
}

/** Whole days from an extract's date (a calendar date, UTC) to `at`. */
export function registryAgeDays(extractDate: Date, at: Date): number {
  const day = Date.UTC(extractDate.getUTCFullYear(), extractDate.getUTCMonth(), extractDate.getUTCDate());
  const today = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return Math.floor((today - day) / DAY_MS);
}

/** Older than 31 days at `at`: a check against it no longer counts as a scrub. */
export function isRegistryStale(extractDate: Date, at: Date): boolean {
  return registryAgeDays(extractDate, at) > REGISTRY_STALE_AFTER_DAYS;
}

/** The 10-digit national number of a NANP E.164 phone (+15125550142 → 5125550142), or null. */
export function nationalNumberOf(e164: string): number | null {
  if (!/^\+1[2-9][0-9]{2}[2-9][0-9]{6}$/.test(e164)) return null;
  return Number(e164.slice(2));
}

/** The area code of a 10-digit national number. */
export const areaCodeOf = (national: number): number => Math.floor(national / 10_000_000);

export type RegistryReject = { line: number; value: string; reason: string };

const SHOWN_REJECTS = 20;
const LINE_SAMPLE = 40;
const SUBSCRIBERS = 10_000_000;

const NEWLINE = 10;
const CR = 13;

/**
 * Reads an area-code extract as its bytes arrive. Numbers come out in batches (`takeBatch`) so the
 * caller can write them while the next bytes are read; memory holds one batch plus a 1.25 MB
 * bitmap of the area code's 10 million numbers, which also drops repeats within the file.
 */
export class RegistryLineReader {
  readonly areaCode: number;
  private readonly base: number;
  private readonly seen = new Uint8Array(SUBSCRIBERS / 8);
  private batch: number[] = [];
  /** The current line: its digits as a number, how many, whether it held anything else. */
  private value = 0;
  private digits = 0;
  private junk = false;
  private nonBlank = false;
  private sample = "";
  /** Lines of the file so far, blank ones included (what a text editor numbers). */
  private physical = 0;
  /** Lines with something on them. */
  lines = 0;
  accepted = 0;
  duplicates = 0;
  rejected = 0;
  readonly rejects: RegistryReject[] = [];

  constructor(areaCode: number) {
    if (!isAreaCode(areaCode)) throw new Error(`not an area code: ${areaCode}`);
    this.areaCode = areaCode;
    this.base = areaCode * SUBSCRIBERS;
  }

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (byte === NEWLINE) {
        this.endLine();
        continue;
      }
      if (this.sample.length < LINE_SAMPLE && byte !== CR) this.sample += String.fromCharCode(byte);
      if (byte >= 48 && byte <= 57) {
        this.nonBlank = true;
        if (this.digits < 12) this.value = this.value * 10 + (byte - 48);
        this.digits++;
      } else if (byte === 32 || byte === 9 || byte === CR || byte === 45 || byte === 44 || byte === 46 || byte === 40 || byte === 41 || byte === 43 || byte === 34) {
        // space, tab, CR, - , . ( ) + " : separators
      } else {
        this.nonBlank = true;
        this.junk = true;
      }
    }
  }

  /** The end of the file: a last line without a newline counts. */
  finish(): void {
    if (this.nonBlank || this.digits > 0) this.endLine();
  }

  /** Numbers read since the last call, once at least `min` are waiting (all of them when min is 0). */
  takeBatch(min = 0): number[] | null {
    if (this.batch.length === 0 || this.batch.length < min) return null;
    const batch = this.batch;
    this.batch = [];
    return batch;
  }

  private endLine(): void {
    const { digits, junk, nonBlank } = this;
    let value = this.value;
    const sample = this.sample;
    this.value = 0;
    this.digits = 0;
    this.junk = false;
    this.nonBlank = false;
    this.sample = "";
    this.physical++;
    if (!nonBlank) return; // blank lines are not lines of data
    this.lines++;
    if (digits === 11 && Math.floor(value / 10_000_000_000) === 1) value -= 10_000_000_000;
    const national = digits === 10 || digits === 11 ? value : -1;
    if (junk || national < 0 || (digits === 11 && national >= 10_000_000_000)) return this.reject(sample, "Not a 10-digit phone number.");
    if (areaCodeOf(national) !== this.areaCode) return this.reject(sample, `Not in area code ${this.areaCode}.`);
    const subscriber = national - this.base;
    if (Math.floor(subscriber / 1_000_000) < 2) return this.reject(sample, "Not a valid phone number (its exchange starts with 0 or 1).");
    const byte = subscriber >> 3;
    const bit = 1 << (subscriber & 7);
    if (this.seen[byte]! & bit) {
      this.duplicates++;
      return;
    }
    this.seen[byte]! |= bit;
    this.accepted++;
    this.batch.push(national);
  }

  private reject(value: string, reason: string): void {
    this.rejected++;
    if (this.rejects.length < SHOWN_REJECTS) this.rejects.push({ line: this.physical, value: value.trim(), reason });
  }
}
