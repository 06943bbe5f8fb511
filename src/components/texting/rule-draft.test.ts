import { describe, expect, it } from "vitest";
import { DEFAULT_SMS_REPLY_RULES } from "@/lib/sms-replies";
import { fromDrafts, newRuleDraft, problemCount, problemsFromFieldErrors, toDrafts, validateDraft } from "./rule-draft";

describe("the rules editor's draft", () => {
  it("round-trips the default rules through one-phrase-per-line text", () => {
    expect(fromDrafts(toDrafts(DEFAULT_SMS_REPLY_RULES))).toEqual(DEFAULT_SMS_REPLY_RULES);
  });

  it("drops blank lines and surrounding spaces from phrase lists, and omits empty guard lists", () => {
    const [draft] = toDrafts({ version: 1, rules: [DEFAULT_SMS_REPLY_RULES.rules[0]!] });
    const set = fromDrafts([{ ...draft!, phrases: "stop\n\n  quit me  \n", unless: "\n" }]);
    expect(set.rules[0]!.phrases).toEqual(["stop", "quit me"]);
    expect(set.rules[0]).not.toHaveProperty("unless");
  });

  it("a new rule gets an id no other rule has, and keywords match the whole message", () => {
    const drafts = toDrafts(DEFAULT_SMS_REPLY_RULES);
    const first = newRuleDraft(drafts);
    const second = newRuleDraft([...drafts, first]);
    expect(first.id).toBe("custom-refusal-1");
    expect(second.id).toBe("custom-refusal-2");
    expect(newRuleDraft(drafts, "help").match).toBe("whole_body");
  });

  it("groups the server's field errors by rule and field; set-level errors stay on the form", () => {
    const problems = problemsFromFieldErrors(
      { "ruleSet.rules.3.phrases.2": ['"st.*p" is not a plain phrase'], "ruleSet.rules.0.match": ["must match the whole body"], "ruleSet.rules": ["must keep STOP"] },
      [],
    );
    expect(problems.form).toEqual(["must keep STOP"]);
    expect(problems.rules[3]).toEqual({ phrases: ['"st.*p" is not a plain phrase'] });
    expect(problems.rules[0]).toEqual({ match: ["must match the whole body"] });
    expect(problemCount(problems)).toBe(3);
  });

  it("validates a draft with the server's schema: removing STOP or writing a regex is caught before saving", () => {
    const drafts = toDrafts(DEFAULT_SMS_REPLY_RULES);
    expect(validateDraft(drafts).ruleSet).toEqual(DEFAULT_SMS_REPLY_RULES);
    const noStop = drafts.map((d) => (d.id === "keyword-stop" ? { ...d, phrases: d.phrases.split("\n").filter((p) => p !== "stop").join("\n") } : d));
    expect(validateDraft(noStop).problems.form.join(" ")).toContain("must keep STOP");
    const regex = [...drafts, { ...newRuleDraft(drafts), phrases: "st.*p", explanation: "x" }];
    const { ruleSet, problems } = validateDraft(regex);
    expect(ruleSet).toBeNull();
    expect(problems.rules[drafts.length]?.phrases?.[0]).toContain("is not a plain phrase");
  });
});
