import { describe, expect, it } from "vitest";
import { addDays, centsPer, csvOf, dayDiff, daysBetween, median, monthOf, rate } from "./analytics";

describe("analytics arithmetic", () => {
  it("moves calendar days across months, years and DST changes", () => {
    expect(addDays("2026-03-08", 1)).toBe("2026-03-09");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(daysBetween("2026-10-30", "2026-11-02")).toEqual(["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"]);
    expect(dayDiff("2026-11-01", "2026-11-30")).toBe(29);
  });

  it("divides to the cent and says when there is nothing to divide by", () => {
    expect(centsPer(1000, 3)).toBe(333);
    expect(centsPer(1001, 2)).toBe(501);
    expect(centsPer(5, 0)).toBeNull();
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it("finds the month of a day", () => {
    expect(monthOf("2028-02-14")).toEqual({ month: "2028-02", from: "2028-02-01", to: "2028-02-29" });
  });

  it("writes CSV a spreadsheet cannot run", () => {
    expect(csvOf([["a,b", '"q"', "=SUM(A1)", 3, null]])).toBe('"a,b","""q""",\'=SUM(A1),3,\r\n');
  });
});
