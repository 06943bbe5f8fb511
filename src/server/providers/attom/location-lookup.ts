/**
 * ATTOM's location lookup (`GET /v4/location/lookup?name=…&geographyTypeAbbreviation=…`) → place
 * candidates. The one place that knows that answer's field names.
 *
 * Shape, as ATTOM's help centre documents it (article "Location Lookup", example
 * `?geographyTypeAbbreviation=CI&name=Boston, MA`):
 *   { status: { version, code, msg, total, page, pageSize, transactionID },
 *     geographies: [{ geoIdV4, geographyName: "Boston, MA", geographyTypeName: "Postal City",
 *                     geographyTypeAbbreviation: "CI", details: { name: "Boston", latitude, longitude, … } }] }
 * The name matches as text ("Boston, MA" also finds "East Boston, MA"), so the answer is
 * filtered here to the places whose own name is the one asked for. Geography types (ATTOM's
 * "Upgrading to Area API V4"): PL place (a city), CO county, ZI/PZ ZIP, ST state. Client code in
 * the wild reads a place's geographyName as "<City>, <County>, <ST>" and a county's as
 * "<County> County, <ST>"; both are read here, and anything else keeps its name and state from
 * `details` or the last part of the name. Keys are lowercased before parsing, as for the
 * property endpoints; unknown fields pass through.
 */
import { z } from "zod";
import { placeNameKey, type PlaceCandidate, type PlaceKind, type PlaceQuery } from "../place-resolver";

export const ATTOM_LOCATION_LOOKUP_PATH = "v4/location/lookup";

/** ATTOM's geography type of each place kind. */
export const ATTOM_GEOGRAPHY_TYPE: Record<PlaceKind, string> = { city: "PL", county: "CO" };

function lowercaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowercaseKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowercaseKeys(inner)]));
  }
  return value;
}

const text = z
  .unknown()
  .transform((value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : typeof value === "number" ? String(value) : null))
  .default(null);

const statusCode = z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/).transform(Number)]);

const geographySchema = z.looseObject({
  geoidv4: text,
  geographyname: text,
  geographytypename: text,
  geographytypeabbreviation: text,
  details: z.looseObject({ name: text }).optional().catch(undefined),
});

export const attomLocationLookupSchema = z.preprocess(
  lowercaseKeys,
  z.looseObject({
    status: z.looseObject({ code: statusCode, msg: text, total: z.unknown().optional(), transactionid: text }),
    // A malformed entry is dropped, never the whole answer.
    geographies: z.array(z.unknown()).optional(),
  }),
);
export type AttomLocationLookup = z.output<typeof attomLocationLookupSchema>;

/** Throws a ZodError when the body is not an ATTOM answer at all (no status code). */
export function parseAttomLocationLookup(body: unknown): AttomLocationLookup {
  return attomLocationLookupSchema.parse(body);
}

/** "No geography matched": status 400 / "SuccessWithoutResult", like the property endpoints. */
export function isLocationNoResult(answer: AttomLocationLookup): boolean {
  return answer.status.code === 400 || answer.status.msg?.toLowerCase() === "successwithoutresult" || (answer.status.code === 0 && (answer.geographies ?? []).length === 0);
}

/** The lookup's `name` parameter: "Austin, TX", "Travis County, TX". */
export function locationLookupName(place: PlaceQuery): string {
  const name = titleCase(place.name);
  return place.kind === "county" ? `${name} County, ${place.state}` : `${name}, ${place.state}`;
}

/**
 * The geographies of the asked kind and state whose own name is the one asked for, as candidates
 * (distinct geoIdV4s, in ATTOM's order).
 */
export function toPlaceCandidates(answer: AttomLocationLookup, place: PlaceQuery): PlaceCandidate[] {
  const wantedType = ATTOM_GEOGRAPHY_TYPE[place.kind];
  const wantedKey = placeNameKey(place.kind, place.name);
  const seen = new Set<string>();
  const candidates: PlaceCandidate[] = [];
  for (const raw of answer.geographies ?? []) {
    const parsed = geographySchema.safeParse(raw);
    if (!parsed.success) continue;
    const geography = parsed.data;
    if (!geography.geoidv4 || !geography.geographyname) continue;
    if (geography.geographytypeabbreviation && geography.geographytypeabbreviation.toUpperCase() !== wantedType) continue;
    const parts = geography.geographyname.split(",").map((part) => part.trim()).filter(Boolean);
    const state = parts.length > 1 ? parts[parts.length - 1]!.toUpperCase() : null;
    if (state !== place.state) continue;
    const name = (geography.details?.name ?? parts[0]!).toUpperCase();
    if (placeNameKey(place.kind, name) !== wantedKey) continue;
    if (seen.has(geography.geoidv4)) continue;
    seen.add(geography.geoidv4);
    const county = place.kind === "city" && parts.length > 2 ? parts.slice(1, -1).join(", ").toUpperCase() : null;
    candidates.push({ geoIdV4: geography.geoidv4, kind: place.kind, name, state, county, label: geography.geographyname });
  }
  return candidates;
}

function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s-])([a-z])/g, (_, lead: string, letter: string) => lead + letter.toUpperCase());
}
