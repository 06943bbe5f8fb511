import { describe, expect, it } from "vitest";
import { matchingPhrase, matchRules, stepSendAt, type MatchableRule } from "./index";

const rule = (fields: Partial<MatchableRule>): MatchableRule => ({ id: fields.name ?? "r", name: "r", enabled: true, position: 0, intents: [], phrases: [], campaignId: null, ...fields });
const facts = { body: "", intent: "unknown" as const, replyOutcome: null, suppressed: false, threadCampaignId: null };

describe("auto-responder matching", () => {
  it("matches phrases as whole words in any case, ignoring punctuation", () => {
    expect(matchingPhrase("HOW MUCH?? would you pay", ["how much"])).toBe("how much");
    expect(matchingPhrase("somehow muchness", ["how much"])).toBeNull();
    expect(matchingPhrase("Call me!", ["call me"])).toBe("call me");
  });

  it("fires the first matching enabled rule in position order and explains every rule", () => {
    const rules = [rule({ name: "b", position: 2, intents: ["question"] }), rule({ name: "off", position: 0, enabled: false, intents: ["question"] }), rule({ name: "a", position: 1, phrases: ["price"] })];
    const result = matchRules(rules, { ...facts, body: "What's your price?", intent: "question" });
    expect(result.match).toMatchObject({ ruleName: "a", reason: 'The reply contains "price".' });
    expect(result.verdicts.map((v) => [v.ruleName, v.matched])).toEqual([["off", false], ["a", true], ["b", true]]);
  });

  it("a campaign rule matches only that campaign's threads", () => {
    const rules = [rule({ name: "c", intents: ["interested"], campaignId: "k1" })];
    expect(matchRules(rules, { ...facts, intent: "interested", threadCampaignId: "k2" }).match).toBeNull();
    expect(matchRules(rules, { ...facts, intent: "interested", threadCampaignId: "k1" }).match?.ruleName).toBe("c");
  });

  it("nothing fires after an opt-out: a keyword, a refusal, a wrong number, or a suppressed number", () => {
    const rules = [rule({ name: "any", intents: ["unknown", "interested"], phrases: ["stop", "wrong"] })];
    for (const optOut of [{ replyOutcome: "opt_out" }, { replyOutcome: "refusal" }, { intent: "wrong_number" as const }, { intent: "opt_out" as const }, { suppressed: true }]) {
      const result = matchRules(rules, { ...facts, body: "stop wrong", ...optOut });
      expect(result.match).toBeNull();
      expect(result.blockedReason).toContain("opt-out");
    }
  });
});

it("keywords the texting rules answer (HELP, START) and texts waiting for review get no automatic reply", () => {
  const rules = [rule({ name: "any", intents: ["question", "unknown", "interested"] })];
  for (const replyOutcome of ["help", "opt_in", "review"]) {
    const result = matchRules(rules, { ...facts, body: "help", intent: "question", replyOutcome });
    expect(result.match).toBeNull();
    expect(result.blockedReason).toMatch(/no (second )?automatic reply/);
  }
  expect(matchRules(rules, { ...facts, body: "what?", intent: "question" }).match?.ruleName).toBe("any");
});

describe("sequence step send time", () => {
  const zone = "America/Chicago";
  const local = (at: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);

  it("goes delayDays later at the local send time, across a DST change", () => {
    // Sat 2026-03-07 15:00 CST; two days later is Mon 2026-03-09, after the spring-forward on the 8th.
    const previous = new Date("2026-03-07T21:00:00Z");
    expect(local(stepSendAt({ delayDays: 2, sendAt: "10:00" }, previous, zone))).toBe("2026-03-09, 10:00");
    expect(stepSendAt({ delayDays: 2, sendAt: "10:00" }, previous, zone).toISOString()).toBe("2026-03-09T15:00:00.000Z");
  });

  it("a send time already past on a 0-day delay moves to the next day; no send time keeps the time of day", () => {
    const previous = new Date("2026-06-10T20:00:00Z"); // 15:00 CDT
    expect(local(stepSendAt({ delayDays: 0, sendAt: "10:00" }, previous, zone))).toBe("2026-06-11, 10:00");
    expect(local(stepSendAt({ delayDays: 0, sendAt: "17:30" }, previous, zone))).toBe("2026-06-10, 17:30");
    expect(stepSendAt({ delayDays: 3, sendAt: null }, previous, zone).toISOString()).toBe("2026-06-13T20:00:00.000Z");
  });

  it("never before notBefore (a step whose time passed goes now)", () => {
    const now = new Date("2026-06-20T12:00:00Z");
    expect(stepSendAt({ delayDays: 1, sendAt: "10:00" }, new Date("2026-06-10T20:00:00Z"), zone, now)).toEqual(now);
  });
});
