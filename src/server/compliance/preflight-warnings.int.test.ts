import { describe, expect, it } from "vitest";
import { registryWarnings } from "./preflight";

const summary = { staleAfterDays: 31, areaCodeCount: 0, numberCount: 0, staleAreaCodes: [] as number[], oldestExtractDate: null as string | null, areaCodes: [] };

describe("the DNC registry warnings shared by the send pre-flight and a campaign's", () => {
  it("names every stale area code and the oldest extract, says a missing registry excludes only the own list, and says nothing when fresh", () => {
    const [stale] = registryWarnings({ ...summary, status: "stale", areaCodeCount: 2, staleAreaCodes: [512, 737], oldestExtractDate: "2026-09-30" });
    expect(stale).toEqual({ code: "dnc_registry_stale", message: expect.stringContaining("area codes 512, 737 is older than 31 days (oldest 2026-09-30)") });
    expect(registryWarnings({ ...summary, status: "stale", staleAreaCodes: [512], oldestExtractDate: "2026-09-30" })[0]!.message).toContain("area code 512 is older");
    expect(registryWarnings({ ...summary, status: "none" })).toEqual([{ code: "dnc_registry_missing", message: expect.stringContaining("registry-listed numbers are not excluded") }]);
    expect(registryWarnings({ ...summary, status: "fresh", areaCodeCount: 1 })).toEqual([]);
  });
});
