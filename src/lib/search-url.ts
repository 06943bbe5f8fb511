/**
 * Property-search state in the URL, so a search can be bookmarked, shared and reloaded (a
 * reload is answered from cache, free). Only what the user set is written.
 */
export type SearchFormState = {
  mode: "zip" | "city" | "county";
  zips: string;
  city: string;
  county: string;
  state: string;
  /** The place the user chose among same-named ones (ATTOM geoIdV4); "" until a choice is needed. */
  geoId: string;
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
  if (!["zip", "city", "county"].includes(state.mode)) state.mode = "zip";
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
