import type { ReplyIntentRuleSet } from "./rules";

/** Phrases that negate "interested" (and so set aside an "interested" occurrence they overlap). */
const INTEREST_NEGATIONS = [
  "not * interested", "no longer interested", "never * interested", "wouldnt * interested", "isnt * interested", "arent * interested",
  "wasnt * interested", "dont think * interested", "nobody * interested", "no one * interested", "uninterested", "disinterested",
  "not * intrested", "not * intersted", "not * interseted", "nit interested", "if * interested",
];

/** Phrases that negate a wish to sell, talk or be called. */
const SELLING_NEGATIONS = [
  "dont want to sell", "do not want to sell", "not looking to sell", "not wanting to sell", "not willing to sell", "not ready to sell",
  "not trying to sell", "never * sell", "wouldnt sell", "would not sell", "wont sell", "will not sell", "not thinking about selling",
  "no plans to sell", "not planning to sell", "dont call", "do not call", "never call", "maybe not", "not sure", "dont make", "no need to",
];

/**
 * LeadFlow's default intent rules for replies to a cash-offer text. Plain JSON: an organization's
 * edited copy replaces it wholesale. When rules of several intents match, the strongest wins:
 * wrong number, then not interested, then interested, then question; within an intent the first
 * matching rule is reported.
 *
 * Decisions worth knowing:
 * - A reply that is willing and also asks ("maybe, what's your offer?", "yes how much") is
 *   interested: the question is how the owner engages. A bare question ("how much?", "who is
 *   this?") is a question.
 * - A refusal beats a willing phrase in the same reply ("not for sale, don't call me back" is not
 *   interested; "no, but maybe next year" is not interested — a person can reopen it).
 * - Emoji count as words: 👍 reads "thumbs up" (interested), 👎 "thumbs down" and 🖕 "middle
 *   finger" (not interested), 😂 "lol".
 */
export const DEFAULT_REPLY_INTENT_RULES: ReplyIntentRuleSet = {
  version: 1,
  questionMarkIsQuestion: true,
  rules: [
    {
      id: "wrong-number-not-owner",
      intent: "wrong_number",
      match: "contains",
      phrases: [
        "not the owner", "not the homeowner", "not the property owner", "im not the owner", "not my house", "not my property", "not my home",
        "dont own", "do not own", "never owned", "no longer own", "dont live there", "never lived there", "wrong house", "wrong address",
        "wrong property", "you have the wrong", "you got the wrong", "passed away", "deceased", "wrong number", "wrong person",
      ],
      // The texting rules set "wrong number" aside after any "not" a few words before it ("this is not Maria. Wrong number"
      // reaches them as one run of words): here only a negation of the wrong number itself does.
      unless: ["not the wrong", "not a wrong", "isnt the wrong", "isnt a wrong", "is this * wrong", "if * wrong"],
      explanation: "Says the person texted does not own the property (or has died): the lead's contact is wrong, not the lead's interest.",
    },
    {
      id: "not-interested-short",
      intent: "not_interested",
      match: "whole_body",
      phrases: [
        "no", "nope", "nah", "naw", "no no", "no sir", "no maam", "no thanks", "no thank you", "no thx", "no ty", "nty", "lol no", "lmao no",
        "haha no", "hell no", "heck no", "hell nah", "no way", "absolutely not", "definitely not", "not interested", "pass", "ill pass",
        "hard pass", "im good", "were good", "im good thanks", "were good thanks", "im good thank you", "were good thank you", "all good", "im all set", "were all set", "no im good", "no were good", "thumbs down",
        "not now", "not today", "no lol", "nope lol", "no not interested", "negative",
      ],
      explanation: "A short no: the whole reply declines.",
    },
    {
      id: "not-interested-declines",
      intent: "not_interested",
      match: "contains",
      phrases: [
        "not * interested", "no longer interested", "never * interested", "wouldnt * interested", "isnt * interested", "uninterested",
        "not * intrested", "not * intersted", "not * interseted", "nit interested", "no interest", "not intrested",
        "no thanks", "no thank you", "no thx", "no but",
        "not selling", "not for sale", "not 4 sale", "not on the market", "no sale", "not gonna sell", "not going to sell",
        "dont want to sell", "do not want to sell", "not looking to sell", "not wanting to sell", "not willing to sell", "not ready to sell",
        "not trying to sell", "never * sell", "wouldnt sell", "would not sell", "wont sell", "will not sell", "not thinking about selling",
        "no plans to sell", "not planning to sell", "not planning on selling", "not interested in selling",
        "keeping it", "keeping the house", "keeping the property", "keep the house", "staying put", "not leaving",
        "already sold", "sold it", "sold the house", "sold that", "sold the property", "under contract with", "already listed", "listed with",
        "not at this time", "not right now", "not at the moment", "not now", "lowball", "low ball", "insulting", "middle finger",
        "waste of time", "quit wasting", "wasting my time",
      ],
      unless: [
        "if * not interested", "if not", "not selling for less", "not selling for under", "not selling it for less",
        "wont sell for less", "wont sell for under", "wouldnt sell for less", "would not sell for less", "will not sell for less",
        "not sell for less", "never sell for less", "not for less than", "not for under",
      ],
      explanation: "Declines: not interested, not selling, keeping the property, already sold or listed.",
    },
    {
      id: "interested-short",
      intent: "interested",
      match: "whole_body",
      phrases: [
        "yes", "yes sir", "yes maam", "yeah", "yea", "ya", "yep", "yup", "ye", "sure", "ok", "okay", "k", "sure why not", "why not",
        "maybe", "possibly", "perhaps", "i might", "i would", "i am", "probably", "depends", "it depends", "thumbs up", "absolutely",
        "definitely", "of course", "interested", "very interested", "im interested", "i am interested", "yes interested", "yes im interested",
      ],
      explanation: "A short yes or maybe: the whole reply is willing.",
    },
    {
      id: "interested-willing",
      intent: "interested",
      match: "contains",
      phrases: [
        "interested", "intrested", "intersted", "interseted", "instrested",
        "make me an offer", "make an offer", "make me a offer", "make me a cash offer", "make me your best offer", "send me an offer",
        "send an offer", "send me your offer", "send me a offer", "send me the offer", "give me an offer", "give me a offer", "give me your best",
        "give me a number", "send me a number", "throw me a number", "best offer", "cash offer", "open to offers", "open to an offer",
        "open to selling", "id consider", "i would consider", "would consider", "might consider", "will consider", "willing to sell",
        "want to sell", "wanna sell", "looking to sell", "thinking about selling", "thinking of selling", "ready to sell", "would sell",
        "might sell", "might be willing", "could sell", "selling it", "i am selling", "im selling", "for the right price", "right price",
        "depends on the price", "depends on the offer", "depends on your offer", "depends what you offer", "depends on what",
        "call me", "give me a call", "gimme a call", "call me back", "you can call", "can call me", "please call", "pls call", "call my cell",
        "call anytime", "lets talk", "lets chat", "can we talk", "we can talk", "happy to talk", "talk to my", "tell me more", "more info",
        "more information", "send me info", "send info", "send me details", "send details", "how soon can you close", "when can you close",
        "how fast can you close", "how quickly", "what are the next steps", "next steps", "come see it", "come take a look", "come look at it",
        "set up a time", "schedule a", "for less than", "for under", "wont take less", "nothing less than", "not a penny less", "maybe", "possibly", "yes", "yeah", "yep", "yup", "sure", "thumbs up",
      ],
      unless: [
        ...INTEREST_NEGATIONS, ...SELLING_NEGATIONS, "yes im sure", "not selling it", "yes i got your", "yes this is", "yes it is",
        "maybe you", "yeah right", "yeah no", "yes no", "sure you",
      ],
      explanation: "Willing to hear an offer or to talk: interested, a soft yes, asks for an offer or a call, or asks how soon you close.",
    },
    {
      id: "question-price",
      intent: "question",
      match: "contains",
      phrases: [
        "how much", "what is your offer", "whats your offer", "whats the offer", "what is the offer", "what would your offer",
        "what are you offering", "what r u offering", "what are you paying", "what would you pay", "what would you offer",
        "what can you offer", "what could you offer", "what do you offer", "what price", "what kind of offer", "what kind of price",
        "whats it worth", "what is it worth", "what do you think its worth", "ballpark", "how does this work", "how does it work",
        "cash or", "do you pay cash",
      ],
      explanation: "Asks about the offer or the process without saying yes or no.",
    },
    {
      id: "question-who",
      intent: "question",
      match: "contains",
      phrases: [
        "who is this", "who dis", "whos this", "who this", "who is that", "who are you", "who r u", "who are u", "whos texting",
        "who is texting", "what company", "which company", "what is this", "whats this", "what is this about", "whats this about",
        "which property", "what property", "what address", "which house", "which address", "what house",
        "how did you get my number", "how did you get this number", "how did u get my number", "where did you get my number",
        "where did you get this number", "how do you have my number", "how do you know", "why are you texting", "is this a scam",
        "is this legit", "is this real", "are you a realtor", "are you an agent", "are you a real person", "are you a bot", "is this a bot",
        "what do you mean", "what do you want",
      ],
      explanation: "Asks who is texting, about which property, or how they got the number.",
    },
    {
      id: "question-short",
      intent: "question",
      match: "whole_body",
      phrases: ["what", "huh", "who", "info", "who dis", "wdym", "wym", "explain", "hmm", "hmmm", "and", "such as", "like what"],
      explanation: "A one-word question.",
    },
  ],
};
