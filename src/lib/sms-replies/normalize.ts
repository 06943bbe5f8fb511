/**
 * The one normalisation every inbound SMS body and every rule phrase goes through, so that
 * "STOP.", " stop!! ", "“Stop”", "ＳＴＯＰ 🛑" and "stop" all compare equal, and "don’t" matches
 * a rule written as "dont" or "don't".
 */

const SMART_SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g;
const SMART_DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
/** An apostrophe between two letters or digits is part of the word: "don't" → "dont". */
const INNER_APOSTROPHE = /(?<=[\p{L}\p{N}])'(?=[\p{L}\p{N}])/gu;
/** A lone "#" is texting shorthand for "number" ("wrong #"); "#1" and "#stop" keep their word. */
const NUMBER_SIGN = /#(?![\p{L}\p{N}])/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const WHITESPACE = /\s+/g;
const EDGE_PUNCTUATION = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

export type NormalizedSmsBody = {
  /** NFKC, lowercased, plain quotes and dashes, whitespace collapsed, punctuation/emoji stripped at both ends. For display in the audit trail. */
  text: string;
  /** The words of the body (letters and digits; apostrophes inside words dropped; a lone "#" read as "number") joined by single spaces. Rules match against this. */
  words: string;
};

export function normalizeSmsBody(body: string): NormalizedSmsBody {
  const plain = body
    .normalize("NFKC")
    .toLowerCase()
    .replace(SMART_SINGLE_QUOTES, "'")
    .replace(SMART_DOUBLE_QUOTES, '"')
    .replace(DASHES, "-");
  const text = plain.replace(WHITESPACE, " ").replace(EDGE_PUNCTUATION, "");
  const words = plain.replace(INNER_APOSTROPHE, "").replace(NUMBER_SIGN, " number ").replace(NOT_WORD, " ").trim();
  return { text, words };
}
