import { EMPTY_SEARCH, type SearchFormState } from "./search-url";

/**
 * A saved or recent property search in words ("ZIP 78701, 78702" · "Single family, 3+ beds,
 * absentee owners") and back into the search form's URL state, so one click re-runs it.
 * The query is search.run's input as the server keeps it (unknown here: lib reads it defensively).
 */

type Location = { zips?: string[]; city?: string; county?: string; state?: string; geoIdV4?: string; latitude?: number; longitude?: number; radiusMiles?: number };
type Filters = Record<string, unknown>;
type Query = { location?: Location; filters?: Filters; pageSize?: number };

const TYPE_LABELS: Record<string, string> = { sfr: "Single family", condo: "Condo", multi_family: "Multi-family (2–4)", apartment: "Apartment (5+)", land: "Vacant land" };

const asQuery = (query: unknown): Query => (query && typeof query === "object" ? (query as Query) : {});
const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

function titleCase(text: string) {
  return text.toLowerCase().replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());
}

export function describeSearchLocation(query: unknown): string {
  const location = asQuery(query).location ?? {};
  if (location.zips?.length) return `ZIP ${location.zips.join(", ")}`;
  if (location.city) return `${titleCase(location.city)}, ${location.state ?? ""}`.trim();
  if (location.county) return `${titleCase(location.county)} County, ${location.state ?? ""}`.trim();
  if (num(location.radiusMiles) !== undefined) return `${location.radiusMiles} mi around ${location.latitude}, ${location.longitude}`;
  return "—";
}

function range(label: string, min: number | undefined, max: number | undefined, format: (n: number) => string = String, unit = "") {
  if (min !== undefined && max !== undefined) return `${label} ${format(min)}–${format(max)}${unit}`;
  if (min !== undefined) return `${label} ${format(min)}+${unit}`;
  if (max !== undefined) return `${label} up to ${format(max)}${unit}`;
  return null;
}

const dollars = (n: number) => (n >= 1_000_000 ? `$${(n / 1_000_000).toLocaleString("en-US", { maximumFractionDigits: 2 })}M` : n >= 1000 ? `$${(n / 1000).toLocaleString("en-US", { maximumFractionDigits: 1 })}k` : `$${n}`);

/** The filters that narrow the search, in words; empty when it is "everything here". */
export function describeSearchFilters(query: unknown): string[] {
  const filters = asQuery(query).filters ?? {};
  const parts: (string | null)[] = [];
  const type = str(filters.propertyType);
  if (type && type !== "any") parts.push(TYPE_LABELS[type] ?? type);
  if (filters.absentee === "absentee") parts.push("Absentee owners");
  if (filters.absentee === "occupied") parts.push("Owner-occupied");
  parts.push(range("Beds", num(filters.bedsMin), num(filters.bedsMax)));
  parts.push(range("Baths", num(filters.bathsMin), num(filters.bathsMax)));
  parts.push(range("Built", num(filters.yearBuiltMin), num(filters.yearBuiltMax)));
  parts.push(range("Size", num(filters.sizeMin), num(filters.sizeMax), (n) => n.toLocaleString("en-US"), " sq ft"));
  const basis = filters.valueBasis === "assessed" ? "Assessed" : "Value";
  parts.push(range(basis, num(filters.valueMin), num(filters.valueMax), dollars));
  const equity = num(filters.equityPctMin);
  if (equity !== undefined) parts.push(`Equity ≥ ${equity}%`);
  const after = str(filters.lastSaleAfter);
  const before = str(filters.lastSaleBefore);
  if (after) parts.push(`Sold after ${after}`);
  if (before) parts.push(`Sold before ${before}`);
  return parts.filter((part): part is string => part !== null);
}

const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));

/** The search form's state (URL) for a query, on page 1. */
export function formStateFromQuery(query: unknown): SearchFormState {
  const { location = {}, filters = {}, pageSize } = asQuery(query);
  const mode = location.zips ? "zip" : location.city ? "city" : location.county ? "county" : num(location.radiusMiles) !== undefined ? "radius" : "zip";
  return {
    ...EMPTY_SEARCH,
    mode,
    zips: location.zips?.join(", ") ?? "",
    city: location.city ? titleCase(location.city) : "",
    county: location.county ? titleCase(location.county) : "",
    state: location.state ?? "",
    geoId: location.geoIdV4 ?? "",
    latitude: text(location.latitude),
    longitude: text(location.longitude),
    radius: num(location.radiusMiles) !== undefined ? String(location.radiusMiles) : EMPTY_SEARCH.radius,
    propertyType: str(filters.propertyType) ?? EMPTY_SEARCH.propertyType,
    bedsMin: text(filters.bedsMin),
    bedsMax: text(filters.bedsMax),
    bathsMin: text(filters.bathsMin),
    bathsMax: text(filters.bathsMax),
    yearBuiltMin: text(filters.yearBuiltMin),
    yearBuiltMax: text(filters.yearBuiltMax),
    sizeMin: text(filters.sizeMin),
    sizeMax: text(filters.sizeMax),
    valueMin: text(filters.valueMin),
    valueMax: text(filters.valueMax),
    valueBasis: str(filters.valueBasis) ?? EMPTY_SEARCH.valueBasis,
    equityPctMin: text(filters.equityPctMin),
    absentee: str(filters.absentee) ?? EMPTY_SEARCH.absentee,
    lastSaleBefore: str(filters.lastSaleBefore) ?? "",
    lastSaleAfter: str(filters.lastSaleAfter) ?? "",
    pageSize: pageSize ? String(pageSize) : EMPTY_SEARCH.pageSize,
    page: "1",
  };
}
