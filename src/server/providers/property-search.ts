/**
 * The property-search port: what the search capability asks of a data provider, and the domain
 * shapes every provider (ATTOM, sandbox) answers with. No secrets and no I/O here, so schemas and
 * types can be shared with tests and the client.
 *
 * Money is integer cents everywhere except the search filters' value range, which is whole dollars
 * because that is what a user types and what ATTOM filters on.
 */
import { z } from "zod";
import { safeString, isoCalendarDate } from "@/lib/text-schema";
import { US_STATE_CODES } from "@/lib/address";
import { MAX_ZIPS_PER_SEARCH } from "@/lib/search-url";
import { roundDegrees, roundRadiusMiles } from "@/lib/map-style";
import type { Billed } from "./billing";

export const PROPERTY_TYPES = ["sfr", "condo", "multi_family", "apartment", "land"] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];
/** A provider may return types the search cannot filter on (commercial, agricultural …). */
export type PropertyRecordType = PropertyType | "other";

/** Upper bound on ZIPs in one search: ATTOM answers one ZIP per paid call (shared with the search form). */
export { MAX_ZIPS_PER_SEARCH };

const foldedText = (max: number) =>
  safeString()
    .trim()
    .min(1)
    .max(max)
    .transform((text) => text.replace(/\s+/g, " ").toUpperCase());

const zipCode = safeString()
  .trim()
  .regex(/^\d{5}(-\d{4})?$/, "Enter a 5-digit ZIP code")
  .transform((zip) => zip.slice(0, 5));

const stateCode = safeString()
  .trim()
  .toUpperCase()
  .refine((state) => US_STATE_CODES.has(state), "Enter a two-letter US state code");

/** ZIPs are de-duplicated and sorted so the same set of ZIPs is the same query. */
const zipLocation = z.strictObject({
  zips: z
    .array(zipCode)
    .min(1, "Enter at least one ZIP code")
    .transform((zips) => [...new Set(zips)].sort())
    .refine((zips) => zips.length <= MAX_ZIPS_PER_SEARCH, {
      message: `Search at most ${MAX_ZIPS_PER_SEARCH} ZIP codes at once`,
    }),
});
/**
 * The provider's id of the place (ATTOM geoIdV4), once resolved: the user's choice among
 * same-named places, or filled in by the search from the cached resolution.
 */
const geoIdV4 = safeString().trim().regex(/^[A-Za-z0-9]{8,64}$/, "Not a place id");
const cityLocation = z.strictObject({ city: foldedText(80), state: stateCode, geoIdV4: geoIdV4.optional() });
const countyLocation = z.strictObject({
  // "Travis County" and "Travis" are one county
  county: foldedText(80).transform((county) => county.replace(/ COUNTY$/, "")),
  state: stateCode,
  geoIdV4: geoIdV4.optional(),
});

/** Largest radius ATTOM takes (miles; its default is 5). */
export const MAX_RADIUS_MILES = 20;
export const MIN_RADIUS_MILES = 1;
const degrees = (what: string, limit: number) =>
  z
    .number({ error: `Enter the ${what} as a number` })
    .min(-limit, `The ${what} must be between -${limit} and ${limit}`)
    .max(limit, `The ${what} must be between -${limit} and ${limit}`)
    // ~1 m: the same point clicked twice is one query (one cache key, paid once).
    .transform(roundDegrees);
/** A circle around a point (ATTOM's latitude + longitude + radius). */
const radiusLocation = z.strictObject({
  latitude: degrees("latitude", 90),
  longitude: degrees("longitude", 180),
  radiusMiles: z
    .number({ error: `Choose a radius from ${MIN_RADIUS_MILES} to ${MAX_RADIUS_MILES} miles` })
    .min(MIN_RADIUS_MILES, `Choose a radius from ${MIN_RADIUS_MILES} to ${MAX_RADIUS_MILES} miles`)
    .max(MAX_RADIUS_MILES, `Choose a radius from ${MIN_RADIUS_MILES} to ${MAX_RADIUS_MILES} miles`)
    .transform(roundRadiusMiles),
});

export const searchLocationSchema = z.union([zipLocation, cityLocation, countyLocation, radiusLocation]);
export type SearchLocation = z.output<typeof searchLocationSchema>;
export type RadiusLocation = z.output<typeof radiusLocation>;

export function isRadiusLocation(location: SearchLocation): location is RadiusLocation {
  return "radiusMiles" in location;
}

/** Great-circle distance in miles (haversine, mean Earth radius). */
export function distanceMiles(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 3958.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
export type ZipLocation = z.output<typeof zipLocation>;
export type CityLocation = z.output<typeof cityLocation>;
export type CountyLocation = z.output<typeof countyLocation>;

const count = z.int().min(0).max(1000);
const isoDate = isoCalendarDate();

/**
 * Filters. Ranges are inclusive; a property whose value for a filtered field is unknown does not
 * match that filter. `equityPctMin` is a percentage (0–100), like `PropertyRecord.equityPct`.
 */
export const propertyFiltersSchema = z
  .object({
    propertyType: z.enum([...PROPERTY_TYPES, "any"]).default("any"),
    bedsMin: count.optional(),
    bedsMax: count.optional(),
    bathsMin: z.number().min(0).max(1000).optional(),
    bathsMax: z.number().min(0).max(1000).optional(),
    yearBuiltMin: z.int().min(1600).max(2100).optional(),
    yearBuiltMax: z.int().min(1600).max(2100).optional(),
    sizeMin: z.int().min(0).optional(),
    sizeMax: z.int().min(0).optional(),
    valueMin: z.int().min(0).optional(),
    valueMax: z.int().min(0).optional(),
    valueBasis: z.enum(["avm", "assessed"]).default("avm"),
    equityPctMin: z.number().min(0).max(100).optional(),
    absentee: z.enum(["absentee", "occupied", "any"]).default("any"),
    lastSaleBefore: isoDate.optional(),
    lastSaleAfter: isoDate.optional(),
  })
  .superRefine((filters, ctx) => {
    const ranges = [
      ["bedsMin", "bedsMax"],
      ["bathsMin", "bathsMax"],
      ["yearBuiltMin", "yearBuiltMax"],
      ["sizeMin", "sizeMax"],
      ["valueMin", "valueMax"],
      ["lastSaleAfter", "lastSaleBefore"],
    ] as const;
    for (const [lowKey, highKey] of ranges) {
      const low = filters[lowKey];
      const high = filters[highKey];
      if (low !== undefined && high !== undefined && low > high) {
        ctx.addIssue({
          code: "custom",
          path: [highKey],
          // Said next to the range's "to" field (the search form shows it there).
          message: lowKey === "lastSaleAfter" ? "This date is before “Last sale after”" : "“To” must not be less than “From”",
        });
      }
    }
  });
export type PropertyFilters = z.output<typeof propertyFiltersSchema>;

export const propertySearchQuerySchema = z.object({
  location: searchLocationSchema,
  filters: propertyFiltersSchema.prefault({}),
  page: z.int().min(1).max(10_000).default(1),
  pageSize: z.int().min(1).max(100).default(25),
});
/** A parsed, canonical query: defaults applied, ZIPs sorted, city/county/state uppercased. */
export type PropertySearchQuery = z.output<typeof propertySearchQuerySchema>;
/** What a caller may send (defaults optional). */
export type PropertySearchQueryInput = z.input<typeof propertySearchQuerySchema>;

const cents = z.int();

export const propertyRecordSchema = z.object({
  /** The provider's stable id of the property (ATTOM's attomId, the sandbox's generated id). */
  externalId: z.string(),
  address: z.object({
    line1: z.string(),
    city: z.string(),
    state: z.string(),
    zip: z.string(),
  }),
  ownerName: z.string().nullable(),
  ownerIsCorporate: z.boolean(),
  /** Owner's mailing address on one line, null when unknown. */
  mailingAddress: z.string().nullable(),
  absentee: z.boolean().nullable(),
  propertyType: z.enum([...PROPERTY_TYPES, "other"]),
  beds: z.number().nullable(),
  baths: z.number().nullable(),
  sizeSqft: z.int().nullable(),
  yearBuilt: z.int().nullable(),
  estimatedValueCents: cents.nullable(),
  assessedValueCents: cents.nullable(),
  /** Equity as a percentage of value (may be negative when underwater), one decimal. */
  equityPct: z.number().nullable(),
  /** YYYY-MM-DD */
  lastSaleDate: z.iso.date().nullable(),
  lastSalePriceCents: cents.nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  vacant: z.boolean().nullable(),
});
export type PropertyRecord = z.output<typeof propertyRecordSchema>;

export const propertySearchPageSchema = z.object({
  properties: z.array(propertyRecordSchema),
  total: z.int().min(0),
  page: z.int().min(1),
  pageSize: z.int().min(1),
});
/** One provider answer: a page of one location (one ZIP, a city or a county). */
export type PropertySearchPage = z.output<typeof propertySearchPageSchema>;

/**
 * One query per paid call: one per ZIP (ATTOM's postalCode takes one ZIP), else the query
 * itself. Each has the same filters and page; the search capability caches and bills each.
 */
export function splitByLocation(query: PropertySearchQuery): PropertySearchQuery[] {
  const { location } = query;
  if (!("zips" in location)) return [query];
  return location.zips.map((zip) => ({ ...query, location: { zips: [zip] } }));
}

/** The paid calls a query makes: one per ZIP, else one. */
export function plannedCalls(query: PropertySearchQuery): number {
  return splitByLocation(query).length;
}

/** The resolved place id a city or county query carries, if any. */
export function geoIdOf(location: SearchLocation): string | undefined {
  return "zips" in location || isRadiusLocation(location) ? undefined : location.geoIdV4;
}

/** How a single-location query names its location to a user: "85281", "AUSTIN, TX", "TRAVIS County, TX", "5 mi around 39.74, -104.99". */
export function locationLabel(query: PropertySearchQuery): string {
  const { location } = query;
  if ("zips" in location) return location.zips.join(", ");
  if (isRadiusLocation(location)) return `${location.radiusMiles} mi around ${location.latitude}, ${location.longitude}`;
  if ("city" in location) return `${location.city}, ${location.state}`;
  return `${location.county} County, ${location.state}`;
}

export type PropertySearchProviderName = "attom" | "sandbox";

export interface PropertySearchOptions {
  signal?: AbortSignal;
}

export interface PropertySearchProvider {
  readonly name: PropertySearchProviderName;
  /** True for the sandbox: its calls are counted under the budget but billed by nobody. */
  readonly simulated: boolean;
  /** Whether it searches a city or a county (ATTOM: by the place's resolved geoIdV4). */
  readonly supportsCityCounty: boolean;
  /**
   * One paid call: a query of one location (see `splitByLocation`). Resolves with the page and
   * what the provider billed for it; rejects with a `ProviderCallError` whose `billing` says what
   * a failed call still cost (any other rejection cost nothing).
   */
  search(query: PropertySearchQuery, opts?: PropertySearchOptions): Promise<Billed<PropertySearchPage>>;
}

/**
 * Whether a record satisfies the filters. The sandbox filters with it; the ATTOM adapter needs it
 * for what ATTOM cannot filter server-side (equity).
 */
export function matchesPropertyFilters(record: PropertyRecord, filters: PropertyFilters): boolean {
  const inRange = (value: number | null, min?: number, max?: number) =>
    (min === undefined && max === undefined) ||
    (value !== null && (min === undefined || value >= min) && (max === undefined || value <= max));
  const dollarsToCents = (dollars?: number) => (dollars === undefined ? undefined : dollars * 100);
  const value =
    filters.valueBasis === "avm" ? record.estimatedValueCents : record.assessedValueCents;

  if (filters.propertyType !== "any" && record.propertyType !== filters.propertyType) return false;
  const wantsAbsentee = filters.absentee === "absentee";
  if (filters.absentee !== "any" && record.absentee !== wantsAbsentee) return false;
  return (
    inRange(record.beds, filters.bedsMin, filters.bedsMax) &&
    inRange(record.baths, filters.bathsMin, filters.bathsMax) &&
    inRange(record.yearBuilt, filters.yearBuiltMin, filters.yearBuiltMax) &&
    inRange(record.sizeSqft, filters.sizeMin, filters.sizeMax) &&
    inRange(value, dollarsToCents(filters.valueMin), dollarsToCents(filters.valueMax)) &&
    inRange(record.equityPct, filters.equityPctMin, undefined) &&
    // ISO dates compare correctly as strings
    (filters.lastSaleAfter === undefined ||
      (record.lastSaleDate !== null && record.lastSaleDate >= filters.lastSaleAfter)) &&
    (filters.lastSaleBefore === undefined ||
      (record.lastSaleDate !== null && record.lastSaleDate <= filters.lastSaleBefore))
  );
}
