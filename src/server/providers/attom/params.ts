/**
 * PropertySearchQuery → ATTOM query-string parameters (see docs/PROVIDERS.md, ATTOM).
 *
 * Location: ATTOM's `postalCode` takes exactly one ZIP, and cities and counties are searchable only
 * through their `geoIdV4` (which ATTOM's location lookup resolves; several join with `|`). So:
 * - one ZIP → `postalCode`;
 * - several ZIPs → one request per ZIP (`splitQueryByZip`), each a paid call, results merged by
 *   the adapter — or one request with the ZIPs' resolved `geoIdV4`s;
 * - city or county → only with resolved `geoIdV4`s, else `AttomUnsupportedQueryError`;
 * - a circle → `latitude` + `longitude` + `radius` (miles, at most 20), one request.
 *
 * Equity has no ATTOM filter: `ATTOM_LOCAL_FILTERS` lists what the adapter must apply itself to
 * the returned page (with `matchesPropertyFilters`).
 */
import { isRadiusLocation, type PropertyFilters, type PropertySearchQuery, type PropertyType } from "../property-search";

export class AttomUnsupportedQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AttomUnsupportedQueryError";
  }
}

export const ATTOM_PROPERTY_INDICATOR: Record<PropertyType, string> = {
  sfr: "10",
  condo: "11",
  multi_family: "21",
  apartment: "22",
  land: "80",
};

/** Filters ATTOM cannot apply server-side. */
export const ATTOM_LOCAL_FILTERS = [
  "equityPctMin",
] as const satisfies readonly (keyof PropertyFilters)[];

export function needsLocalFiltering(query: PropertySearchQuery): boolean {
  return ATTOM_LOCAL_FILTERS.some((key) => query.filters[key] !== undefined);
}

export interface ResolvedAttomLocation {
  /** geoIdV4s from ATTOM's location lookup for the query's ZIPs, city or county. */
  geoIdV4?: readonly string[];
}

export function toAttomParams(
  query: PropertySearchQuery,
  resolved: ResolvedAttomLocation = {},
): Record<string, string> {
  return {
    ...locationParams(query, resolved),
    ...filterParams(query.filters),
    page: String(query.page),
    pageSize: String(query.pageSize),
  };
}

/** One query per ZIP (same filters and page); non-ZIP queries come back unchanged. */
export function splitQueryByZip(query: PropertySearchQuery): PropertySearchQuery[] {
  const { location } = query;
  if (!("zips" in location)) return [query];
  return location.zips.map((zip) => ({ ...query, location: { zips: [zip] } }));
}

function locationParams(
  query: PropertySearchQuery,
  resolved: ResolvedAttomLocation,
): Record<string, string> {
  if (resolved.geoIdV4 && resolved.geoIdV4.length > 0)
    return { geoIdV4: resolved.geoIdV4.join("|") };
  const { location } = query;
  if ("zips" in location) {
    const [zip, ...more] = location.zips;
    if (!zip || more.length > 0) {
      throw new AttomUnsupportedQueryError(
        "ATTOM searches one ZIP per request: split the query with splitQueryByZip or resolve geoIdV4s.",
      );
    }
    return { postalCode: zip };
  }
  if (isRadiusLocation(location)) {
    return { latitude: String(location.latitude), longitude: String(location.longitude), radius: String(location.radiusMiles) };
  }
  const place = "city" in location ? `city ${location.city}` : `county ${location.county}`;
  throw new AttomUnsupportedQueryError(
    `ATTOM searches a ${place}, ${location.state} only by its geoIdV4; resolve it with the location lookup first.`,
  );
}

function filterParams(filters: PropertyFilters): Record<string, string> {
  const params: Record<string, string | undefined> = {
    propertyIndicator:
      filters.propertyType === "any" ? undefined : ATTOM_PROPERTY_INDICATOR[filters.propertyType],
    minBeds: numberParam(filters.bedsMin),
    maxBeds: numberParam(filters.bedsMax),
    minBathsTotal: numberParam(filters.bathsMin),
    maxBathsTotal: numberParam(filters.bathsMax),
    minUniversalSize: numberParam(filters.sizeMin),
    maxUniversalSize: numberParam(filters.sizeMax),
    minYearBuilt: numberParam(filters.yearBuiltMin),
    maxYearBuilt: numberParam(filters.yearBuiltMax),
    absenteeowner: filters.absentee === "any" ? undefined : filters.absentee,
    startSaleSearchDate: attomDate(filters.lastSaleAfter),
    endSaleSearchDate: attomDate(filters.lastSaleBefore),
  };
  if (filters.valueBasis === "avm") {
    params.minAVMValue = numberParam(filters.valueMin);
    params.maxAVMValue = numberParam(filters.valueMax);
  } else {
    params.minAssdTtlValue = numberParam(filters.valueMin);
    params.maxAssdTtlValue = numberParam(filters.valueMax);
  }
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function numberParam(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** ATTOM dates are YYYY/MM/DD. */
function attomDate(isoDate: string | undefined): string | undefined {
  return isoDate?.replaceAll("-", "/");
}
