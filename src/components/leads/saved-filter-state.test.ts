import { describe, expect, it } from "vitest";
import { EMPTY_LIST_STATE, filtersFromListState, type LeadFiltersInput } from "./list-url";
import { listStateFromFilters, sameFilters } from "./saved-filter-state";

describe("saved filters ⇄ the lead list's state", () => {
  it("applying a saved filter gives back exactly its filters, keeping the current sort", () => {
    const saved: LeadFiltersInput = {
      status: ["new", "contacted"],
      temperature: ["HOT"],
      tagIds: ["tag1"],
      hasPhone: true,
      textable: true,
      skipTraced: false,
      zip: "33602",
      source: ["csv"],
      assigneeId: "unassigned",
      scoreMin: 40,
      scoreMax: 90,
      q: "oak st",
      archived: "include",
    };
    const state = listStateFromFilters(saved, { sort: "score", dir: "asc" });
    expect(state).toMatchObject({ sort: "score", dir: "asc", hasPhone: "yes", textable: "yes", skipTraced: "no", scoreMin: "40", tag: "tag1" });
    expect(filtersFromListState(state)).toEqual(saved);
  });

  it("an empty saved filter clears every filter", () => {
    const state = listStateFromFilters({ archived: "exclude" }, { sort: "createdAt", dir: "desc" });
    expect(state).toEqual(EMPTY_LIST_STATE);
    expect(filtersFromListState(state)).toEqual({});
  });

  it("compares filters as the list applies them", () => {
    expect(sameFilters({ archived: "exclude", hasPhone: true }, { hasPhone: true })).toBe(true);
    expect(sameFilters({ status: ["new"] }, { status: ["new"], zip: "33602" })).toBe(false);
  });
});
