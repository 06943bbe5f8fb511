import { canonicalTemperature } from "@/lib/scoring";
import { EMPTY_LIST_STATE, filtersFromListState, type LeadFiltersInput, type LeadListState } from "./list-url";

/**
 * A saved filter (the leads.list filters it was saved with) back to the list's URL state, keeping
 * the current sort: applying it shows the same leads the saved filter selects for a campaign.
 */
export function listStateFromFilters(filters: LeadFiltersInput, current: Pick<LeadListState, "sort" | "dir">): LeadListState {
  const yesNo = (value: boolean | undefined) => (value === undefined ? "" : value ? "yes" : "no");
  return {
    ...EMPTY_LIST_STATE,
    sort: current.sort,
    dir: current.dir,
    status: [...(filters.status ?? [])],
    temperature: [...new Set((filters.temperature ?? []).map((word) => canonicalTemperature(word)))],
    tag: filters.tagIds?.[0] ?? "",
    hasPhone: yesNo(filters.hasPhone),
    textable: yesNo(filters.textable),
    skipTraced: yesNo(filters.skipTraced),
    zip: filters.zip ?? "",
    source: [...(filters.source ?? [])],
    assignee: filters.assigneeId ?? "",
    scoreMin: filters.scoreMin === undefined ? "" : String(filters.scoreMin),
    scoreMax: filters.scoreMax === undefined ? "" : String(filters.scoreMax),
    q: filters.q ?? "",
    archived: filters.archived ?? "exclude",
  };
}

/** The same filters, however they were written (order of keys, the default archived mode). */
export function sameFilters(a: LeadFiltersInput, b: LeadFiltersInput): boolean {
  const canonical = (filters: LeadFiltersInput) => JSON.stringify(filtersFromListState(listStateFromFilters(filters, EMPTY_LIST_STATE)));
  return canonical(a) === canonical(b);
}
