/**
 * Property-search state in the URL, so a search can be bookmarked, shared and reloaded (a
 * reload is answered from cache, free). Only what the user set is written.
 */
export type SearchFormState = {
  mode: "zip" | "city" | "county" | "radius";
  zips: string;
  city: string;
  county: string;
  state: string;
  /** The place the user chose among same-named ones (ATTOM geoIdV4); "" until a choice is needed. */
  geoId: string;
  /** A radius search: the centre (decimal degrees) and the radius in miles (1–20). */
  latitude: string;
  longitude: string;
  radius: string;
  propertyType: string;
  bedsMin: string;
  bedsMax: string;
  bathsMin: string;
  bathsMax: string;
  yearBuiltMin: string;
  yearBuiltMax: string;
  sizeMin: string;
  sizeMax: string;
  valueMin: string;
  valueMax: string;
  valueBasis: string;
  equityPctMin: string;
  absentee: string;
  lastSaleBefore: string;
  lastSaleAfter: string;
  pageSize: string;
  page: string;
};

export const EMPTY_SEARCH: SearchFormState = {
  mode: "zip",
  zips: "",
  city: "",
  county: "",
  state: "",
  geoId: "",
  latitude: "",
  longitude: "",
  radius: "5",
  propertyType: "any",
  bedsMin: "",
  bedsMax: "",
  bathsMin: "",
  bathsMax: "",
  yearBuiltMin: "",
  yearBuiltMax: "",
  sizeMin: "",
  sizeMax: "",
  valueMin: "",
  valueMax: "",
  valueBasis: "avm",
  equityPctMin: "",
  absentee: "any",
  lastSaleBefore: "",
  lastSaleAfter: "",
  pageSize: "25",
  page: "1",
};

const FIELDS = Object.keys(EMPTY_SEARCH) as (keyof SearchFormState)[];
const INTEGER_FILTERS = ["bedsMin", "bedsMax", "yearBuiltMin", "yearBuiltMax", "sizeMin", "sizeMax", "valueMin", "valueMax"] as const;
const DECIMAL_FILTERS = ["bathsMin", "bathsMax", "equityPctMin"] as const;

export function formStateFromParams(params: URLSearchParams): SearchFormState {
  const state = { ...EMPTY_SEARCH };
  for (const field of FIELDS) {
    const value = params.get(field);
    if (value !== null) (state as Record<string, string>)[field] = value;
  }
  if (!["zip", "city", "county", "radius"].includes(state.mode)) state.mode = "zip";
  return state;
}

export function paramsFromFormState(state: SearchFormState): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = state[field].trim();
    if (value !== "" && value !== EMPTY_SEARCH[field]) params.set(field, value);
  }
  if (state.mode !== "zip") params.set("mode", state.mode);
  return params;
}

/** The procedure input for the URL's search, or null when no location was entered yet. */
export function queryFromFormState(state: SearchFormState): Record<string, unknown> | null {
  const location =
    state.mode === "zip"
      ? state.zips.trim() && { zips: state.zips.split(/[\s,;]+/).filter(Boolean) }
      : state.mode === "radius"
        ? state.latitude.trim() && state.longitude.trim() && { latitude: Number(state.latitude), longitude: Number(state.longitude), radiusMiles: Number(state.radius) }
      : state.mode === "city"
        ? state.city.trim() && { city: state.city, state: state.state, ...(state.geoId.trim() && { geoIdV4: state.geoId.trim() }) }
        : state.county.trim() && { county: state.county, state: state.state, ...(state.geoId.trim() && { geoIdV4: state.geoId.trim() }) };
  if (!location) return null;
  const filters: Record<string, unknown> = { propertyType: state.propertyType, valueBasis: state.valueBasis, absentee: state.absentee };
  for (const field of INTEGER_FILTERS) if (state[field].trim() !== "") filters[field] = Number(state[field]);
  for (const field of DECIMAL_FILTERS) if (state[field].trim() !== "") filters[field] = Number(state[field]);
  if (state.lastSaleBefore) filters.lastSaleBefore = state.lastSaleBefore;
  if (state.lastSaleAfter) filters.lastSaleAfter = state.lastSaleAfter;
  return { location, filters, page: Math.max(1, Number(state.page) || 1), pageSize: Number(state.pageSize) || 25 };
}

/** Upper bound on ZIPs in one search: ATTOM answers one ZIP per paid call (the search schema's bound too). */
export const MAX_ZIPS_PER_SEARCH = 10;
/** ATTOM's radius bounds in miles (the search schema's too). */
export const RADIUS_MILES = { min: 1, max: 20 } as const;

const DEGREES = /^-?(\d+\.?\d*|\.\d+)$/;
function degreesProblem(raw: string, what: "latitude" | "longitude", limit: number): string | null {
  const text = raw.trim();
  if (!text) return `Enter the ${what}, or click the map`;
  if (!DEGREES.test(text)) return `Enter the ${what} as a decimal number (like ${what === "latitude" ? "39.74" : "-104.99"})`;
  const value = Number(text);
  return value < -limit || value > limit ? `The ${what} must be between -${limit} and ${limit}` : null;
}

/** A form field the search form can show an error next to. */
export type SearchFormField = Exclude<keyof SearchFormState, "mode" | "geoId">;
export type SearchFormErrors = Partial<Record<SearchFormField, string>>;

const RANGES = [
  { min: "bedsMin", max: "bedsMax", kind: "whole", low: 0, high: 1000 },
  { min: "bathsMin", max: "bathsMax", kind: "decimal", low: 0, high: 1000 },
  { min: "yearBuiltMin", max: "yearBuiltMax", kind: "whole", low: 1600, high: 2100 },
  { min: "sizeMin", max: "sizeMax", kind: "whole", low: 0, high: 2_147_483_647 },
  { min: "valueMin", max: "valueMax", kind: "whole", low: 0, high: 2_147_483_647 },
] as const;

function numberProblem(raw: string, kind: "whole" | "decimal", low: number, high: number): string | null {
  const text = raw.trim();
  if (!text) return null;
  const pattern = kind === "whole" ? /^\d+$/ : /^(\d+\.?\d*|\.\d+)$/;
  if (!pattern.test(text)) return kind === "whole" ? `Enter a whole number (like ${low === 1600 ? "1990" : "3"})` : "Enter a number (like 1.5)";
  const value = Number(text);
  if (value < low || value > high) return high >= 1e9 ? `Enter ${low} or more` : `Enter a number from ${low} to ${high}`;
  return null;
}

/**
 * What is wrong with the search form, field by field, in the words the form shows next to each
 * field (the server's schema says the same things about the same fields). Empty when it can run.
 */
export function validateSearchForm(state: SearchFormState, states: ReadonlySet<string>): SearchFormErrors {
  const errors: SearchFormErrors = {};
  if (state.mode === "zip") {
    const zips = state.zips.split(/[\s,;]+/).filter(Boolean);
    const bad = zips.filter((zip) => !/^\d{5}(-\d{4})?$/.test(zip));
    if (zips.length === 0) errors.zips = "Enter at least one ZIP code";
    else if (bad.length) errors.zips = `${bad.slice(0, 3).map((zip) => `“${zip.slice(0, 12)}”`).join(", ")} ${bad.length === 1 ? "is not a 5-digit ZIP code" : "are not 5-digit ZIP codes"}`;
    else if (new Set(zips.map((zip) => zip.slice(0, 5))).size > MAX_ZIPS_PER_SEARCH) {
      errors.zips = `Search at most ${MAX_ZIPS_PER_SEARCH} ZIP codes at once (you entered ${new Set(zips.map((zip) => zip.slice(0, 5))).size})`;
    }
  } else if (state.mode === "radius") {
    const latitude = degreesProblem(state.latitude, "latitude", 90);
    const longitude = degreesProblem(state.longitude, "longitude", 180);
    if (latitude) errors.latitude = latitude;
    if (longitude) errors.longitude = longitude;
    const miles = Number(state.radius.trim());
    if (!/^\d+(\.\d+)?$/.test(state.radius.trim()) || miles < RADIUS_MILES.min || miles > RADIUS_MILES.max) {
      errors.radius = `Choose a radius from ${RADIUS_MILES.min} to ${RADIUS_MILES.max} miles`;
    }
  } else {
    const place = state.mode === "city" ? "city" : "county";
    if (!state[place].trim()) errors[place] = `Enter a ${place}`;
    const code = state.state.trim().toUpperCase();
    if (!code) errors.state = "Enter the state (two letters, like TX)";
    else if (!states.has(code)) errors.state = `“${state.state.trim().slice(0, 12)}” is not a US state code (two letters, like TX)`;
  }
  for (const range of RANGES) {
    const low = numberProblem(state[range.min], range.kind, range.low, range.high);
    const high = numberProblem(state[range.max], range.kind, range.low, range.high);
    if (low) errors[range.min] = low;
    if (high) errors[range.max] = high;
    if (!low && !high && state[range.min].trim() && state[range.max].trim() && Number(state[range.min]) > Number(state[range.max])) {
      errors[range.max] = "“To” must not be less than “From”";
    }
  }
  const equity = numberProblem(state.equityPctMin, "decimal", 0, 100);
  if (equity) errors.equityPctMin = equity;
  if (state.lastSaleAfter && state.lastSaleBefore && state.lastSaleAfter > state.lastSaleBefore) {
    errors.lastSaleBefore = "This date is before “Last sale after”";
  }
  return errors;
}

const LOCATION_FIELDS: Record<string, SearchFormField> = { zips: "zips", city: "city", county: "county", state: "state", latitude: "latitude", longitude: "longitude", radiusMiles: "radius" };
const FORM_FIELDS = new Set<string>(FIELDS);

/**
 * The server's refusal of a search (zod paths such as "location.zips.0", "filters.bedsMax") as
 * errors next to the form's fields; what has no field ("rest") is said above the form.
 */
export function searchFormErrorsFromServer(fieldErrors: Record<string, string[]>, mode: SearchFormState["mode"]): { fields: SearchFormErrors; rest: string[] } {
  const fields: SearchFormErrors = {};
  const rest: string[] = [];
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const [head, second] = path.split(".");
    let field: SearchFormField | undefined;
    if (head === "location") field = second ? LOCATION_FIELDS[second] : mode === "zip" ? "zips" : mode === "radius" ? "radius" : mode;
    else if (head === "filters" && second && FORM_FIELDS.has(second)) field = second as SearchFormField;
    else if (head === "page" || head === "pageSize") field = head;
    const message = messages[0] ?? "Check this value";
    if (field) fields[field] ??= message;
    else rest.push(message);
  }
  return { fields, rest };
}
