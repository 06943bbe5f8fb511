import { describe, expect, it } from "vitest";
import { normalizeSmsBody } from "./normalize";

describe("normalizeSmsBody", () => {
  it.each([
    ["STOP", "stop", "stop"],
    ["  Stop  ", "stop", "stop"],
    ["STOP.", "stop", "stop"],
    ["stop!!!", "stop", "stop"],
    ["\"stop\"", "stop", "stop"],
    ["“Stop”", "stop", "stop"],
    ["‘STOP’", "stop", "stop"],
    ["🛑 STOP 🛑", "stop", "stop"],
    ["ＳＴＯＰ", "stop", "stop"], // fullwidth letters: NFKC
    ["ｓｔｏｐ！", "stop", "stop"],
    ["Stop\n\n  by\ttomorrow?", "stop by tomorrow", "stop by tomorrow"],
    ["Don’t stop", "don't stop", "dont stop"],
    ["DON'T STOP", "don't stop", "dont stop"],
    ["opt-out", "opt-out", "opt out"],
    ["opt‐out", "opt-out", "opt out"], // U+2010 hyphen
    ["wrong #", "wrong", "wrong number"],
    ["call #1 now", "call #1 now", "call 1 now"],
    ["I’m the owner's son", "i'm the owner's son", "im the owners son"],
    ["Café", "café", "café"],
    ["ﬁne", "fine", "fine"], // ligature: NFKC
    ["", "", ""],
    ["  \n ", "", ""],
    ["👍", "", ""],
    ["...", "", ""],
  ])("%j → text %j, words %j", (body, text, words) => {
    expect(normalizeSmsBody(body)).toEqual({ text, words });
  });

  it("is idempotent on its own output", () => {
    for (const body of ["Please STOP texting me!!", "“Don’t” — stop", "wrong #"]) {
      const once = normalizeSmsBody(body);
      expect(normalizeSmsBody(once.words).words).toBe(once.words);
    }
  });
});
