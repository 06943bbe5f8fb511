/**
 * Phrase matching shared by the texting reply rules and the reply-intent rules: a plain phrase
 * (words, and * for up to WILDCARD_MAX_WORDS any words) compiled to a pattern over a normalized
 * body, found as whole words or as the whole body, every occurrence with its position.
 */
import { phraseTokens, WILDCARD_MAX_WORDS } from "./rules";

export type Occurrence = { start: number; end: number; text: string };
export type CompiledPhrase = { phrase: string; pattern: RegExp };

function escapeRegExp(token: string): string {
  return token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function compilePhrase(phrase: string, wholeBody: boolean): CompiledPhrase {
  const source = phraseTokens(phrase)
    .map((token, index) => (token === "*" ? `(?: [^ ]+){0,${WILDCARD_MAX_WORDS}}` : `${index === 0 ? "" : " "}${escapeRegExp(token)}`))
    .join("");
  return { phrase, pattern: wholeBody ? new RegExp(`^${source}$`, "gu") : new RegExp(`(?<![^ ])${source}(?![^ ])`, "gu") };
}

export function occurrences({ pattern }: CompiledPhrase, words: string): Occurrence[] {
  const found: Occurrence[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(words); match; match = pattern.exec(words)) {
    found.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
    pattern.lastIndex = match.index + 1;
  }
  return found;
}
