/**
 * Phrase matching shared by the texting reply rules and the reply-intent rules: a plain phrase
 * (words, and * for up to WILDCARD_MAX_WORDS any words) compiled to a pattern over a normalized
 * body, found as whole words or as the whole body, every occurrence with its position.
 */
import { phraseTokens, WILDCARD_MAX_WORDS } from "./rules";

export type Occurrence = { start: number; end: number; text: string };
/** `literal`: the phrase's longest word, which every occurrence contains as written (a cheap test before the pattern). */
export type CompiledPhrase = { phrase: string; pattern: RegExp; literal: string };

function escapeRegExp(token: string): string {
  return token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function compilePhrase(phrase: string, wholeBody: boolean): CompiledPhrase {
  const tokens = phraseTokens(phrase);
  const source = tokens.map((token, index) => (token === "*" ? `(?: [^ ]+){0,${WILDCARD_MAX_WORDS}}` : `${index === 0 ? "" : " "}${escapeRegExp(token)}`)).join("");
  const literal = tokens.filter((token) => token !== "*").reduce((longest, token) => (token.length > longest.length ? token : longest), "");
  return { phrase, pattern: wholeBody ? new RegExp(`^${source}$`, "gu") : new RegExp(`(?<![^ ])${source}(?![^ ])`, "gu"), literal };
}

const NONE: readonly Occurrence[] = Object.freeze([]);

export function occurrences({ pattern, literal }: CompiledPhrase, words: string): readonly Occurrence[] {
  // Most phrases' words are not in a message at all (a whole rule set is tried on each one).
  if (!words.includes(literal)) return NONE;
  const found: Occurrence[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(words); match; match = pattern.exec(words)) {
    found.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
    pattern.lastIndex = match.index + 1;
  }
  return found;
}
