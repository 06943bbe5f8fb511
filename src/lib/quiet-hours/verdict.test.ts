import { describe, expect, it } from "vitest";
import { DEFAULT_STATE_QUIET_HOURS, parseQuietHoursRuleSet, type QuietHoursRuleSet, type TimeWindow } from "./rules";
import { quietHoursVerdict } from "./verdict";

/**
 * The decision table of issue 10 item 5: states × weekday/Saturday/Sunday × local time one
 * minute either side of each edge × both 2026 DST change days (Sun 8 March, Sun 1 November) ×
 * Arizona × disagreeing candidate zones. Every instant is written in UTC with its local reading.
 * 2026-06-17 is a Wednesday (EDT −4, CDT −5, MDT −6, Arizona MST −7 all year, HST −10);
 * 2026-01-14 is a Wednesday (EST −5, CST −6, MST −7).
 */

const NY = "America/New_York";
const CHI = "America/Chicago";
const DEN = "America/Denver";
const PHX = "America/Phoenix";
const HNL = "Pacific/Honolulu";
const LOU = "America/Kentucky/Louisville";

type Expected = "allowed" | { opensAt: string | null; rule: string };

interface Case {
  name: string;
  at: string;
  zones: string[];
  states?: string[];
  orgWindow?: TimeWindow;
  rules?: QuietHoursRuleSet;
  expected: Expected;
}

const open = (opensAt: string | null, rule: string): Expected => ({ opensAt, rule });

const EDITED_FLORIDA = parseQuietHoursRuleSet(
  DEFAULT_STATE_QUIET_HOURS.map((rule) =>
    rule.state === "FL" ? { ...rule, weekdays: [{ start: "09:00", end: "20:00" }], source: "edited by admin: FTSA §501.616(6)" } : rule,
  ),
);

const CASES: Case[] = [
  // --- federal window only (no state row applies), New York in summer ---
  { name: "federal Wed 07:59 EDT", at: "2026-06-17T11:59:00Z", zones: [NY], expected: open("2026-06-17T12:00:00.000Z", "federal") },
  { name: "federal Wed 08:00 EDT", at: "2026-06-17T12:00:00Z", zones: [NY], expected: "allowed" },
  { name: "federal Wed 20:59 EDT", at: "2026-06-18T00:59:00Z", zones: [NY], expected: "allowed" },
  { name: "federal Wed 21:00 EDT → Thu 08:00", at: "2026-06-18T01:00:00Z", zones: [NY], expected: open("2026-06-18T12:00:00.000Z", "federal") },
  { name: "federal Sun 07:59 EDT (no state: Sunday as usual)", at: "2026-06-21T11:59:00Z", zones: [NY], expected: open("2026-06-21T12:00:00.000Z", "federal") },
  { name: "federal Wed 03:00 EDT (middle of the night)", at: "2026-06-17T07:00:00Z", zones: [NY], expected: open("2026-06-17T12:00:00.000Z", "federal") },
  { name: "federal winter Wed 07:59 EST", at: "2026-01-14T12:59:00Z", zones: [NY], expected: open("2026-01-14T13:00:00.000Z", "federal") },
  { name: "federal winter Wed 20:59 EST", at: "2026-01-15T01:59:00Z", zones: [NY], expected: "allowed" },
  // --- the organization's window ---
  { name: "org 09–17 Wed 08:30 EDT", at: "2026-06-17T12:30:00Z", zones: [NY], orgWindow: { start: "09:00", end: "17:00" }, expected: open("2026-06-17T13:00:00.000Z", "org") },
  { name: "org 09–17 Wed 16:59 EDT", at: "2026-06-17T20:59:00Z", zones: [NY], orgWindow: { start: "09:00", end: "17:00" }, expected: "allowed" },
  { name: "org 09–17 Wed 17:00 EDT → Thu 09:00", at: "2026-06-17T21:00:00Z", zones: [NY], orgWindow: { start: "09:00", end: "17:00" }, expected: open("2026-06-18T13:00:00.000Z", "org") },
  { name: "org 07–22 cannot widen the federal 08:00", at: "2026-06-17T11:30:00Z", zones: [NY], orgWindow: { start: "07:00", end: "22:00" }, expected: open("2026-06-17T12:00:00.000Z", "federal") },
  { name: "org 07–22 cannot widen the federal 21:00", at: "2026-06-18T01:30:00Z", zones: [NY], orgWindow: { start: "07:00", end: "22:00" }, expected: open("2026-06-18T12:00:00.000Z", "federal") },
  // --- Florida 08:00–20:00 ---
  { name: "FL Wed 07:59 EDT", at: "2026-06-17T11:59:00Z", zones: [NY], states: ["FL"], expected: open("2026-06-17T12:00:00.000Z", "FL") },
  { name: "FL Wed 08:00 EDT", at: "2026-06-17T12:00:00Z", zones: [NY], states: ["FL"], expected: "allowed" },
  { name: "FL Wed 19:59 EDT", at: "2026-06-17T23:59:00Z", zones: [NY], states: ["FL"], expected: "allowed" },
  { name: "FL Wed 20:00 EDT → Thu 08:00", at: "2026-06-18T00:00:00Z", zones: [NY], states: ["FL"], expected: open("2026-06-18T12:00:00.000Z", "FL") },
  { name: "FL Sun 20:00 EDT → Mon 08:00", at: "2026-06-22T00:00:00Z", zones: [NY], states: ["FL"], expected: open("2026-06-22T12:00:00.000Z", "FL") },
  { name: "FL panhandle (Central) Wed 19:59 CDT", at: "2026-06-18T00:59:00Z", zones: [CHI], states: ["FL"], expected: "allowed" },
  { name: "FL panhandle (Central) Wed 20:00 CDT", at: "2026-06-18T01:00:00Z", zones: [CHI], states: ["FL"], expected: open("2026-06-18T13:00:00.000Z", "FL") },
  { name: "FL edited by an admin to 09:00 on weekdays", at: "2026-06-17T12:30:00Z", zones: [NY], states: ["FL"], rules: EDITED_FLORIDA, expected: open("2026-06-17T13:00:00.000Z", "FL") },
  // --- Oklahoma, Maryland 08:00–20:00 ---
  { name: "OK Wed 20:00 CDT", at: "2026-06-18T01:00:00Z", zones: [CHI], states: ["OK"], expected: open("2026-06-18T13:00:00.000Z", "OK") },
  { name: "OK Wed 19:59 CDT", at: "2026-06-18T00:59:00Z", zones: [CHI], states: ["OK"], expected: "allowed" },
  { name: "MD Sat 20:30 EDT → Sun 08:00", at: "2026-06-21T00:30:00Z", zones: [NY], states: ["MD"], expected: open("2026-06-21T12:00:00.000Z", "MD") },
  { name: "MD Sun 08:00 EDT", at: "2026-06-21T12:00:00Z", zones: [NY], states: ["MD"], expected: "allowed" },
  // --- Connecticut 09:00–20:00 ---
  { name: "CT Wed 08:59 EDT", at: "2026-06-17T12:59:00Z", zones: [NY], states: ["CT"], expected: open("2026-06-17T13:00:00.000Z", "CT") },
  { name: "CT Wed 09:00 EDT", at: "2026-06-17T13:00:00Z", zones: [NY], states: ["CT"], expected: "allowed" },
  { name: "CT Wed 19:59 EDT", at: "2026-06-17T23:59:00Z", zones: [NY], states: ["CT"], expected: "allowed" },
  { name: "CT Wed 20:00 EDT → Thu 09:00", at: "2026-06-18T00:00:00Z", zones: [NY], states: ["CT"], expected: open("2026-06-18T13:00:00.000Z", "CT") },
  // --- Texas Mon–Sat 09:00–21:00, Sun 12:00–21:00 ---
  { name: "TX Wed 08:59 CDT", at: "2026-06-17T13:59:00Z", zones: [CHI], states: ["TX"], expected: open("2026-06-17T14:00:00.000Z", "TX") },
  { name: "TX Wed 09:00 CDT", at: "2026-06-17T14:00:00Z", zones: [CHI], states: ["TX"], expected: "allowed" },
  { name: "TX Wed 20:59 CDT", at: "2026-06-18T01:59:00Z", zones: [CHI], states: ["TX"], expected: "allowed" },
  { name: "TX Wed 21:00 CDT → Thu 09:00", at: "2026-06-18T02:00:00Z", zones: [CHI], states: ["TX"], expected: open("2026-06-18T14:00:00.000Z", "TX") },
  { name: "TX Sat 09:00 CDT", at: "2026-06-20T14:00:00Z", zones: [CHI], states: ["TX"], expected: "allowed" },
  { name: "TX Sat 08:59 CDT", at: "2026-06-20T13:59:00Z", zones: [CHI], states: ["TX"], expected: open("2026-06-20T14:00:00.000Z", "TX") },
  { name: "TX Sat 21:00 CDT → Sun 12:00", at: "2026-06-21T02:00:00Z", zones: [CHI], states: ["TX"], expected: open("2026-06-21T17:00:00.000Z", "TX") },
  { name: "TX Sun 09:00 CDT (weekday opening, not Sunday's)", at: "2026-06-21T14:00:00Z", zones: [CHI], states: ["TX"], expected: open("2026-06-21T17:00:00.000Z", "TX") },
  { name: "TX Sun 11:59 CDT", at: "2026-06-21T16:59:00Z", zones: [CHI], states: ["TX"], expected: open("2026-06-21T17:00:00.000Z", "TX") },
  { name: "TX Sun 12:00 CDT", at: "2026-06-21T17:00:00Z", zones: [CHI], states: ["TX"], expected: "allowed" },
  { name: "TX Sun 20:59 CDT", at: "2026-06-22T01:59:00Z", zones: [CHI], states: ["TX"], expected: "allowed" },
  { name: "TX Sun 21:00 CDT → Mon 09:00", at: "2026-06-22T02:00:00Z", zones: [CHI], states: ["TX"], expected: open("2026-06-22T14:00:00.000Z", "TX") },
  { name: "TX El Paso (Mountain) Sun 11:59 MDT", at: "2026-06-21T17:59:00Z", zones: [DEN], states: ["TX"], expected: open("2026-06-21T18:00:00.000Z", "TX") },
  // --- Alabama, Louisiana, Mississippi: no Sunday sends ---
  { name: "AL Sun 10:00 CDT → Mon 08:00", at: "2026-06-21T15:00:00Z", zones: [CHI], states: ["AL"], expected: open("2026-06-22T13:00:00.000Z", "AL") },
  { name: "AL Sat 20:59 CDT", at: "2026-06-21T01:59:00Z", zones: [CHI], states: ["AL"], expected: "allowed" },
  { name: "AL Sat 21:00 CDT → skips Sunday → Mon 08:00", at: "2026-06-21T02:00:00Z", zones: [CHI], states: ["AL"], expected: open("2026-06-22T13:00:00.000Z", "AL") },
  { name: "AL Mon 07:59 CDT", at: "2026-06-22T12:59:00Z", zones: [CHI], states: ["AL"], expected: open("2026-06-22T13:00:00.000Z", "AL") },
  { name: "AL Mon 08:00 CDT", at: "2026-06-22T13:00:00Z", zones: [CHI], states: ["AL"], expected: "allowed" },
  { name: "LA Sun 12:00 CDT → Mon 08:00", at: "2026-06-21T17:00:00Z", zones: [CHI], states: ["LA"], expected: open("2026-06-22T13:00:00.000Z", "LA") },
  { name: "MS Sun 20:00 CDT → Mon 08:00", at: "2026-06-22T01:00:00Z", zones: [CHI], states: ["MS"], expected: open("2026-06-22T13:00:00.000Z", "MS") },
  { name: "MS Sun 00:00 CDT (first minute of Sunday)", at: "2026-06-21T05:00:00Z", zones: [CHI], states: ["MS"], expected: open("2026-06-22T13:00:00.000Z", "MS") },
  // --- Kentucky 10:00–21:00 (Louisville Eastern, Paducah Central) ---
  { name: "KY Louisville Wed 09:59 EDT", at: "2026-06-17T13:59:00Z", zones: [LOU], states: ["KY"], expected: open("2026-06-17T14:00:00.000Z", "KY") },
  { name: "KY Louisville Wed 10:00 EDT", at: "2026-06-17T14:00:00Z", zones: [LOU], states: ["KY"], expected: "allowed" },
  { name: "KY Paducah Wed 09:59 CDT", at: "2026-06-17T14:59:00Z", zones: [CHI], states: ["KY"], expected: open("2026-06-17T15:00:00.000Z", "KY") },
  // --- Rhode Island weekdays 09:00–18:00 ---
  { name: "RI Wed 08:59 EDT", at: "2026-06-17T12:59:00Z", zones: [NY], states: ["RI"], expected: open("2026-06-17T13:00:00.000Z", "RI") },
  { name: "RI Wed 17:59 EDT", at: "2026-06-17T21:59:00Z", zones: [NY], states: ["RI"], expected: "allowed" },
  { name: "RI Wed 18:00 EDT → Thu 09:00", at: "2026-06-17T22:00:00Z", zones: [NY], states: ["RI"], expected: open("2026-06-18T13:00:00.000Z", "RI") },
  { name: "RI Fri 18:00 EDT → Mon 09:00", at: "2026-06-19T22:00:00Z", zones: [NY], states: ["RI"], expected: open("2026-06-22T13:00:00.000Z", "RI") },
  { name: "RI Sat 12:00 EDT → Mon 09:00", at: "2026-06-20T16:00:00Z", zones: [NY], states: ["RI"], expected: open("2026-06-22T13:00:00.000Z", "RI") },
  // --- Arizona: MST all year ---
  { name: "AZ summer Wed 07:59 MST", at: "2026-06-17T14:59:00Z", zones: [PHX], states: ["AZ"], expected: open("2026-06-17T15:00:00.000Z", "federal") },
  { name: "AZ winter Wed 07:59 MST (same UTC as summer)", at: "2026-01-14T14:59:00Z", zones: [PHX], states: ["AZ"], expected: open("2026-01-14T15:00:00.000Z", "federal") },
  { name: "AZ winter Wed 20:59 MST", at: "2026-01-15T03:59:00Z", zones: [PHX], expected: "allowed" },
  { name: "AZ winter Wed 21:00 MST", at: "2026-01-15T04:00:00Z", zones: [PHX], expected: open("2026-01-15T15:00:00.000Z", "federal") },
  { name: "AZ Sun 8 Mar (Denver springs forward, Phoenix does not) 07:59 MST", at: "2026-03-08T14:59:00Z", zones: [PHX], expected: open("2026-03-08T15:00:00.000Z", "federal") },
  { name: "928 area code (Phoenix + Navajo Denver) Fri 6 Mar: same offset, 20:59", at: "2026-03-07T03:59:00Z", zones: [PHX, DEN], expected: "allowed" },
  { name: "928 area code Mon 9 Mar: Denver on MDT, Phoenix 07:30 MST", at: "2026-03-09T14:30:00Z", zones: [PHX, DEN], expected: open("2026-03-09T15:00:00.000Z", "federal") },
  { name: "928 area code Mon 9 Mar: Denver 20:59 MDT", at: "2026-03-10T02:59:00Z", zones: [PHX, DEN], expected: "allowed" },
  { name: "928 area code Mon 9 Mar: Denver 21:00 MDT closes first", at: "2026-03-10T03:00:00Z", zones: [PHX, DEN], expected: open("2026-03-10T15:00:00.000Z", "federal") },
  // --- spring forward, Sunday 8 March 2026 (02:00 → 03:00) ---
  { name: "NY Sat 7 Mar 21:00 EST → Sun 08:00 EDT", at: "2026-03-08T02:00:00Z", zones: [NY], expected: open("2026-03-08T12:00:00.000Z", "federal") },
  { name: "NY Sun 8 Mar 01:30 EST (before the change)", at: "2026-03-08T06:30:00Z", zones: [NY], expected: open("2026-03-08T12:00:00.000Z", "federal") },
  { name: "NY Sun 8 Mar 07:59 EDT", at: "2026-03-08T11:59:00Z", zones: [NY], expected: open("2026-03-08T12:00:00.000Z", "federal") },
  { name: "NY Sun 8 Mar 08:00 EDT", at: "2026-03-08T12:00:00Z", zones: [NY], expected: "allowed" },
  { name: "NY Sun 8 Mar 08:00 EST would be wrong: 13:00Z is 09:00 EDT", at: "2026-03-08T13:00:00Z", zones: [NY], expected: "allowed" },
  { name: "NY Sun 8 Mar 20:59 EDT", at: "2026-03-09T00:59:00Z", zones: [NY], expected: "allowed" },
  { name: "NY Sun 8 Mar 21:00 EDT → Mon 08:00 EDT", at: "2026-03-09T01:00:00Z", zones: [NY], expected: open("2026-03-09T12:00:00.000Z", "federal") },
  { name: "NY Sat 7 Mar 07:59 EST (day before)", at: "2026-03-07T12:59:00Z", zones: [NY], expected: open("2026-03-07T13:00:00.000Z", "federal") },
  { name: "CHI Sat 7 Mar 22:00 CST → Sun 08:00 CDT", at: "2026-03-08T04:00:00Z", zones: [CHI], expected: open("2026-03-08T13:00:00.000Z", "federal") },
  { name: "CHI Sat 7 Mar 07:59 CST", at: "2026-03-07T13:59:00Z", zones: [CHI], expected: open("2026-03-07T14:00:00.000Z", "federal") },
  { name: "TX CHI Sun 8 Mar 01:00 CST → 12:00 CDT", at: "2026-03-08T07:00:00Z", zones: [CHI], states: ["TX"], expected: open("2026-03-08T17:00:00.000Z", "TX") },
  { name: "TX CHI Sun 8 Mar 11:59 CDT", at: "2026-03-08T16:59:00Z", zones: [CHI], states: ["TX"], expected: open("2026-03-08T17:00:00.000Z", "TX") },
  { name: "AL CHI Sun 8 Mar 03:30 CDT → Mon 08:00 CDT", at: "2026-03-08T08:30:00Z", zones: [CHI], states: ["AL"], expected: open("2026-03-09T13:00:00.000Z", "AL") },
  // --- fall back, Sunday 1 November 2026 (02:00 → 01:00) ---
  { name: "NY Sat 31 Oct 21:00 EDT → Sun 08:00 EST", at: "2026-11-01T01:00:00Z", zones: [NY], expected: open("2026-11-01T13:00:00.000Z", "federal") },
  { name: "NY Sun 1 Nov 01:30 EDT (first pass)", at: "2026-11-01T05:30:00Z", zones: [NY], expected: open("2026-11-01T13:00:00.000Z", "federal") },
  { name: "NY Sun 1 Nov 01:30 EST (second pass)", at: "2026-11-01T06:30:00Z", zones: [NY], expected: open("2026-11-01T13:00:00.000Z", "federal") },
  { name: "NY Sun 1 Nov 07:59 EST", at: "2026-11-01T12:59:00Z", zones: [NY], expected: open("2026-11-01T13:00:00.000Z", "federal") },
  { name: "NY Sun 1 Nov 08:00 EST", at: "2026-11-01T13:00:00Z", zones: [NY], expected: "allowed" },
  { name: "NY Sun 1 Nov 20:59 EST", at: "2026-11-02T01:59:00Z", zones: [NY], expected: "allowed" },
  { name: "NY Sun 1 Nov 21:00 EST → Mon 08:00 EST", at: "2026-11-02T02:00:00Z", zones: [NY], expected: open("2026-11-02T13:00:00.000Z", "federal") },
  { name: "TX CHI Sun 1 Nov 11:59 CST", at: "2026-11-01T17:59:00Z", zones: [CHI], states: ["TX"], expected: open("2026-11-01T18:00:00.000Z", "TX") },
  { name: "AL CHI Sun 1 Nov 09:00 CST → Mon 08:00 CST", at: "2026-11-01T15:00:00Z", zones: [CHI], states: ["AL"], expected: open("2026-11-02T14:00:00.000Z", "AL") },
  { name: "AL CHI Sat 31 Oct 20:59 CDT", at: "2026-11-01T01:59:00Z", zones: [CHI], states: ["AL"], expected: "allowed" },
  { name: "FL CHI Sat 31 Oct 20:00 CDT → Sun 08:00 CST", at: "2026-11-01T01:00:00Z", zones: [CHI], states: ["FL"], expected: open("2026-11-01T14:00:00.000Z", "FL") },
  // --- disagreeing candidates: only the hours all allow ---
  { name: "TX property (Central) + 305 area code (Eastern) Wed 08:59 CDT", at: "2026-06-17T13:59:00Z", zones: [CHI, NY], states: ["TX"], expected: open("2026-06-17T14:00:00.000Z", "TX") },
  { name: "TX property + 305 Wed 19:59 CDT / 20:59 EDT", at: "2026-06-18T00:59:00Z", zones: [CHI, NY], states: ["TX"], expected: "allowed" },
  { name: "TX property + 305 Wed 21:00 EDT closes first", at: "2026-06-18T01:00:00Z", zones: [CHI, NY], states: ["TX"], expected: open("2026-06-18T14:00:00.000Z", "TX") },
  { name: "TX property + 305 Sun 11:30 CDT / 12:30 EDT", at: "2026-06-21T16:30:00Z", zones: [CHI, NY], states: ["TX"], expected: open("2026-06-21T17:00:00.000Z", "TX") },
  { name: "850 area code (Eastern + Central) FL Wed 08:30 EDT / 07:30 CDT", at: "2026-06-17T12:30:00Z", zones: [NY, CHI], states: ["FL"], expected: open("2026-06-17T13:00:00.000Z", "FL") },
  { name: "850 area code FL Wed 20:00 EDT", at: "2026-06-18T00:00:00Z", zones: [NY, CHI], states: ["FL"], expected: open("2026-06-18T13:00:00.000Z", "FL") },
  { name: "TX property + CT mailing: CT's 20:00 and TX's 09:00 both bind", at: "2026-06-18T00:00:00Z", zones: [CHI, NY], states: ["TX", "CT"], expected: open("2026-06-18T14:00:00.000Z", "CT") },
  { name: "TX property + CT mailing Wed 19:59 EDT", at: "2026-06-17T23:59:00Z", zones: [CHI, NY], states: ["TX", "CT"], expected: "allowed" },
  { name: "New York + Honolulu Wed 13:00 EDT / 07:00 HST", at: "2026-06-17T17:00:00Z", zones: [NY, HNL], expected: open("2026-06-17T18:00:00.000Z", "federal") },
  { name: "New York + Honolulu Wed 21:00 EDT → Thu 08:00 HST", at: "2026-06-18T01:00:00Z", zones: [NY, HNL], expected: open("2026-06-18T18:00:00.000Z", "federal") },
  { name: "RI + Honolulu share 09:00–12:00 HST", at: "2026-06-17T18:00:00Z", zones: [NY, HNL], states: ["RI"], expected: open("2026-06-17T19:00:00.000Z", "RI") },
  { name: "RI New York + Tokyo never share an hour: no opening within 8 days", at: "2026-06-17T12:00:00Z", zones: [NY, "Asia/Tokyo"], states: ["RI"], expected: open(null, "RI") },
  { name: "duplicate zones count once", at: "2026-06-17T12:00:00Z", zones: [NY, NY], expected: "allowed" },
  { name: "unrelated state rows do not apply", at: "2026-06-17T12:30:00Z", zones: [NY], states: ["NY", "NJ"], expected: "allowed" },
  { name: "lower-case state codes still match", at: "2026-06-18T00:00:00Z", zones: [NY], states: ["fl"], expected: open("2026-06-18T12:00:00.000Z", "FL") },
];

function ruleLabel(rule: { state?: string; name: string }): string {
  if (rule.state) return rule.state;
  return rule.name === "Federal" ? "federal" : "org";
}

describe("quietHoursVerdict decision table", () => {
  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES)("$name", ({ at, zones, states = [], orgWindow = { start: "08:00", end: "21:00" }, rules = DEFAULT_STATE_QUIET_HOURS, expected }) => {
    const verdict = quietHoursVerdict({ at: new Date(at), zones, states, orgWindow, rules });
    if (expected === "allowed") {
      expect(verdict.allowed).toBe(true);
      if (!verdict.allowed) return;
      // It stays allowed until closesAt, and closesAt itself is outside the window.
      expect(verdict.closesAt.getTime()).toBeGreaterThan(new Date(at).getTime());
      expect(quietHoursVerdict({ at: new Date(verdict.closesAt.getTime() - 60_000), zones, states, orgWindow, rules }).allowed).toBe(true);
      expect(quietHoursVerdict({ at: verdict.closesAt, zones, states, orgWindow, rules }).allowed).toBe(false);
      return;
    }
    expect(verdict.allowed).toBe(false);
    if (verdict.allowed) return;
    expect(verdict.opensAt?.toISOString() ?? null).toBe(expected.opensAt);
    expect(ruleLabel(verdict.rule)).toBe(expected.rule);
    expect(verdict.rule.source.length).toBeGreaterThan(0);
    // The opening instant itself is allowed (and is the first such minute).
    if (verdict.opensAt) {
      expect(quietHoursVerdict({ at: verdict.opensAt, zones, states, orgWindow, rules }).allowed).toBe(true);
      expect(quietHoursVerdict({ at: new Date(verdict.opensAt.getTime() - 60_000), zones, states, orgWindow, rules }).allowed).toBe(false);
    }
  });
});

describe("quietHoursVerdict reasons", () => {
  it("names the local time, the zone, the rule and its source", () => {
    const verdict = quietHoursVerdict({ at: new Date("2026-06-21T16:59:00Z"), zones: [CHI], states: ["TX"], orgWindow: { start: "08:00", end: "21:00" }, rules: DEFAULT_STATE_QUIET_HOURS });
    expect(verdict).toMatchObject({
      allowed: false,
      reason: "Quiet hours: it is Sunday 11:59 in America/Chicago; Texas allows 12:00–21:00 on Sunday; opens 2026-06-21T17:00:00.000Z.",
      rule: { state: "TX", name: "Texas", source: "Texas SB 140 (from 2025-09-01)" },
    });
  });

  it("says when a day has no messages at all", () => {
    const verdict = quietHoursVerdict({ at: new Date("2026-06-21T15:00:00Z"), zones: [CHI], states: ["AL"], orgWindow: { start: "08:00", end: "21:00" }, rules: DEFAULT_STATE_QUIET_HOURS });
    expect(verdict.allowed === false && verdict.reason).toContain("Alabama allows no messages on Sunday");
  });

  it("says when no opening exists within the 8-day bound", () => {
    const verdict = quietHoursVerdict({ at: new Date("2026-06-17T12:00:00Z"), zones: [NY, "Asia/Tokyo"], states: ["RI"], orgWindow: { start: "08:00", end: "21:00" }, rules: DEFAULT_STATE_QUIET_HOURS });
    expect(verdict.allowed === false && verdict.reason).toContain("no allowed time within 8 days");
  });

  it("a rule set that forbids every day ends within the bound instead of looping", () => {
    const closed = parseQuietHoursRuleSet([{ state: null, name: "Closed", weekdays: [], saturday: [], sunday: [], frequencyCap: null, source: "test" }]);
    const started = performance.now();
    const verdict = quietHoursVerdict({ at: new Date("2026-06-17T12:00:00Z"), zones: [NY], states: [], orgWindow: { start: "08:00", end: "21:00" }, rules: closed });
    expect(verdict).toMatchObject({ allowed: false, opensAt: null, rule: { name: "Closed" } });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("refuses an empty zone list (the caller falls back to the organization's zone)", () => {
    expect(() => quietHoursVerdict({ at: new Date(), zones: [], states: [], orgWindow: { start: "08:00", end: "21:00" }, rules: DEFAULT_STATE_QUIET_HOURS })).toThrow(/at least one zone/);
  });
});
