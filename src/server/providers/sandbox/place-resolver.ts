/**
 * The sandbox place resolver: answers city and county lookups like ATTOM's location lookup,
 * deterministically and without network. Every place exists except SANDBOX_UNKNOWN_PLACE (and the
 * county SANDBOX_UNKNOWN_COUNTY); a few
 * common town names (SANDBOX_AMBIGUOUS_CITIES) exist twice in every state, in two counties, so the
 * chooser can be seen and tested. Ids are 32 hex characters like ATTOM's geoIdV4.
 */
import { fnv1a32 } from "@/lib/random";
import { billed, NOT_BILLED, type Billed } from "../billing";
import { placeNameKey, placeQueryLabel, type PlaceCandidate, type PlaceKind, type PlaceQuery, type PlaceResolver } from "../place-resolver";
import type { PropertySearchOptions } from "../property-search";

/** A name the sandbox knows nowhere (for tests and demos of the ZIP fallback). */
export const SANDBOX_UNKNOWN_PLACE = "NOWHERESVILLE";
/** A real county the sandbox does not resolve, so the fallback shows its real ZIPs (Kenedy County, TX: 78338, 78385). */
export const SANDBOX_UNKNOWN_COUNTY = "KENEDY";

/** City names the sandbox finds twice in any state: the two counties each lies in. */
export const SANDBOX_AMBIGUOUS_CITIES: Readonly<Record<string, readonly [string, string]>> = {
  SPRINGFIELD: ["GREENE COUNTY", "CLARK COUNTY"],
  FRANKLIN: ["WARREN COUNTY", "JOHNSON COUNTY"],
  WASHINGTON: ["WASHINGTON COUNTY", "DAVIS COUNTY"],
};

/** The sandbox's id of a place; `county` tells apart same-named cities. */
export function sandboxPlaceGeoId(kind: PlaceKind, name: string, state: string, county: string | null = null): string {
  const seed = `${kind}|${placeNameKey(kind, name)}|${state}|${county ?? ""}`;
  return [1, 2, 3, 4].map((salt) => fnv1a32(`${salt}:${seed}`).toString(16).padStart(8, "0")).join("");
}

export function sandboxPlaceCandidates(place: PlaceQuery): PlaceCandidate[] {
  const key = placeNameKey(place.kind, place.name);
  if (key === SANDBOX_UNKNOWN_PLACE || (place.kind === "county" && key === SANDBOX_UNKNOWN_COUNTY)) return [];
  const twins = place.kind === "city" ? SANDBOX_AMBIGUOUS_CITIES[key] : undefined;
  if (twins) {
    return twins.map((county) => ({
      geoIdV4: sandboxPlaceGeoId(place.kind, place.name, place.state, county),
      kind: place.kind,
      name: place.name,
      state: place.state,
      county,
      label: `${place.name}, ${county}, ${place.state}`,
    }));
  }
  return [{ geoIdV4: sandboxPlaceGeoId(place.kind, place.name, place.state), kind: place.kind, name: place.name, state: place.state, county: null, label: placeQueryLabel(place) }];
}

export function createSandboxPlaceResolver(): PlaceResolver {
  return {
    name: "sandbox",
    simulated: true,
    async resolve(place: PlaceQuery, opts: PropertySearchOptions = {}): Promise<Billed<PlaceCandidate[]>> {
      opts.signal?.throwIfAborted();
      const candidates = sandboxPlaceCandidates(place);
      // Simulates ATTOM: a lookup that found places is one billed call; "no result" is free.
      return { value: candidates, billing: candidates.length > 0 ? billed(1) : NOT_BILLED };
    },
  };
}
