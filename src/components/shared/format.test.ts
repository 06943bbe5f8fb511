import { describe, expect, it } from "vitest";
import { centsToDollarInput, formatDay, formatRelative, formatUnitPrice, parseDollarsToCents, parseWholeCents, percentOfCap } from "./format";

describe("parseDollarsToCents", () => {
  it.each([
    ["12.34", 1234],
    ["12.3", 1230],
    ["12", 1200],
    ["12.", 1200],
    [".5", 50],
    ["0.07", 7],
    ["$15.00", 1500],
    [" 1,234.56 ", 123456],
    ["0", 0],
    ["000.10", 10],
    ["0.29", 29], // 0.29 * 100 = 28.999999999999996 in floats
    ["100000", 10_000_000],
  ])("%s → %i cents", (input, cents) => {
    expect(parseDollarsToCents(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ["12.345", /2 decimal places/],
    ["", /Enter an amount/],
    ["-5", /negative/],
    ["abc", /dollars and cents/],
    ["1,2", /dollars and cents/],
    ["1e3", /dollars and cents/],
    [".", /dollars and cents/],
    ["100000.01", /above the limit/],
    ["99999999999", /above the limit/],
  ])("refuses %j", (input, message) => {
    const result = parseDollarsToCents(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe("parseWholeCents", () => {
  it("takes whole cents", () => {
    expect(parseWholeCents("10")).toEqual({ ok: true, cents: 10 });
    expect(parseWholeCents("7¢")).toEqual({ ok: true, cents: 7 });
    expect(parseWholeCents("0")).toEqual({ ok: true, cents: 0 });
  });
  it("refuses fractions, negatives and huge prices", () => {
    expect(parseWholeCents("0.10").ok).toBe(false);
    expect(parseWholeCents("-1").ok).toBe(false);
    expect(parseWholeCents("10001").ok).toBe(false);
    expect(parseWholeCents("").ok).toBe(false);
  });
});

describe("formatting", () => {
  it("round-trips cents through the dollars input", () => {
    expect(centsToDollarInput(1500)).toBe("15.00");
    expect(centsToDollarInput(7)).toBe("0.07");
    expect(parseDollarsToCents(centsToDollarInput(123456))).toEqual({ ok: true, cents: 123456 });
  });
  it("prices units", () => {
    expect(formatUnitPrice(10)).toBe("10¢");
    expect(formatUnitPrice(150)).toBe("$1.50");
  });
  it("labels org days without the viewer's time zone", () => {
    expect(formatDay("2025-03-07")).toBe("Mar 7");
    expect(formatDay("2025-03-07", true)).toBe("Fri, Mar 7");
  });
  it("computes the share of a cap", () => {
    expect(percentOfCap(340, 1500)).toBeCloseTo(22.67, 1);
    expect(percentOfCap(2000, 1500)).toBe(100);
    expect(percentOfCap(0, 0)).toBe(100);
  });
  it("says how long ago", () => {
    const now = Date.UTC(2025, 0, 1, 12);
    expect(formatRelative(new Date(now - 10_000), now)).toBe("just now");
    expect(formatRelative(new Date(now - 180_000), now)).toBe("3 min ago");
    expect(formatRelative(new Date(now + 5 * 3_600_000), now)).toBe("in 5 h");
    expect(formatRelative(new Date(now - 3 * 86_400_000), now)).toBe("3 days ago");
  });
});
