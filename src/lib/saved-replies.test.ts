import { describe, expect, it } from "vitest";
import { renderSavedReply, savedReplyBodyProblems, savedReplySegments } from "./saved-replies";

const LEAD = { ownerName: "LOPEZ, MARIA", addressLine1: "12 Oak St", city: "Tampa", state: "FL", zip: "33602" };

describe("saved replies", () => {
  it("renders merge fields from the lead's facts and the brand, with fallbacks for what is missing", () => {
    expect(renderSavedReply("Hi {{owner_first_name|there}}, thanks! Is {{property_address}} still yours? - {{brand}}", LEAD, "Acme Homes")).toBe(
      "Hi Maria, thanks! Is 12 Oak St still yours? - Acme Homes",
    );
    expect(renderSavedReply("Hi {{owner_first_name|there}}, call me at 555-0100.", null, "Acme")).toBe("Hi there, call me at 555-0100.");
  });

  it("names unknown and unclosed merge fields", () => {
    expect(savedReplyBodyProblems("Hi {{owner_first_name}}")).toEqual([]);
    expect(savedReplyBodyProblems("Hi {{first_name}} at {{adress}}")[0]).toMatch(/^Unknown merge fields \{\{first_name\}\}, \{\{adress\}\}: use one of \{\{owner_first_name\}\}/);
    expect(savedReplyBodyProblems("Hi {{owner_first_name")).toEqual(["A merge field is not closed: write it as {{owner_first_name}}, with two braces on each side."]);
  });

  it("counts segments of the body as a lead gets it", () => {
    expect(savedReplySegments("Hi {{owner_first_name}}").segments).toBe(1);
    expect(savedReplySegments("x".repeat(161)).segments).toBe(2);
    expect(savedReplySegments("Thanks 🙏").encoding).toBe("UCS-2");
  });
});
