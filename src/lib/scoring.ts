import type { ReplyIntent } from "./reply-intent";

/**
 * The motivation score: 0–100 from signals that predict a seller's willingness to deal, with
 * the points of every factor so the score can always explain itself. Deterministic: the same
 * signals give the same score.
 */
export type ScoreSignals = {
  equityPct: number | null;
  absentee: boolean | null;
  ownerIsCorporate?: boolean;
  /** YYYY-MM-DD */
  lastSaleDate: string | null;
  lastSalePriceCents: number | null;
  estimatedValueCents: number | null;
  vacant: boolean | null;
  /** The owner answered a message. */
  replied?: boolean;
  /** What the owner's latest classified reply meant (lib/reply-intent), and the sentence saying why. */
  replyIntent?: ReplyIntent | null;
  replyIntentReason?: string | null;
};

/** Points of the latest reply's intent: a yes raises the score, a no or an opt-out lowers it; the rest say nothing about motivation. */
export const REPLY_INTENT_POINTS: Record<ReplyIntent, number> = {
  interested: 20,
  question: 5,
  not_interested: -25,
  opt_out: -25,
  wrong_number: 0,
  unknown: 0,
};

const REPLY_INTENT_DETAIL: Record<ReplyIntent, string> = {
  interested: "Latest reply reads as interested",
  question: "Latest reply asks a question",
  not_interested: "Latest reply reads as not interested",
  opt_out: "Owner opted out of texts",
  wrong_number: "Latest reply says wrong number",
  unknown: "Latest reply is unclear",
};

export type ScoreFactor = { factor: string; points: number; detail: string };
export type Temperature = "COLD" | "WARM" | "HOT" | "ON_FIRE";
/**
 * Old names of temperatures, still read wherever a temperature comes in as a word (links, saved
 * filters, API input): COLD was DEAD until it was renamed, as "dead" is also a lead status.
 */
export const TEMPERATURE_ALIASES = { DEAD: "COLD" } as const satisfies Record<string, Temperature>;
export type OldTemperatureName = keyof typeof TEMPERATURE_ALIASES;
export const OLD_TEMPERATURE_NAMES = Object.keys(TEMPERATURE_ALIASES) as OldTemperatureName[];

/** A temperature word as sent ("COLD", or an old name such as "DEAD"); other words unchanged. */
export function canonicalTemperature(word: Temperature | OldTemperatureName): Temperature;
export function canonicalTemperature(word: string): string;
export function canonicalTemperature(word: string): string {
  return Object.hasOwn(TEMPERATURE_ALIASES, word) ? TEMPERATURE_ALIASES[word as OldTemperatureName] : word;
}

export type LeadScore = { score: number; temperature: Temperature; factors: ScoreFactor[] };

/** 0–39 COLD, 40–64 WARM, 65–84 HOT, 85–100 ON_FIRE. (COLD was called DEAD, the word of the "dead" status.) */
export function temperatureFor(score: number): Temperature {
  if (score >= 85) return "ON_FIRE";
  if (score >= 65) return "HOT";
  if (score >= 40) return "WARM";
  return "COLD";
}

const BASE_POINTS = 10;

function yearsBetween(isoDate: string, now: Date): number {
  return (now.getTime() - new Date(`${isoDate}T00:00:00Z`).getTime()) / (365.25 * 86_400_000);
}

/**
 * All that scoreLead reads of `now`: the whole years since the last sale (null without one). For the
 * same signals, an equal key means an equal score, factors and details included — so a score
 * computed earlier can be reused while its key holds (cached search answers, search/service.ts).
 */
export function scoreTimeKey(signals: Pick<ScoreSignals, "lastSaleDate">, now: Date = new Date()): number | null {
  return signals.lastSaleDate ? Math.floor(yearsBetween(signals.lastSaleDate, now)) : null;
}

export function scoreLead(signals: ScoreSignals, now: Date = new Date()): LeadScore {
  const factors: ScoreFactor[] = [{ factor: "base", points: BASE_POINTS, detail: "Every property starts here" }];

  if (signals.equityPct !== null) {
    const equity = signals.equityPct;
    const points = equity >= 80 ? 30 : equity >= 50 ? 22 : equity >= 30 ? 14 : equity >= 10 ? 6 : 0;
    factors.push({ factor: "equity", points, detail: `${equity.toFixed(0)}% equity` });
  }

  if (signals.absentee) factors.push({ factor: "absentee_owner", points: 20, detail: "Owner lives elsewhere" });
  if (signals.ownerIsCorporate) factors.push({ factor: "corporate_owner", points: 5, detail: "Owned by a company or trust" });

  if (signals.lastSaleDate) {
    const years = yearsBetween(signals.lastSaleDate, now);
    const points = years >= 20 ? 15 : years >= 10 ? 10 : years >= 5 ? 5 : 0;
    factors.push({ factor: "years_owned", points, detail: `Owned ${Math.max(0, Math.floor(years))} years` });
  }

  if (signals.estimatedValueCents && signals.lastSalePriceCents && signals.lastSalePriceCents > 0) {
    const ratio = signals.estimatedValueCents / signals.lastSalePriceCents;
    const points = ratio >= 2 ? 10 : ratio >= 1.5 ? 6 : ratio >= 1.2 ? 3 : 0;
    factors.push({ factor: "appreciation", points, detail: `Worth ${ratio.toFixed(1)}× its last sale price` });
  }

  if (signals.vacant) factors.push({ factor: "vacant", points: 10, detail: "Reported vacant" });
  if (signals.replied) factors.push({ factor: "replied", points: 15, detail: "Owner replied to a message" });
  if (signals.replyIntent) {
    const reason = signals.replyIntentReason?.trim();
    factors.push({
      factor: "reply_intent",
      points: REPLY_INTENT_POINTS[signals.replyIntent] ?? 0,
      detail: `${REPLY_INTENT_DETAIL[signals.replyIntent] ?? "Latest reply"}${reason ? `: ${reason}` : ""}`,
    });
  }

  const score = Math.max(0, Math.min(100, factors.reduce((sum, factor) => sum + factor.points, 0)));
  return { score, temperature: temperatureFor(score), factors: factors.filter((factor) => factor.points !== 0 || factor.factor === "base") };
}
