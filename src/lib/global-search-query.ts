import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * What the global search (⌘K, issue 13 item 5) looks for in what was typed. Pure: the service and
 * its tests share it.
 *
 * - `phone`: the number in E.164 when the text is a whole US/Canadian number in any format
 *   ("(602) 555-0142", "602.555.0142", "+1 602 555 0142", "16025550142"): an exact match.
 * - `phoneDigits`: the digits of a partial number ("555-01", "(602) 555"), at least 4, when the
 *   text is made only of what a phone number is written with: matched anywhere in the E.164 form.
 * - `tokens`: the words of 3 characters or more (at most 5), each of which must appear in the
 *   address or the owner's name ("smith oak" finds Smith at 12 Oak St); none when the text is
 *   written as a phone number (bare digits still count: a house number).
 * - `text`: the whole text, for names of campaigns and pages.
 */
export type GlobalSearchTerms = { text: string; tokens: string[]; phone: string | null; phoneDigits: string | null };

export const MIN_TOKEN_LENGTH = 3;
const MAX_TOKENS = 5;
const PHONE_CHARACTERS = /^[\d\s().+\-/]+$/;

export function parseGlobalSearch(raw: string): GlobalSearchTerms {
  const text = raw.replace(/\s+/g, " ").trim();
  let phone: string | null = null;
  let phoneDigits: string | null = null;
  if (PHONE_CHARACTERS.test(text)) {
    const digits = text.replace(/\D/g, "");
    const parsed = digits.length >= 10 ? parsePhoneNumberFromString(text, "US") : undefined;
    if (parsed && parsed.isValid() && parsed.countryCallingCode === "1") phone = parsed.number;
    else if (digits.length >= 4) phoneDigits = digits;
  }
  // A number written as one ("(602) 555-01…", "+1 602…") is not looked for in addresses and names;
  // bare digits still are (a house number: "4242").
  const writtenAsPhone = phone !== null || (PHONE_CHARACTERS.test(text) && /[^\d ]/.test(text));
  const words = writtenAsPhone ? [] : text.toLowerCase().split(" ");
  const tokens = [...new Set(words.filter((word) => word.length >= MIN_TOKEN_LENGTH))].slice(0, MAX_TOKENS);
  return { text, tokens, phone, phoneDigits };
}

/** LIKE pattern for "contains", with the user's % and _ (and \) taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
