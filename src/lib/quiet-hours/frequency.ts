import { applicableRules, type QuietHoursRuleSet } from "./rules";
import { quietHoursVerdict, type QuietHoursInput, type RuleRef } from "./verdict";

/**
 * Frequency cap per recipient per rolling 24 h (issue 10 item 6): the organization's cap
 * (default 3) or a stricter one carried by an applicable state row (Florida, Oklahoma, Maryland).
 * A message sent at s counts for every instant t with t - 24 h < s ≤ t.
 */

const WINDOW_MS = 24 * 3_600_000;

export const ORG_FREQUENCY_RULE: RuleRef = { name: "Organization frequency cap", source: "organization setting" };

export function frequencyCapFor(states: readonly string[], orgCap: number, rules: QuietHoursRuleSet): { cap: number; rule: RuleRef } {
  let best: { cap: number; rule: RuleRef } = { cap: orgCap, rule: ORG_FREQUENCY_RULE };
  for (const rule of applicableRules(rules, states)) {
    if (rule.frequencyCap !== null && rule.frequencyCap < best.cap) {
      best = { cap: rule.frequencyCap, rule: rule.state ? { state: rule.state, name: rule.name, source: rule.source } : { name: rule.name, source: rule.source } };
    }
  }
  return best;
}

export interface FrequencyInput {
  at: Date;
  /** When earlier messages to this recipient were sent (any order; older ones are ignored). */
  sentAt: readonly Date[];
  states: readonly string[];
  orgCap: number;
  rules: QuietHoursRuleSet;
}

export type FrequencyVerdict =
  | { allowed: true; cap: number; sentInWindow: number }
  | { allowed: false; cap: number; sentInWindow: number; opensAt: Date; reason: string; rule: RuleRef };

export function frequencyVerdict(input: FrequencyInput): FrequencyVerdict {
  const at = input.at.getTime();
  const { cap, rule } = frequencyCapFor(input.states, input.orgCap, input.rules);
  const recent = input.sentAt
    .map((sent) => sent.getTime())
    .filter((sent) => sent > at - WINDOW_MS && sent <= at)
    .sort((a, b) => a - b);
  if (recent.length < cap) return { allowed: true, cap, sentInWindow: recent.length };
  // The count falls below the cap when the (n - cap + 1)-th oldest message leaves the window.
  const opensAt = new Date(recent[recent.length - cap]! + WINDOW_MS);
  return {
    allowed: false,
    cap,
    sentInWindow: recent.length,
    opensAt,
    reason: `Frequency cap: ${recent.length} message${recent.length === 1 ? "" : "s"} in the last 24 h, ${rule.name} allows ${cap}; opens ${opensAt.toISOString()}.`,
    rule,
  };
}

export type SendTimeVerdict =
  | { allowed: true }
  | { allowed: false; kind: "quiet_hours" | "frequency"; opensAt: Date | null; reason: string; rule: RuleRef };

/**
 * Quiet hours and the frequency cap together: blocked now by either → the first instant both
 * allow (each wait can only push the other later, so a few rounds settle it). The reason and
 * rule are those of the first check that blocked at `at` (quiet hours are checked first).
 */
export function sendTimeVerdict(input: QuietHoursInput & { sentAt: readonly Date[]; orgCap: number }): SendTimeVerdict {
  let first: Extract<SendTimeVerdict, { allowed: false }> | null = null;
  let at = input.at;
  for (let round = 0; round < 12; round++) {
    const quiet = quietHoursVerdict({ ...input, at });
    if (!quiet.allowed) {
      first ??= { allowed: false, kind: "quiet_hours", opensAt: null, reason: quiet.reason, rule: quiet.rule };
      if (!quiet.opensAt) return { ...first, opensAt: null };
      at = quiet.opensAt;
      continue;
    }
    const frequency = frequencyVerdict({ at, sentAt: input.sentAt, states: input.states, orgCap: input.orgCap, rules: input.rules });
    if (!frequency.allowed) {
      first ??= { allowed: false, kind: "frequency", opensAt: null, reason: frequency.reason, rule: frequency.rule };
      at = frequency.opensAt;
      continue;
    }
    return first ? { ...first, opensAt: at } : { allowed: true };
  }
  return first ? { ...first, opensAt: null } : { allowed: true };
}
