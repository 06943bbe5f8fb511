import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEFAULT_SMS_REPLY_RULES } from "./default-rules";
import { parseSmsReplyRuleSet, phraseTokens, smsReplyRuleSetSchema, type SmsReplyRuleSet } from "./rules";

function messagesFor(input: unknown): string[] {
  const result = smsReplyRuleSetSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

const STOP_RULE = { id: "keyword-stop", kind: "opt_out", match: "whole_body", phrases: ["stop"], explanation: "STOP." } as const;

describe("the default rule set", () => {
  it("is valid and survives a JSON round trip unchanged (it is stored as data)", () => {
    const copy: unknown = JSON.parse(JSON.stringify(DEFAULT_SMS_REPLY_RULES));
    expect(parseSmsReplyRuleSet(copy)).toEqual(DEFAULT_SMS_REPLY_RULES);
  });

  it("carries every Twilio default keyword and FCC per-se revocation word (COMPLIANCE.md)", () => {
    const phrasesOf = (kind: string) =>
      DEFAULT_SMS_REPLY_RULES.rules.filter((r) => r.kind === kind && r.match === "whole_body").flatMap((r) => r.phrases);
    expect(phrasesOf("opt_out")).toEqual(
      expect.arrayContaining(["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "opt out"]),
    );
    expect(phrasesOf("opt_in")).toEqual(expect.arrayContaining(["start", "yes", "unstop"]));
    expect(phrasesOf("help")).toEqual(expect.arrayContaining(["help", "info"]));
  });
});

describe("phraseTokens", () => {
  it("normalises phrases like message bodies and keeps * as a token", () => {
    expect(phraseTokens("Don’t  STOP *  texting")).toEqual(["dont", "stop", "*", "texting"]);
    expect(phraseTokens("opt-out")).toEqual(["opt", "out"]);
  });
});

describe("rule-set validation", () => {
  it.each<[string, unknown, string]>([
    ["not an object", "stop", "expected object"],
    ["an unknown version", { version: 2, rules: [STOP_RULE] }, "version"],
    ["no rules", { version: 1, rules: [] }, "at least one rule"],
    ["an unknown kind", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", kind: "maybe" }] }, "rules.1.kind"],
    ["a bad id", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "Has Spaces" }] }, "rule id is lowercase"],
    ["a duplicate id", { version: 1, rules: [STOP_RULE, { ...STOP_RULE }] }, 'Rule id "keyword-stop" is used twice'],
    ["a raw regular expression", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", phrases: ["stop(ping)?"] }] }, "regular expressions are not supported"],
    ["a regex wildcard", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", phrases: ["stop.*"] }] }, "not a plain phrase"],
    ["a leading wildcard", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", match: "contains", kind: "refusal", phrases: ["* stop"] }] }, "must start and end with a word"],
    ["a double wildcard", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", match: "contains", kind: "refusal", phrases: ["stop * * me"] }] }, "between two words"],
    ["an empty phrase", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", phrases: ["  "] }] }, "must not be empty"],
    ["a phrase of only punctuation-free symbols", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", phrases: ["'"] }] }, "must start and end with a word"],
    ["a rule with no phrases", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", phrases: [] }] }, "at least one phrase"],
    ["a contains-match keyword family", { version: 1, rules: [STOP_RULE, { ...STOP_RULE, id: "x", match: "contains" }] }, "keyword family and must match the whole body"],
    ["a bad negation guard", { version: 1, rules: [STOP_RULE, { id: "x", kind: "refusal", match: "contains", phrases: ["remove me"], unless: ["[^a]"], explanation: "x" }] }, "rules.1.unless.0"],
    ["STOP removed", { version: 1, rules: [{ ...STOP_RULE, phrases: ["quit"] }] }, "must keep STOP as an opt-out keyword"],
    ["no explanation", { version: 1, rules: [{ ...STOP_RULE, explanation: "" }] }, "needs an explanation"],
  ])("refuses %s with a clear error", (_, input, expected) => {
    const messages = messagesFor(input);
    expect(messages.join("\n")).toContain(expected);
  });

  it("parseSmsReplyRuleSet throws a ZodError that names the rule and field", () => {
    const bad: SmsReplyRuleSet = structuredClone(DEFAULT_SMS_REPLY_RULES);
    bad.rules[4]!.phrases.push("stop|quit");
    expect(() => parseSmsReplyRuleSet(bad)).toThrow(z.ZodError);
    try {
      parseSmsReplyRuleSet(bad);
    } catch (error) {
      const issue = (error as z.ZodError).issues[0]!;
      expect(issue.path).toEqual(["rules", 4, "phrases", bad.rules[4]!.phrases.length - 1]);
      expect(issue.message).toContain('"stop|quit" is not a plain phrase');
    }
  });
});
