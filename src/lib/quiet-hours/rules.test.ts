import { describe, expect, it } from "vitest";
import { DEFAULT_STATE_QUIET_HOURS, orgWindowSchema, parseQuietHoursRuleSet, quietHoursRuleSetSchema, type QuietHoursRule } from "./rules";

const row = (overrides: Partial<QuietHoursRule> = {}): QuietHoursRule => ({
  state: "FL",
  name: "Florida",
  weekdays: [{ start: "08:00", end: "20:00" }],
  saturday: [{ start: "08:00", end: "20:00" }],
  sunday: [{ start: "08:00", end: "20:00" }],
  frequencyCap: 3,
  source: "FTSA §501.616(6)",
  ...overrides,
});

function problems(input: unknown): string[] {
  const result = quietHoursRuleSetSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("DEFAULT_STATE_QUIET_HOURS (COMPLIANCE.md's table as data)", () => {
  it("is a valid editable rule set", () => {
    expect(parseQuietHoursRuleSet(DEFAULT_STATE_QUIET_HOURS)).toEqual(DEFAULT_STATE_QUIET_HOURS);
  });

  it("has the federal row and every state COMPLIANCE.md names, each with a source", () => {
    expect(DEFAULT_STATE_QUIET_HOURS.map((rule) => rule.state)).toEqual([null, "FL", "OK", "MD", "CT", "TX", "AL", "LA", "MS", "KY", "RI"]);
    for (const rule of DEFAULT_STATE_QUIET_HOURS) expect(rule.source.trim(), rule.name).not.toBe("");
  });

  it("carries the table's windows, Sunday rules and caps", () => {
    const byState = new Map(DEFAULT_STATE_QUIET_HOURS.map((rule) => [rule.state ?? "federal", rule]));
    expect(byState.get("federal")).toMatchObject({ weekdays: [{ start: "08:00", end: "21:00" }], source: "47 CFR 64.1200(c)(1)", frequencyCap: null });
    expect(byState.get("FL")).toMatchObject({ sunday: [{ start: "08:00", end: "20:00" }], frequencyCap: 3, source: "FTSA §501.616(6)" });
    expect(byState.get("OK")?.frequencyCap).toBe(3);
    expect(byState.get("MD")?.frequencyCap).toBe(3);
    expect(byState.get("CT")?.weekdays).toEqual([{ start: "09:00", end: "20:00" }]);
    expect(byState.get("TX")).toMatchObject({ saturday: [{ start: "09:00", end: "21:00" }], sunday: [{ start: "12:00", end: "21:00" }] });
    for (const state of ["AL", "LA", "MS"]) expect(byState.get(state)?.sunday, state).toEqual([]);
    expect(byState.get("KY")?.sunday).toEqual([{ start: "10:00", end: "21:00" }]);
    expect(byState.get("RI")).toMatchObject({ weekdays: [{ start: "09:00", end: "18:00" }], saturday: [], sunday: [] });
  });
});

describe("quietHoursRuleSetSchema (an admin's edited rows)", () => {
  it("accepts split windows and a window to midnight", () => {
    expect(problems([row({ weekdays: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "24:00" }] })])).toEqual([]);
  });

  it.each([
    ["a time past 23:59", row({ weekdays: [{ start: "25:00", end: "26:00" }] }), "0.weekdays.0.start: A time is HH:MM between 00:00 and 23:59."],
    ["a time without leading zero", row({ weekdays: [{ start: "8:00", end: "20:00" }] }), "0.weekdays.0.start: A time is HH:MM between 00:00 and 23:59."],
    ["an end before its start", row({ sunday: [{ start: "20:00", end: "08:00" }] }), "0.sunday.0.end: A window must end after it starts (windows do not cross midnight; use 24:00)."],
    ["an empty window", row({ sunday: [{ start: "08:00", end: "08:00" }] }), "0.sunday.0.end: A window must end after it starts (windows do not cross midnight; use 24:00)."],
    ["overlapping windows", row({ saturday: [{ start: "08:00", end: "12:00" }, { start: "11:00", end: "14:00" }] }), "0.saturday.1.start: Windows must be in order and must not overlap."],
    ["a lower-case state", row({ state: "fl" }), "0.state: A state is its two-letter USPS code (FL, TX)."],
    ["a missing source", row({ source: "  " }), "0.source: Every rule names its source."],
    ["a zero cap", row({ frequencyCap: 0 }), "0.frequencyCap: A cap is at least 1 message."],
  ])("refuses %s", (_label, rule, message) => {
    expect(problems([rule])).toContain(message);
  });

  it("refuses two rows for one state, and two federal rows", () => {
    expect(problems([row(), row()])).toEqual(["1.state: Only one rule per state (FL appears twice)."]);
    expect(problems([row({ state: null }), row({ state: null })])).toEqual(["1.state: Only one rule for every recipient (state left empty)."]);
  });

  it("refuses NUL characters in text", () => {
    expect(problems([row({ source: "FTSA\u0000" })]).length).toBe(1);
  });

  it("validates the organization's window the same way", () => {
    expect(orgWindowSchema.safeParse({ start: "08:00", end: "21:00" }).success).toBe(true);
    expect(orgWindowSchema.safeParse({ start: "21:00", end: "08:00" }).success).toBe(false);
  });
});
