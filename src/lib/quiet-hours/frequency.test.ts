import { describe, expect, it } from "vitest";
import { frequencyCapFor, frequencyVerdict, sendTimeVerdict } from "./frequency";
import { DEFAULT_STATE_QUIET_HOURS as RULES } from "./rules";

const H = 3_600_000;
const at = new Date("2026-06-17T16:00:00Z"); // Wednesday 12:00 EDT
const ago = (hours: number) => new Date(at.getTime() - hours * H);

describe("frequencyCapFor", () => {
  it.each([
    [[], 3, 3, "Organization frequency cap"],
    [["FL"], 3, 3, "Organization frequency cap"], // a tie keeps the org's
    [["FL"], 5, 3, "Florida"],
    [["OK"], 5, 3, "Oklahoma"],
    [["MD"], 10, 3, "Maryland"],
    [["FL"], 2, 2, "Organization frequency cap"],
    [["TX"], 5, 5, "Organization frequency cap"],
  ] as const)("states %j, org cap %i → %i (%s)", (states, orgCap, cap, name) => {
    expect(frequencyCapFor(states, orgCap, RULES)).toMatchObject({ cap, rule: { name } });
  });
});

describe("frequencyVerdict (rolling 24 h)", () => {
  it.each([
    ["none sent", [], 3, true, null],
    ["two in the window", [ago(1), ago(5)], 3, true, null],
    ["three in the window: opens when the oldest leaves", [ago(1), ago(5), ago(23)], 3, false, "2026-06-17T17:00:00.000Z"],
    ["one exactly 24 h old no longer counts", [ago(1), ago(5), ago(24)], 3, true, null],
    ["one 23 h 59 min old still counts", [ago(1), ago(5), new Date(ago(24).getTime() + 60_000)], 3, false, "2026-06-17T16:01:00.000Z"],
    ["five in the window, cap 3: opens when the third oldest leaves", [ago(1), ago(2), ago(3), ago(20), ago(22)], 3, false, "2026-06-18T13:00:00.000Z"],
    ["order of input does not matter", [ago(22), ago(1), ago(20), ago(3), ago(2)], 3, false, "2026-06-18T13:00:00.000Z"],
    ["sends in the future are ignored", [new Date(at.getTime() + H), ago(1), ago(2)], 3, true, null],
    ["org cap 1", [ago(10)], 1, false, "2026-06-18T06:00:00.000Z"],
  ] as const)("%s", (_label, sentAt, orgCap, allowed, opensAt) => {
    const verdict = frequencyVerdict({ at, sentAt: [...sentAt], states: [], orgCap, rules: RULES });
    expect(verdict.allowed).toBe(allowed);
    expect(verdict.allowed ? null : verdict.opensAt.toISOString()).toBe(opensAt);
  });

  it("Florida's own cap applies over a larger org cap, with its source", () => {
    const verdict = frequencyVerdict({ at, sentAt: [ago(1), ago(2), ago(3)], states: ["FL"], orgCap: 5, rules: RULES });
    expect(verdict).toMatchObject({ allowed: false, cap: 3, sentInWindow: 3, rule: { state: "FL", source: "FTSA §501.616(6)" } });
    expect(!verdict.allowed && verdict.reason).toBe("Frequency cap: 3 messages in the last 24 h, Florida allows 3; opens 2026-06-18T13:00:00.000Z.");
  });
});

describe("sendTimeVerdict (quiet hours and the cap together)", () => {
  const base = { zones: ["America/New_York"], states: ["FL"], orgWindow: { start: "08:00", end: "21:00" }, rules: RULES, orgCap: 3 };

  it("allowed when both allow", () => {
    expect(sendTimeVerdict({ ...base, at, sentAt: [ago(1)] })).toEqual({ allowed: true });
  });

  it("capped until 21:30 EDT, then Florida's 20:00 closes: Thursday 08:00", () => {
    const late = new Date("2026-06-17T23:00:00Z"); // Wed 19:00 EDT
    const sentAt = [new Date("2026-06-17T01:30:00Z"), new Date("2026-06-17T12:00:00Z"), new Date("2026-06-17T13:00:00Z")];
    expect(sendTimeVerdict({ ...base, at: late, sentAt })).toMatchObject({ allowed: false, kind: "frequency", opensAt: new Date("2026-06-18T12:00:00Z"), rule: { name: "Organization frequency cap" } });
  });

  it("quiet now, and the cap still full at the morning opening: the later of the two", () => {
    const night = new Date("2026-06-18T02:00:00Z"); // Wed 22:00 EDT
    const sentAt = [new Date("2026-06-17T13:00:00Z"), new Date("2026-06-17T14:00:00Z"), new Date("2026-06-17T15:00:00Z")];
    expect(sendTimeVerdict({ ...base, at: night, sentAt })).toMatchObject({ allowed: false, kind: "quiet_hours", opensAt: new Date("2026-06-18T13:00:00Z") });
  });
});
