import { describe, expect, it } from "vitest";
import { DEFAULT_SMS_REPLY_RULES, parseSmsReplyRuleSet } from "../sms-replies";
import { classifyReplyIntent } from "./classify";
import { DEFAULT_REPLY_INTENT_RULES } from "./default-rules";
import { parseReplyIntentRuleSet, replyIntentRuleSetSchema, type ReplyIntent } from "./rules";
import { statusForReplyIntent } from "./status";

/** Real-world owner replies to a cash-offer text ("Hi Maria, would you consider a cash offer for 12 Oak St?"). */
const REPLIES: ReadonlyArray<readonly [string, ReplyIntent]> = [
  // interested: yes, maybe, offers, calls
  ["Yes", "interested"],
  ["yes!!", "interested"],
  ["Yeah", "interested"],
  ["yep 👍", "interested"],
  ["👍", "interested"],
  ["Sure", "interested"],
  ["Maybe", "interested"],
  ["I'm interested", "interested"],
  ["IM INTERESTED", "interested"],
  ["Very interested, when can we talk?", "interested"],
  ["intrested", "interested"],
  ["Make me an offer", "interested"],
  ["make me a offer lol", "interested"],
  ["Send me your best offer", "interested"],
  ["Call me at 5pm", "interested"],
  ["you can call me tomorrow after 3", "interested"],
  ["Give me a call 813-555-0142", "interested"],
  ["For the right price I would sell", "interested"],
  ["Depends on the price", "interested"],
  ["maybe, what's your offer?", "interested"],
  ["Yes how much", "interested"],
  ["I've been thinking about selling actually. The roof needs work and my tenants just moved out.", "interested"],
  ["Wont take less than 250k", "interested"],
  ["Possibly. Tell me more", "interested"],
  ["How soon can you close?", "interested"],
  ["ok", "interested"],
  ["We might consider it. My wife and I have been talking about moving closer to the grandkids in Ohio so depends on the number honestly", "interested"],
  // not interested: no, not selling, already sold, negations of interest
  ["No", "not_interested"],
  ["lol no", "not_interested"],
  ["😂 no", "not_interested"],
  ["Nope", "not_interested"],
  ["NO THANKS", "not_interested"],
  ["Not interested", "not_interested"],
  ["not intrested", "not_interested"],
  ["I'm not interested", "not_interested"],
  ["Im not really interested", "not_interested"],
  ["Not at all interested thank you", "not_interested"],
  ["I am not interested in selling", "not_interested"],
  ["Not selling", "not_interested"],
  ["not for sale", "not_interested"],
  ["NOT FOR SALE!!!", "not_interested"],
  ["Not selling, don't want an offer", "not_interested"],
  ["The house is not for sale. Thank you.", "not_interested"],
  ["We are keeping it for our kids", "not_interested"],
  ["Already sold it last year", "not_interested"],
  ["not right now", "not_interested"],
  ["No, but maybe next year", "not_interested"],
  ["I would never sell my home to an investor", "not_interested"],
  ["We're good thanks", "not_interested"],
  ["👎", "not_interested"],
  ["hell nah", "not_interested"],
  ["Your last offer was a lowball, not interested", "not_interested"],
  ["I dont want to sell", "not_interested"],
  // wrong number
  ["wrong number", "wrong_number"],
  ["Wrong #", "wrong_number"],
  ["You have the wrong person", "wrong_number"],
  ["I'm not the owner", "wrong_number"],
  ["This is not Maria. Wrong number", "wrong_number"],
  ["She passed away in 2019", "wrong_number"],
  ["I don't own that property", "wrong_number"],
  // opt out: keywords and refusals, as the texting reply rules read them
  ["STOP", "opt_out"],
  ["stop.", "opt_out"],
  ["Unsubscribe", "opt_out"],
  ["Stop texting me", "opt_out"],
  ["Please remove me from your list", "opt_out"],
  ["Not interested, stop", "opt_out"],
  ["Leave me alone", "opt_out"],
  ["Who is this? Stop texting me", "opt_out"],
  ["Wrong number. Stop texting me", "opt_out"],
  ["Do not contact me again", "opt_out"],
  // questions
  ["How much are you offering", "question"],
  ["how much?", "question"],
  ["Who is this", "question"],
  ["who dis", "question"],
  ["What company is this?", "question"],
  ["Which property?", "question"],
  ["How did you get my number?", "question"],
  ["What would you pay", "question"],
  ["Is this a scam?", "question"],
  ["Are you a realtor?", "question"],
  ["?", "question"],
  ["Whats this regarding?", "question"],
  // unknown: greetings, acknowledgements, noise
  ["Hello", "unknown"],
  ["lol", "unknown"],
  ["🏠", "unknown"],
  ["", "unknown"],
  ["Thanks", "unknown"],
  ["I'm driving, will text later", "unknown"],
];

describe("classifyReplyIntent: real-world replies", () => {
  it("has a table of at least 60 replies covering every intent", () => {
    expect(REPLIES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(REPLIES.map(([, intent]) => intent))).toEqual(new Set(["interested", "not_interested", "wrong_number", "opt_out", "question", "unknown"]));
  });

  it.each(REPLIES)("%j → %s", (body, expected) => {
    const result = classifyReplyIntent(body, DEFAULT_REPLY_INTENT_RULES);
    expect(result.intent, result.reason).toBe(expected);
    expect(result.reason.length).toBeGreaterThan(10);
    if (expected !== "unknown") expect(result.ruleId).not.toBeNull();
  });
});

describe("classifyReplyIntent: explanations", () => {
  it("names the phrase and the intent", () => {
    expect(classifyReplyIntent("How much are you offering?", DEFAULT_REPLY_INTENT_RULES)).toMatchObject({
      intent: "question",
      ruleId: "question-price",
      matchedText: "how much",
      reason: 'Matched "how much" (question).',
      source: "intent_rules",
    });
  });

  it("takes opt-outs and wrong numbers from the texting reply rules, with their rule id", () => {
    const stop = classifyReplyIntent("STOP", DEFAULT_REPLY_INTENT_RULES);
    expect(stop).toMatchObject({ intent: "opt_out", ruleId: "keyword-stop", matchedText: "stop", source: "texting_rules" });
    expect(stop.reason).toBe('Matched "stop" (opt-out): the texting reply rules read it as opt-out.');
    expect(classifyReplyIntent("please stop texting me", DEFAULT_REPLY_INTENT_RULES).reason).toContain("a refusal");
    expect(classifyReplyIntent("wrong number", DEFAULT_REPLY_INTENT_RULES)).toMatchObject({ intent: "wrong_number", ruleId: "wrong-number", source: "texting_rules" });
  });

  it("follows the organization's texting rules, or the classification the webhook already made", () => {
    const smsRules = parseSmsReplyRuleSet({
      ...DEFAULT_SMS_REPLY_RULES,
      rules: [...DEFAULT_SMS_REPLY_RULES.rules, { id: "refusal-custom", kind: "refusal", match: "contains", phrases: ["go pound sand"], explanation: "Local idiom." }],
    });
    expect(classifyReplyIntent("Go pound sand", DEFAULT_REPLY_INTENT_RULES).intent).toBe("unknown");
    expect(classifyReplyIntent("Go pound sand", DEFAULT_REPLY_INTENT_RULES, { smsRules })).toMatchObject({ intent: "opt_out", ruleId: "refusal-custom" });
  });

  it("a negated phrase does not count, and says so when nothing else matched", () => {
    const rules = parseReplyIntentRuleSet({
      version: 1,
      rules: [{ id: "yes", intent: "interested", match: "contains", phrases: ["interested"], unless: ["not * interested"], explanation: "Says interested." }],
    });
    const result = classifyReplyIntent("not that interested", rules);
    expect(result.intent).toBe("unknown");
    expect(result.matches).toEqual([{ ruleId: "yes", intent: "interested", phrase: "interested", matchedText: "interested", negatedBy: "not * interested" }]);
    expect(result.reason).toBe('"interested" would read as interested, but "not * interested" negates it, and nothing else matched: unknown.');
    expect(classifyReplyIntent("very interested", rules).intent).toBe("interested");
  });

  it("an organization's rules replace the defaults, and the question mark fallback can be turned off", () => {
    const rules = parseReplyIntentRuleSet({
      version: 1,
      questionMarkIsQuestion: false,
      rules: [{ id: "local-yes", intent: "interested", match: "whole_body", phrases: ["you bet"], explanation: "Regional yes." }],
    });
    expect(classifyReplyIntent("You bet!", rules)).toMatchObject({ intent: "interested", ruleId: "local-yes", reason: 'Matched "you bet" (interested).' });
    expect(classifyReplyIntent("Who is this?", rules).intent).toBe("unknown");
    expect(classifyReplyIntent("Who is this?", DEFAULT_REPLY_INTENT_RULES).intent).toBe("question");
  });
});

describe("reply intent rule sets", () => {
  it("the defaults validate", () => {
    expect(replyIntentRuleSetSchema.safeParse(DEFAULT_REPLY_INTENT_RULES).success).toBe(true);
  });

  it("refuses opt_out rules, regular expressions and duplicate ids with messages naming the fault", () => {
    const optOut = replyIntentRuleSetSchema.safeParse({ version: 1, rules: [{ id: "x", intent: "opt_out", match: "contains", phrases: ["go away"], explanation: "x" }] });
    expect(optOut.success).toBe(false);
    expect(optOut.error?.issues[0]?.message).toContain("opt-outs come from the texting reply rules");
    const regex = replyIntentRuleSetSchema.safeParse({ version: 1, rules: [{ id: "x", intent: "question", match: "contains", phrases: ["how (much|many)"], explanation: "x" }] });
    expect(regex.error?.issues[0]?.message).toContain("regular expressions are not supported");
    const twice = replyIntentRuleSetSchema.safeParse({
      version: 1,
      rules: [
        { id: "a", intent: "question", match: "contains", phrases: ["how much"], explanation: "x" },
        { id: "a", intent: "interested", match: "contains", phrases: ["yes"], explanation: "x" },
      ],
    });
    expect(twice.error?.issues[0]).toMatchObject({ path: ["rules", 1, "id"], message: 'Rule id "a" is used twice.' });
  });
});

describe("statusForReplyIntent", () => {
  it("moves early leads forward for interested and to dead for not interested", () => {
    expect(statusForReplyIntent("interested", "contacted")).toEqual({ from: "contacted", to: "interested" });
    expect(statusForReplyIntent("interested", "replied")).toEqual({ from: "replied", to: "interested" });
    expect(statusForReplyIntent("not_interested", "new")).toEqual({ from: "new", to: "dead" });
  });

  it("never moves a lead out of a later stage, and opt-outs, wrong numbers and questions move nothing", () => {
    expect(statusForReplyIntent("interested", "negotiating")).toBeNull();
    expect(statusForReplyIntent("interested", "interested")).toBeNull();
    expect(statusForReplyIntent("not_interested", "under_contract")).toBeNull();
    expect(statusForReplyIntent("not_interested", "interested")).toBeNull();
    expect(statusForReplyIntent("interested", "dead")).toBeNull();
    for (const intent of ["opt_out", "wrong_number", "question", "unknown"] as const) expect(statusForReplyIntent(intent, "contacted")).toBeNull();
  });
});
