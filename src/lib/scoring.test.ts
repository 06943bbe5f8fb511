import { describe, expect, it } from "vitest";
import { scoreLead, temperatureFor } from "./scoring";

const NOW = new Date("2026-11-22T00:00:00Z");
const NOTHING = { equityPct: null, absentee: null, lastSaleDate: null, lastSalePriceCents: null, estimatedValueCents: null, vacant: null };

describe("temperatureFor", () => {
  it.each([
    [0, "COLD"], [39, "COLD"], [40, "WARM"], [64, "WARM"], [65, "HOT"], [84, "HOT"], [85, "ON_FIRE"], [100, "ON_FIRE"],
  ] as const)("%i is %s", (score, temperature) => {
    expect(temperatureFor(score)).toBe(temperature);
  });
});

describe("scoreLead", () => {
  it("gives a property with no signals only the base points", () => {
    expect(scoreLead(NOTHING, NOW)).toEqual({ score: 10, temperature: "COLD", factors: [{ factor: "base", points: 10, detail: "Every property starts here" }] });
  });

  it("scores a long-held, high-equity, absentee, vacant property on fire and explains every point", () => {
    const result = scoreLead(
      { equityPct: 92, absentee: true, lastSaleDate: "2001-05-01", lastSalePriceCents: 9_000_000, estimatedValueCents: 32_000_000, vacant: true },
      NOW,
    );
    expect(result.factors.map((f) => [f.factor, f.points])).toEqual([
      ["base", 10], ["equity", 30], ["absentee_owner", 20], ["years_owned", 15], ["appreciation", 10], ["vacant", 10],
    ]);
    expect(result.score).toBe(95);
    expect(result.temperature).toBe("ON_FIRE");
    expect(result.score).toBe(result.factors.reduce((sum, f) => sum + f.points, 0));
  });

  it("caps the score at 100", () => {
    const result = scoreLead(
      { equityPct: 100, absentee: true, ownerIsCorporate: true, lastSaleDate: "1990-01-01", lastSalePriceCents: 1, estimatedValueCents: 50_000_000, vacant: true, replied: true },
      NOW,
    );
    expect(result.score).toBe(100);
  });

  it("is deterministic and rewards equity monotonically", () => {
    const scores = [5, 15, 35, 55, 85].map((equityPct) => scoreLead({ ...NOTHING, equityPct }, NOW).score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scoreLead({ ...NOTHING, equityPct: 55 }, NOW)).toEqual(scoreLead({ ...NOTHING, equityPct: 55 }, NOW));
  });

  it("counts a reply", () => {
    expect(scoreLead({ ...NOTHING, replied: true }, NOW).score - scoreLead(NOTHING, NOW).score).toBe(15);
  });

  it("adds the latest reply's intent with its reason: interested raises, not interested lowers, an unclear reply adds nothing", () => {
    const replied = { ...NOTHING, equityPct: 55, replied: true };
    const plain = scoreLead(replied, NOW).score;
    const interested = scoreLead({ ...replied, replyIntent: "interested", replyIntentReason: 'Matched "make me an offer" (interested).' }, NOW);
    expect(interested.score - plain).toBe(20);
    expect(interested.factors.at(-1)).toEqual({
      factor: "reply_intent",
      points: 20,
      detail: 'Latest reply reads as interested: Matched "make me an offer" (interested).',
    });
    expect(scoreLead({ ...replied, replyIntent: "not_interested" }, NOW).score - plain).toBe(-25);
    expect(scoreLead({ ...replied, replyIntent: "opt_out" }, NOW).score - plain).toBe(-25);
    expect(scoreLead({ ...replied, replyIntent: "question" }, NOW).score - plain).toBe(5);
    expect(scoreLead({ ...replied, replyIntent: "unknown" }, NOW)).toEqual(scoreLead(replied, NOW));
    expect(scoreLead({ ...NOTHING, replyIntent: "not_interested" }, NOW).score).toBe(0);
  });
});
