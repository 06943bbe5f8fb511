import { describe, expect, it } from "vitest";
import {
  adjustCounts,
  boardFiltersFromParams,
  columnInput,
  compareCards,
  findCard,
  initials,
  insertCard,
  moveCard,
  paramsWithBoardFilters,
  removeCard,
  revertMove,
  type CardLike,
  type ColumnData,
  type StatusCounts,
} from "./pipeline-state";

type Card = CardLike & { address: string };

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
const card = (id: string, minute: number, status: Card["status"] = "new"): Card => ({ id, status, updatedAt: at(minute), address: `${id} Main St` });
const column = (...pages: { items: Card[]; nextCursor: string | null }[]): ColumnData<Card> => ({ pages, pageParams: pages.map((_, i) => (i === 0 ? null : `cursor-${i}`)) });
const ids = (data: ColumnData<Card> | undefined) => data?.pages.map((page) => page.items.map((item) => item.id));
const counts = (byStatus: Partial<StatusCounts["byStatus"]>): StatusCounts => {
  const full = { new: 0, contacted: 0, replied: 0, interested: 0, negotiating: 0, under_contract: 0, closed: 0, dead: 0, ...byStatus };
  return { total: Object.values(full).reduce((a, b) => a + b, 0), byStatus: full };
};

describe("column caches", () => {
  it("finds and removes a card on any page, leaving other pages untouched", () => {
    const data = column({ items: [card("a", 9), card("b", 8)], nextCursor: "b" }, { items: [card("c", 7)], nextCursor: null });
    expect(findCard(data, "c")?.address).toBe("c Main St");
    expect(findCard(data, "zzz")).toBeUndefined();
    const removed = removeCard(data, "c");
    expect(ids(removed)).toEqual([["a", "b"], []]);
    expect(removed?.pages[0]).toBe(data.pages[0]);
    expect(removed?.pageParams).toBe(data.pageParams);
    expect(removeCard(data, "zzz")).toBe(data);
    expect(removeCard(undefined, "a")).toBeUndefined();
  });

  it("orders cards by updatedAt desc with the id breaking ties, like the server", () => {
    expect([card("a", 1), card("b", 5), card("c", 5)].sort(compareCards).map((c) => c.id)).toEqual(["c", "b", "a"]);
  });

  it("inserts a card in its sorted place", () => {
    const data = column({ items: [card("a", 9), card("b", 5)], nextCursor: "b" }, { items: [card("c", 3), card("d", 1)], nextCursor: null });
    expect(ids(insertCard(data, card("x", 10)))).toEqual([["x", "a", "b"], ["c", "d"]]);
    expect(ids(insertCard(data, card("x", 4)))).toEqual([["a", "b"], ["x", "c", "d"]]);
    expect(ids(insertCard(data, card("x", 0)))).toEqual([["a", "b"], ["c", "d", "x"]]);
  });

  it("leaves a card that belongs to an unloaded page out", () => {
    const data = column({ items: [card("a", 9), card("b", 5)], nextCursor: "b" });
    expect(insertCard(data, card("x", 1))).toBe(data);
  });

  it("puts a card into an empty (loaded) column and leaves an unloaded column alone", () => {
    expect(ids(insertCard(column({ items: [], nextCursor: null }), card("x", 1)))).toEqual([["x"]]);
    expect(ids(insertCard({ pages: [], pageParams: [] }, card("x", 1)))).toEqual([]);
    expect(insertCard(undefined, card("x", 1))).toBeUndefined();
  });

  it("never duplicates a card already in the column", () => {
    const data = column({ items: [card("a", 9), card("b", 5)], nextCursor: null });
    expect(ids(insertCard(data, card("b", 10)))).toEqual([["b", "a"]]);
  });
});

describe("moving a card between columns", () => {
  it("moves it to the top of the destination with the new status, then reverts it to its old place", () => {
    const from = column({ items: [card("a", 9), card("b", 5), card("c", 3)], nextCursor: null });
    const to = column({ items: [card("x", 20, "contacted"), card("y", 2, "contacted")], nextCursor: "y" });
    const original = findCard(from, "b")!;
    const now = at(30);

    const moved = moveCard({ from, to }, original, "contacted", now);
    expect(ids(moved.from)).toEqual([["a", "c"]]);
    expect(ids(moved.to)).toEqual([["b", "x", "y"]]);
    expect(moved.moved).toMatchObject({ id: "b", status: "contacted", updatedAt: now, address: "b Main St" });
    expect(original.status).toBe("new"); // inputs are not mutated
    expect(ids(from)).toEqual([["a", "b", "c"]]);

    const reverted = revertMove({ from: moved.from, to: moved.to }, original);
    expect(ids(reverted.from)).toEqual([["a", "b", "c"]]);
    expect(ids(reverted.to)).toEqual([["x", "y"]]);
    expect(findCard(reverted.from, "b")).toEqual(original);
  });

  it("works when the destination column was never loaded", () => {
    const from = column({ items: [card("a", 9)], nextCursor: null });
    const moved = moveCard({ from, to: undefined }, card("a", 9), "dead", at(30));
    expect(ids(moved.from)).toEqual([[]]);
    expect(moved.to).toBeUndefined();
  });
});

describe("counts", () => {
  it("moves one from the source status to the destination; the total stays", () => {
    const before = counts({ new: 3, contacted: 1 });
    const after = adjustCounts(before, "new", "contacted");
    expect(after?.byStatus).toMatchObject({ new: 2, contacted: 2 });
    expect(after?.total).toBe(4);
    expect(before.byStatus.new).toBe(3);
    expect(adjustCounts(after, "contacted", "new")?.byStatus).toEqual(before.byStatus);
  });

  it("never goes below zero, ignores a move to the same status and missing counts", () => {
    expect(adjustCounts(counts({}), "new", "dead")?.byStatus).toMatchObject({ new: 0, dead: 1 });
    const same = counts({ new: 1 });
    expect(adjustCounts(same, "new", "new")).toBe(same);
    expect(adjustCounts(undefined, "new", "dead")).toBeUndefined();
  });
});

describe("URL filters", () => {
  it("parses q, temperature and assignee, dropping junk", () => {
    expect(boardFiltersFromParams(new URLSearchParams("q=+Main+&temperature=HOT,bogus,HOT,ON_FIRE&assignee=unassigned"))).toEqual({
      q: "Main",
      temperature: ["HOT", "ON_FIRE"],
      assigneeId: "unassigned",
    });
    expect(boardFiltersFromParams(new URLSearchParams("q=%20%20&temperature=nope&assignee="))).toEqual({});
    // a link from before the temperature Dead was renamed Cold
    expect(boardFiltersFromParams(new URLSearchParams("temperature=DEAD,COLD,HOT"))).toEqual({ temperature: ["COLD", "HOT"] });
  });

  it("round-trips and keeps unrelated params", () => {
    const params = paramsWithBoardFilters(new URLSearchParams("keep=1&q=old"), { q: "Oak", temperature: ["WARM"], assigneeId: "u1" });
    expect(params.toString()).toBe("keep=1&q=Oak&temperature=WARM&assignee=u1");
    expect(boardFiltersFromParams(params)).toEqual({ q: "Oak", temperature: ["WARM"], assigneeId: "u1" });
    expect(paramsWithBoardFilters(params, {}).toString()).toBe("keep=1");
  });

  it("builds one column's list input", () => {
    expect(columnInput({ q: "Oak" }, "replied")).toEqual({
      filters: { q: "Oak", status: ["replied"] },
      sort: { field: "updatedAt", direction: "desc" },
      limit: 50,
    });
  });
});

describe("initials", () => {
  it("uses the first and last name, or the email", () => {
    expect(initials("Jane Q. Doe", "j@x.com")).toBe("JD");
    expect(initials("madonna", "m@x.com")).toBe("M");
    expect(initials(null, "bob@x.com")).toBe("B");
    expect(initials("  ", "")).toBe("?");
  });
});
