/**
 * The place-resolution port: a city or a county of a state → the provider's place ids
 * (ATTOM's geoIdV4), which property search then takes as its location. ATTOM answers through its
 * location lookup (a paid call); the sandbox answers the same way from a deterministic table.
 * No secrets and no I/O here.
 */
import { z } from "zod";
import type { Billed } from "./billing";
import type { PropertySearchOptions, PropertySearchProviderName, SearchLocation } from "./property-search";

export const PLACE_KINDS = ["city", "county"] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** A place as the user named it: kind, name and state, already uppercased by the query schema. */
export type PlaceQuery = { kind: PlaceKind; name: string; state: string };

export const placeCandidateSchema = z.object({
  geoIdV4: z.string(),
  kind: z.enum(PLACE_KINDS),
  /** The place's own name ("SPRINGFIELD", "TRAVIS COUNTY"). */
  name: z.string(),
  state: z.string(),
  /** The county a city lies in, when the provider says (what tells two same-named places apart). */
  county: z.string().nullable(),
  /** How the provider names it ("Springfield, Delaware County, PA"): shown to the user as is. */
  label: z.string(),
});
export type PlaceCandidate = z.output<typeof placeCandidateSchema>;

export interface PlaceResolver {
  readonly name: PropertySearchProviderName;
  readonly simulated: boolean;
  /**
   * One lookup: every place of that kind in that state whose name is the one asked for (none:
   * unknown; several: ambiguous). Resolves with what the provider billed; rejects with a
   * `ProviderCallError` whose `billing` says what a failed lookup still cost.
   */
  resolve(place: PlaceQuery, opts?: PropertySearchOptions): Promise<Billed<PlaceCandidate[]>>;
}

/** The place a city or county location names; null for ZIPs. */
export function placeOf(location: SearchLocation): PlaceQuery | null {
  if ("city" in location) return { kind: "city", name: location.city, state: location.state };
  if ("county" in location) return { kind: "county", name: location.county, state: location.state };
  return null;
}

/** "AUSTIN, TX" or "TRAVIS County, TX", as the user typed it. */
export function placeQueryLabel(place: PlaceQuery): string {
  return place.kind === "city" ? `${place.name}, ${place.state}` : `${place.name} County, ${place.state}`;
}

const WORD_FORMS: Record<string, string> = { SAINT: "ST", STE: "ST", SAINTE: "ST", FORT: "FT", MOUNT: "MT", MOUNTAIN: "MTN" };
const COUNTY_WORDS = /\s+(COUNTY|PARISH|BOROUGH|CENSUS AREA|MUNICIPALITY|CITY AND BOROUGH)$/;
const PLACE_WORDS = /\s+(CITY|TOWN|VILLAGE|BOROUGH|TOWNSHIP|CDP)$/;

/**
 * The comparison key of a place name: one key for "St. Louis", "Saint Louis" and "ST LOUIS";
 * "Travis County" and "Travis" are one county; "Springfield city" and "Springfield" one city.
 */
export function placeNameKey(kind: PlaceKind, name: string): string {
  let key = name
    .toUpperCase()
    .replace(/[.'’]/g, "")
    .replace(/[^A-Z0-9]+/g, " ")
    .trim();
  key = key.replace(kind === "county" ? COUNTY_WORDS : PLACE_WORDS, "");
  return key
    .split(" ")
    .map((word) => WORD_FORMS[word] ?? word)
    .join(" ");
}

const SPELLING_SWAPS: Record<string, string> = { SAINT: "ST.", "ST.": "SAINT", ST: "SAINT", FORT: "FT.", "FT.": "FORT", FT: "FORT", MOUNT: "MT.", "MT.": "MOUNT", MT: "MOUNT" };

/**
 * The other customary spelling of a name, when it has one: "SAINT LOUIS" ↔ "ST. LOUIS", "FORT
 * WORTH" ↔ "FT. WORTH". Lookups that match text find one spelling and not the other.
 */
export function alternateSpelling(name: string): string | null {
  const words = name.toUpperCase().split(/\s+/).filter(Boolean);
  let changed = false;
  const swapped = words.map((word) => {
    const swap = SPELLING_SWAPS[word];
    if (swap) changed = true;
    return swap ?? word;
  });
  return changed ? swapped.join(" ") : null;
}
