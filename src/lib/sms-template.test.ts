import { describe, expect, it } from "vitest";
import { countSmsSegments } from "./sms-segments";
import { emptyMergeFields, firstMessageProblems, ownerNameParts, renderTemplate, unknownMergeFields, withComplianceFooter } from "./sms-template";

describe("renderTemplate", () => {
  it("fills fields, falls back on empty values and tidies the spaces left behind", () => {
    const template = "Hi {{owner_first_name|there}}, is {{ property_address }} in {{city}} for sale? {{zip}}";
    expect(renderTemplate(template, { owner_first_name: "Maria", property_address: "12 Oak St", city: "Tampa", zip: "33602" })).toBe("Hi Maria, is 12 Oak St in Tampa for sale? 33602");
    expect(renderTemplate(template, { owner_first_name: "  ", property_address: "12 Oak St", city: null })).toBe("Hi there, is 12 Oak St in for sale?");
  });

  it("names unknown and empty fields so the editor can flag them", () => {
    expect(unknownMergeFields("Hi {{owner_frist_name}} {{city}} {{owner_frist_name|x}}")).toEqual(["owner_frist_name"]);
    expect(emptyMergeFields("{{owner_first_name}} {{city|your city}} {{zip}}", { owner_first_name: "", zip: "1" })).toEqual(["owner_first_name"]);
  });
});

describe("ownerNameParts", () => {
  it("reads assessor-style names and leaves entities without a first name", () => {
    expect(ownerNameParts("LOPEZ, MARIA ELENA")).toEqual({ first: "Maria", last: "Lopez", full: "Maria Elena Lopez" });
    expect(ownerNameParts("John Smith")).toEqual({ first: "John", last: "Smith", full: "John Smith" });
    expect(ownerNameParts("OAK STREET HOLDINGS LLC").first).toBeNull();
    expect(ownerNameParts(null).first).toBeNull();
  });
});

describe("first message checks", () => {
  it("asks for the sender's name and opt-out language, and the one-click fix supplies both", () => {
    const bare = "Hi {{owner_first_name|there}}, would you sell {{property_address}}?";
    expect(firstMessageProblems(bare, "Acme Homes").map((p) => p.code)).toEqual(["no_sender_identification", "no_opt_out_language"]);
    const fixed = withComplianceFooter(bare, "Acme Homes");
    expect(fixed).toBe("Hi {{owner_first_name|there}}, would you sell {{property_address}}? - {{brand}}. Reply STOP to opt out.");
    expect(firstMessageProblems(fixed, "Acme Homes")).toEqual([]);
    expect(withComplianceFooter(fixed, "Acme Homes")).toBe(fixed);
    expect(firstMessageProblems("Acme Homes here. Text STOP to end", "acme homes")).toEqual([]);
  });
});

describe("segments of rendered messages", () => {
  it("counts GSM-7, extended GSM, UCS-2 and long messages the way Twilio does", () => {
    expect(countSmsSegments("a".repeat(160))).toMatchObject({ segments: 1, encoding: "GSM-7" });
    expect(countSmsSegments("a".repeat(161))).toMatchObject({ segments: 2, encoding: "GSM-7" });
    expect(countSmsSegments("[".repeat(80))).toMatchObject({ segments: 1, characters: 160 });
    expect(countSmsSegments("[".repeat(81))).toMatchObject({ segments: 2 });
    expect(countSmsSegments(`Hi 🏠 ${"a".repeat(64)}`)).toMatchObject({ segments: 1, encoding: "UCS-2" });
    expect(countSmsSegments(`Hi 🏠 ${"a".repeat(65)}`)).toMatchObject({ segments: 2, encoding: "UCS-2" });
    expect(countSmsSegments("a".repeat(153 * 3 + 1))).toMatchObject({ segments: 4 });
  });
});
