import { describe, expect, it } from "vitest";
import { classifyInboundSms, parseOptOutType, type SmsReplyOutcome } from "./classify";
import { DEFAULT_SMS_REPLY_RULES } from "./default-rules";
import { parseSmsReplyRuleSet, type SmsReplyRuleSet } from "./rules";

/** Real-world replies to cold real-estate texts, with the outcome LeadFlow must reach. */
const PHRASINGS: ReadonlyArray<readonly [string, SmsReplyOutcome]> = [
  // STOP family: whole body, any case, punctuation, quotes, emoji, whitespace
  ["STOP", "opt_out"],
  ["stop", "opt_out"],
  [" Stop ", "opt_out"],
  ["STOP.", "opt_out"],
  ["stop!!", "opt_out"],
  ["Stop!!!!!!", "opt_out"],
  ["\"STOP\"", "opt_out"],
  ["“Stop”", "opt_out"],
  ["STOP 🛑", "opt_out"],
  ["ＳＴＯＰ", "opt_out"],
  ["\n\tstop\n", "opt_out"],
  ["STOPALL", "opt_out"],
  ["Stop all", "opt_out"],
  ["Unsubscribe", "opt_out"],
  ["UNSUBSCRIBE.", "opt_out"],
  ["Cancel", "opt_out"],
  ["end", "opt_out"],
  ["Quit", "opt_out"],
  ["Revoke", "opt_out"],
  ["OPTOUT", "opt_out"],
  ["Opt out", "opt_out"],
  ["opt-out", "opt_out"],
  // START and HELP families
  ["START", "opt_in"],
  ["start.", "opt_in"],
  ["Unstop", "opt_in"],
  ["Yes", "opt_in"],
  ["HELP", "help"],
  ["help?", "help"],
  ["Info", "help"],
  // Short refusals that are not a bare keyword
  ["Stop please", "refusal"],
  ["Please stop", "refusal"],
  ["STOP STOP STOP", "refusal"],
  ["Stop it", "refusal"],
  ["Stop now!", "refusal"],
  ["No. Stop.", "refusal"],
  ["Not interested, stop", "refusal"],
  ["stop thank you", "refusal"],
  ["Stopp", "refusal"],
  ["Unsubscribed", "refusal"],
  ["QUIT IT", "refusal"],
  ["No more", "refusal"],
  ["Not interested. Remove", "refusal"],
  ["No thank you, please remove", "refusal"],
  // Free-text refusals
  ["Please stop texting me", "refusal"],
  ["Stop texting me", "refusal"],
  ["stop fucking texting me", "refusal"],
  ["Can you please stop sending me these messages", "refusal"],
  ["Stop messaging me", "refusal"],
  ["stop contacting me about my property", "refusal"],
  ["I've asked you to stop bothering me", "refusal"],
  ["Quit texting me", "refusal"],
  ["Remove me from your list", "refusal"],
  ["Remove me from your mailing list please", "refusal"],
  ["Please remove my number", "refusal"],
  ["Take me off your list", "refusal"],
  ["take me off", "refusal"],
  ["Take this number off your list", "refusal"],
  ["Do not text this number", "refusal"],
  ["Don't text me again", "refusal"],
  ["dont contact me", "refusal"],
  ["Do not contact me again", "refusal"],
  ["Lose my number", "refusal"],
  ["Delete my number", "refusal"],
  ["Unsubscribe me", "refusal"],
  ["How do I unsubscribe from these", "refusal"],
  ["opt me out", "refusal"],
  ["Leave me alone", "refusal"],
  ["Go away", "refusal"],
  ["F off", "refusal"],
  ["fuck you", "refusal"],
  ["Don't bother me", "refusal"],
  ["stop bugging me about my house", "refusal"],
  ["No more texts please", "refusal"],
  ["I don't want your texts", "refusal"],
  ["Put me on your do not call list", "refusal"],
  ["This is harassment", "refusal"],
  ["I'm reporting you to the FCC", "refusal"],
  ["Blocking this number", "refusal"],
  ["Stop calling me", "refusal"],
  ["Don't call me again", "refusal"],
  ["Not interested. Don't contact me again.", "refusal"],
  ["Wrong number, stop texting me", "refusal"],
  ["I said stop texting me. Don't stop by either", "refusal"],
  // Wrong number
  ["Wrong number", "wrong_number"],
  ["wrong #, sorry", "wrong_number"],
  ["You have the wrong number", "wrong_number"],
  ["You have the wrong person", "wrong_number"],
  ["Sorry wrong person", "wrong_number"],
  ["No one by that name here", "wrong_number"],
  ["There's nobody by that name at this number", "wrong_number"],
  ["I don't know who that is", "wrong_number"],
  ["This is not his number anymore", "wrong_number"],
  ["You got the wrong guy", "wrong_number"],
  ["I never owned that house", "wrong_number"],
  // Ambiguous: no suppression, a person reads it
  ["Stop by tomorrow?", "review"],
  ["Can you stop by the house Friday", "review"],
  ["Please stop by", "review"],
  ["Don't stop", "review"],
  ["Don't stop texting me, I'm interested", "review"],
  ["I don't want you to stop texting", "review"],
  ["Who is this?", "review"],
  ["who dis", "review"],
  ["How did you get my number?", "review"],
  ["Why are you texting me", "review"],
  ["Not interested", "review"],
  ["I'm not the owner", "review"],
  ["STOP\nSent from my iPhone", "review"],
  ["remove the tree first", "review"],
  ["No thanks", "review"],
  ["Is this spam?", "review"],
  ["I'll have my attorney call you", "review"],
  ["This isn't a wrong number, it's his wife", "review"],
  ["Don't call, text me instead", "review"],
  ["Don't text me after 8pm", "review"],
  ["Can we cancel the appointment?", "review"],
  ["Yes stop", "review"],
  ["Don't remove me, I might sell next year", "review"],
  ["Stop. Who is this?", "review"],
  // Ordinary replies: nothing to do
  ["Yes I'm the owner", "none"],
  ["How much are you offering?", "none"],
  ["Maybe, call me at 5", "none"],
  ["Not for sale", "none"],
  ["He passed away last year", "none"],
  ["Do you buy land too? No more than 5 acres", "none"],
  ["No", "none"],
  ["Sure, what's your offer?", "none"],
  ["The end of the month works", "none"],
  ["Send me your best offer", "none"],
  ["Text me the details", "none"],
  ["I need help with a repair first", "none"],
  ["Is the start date flexible?", "none"],
  ["Yes please", "none"],
  ["👍", "none"],
  ["", "none"],
  ["   ", "none"],
  ["Stopped by the property yesterday, looks good", "none"],
];

describe("classifyInboundSms: the real-world phrasing table", () => {
  it("holds at least 80 phrasings, negatives included", () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(80);
    expect(PHRASINGS.filter(([, outcome]) => outcome === "none" || outcome === "review").length).toBeGreaterThanOrEqual(30);
  });

  it.each(PHRASINGS)("%j → %s", (body, expected) => {
    const result = classifyInboundSms(body, DEFAULT_SMS_REPLY_RULES);
    expect(result.outcome, result.reason).toBe(expected);
  });
});

describe("classifyInboundSms: result shape", () => {
  it("names the rule, the phrase, the matched words and why, and says what to suppress", () => {
    const result = classifyInboundSms("Please STOP texting me!!", DEFAULT_SMS_REPLY_RULES);
    expect(result).toMatchObject({
      outcome: "refusal",
      ruleId: "refusal-stop-contact",
      phrase: "stop * texting",
      matchedText: "stop texting",
      answeredByProvider: false,
      suppression: "number",
    });
    expect(result.reason).toContain("refusal-stop-contact");
    expect(result.normalized).toEqual({ text: "please stop texting me", words: "please stop texting me" });
  });

  it("suppresses a wrong number for the lead only, and keeps the wrong-number match when a refusal wins", () => {
    expect(classifyInboundSms("wrong number", DEFAULT_SMS_REPLY_RULES).suppression).toBe("lead_phone");
    const both = classifyInboundSms("Wrong number, stop texting me", DEFAULT_SMS_REPLY_RULES);
    expect(both.suppression).toBe("number");
    expect(both.matches.map((m) => m.kind)).toContain("wrong_number");
  });

  it("never suppresses on a negated phrase, and says which guard set it aside", () => {
    const result = classifyInboundSms("Don’t stop texting me", DEFAULT_SMS_REPLY_RULES);
    expect(result).toMatchObject({ outcome: "review", ruleId: "refusal-stop-contact", suppression: null });
    expect(result.matches.find((m) => m.ruleId === "refusal-stop-contact")?.negatedBy).toBe("dont stop");
    expect(result.reason).toContain("dont stop");
  });

  it("review and none suppress nothing; opt-in and help suppress nothing", () => {
    for (const body of ["who is this", "sounds good", "START", "HELP"]) {
      expect(classifyInboundSms(body, DEFAULT_SMS_REPLY_RULES).suppression).toBeNull();
    }
    expect(classifyInboundSms("sounds good", DEFAULT_SMS_REPLY_RULES)).toMatchObject({ outcome: "none", ruleId: null, matches: [] });
  });

  it("classifies a 1,600-character body quickly", () => {
    const body = `${"we could talk about the roof and the price ".repeat(37)} stop texting me`;
    const started = performance.now();
    expect(classifyInboundSms(body, DEFAULT_SMS_REPLY_RULES).outcome).toBe("refusal");
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe("classifyInboundSms: Twilio OptOutType", () => {
  it.each([
    ["STOP", "opt_out", "number"],
    ["START", "opt_in", null],
    ["HELP", "help", null],
    ["stop", "opt_out", "number"],
  ] as const)("OptOutType=%s decides %s and Twilio has answered", (optOutType, outcome, suppression) => {
    const result = classifyInboundSms("whatever the body says", DEFAULT_SMS_REPLY_RULES, { optOutType });
    expect(result).toMatchObject({ outcome, suppression, answeredByProvider: true, ruleId: "twilio-opt-out-type" });
    expect(result.reason).toContain(`OptOutType=${optOutType.toUpperCase()}`);
  });

  it("overrides the text rules (Twilio's keyword list may be configured differently)", () => {
    expect(classifyInboundSms("ARRET", DEFAULT_SMS_REPLY_RULES, { optOutType: "STOP" }).outcome).toBe("opt_out");
    expect(classifyInboundSms("STOP", DEFAULT_SMS_REPLY_RULES, { optOutType: "START" }).outcome).toBe("opt_in");
  });

  it("ignores an absent, empty or unknown OptOutType and classifies the text", () => {
    for (const optOutType of [undefined, null, "", "UNSUBSCRIBE", "STOPX"]) {
      const result = classifyInboundSms("STOP", DEFAULT_SMS_REPLY_RULES, { optOutType });
      expect(result).toMatchObject({ outcome: "opt_out", ruleId: "keyword-stop", answeredByProvider: false });
    }
  });

  it("parseOptOutType accepts only STOP, START and HELP", () => {
    expect([" help ", "Start", "STOP", "x", null, undefined].map(parseOptOutType)).toEqual(["HELP", "START", "STOP", null, null, null]);
  });
});

describe("classifyInboundSms: the rule set is data", () => {
  const edited = (): SmsReplyRuleSet => structuredClone(DEFAULT_SMS_REPLY_RULES);

  it("an added refusal phrase changes the outcome", () => {
    expect(classifyInboundSms("Not selling, ever. Bye forever", DEFAULT_SMS_REPLY_RULES).outcome).toBe("none");
    const rules = edited();
    rules.rules.find((r) => r.id === "refusal-remove-me")!.phrases.push("bye forever");
    const result = classifyInboundSms("Not selling, ever. Bye forever", parseSmsReplyRuleSet(rules));
    expect(result).toMatchObject({ outcome: "refusal", ruleId: "refusal-remove-me", phrase: "bye forever" });
  });

  it("an added keyword rule (another language) works with a wildcard-free whole-body match", () => {
    const rules = edited();
    rules.rules.push({ id: "keyword-alto", kind: "opt_out", match: "whole_body", phrases: ["alto", "parar"], explanation: "Spanish STOP." });
    expect(classifyInboundSms("ALTO!", parseSmsReplyRuleSet(rules))).toMatchObject({ outcome: "opt_out", ruleId: "keyword-alto" });
    expect(classifyInboundSms("ALTO!", DEFAULT_SMS_REPLY_RULES).outcome).toBe("none");
  });

  it("removing YES from the opt-in family makes a bare yes an ordinary reply", () => {
    const rules = edited();
    const start = rules.rules.find((r) => r.id === "keyword-start")!;
    start.phrases = start.phrases.filter((p) => p !== "yes");
    expect(classifyInboundSms("Yes", parseSmsReplyRuleSet(rules)).outcome).toBe("none");
  });

  it("an added negation guard turns a suppression into review", () => {
    const rules = edited();
    rules.rules.find((r) => r.id === "refusal-remove-me")!.unless!.push("remove me from * list * of sellers");
    expect(classifyInboundSms("remove me from your list", parseSmsReplyRuleSet(rules)).outcome).toBe("refusal");
    expect(classifyInboundSms("remove me from the list of sellers", parseSmsReplyRuleSet(rules)).outcome).toBe("review");
  });

  it("a wildcard stands for up to three words, no more", () => {
    expect(classifyInboundSms("remove me from list", DEFAULT_SMS_REPLY_RULES).ruleId).toBe("refusal-remove-me");
    const rules: SmsReplyRuleSet = {
      version: 1,
      rules: [
        { id: "keyword-stop", kind: "opt_out", match: "whole_body", phrases: ["stop"], explanation: "STOP." },
        { id: "r", kind: "refusal", match: "contains", phrases: ["take * off"], explanation: "Take off." },
      ],
    };
    expect(classifyInboundSms("take off", rules).outcome).toBe("refusal");
    expect(classifyInboundSms("take this number right off", rules).outcome).toBe("refusal");
    expect(classifyInboundSms("take this number right now off", rules).outcome).toBe("none");
  });

  it("matches whole words only", () => {
    expect(classifyInboundSms("Stopwatch", DEFAULT_SMS_REPLY_RULES).outcome).toBe("none");
    expect(classifyInboundSms("the endpoint", DEFAULT_SMS_REPLY_RULES).outcome).toBe("none");
  });
});
