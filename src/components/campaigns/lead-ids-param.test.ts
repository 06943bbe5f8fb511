import { describe, expect, it } from "vitest";
import { MAX_LEAD_IDS_IN_URL, newCampaignHref, parseLeadIdsParam } from "./lead-ids-param";

describe("?leadIds= for a campaign of selected leads", () => {
  it("round-trips the ids the leads page puts in the link", () => {
    const href = newCampaignHref(["cl1", "cl2", "cl3"]);
    expect(href).toBe("/campaigns/new?leadIds=cl1%2Ccl2%2Ccl3");
    expect(parseLeadIdsParam(new URL(href, "http://x").searchParams.get("leadIds"))).toEqual(["cl1", "cl2", "cl3"]);
  });

  it("drops blanks, duplicates and malformed ids, and caps the count", () => {
    expect(parseLeadIdsParam(" a , ,b,a,<script>,c d")).toEqual(["a", "b"]);
    expect(parseLeadIdsParam(["a,b", "c"])).toEqual(["a", "b", "c"]);
    expect(parseLeadIdsParam(undefined)).toEqual([]);
    expect(parseLeadIdsParam(Array.from({ length: 500 }, (_, i) => `id${i}`).join(","))).toHaveLength(MAX_LEAD_IDS_IN_URL);
  });
});
