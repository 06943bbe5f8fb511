import { describe, expect, it } from "vitest";
import { containsPattern, parseGlobalSearch } from "./global-search-query";

describe("parseGlobalSearch", () => {
  it.each(["(602) 555-0142", "602.555.0142", "+1 602 555 0142", "6025550142", "1-602-555-0142", " 602 555 0142 "])("reads %s as +16025550142", (raw) => {
    expect(parseGlobalSearch(raw)).toMatchObject({ phone: "+16025550142", phoneDigits: null });
  });

  it("takes a partial number as digits to find anywhere", () => {
    expect(parseGlobalSearch("555-01")).toMatchObject({ phone: null, phoneDigits: "55501" });
    expect(parseGlobalSearch("(602) 555")).toMatchObject({ phone: null, phoneDigits: "602555" });
    expect(parseGlobalSearch("123").phoneDigits).toBeNull();
  });

  it("does not look for a number written as one in addresses and names, but does for bare digits", () => {
    expect(parseGlobalSearch("(602) 555-0142").tokens).toEqual([]);
    expect(parseGlobalSearch("555-01").tokens).toEqual([]);
    expect(parseGlobalSearch("4242")).toMatchObject({ tokens: ["4242"], phoneDigits: "4242" });
  });

  it("does not read an address as a phone number, and splits it into words", () => {
    expect(parseGlobalSearch("1234 Oak St")).toEqual({ text: "1234 Oak St", tokens: ["1234", "oak"], phone: null, phoneDigits: null });
    expect(parseGlobalSearch("Smith  smith oak").tokens).toEqual(["smith", "oak"]);
  });

  it("escapes LIKE wildcards", () => {
    expect(containsPattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
  });
});
