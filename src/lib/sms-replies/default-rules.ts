import type { SmsReplyRuleSet } from "./rules";

const STOP_NEGATIONS = [
  "dont stop", "do not stop", "never stop", "not stop", "cant stop", "cannot stop", "wont stop", "didnt stop",
  "shouldnt stop", "dont want * stop", "do not want * stop", "dont need * stop",
];

/**
 * LeadFlow's default reply rules (COMPLIANCE.md: Twilio default keywords, FCC per-se revocation
 * words, free-text refusals). Plain JSON: an organization's edited copy replaces it wholesale.
 * Order matters only within a kind (the first matching rule of the winning kind is reported).
 */
export const DEFAULT_SMS_REPLY_RULES: SmsReplyRuleSet = {
  version: 1,
  rules: [
    {
      id: "keyword-stop",
      kind: "opt_out",
      match: "whole_body",
      phrases: ["stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "opt out"],
      explanation:
        "A Twilio opt-out keyword or FCC per-se revocation word sent as the whole message: the number is suppressed and gets one confirmation.",
    },
    {
      id: "keyword-start",
      kind: "opt_in",
      match: "whole_body",
      phrases: ["start", "unstop", "yes"],
      explanation: "A Twilio opt-in keyword sent as the whole message: lifts an earlier opt-out, which is recorded.",
    },
    {
      id: "keyword-help",
      kind: "help",
      match: "whole_body",
      phrases: ["help", "info"],
      explanation: "A Twilio help keyword sent as the whole message: answered with the sender's identity and contact.",
    },
    {
      id: "refusal-short",
      kind: "refusal",
      match: "whole_body",
      phrases: [
        "please stop", "stop please", "pls stop", "stop pls", "plz stop", "stop plz", "stop it", "stop now", "stop stop", "stop stop stop",
        "stop already", "just stop", "no stop", "stop no", "stop thanks", "stop thank you", "ok stop", "stop ok", "stop asap",
        "no thanks stop", "no thank you stop", "not interested stop", "stop not interested", "stop * not interested",
        "not interested * stop", "unsubscribe please", "please unsubscribe", "cancel please", "please cancel", "end please",
        "quit please", "quit it", "end it", "end this", "no more", "remove", "remove please", "please remove", "remove it",
        "not interested * remove", "no thanks * remove", "no thank you * remove", "stop texting", "unsubscribed", "stopp", "stoo",
        "sotp", "st0p", "stp",
      ],
      explanation: "A short message made only of an opt-out word with politeness, emphasis or a typo: a refusal by reasonable means.",
    },
    {
      id: "refusal-stop-contact",
      kind: "refusal",
      match: "contains",
      phrases: [
        "stop * texting", "stop * texts", "stop * text me", "stop * txting", "stop * txts", "stop * messaging", "stop * messages",
        "stop * msging", "stop * msgs", "stop * contacting", "stop * sending", "stop * bothering", "stop * harassing",
        "stop * spamming", "stop * bugging", "stop * hitting me up", "stop * reaching out", "quit * texting", "quit * messaging",
        "quit * contacting", "quit * bothering", "quit * bugging", "dont bother me", "dont bug me",
      ],
      unless: STOP_NEGATIONS,
      explanation: "Asks the sender to stop texting or contacting them: a free-text revocation of consent.",
    },
    {
      id: "refusal-do-not-contact",
      kind: "refusal",
      match: "contains",
      phrases: [
        "do not text", "dont text", "do not txt", "dont txt", "do not message", "dont message", "do not contact", "dont contact",
        "dont send * texts", "dont send * messages", "do not send * texts", "do not send * messages", "dont send me anything",
        "never text", "never contact", "never message",
        "no more texts", "no more text", "no more texting", "no more messages", "no more msgs", "no more contact",
        "dont want * texts", "dont want * text messages", "dont want * messages", "do not want * texts", "do not want * messages",
        "dont want to be contacted", "do not want to be contacted", "dont want to be texted", "not want to receive",
        "enough with the texts", "enough with * messages", "not a good number to text", "cant text this number",
      ],
      unless: ["dont text * after", "dont text * before", "do not text * after", "do not text * before", "dont text * at work", "do not text * at work"],
      explanation: "Tells the sender not to text, message or contact them: a free-text revocation of consent.",
    },
    {
      id: "refusal-calls",
      kind: "refusal",
      match: "contains",
      phrases: ["stop * calling", "quit * calling", "do not call", "dont call", "never call", "no more calls"],
      unless: STOP_NEGATIONS,
      unlessAnywhere: ["text me", "text instead", "just text", "text only", "prefer text", "rather text", "text is fine", "texting is fine", "can text"],
      explanation: "Asks the sender to stop calling: a revocation of consent to be contacted on this number, unless the same message asks for texts instead.",
    },
    {
      id: "refusal-remove-me",
      kind: "refusal",
      match: "contains",
      phrases: [
        "remove me", "remove my number", "remove this number", "remove my phone", "remove my name", "remove us",
        "remove * from * list", "take me off", "take my number off", "take this number off", "take us off", "take * off * list",
        "delete my number", "delete this number", "delete me", "lose my number", "lose this number", "erase my number",
        "unsubscribe me", "unsubscribe us", "unsubscribe this number", "opt me out", "opt out", "unsubscribe",
        "put me on * do not call", "add me to * do not call", "do not call list", "dnc list",
      ],
      unless: [
        "dont remove", "do not remove", "not remove", "dont take", "do not take", "dont delete", "do not delete",
        "dont lose", "do not lose", "dont unsubscribe", "do not unsubscribe", "not unsubscribe", "didnt unsubscribe",
        "dont opt * out", "do not opt * out", "not opt out", "not to opt out",
      ],
      explanation: "Asks to be removed from the sender's list or to have the number deleted: a free-text revocation of consent.",
    },
    {
      id: "refusal-hostile",
      kind: "refusal",
      match: "contains",
      phrases: [
        "leave me alone", "leave us alone", "go away", "fuck off", "f off", "fuck you", "f you", "screw you", "stfu", "piss off", "get lost", "screw off", "buzz off",
        "bugger off", "go to hell", "this is harassment", "harassing me", "harrassing me", "report you", "reporting you",
        "reported you", "report this number", "reporting this number", "blocking you", "blocking this number", "block this number",
        "block you", "blocked you", "blocked this number", "youre blocked", "you are blocked", "im blocking", "tcpa", "stop harassment",
      ],
      unless: ["dont leave me alone", "dont go away", "dont block", "do not block", "not blocking", "wont block", "wont report", "not report", "dont report"],
      explanation: "A hostile reply, a harassment complaint or a threat to report: treated as a revocation of consent.",
    },
    {
      id: "wrong-number",
      kind: "wrong_number",
      match: "contains",
      phrases: [
        "wrong number", "wrong * number", "wrong person", "wrong * person", "wrong guy", "wrong lady", "wrong people", "wrong name",
        "wrong phone", "wrong contact", "no one by that name", "nobody by that name", "no one * by that name",
        "no one here by that name", "no one named", "nobody named", "nobody here named", "no one here named",
        "dont know anyone by that name", "dont know anyone named", "dont know who that is", "dont know who you are looking for",
        "not his number", "not her number", "not their number", "not * number anymore", "no longer * number",
        "never owned",
      ],
      unless: ["not * wrong number", "not the wrong", "not a wrong", "isnt the wrong", "isnt a wrong", "if * wrong number", "is this * wrong"],
      explanation:
        "Says the number does not belong to the person being texted: the phone is marked wrong and suppressed for this lead.",
    },
    {
      id: "review-opt-out-word",
      kind: "review",
      match: "contains",
      phrases: ["stop", "stopping", "quit", "cancel", "revoke", "remove", "block", "blocked", "spam", "scam", "unsubscribed", "optout", "harass", "harassment"],
      explanation:
        "Contains an opt-out word inside a longer message that no refusal rule recognises: a person decides whether it revokes consent.",
    },
    {
      id: "review-who-is-this",
      kind: "review",
      match: "contains",
      phrases: [
        "who is this", "who dis", "whos this", "who this", "who is that", "who are you", "who r u", "how did you get my number",
        "how did you get this number", "how did u get my number", "where did you get my number", "where did you get this number",
        "how do you have my number", "why do you have my number", "why are you texting me", "why are you texting",
      ],
      explanation: "Asks who is texting or how they got the number: may precede a refusal, so a person reads it.",
    },
    {
      id: "review-decline",
      kind: "review",
      match: "contains",
      phrases: [
        "not interested", "no thanks", "no thank you", "no thx", "nope", "lawyer", "attorney", "sue you", "sue", "legal action",
        "do not disturb", "no solicit", "no soliciting", "no solicitation", "not the owner", "not the homeowner", "dont own",
      ],
      explanation: "Declines the offer or mentions legal action without clearly asking to stop texting: a person decides.",
    },
  ],
};
