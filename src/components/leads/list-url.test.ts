import { describe, expect, it } from "vitest";
import {
  bulkSummary,
  clearFilters,
  EMPTY_LIST_STATE,
  exportHref,
  filtersFromListState,
  hasNoFilters,
  listStateFromParams,
  matchingCount,
  paramsFromListState,
  toggleSort,
  toggleValue,
  type LeadListState,
  phoneCounts,
} from "./list-url";

describe("lead list URL state", () => {
  it("writes nothing for the default view", () => {
    expect(paramsFromListState(EMPTY_LIST_STATE).toString()).toBe("");
    expect(listStateFromParams(new URLSearchParams())).toEqual(EMPTY_LIST_STATE);
  });

  it("round-trips every filter through the URL", () => {
    const state: LeadListState = {
      status: ["new", "contacted"],
      temperature: ["HOT", "ON_FIRE"],
      tag: "tag_1",
      hasPhone: "yes",
      textable: "no",
      skipTraced: "no",
      zip: "78701",
      source: ["sandbox", "csv"],
      assignee: "unassigned",
      scoreMin: "40",
      scoreMax: "90",
      q: "maple",
      archived: "include",
      sort: "score",
      dir: "asc",
    };
    const params = paramsFromListState(state);
    expect(params.toString()).toBe(
      "q=maple&status=new&status=contacted&temp=HOT&temp=ON_FIRE&tag=tag_1&phone=yes&textable=no&traced=no&zip=78701&source=sandbox&source=csv&assignee=unassigned&scoreMin=40&scoreMax=90&archived=include&sort=score&dir=asc",
    );
    expect(listStateFromParams(params)).toEqual(state);
  });

  it("writes multi-value filters in a canonical order, so the same view has one URL", () => {
    const a = paramsFromListState({ ...EMPTY_LIST_STATE, status: ["dead", "new"] }).toString();
    const b = paramsFromListState({ ...EMPTY_LIST_STATE, status: ["new", "dead"] }).toString();
    expect(a).toBe("status=new&status=dead");
    expect(b).toBe(a);
  });

  it("reads a link made before the temperature Dead was renamed Cold", () => {
    const state = listStateFromParams(new URLSearchParams("temp=DEAD&temp=HOT"));
    expect(state.temperature).toEqual(["COLD", "HOT"]);
    expect(paramsFromListState(state).toString()).toBe("temp=COLD&temp=HOT");
  });

  it("accepts comma lists and ignores unknown values in a hand-edited URL", () => {
    const state = listStateFromParams(new URLSearchParams("status=new,bogus&status=closed&temp=LUKEWARM,HOT&sort=price&dir=sideways&archived=maybe&phone=perhaps&tag=<script>"));
    expect(state.status).toEqual(["new", "closed"]);
    expect(state.temperature).toEqual(["HOT"]);
    expect(state.sort).toBe("createdAt");
    expect(state.dir).toBe("desc");
    expect(state.archived).toBe("exclude");
    expect(state.hasPhone).toBe("");
    expect(state.tag).toBe("");
  });

  it("trims free text and drops it when blank", () => {
    expect(paramsFromListState({ ...EMPTY_LIST_STATE, q: "  oak st " }).toString()).toBe("q=oak+st");
    expect(paramsFromListState({ ...EMPTY_LIST_STATE, q: "   " }).toString()).toBe("");
  });
});

describe("lead list filters for the server", () => {
  it("is empty for the default view", () => {
    expect(filtersFromListState(EMPTY_LIST_STATE)).toEqual({});
    expect(hasNoFilters(EMPTY_LIST_STATE)).toBe(true);
  });

  it("maps every filter to the procedure's input", () => {
    expect(
      filtersFromListState({
        ...EMPTY_LIST_STATE,
        status: ["interested"],
        temperature: ["WARM"],
        tag: "t1",
        hasPhone: "no",
        textable: "yes",
        skipTraced: "yes",
        zip: " 73301 ",
        source: ["manual"],
        assignee: "user_1",
        scoreMin: "10",
        scoreMax: "70",
        q: " Smith ",
        archived: "only",
      }),
    ).toEqual({
      status: ["interested"],
      temperature: ["WARM"],
      tagIds: ["t1"],
      hasPhone: false,
      textable: true,
      skipTraced: true,
      zip: "73301",
      source: ["manual"],
      assigneeId: "user_1",
      scoreMin: 10,
      scoreMax: 70,
      q: "Smith",
      archived: "only",
    });
  });

  it("leaves out what the server would refuse: a partial ZIP, a score out of range or not a number", () => {
    const filters = filtersFromListState({ ...EMPTY_LIST_STATE, zip: "787", scoreMin: "-5", scoreMax: "150" });
    expect(filters).toEqual({});
    expect(filtersFromListState({ ...EMPTY_LIST_STATE, scoreMin: "4.5", scoreMax: "abc" })).toEqual({});
  });

  it("swaps a reversed score range", () => {
    expect(filtersFromListState({ ...EMPTY_LIST_STATE, scoreMin: "80", scoreMax: "20" })).toMatchObject({ scoreMin: 20, scoreMax: 80 });
  });

  it("counts the archived toggle as a filter but not the sort", () => {
    expect(hasNoFilters({ ...EMPTY_LIST_STATE, archived: "include" })).toBe(false);
    expect(hasNoFilters({ ...EMPTY_LIST_STATE, sort: "score", dir: "asc" })).toBe(true);
    expect(clearFilters({ ...EMPTY_LIST_STATE, q: "x", status: ["new"], sort: "score", dir: "asc" })).toEqual({ ...EMPTY_LIST_STATE, sort: "score", dir: "asc" });
  });
});

describe("sorting, toggles and counts", () => {
  it("flips the direction of the current column and picks a natural one for a new column", () => {
    const byScore = toggleSort(EMPTY_LIST_STATE, "score");
    expect([byScore.sort, byScore.dir]).toEqual(["score", "desc"]);
    expect(toggleSort(byScore, "score").dir).toBe("asc");
    const byOwner = toggleSort(byScore, "ownerName");
    expect([byOwner.sort, byOwner.dir]).toEqual(["ownerName", "asc"]);
    expect(toggleSort(EMPTY_LIST_STATE, "createdAt").dir).toBe("asc");
  });

  it("toggles a value in a multi-value filter", () => {
    expect(toggleValue(["new"], "contacted")).toEqual(["new", "contacted"]);
    expect(toggleValue(["new", "contacted"], "new")).toEqual(["contacted"]);
  });

  it("counts the leads of the selected statuses, or all of them", () => {
    const counts = { total: 10, byStatus: { new: 5, contacted: 3, dead: 2 } };
    expect(matchingCount(counts, [])).toBe(10);
    expect(matchingCount(counts, ["new", "dead"])).toBe(7);
    expect(matchingCount(counts, ["closed"])).toBe(0);
  });

  it("links the CSV export with the filters and sort as JSON", () => {
    const href = exportHref({ status: ["new"], q: "a&b" }, { field: "score", direction: "desc" });
    const url = new URL(href, "http://localhost");
    expect(url.pathname).toBe("/api/leads/export");
    expect(JSON.parse(url.searchParams.get("filters")!)).toEqual({ status: ["new"], q: "a&b" });
    expect(JSON.parse(url.searchParams.get("sort")!)).toEqual({ field: "score", direction: "desc" });
  });
});

describe("bulk action summary", () => {
  it("says how many changed and how many already were", () => {
    expect(bulkSummary(3, 3)).toBe("3 changed.");
    expect(bulkSummary(5, 3)).toBe("3 changed; 2 already were.");
    expect(bulkSummary(4, 3)).toBe("3 changed; 1 already was.");
    expect(bulkSummary(2, 0)).toBe("Nothing changed: all 2 already were.");
    expect(bulkSummary(1200, 1200)).toBe("1,200 changed.");
  });
});

describe("the phone counts", () => {
  it("sum the statuses selected, or all of them", () => {
    const counts = { withPhoneByStatus: { new: 3, contacted: 2, dead: 1 }, textableByStatus: { new: 1, contacted: 2 } };
    expect(phoneCounts(counts, [])).toEqual({ withPhone: 6, textable: 3 });
    expect(phoneCounts(counts, ["new", "dead"])).toEqual({ withPhone: 4, textable: 1 });
  });
});
