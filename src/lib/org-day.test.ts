import { describe, expect, it } from "vitest";
import { formatOrgTime, lastOrgDays, nextOrgMidnight, orgDay } from "./org-day";

describe("orgDay", () => {
  it("is the calendar day in the organization's zone, not UTC's", () => {
    const lateEveningInNewYork = new Date("2026-03-02T03:30:00Z"); // 22:30 on Mar 1 in New York
    expect(orgDay("America/New_York", lateEveningInNewYork)).toBe("2026-03-01");
    expect(orgDay("UTC", lateEveningInNewYork)).toBe("2026-03-02");
    expect(orgDay("Asia/Tokyo", lateEveningInNewYork)).toBe("2026-03-02");
  });
});

describe("nextOrgMidnight", () => {
  it("is local midnight of the next day", () => {
    expect(nextOrgMidnight("America/New_York", new Date("2026-01-15T17:00:00Z")).toISOString()).toBe("2026-01-16T05:00:00.000Z");
    expect(nextOrgMidnight("America/Los_Angeles", new Date("2026-07-15T17:00:00Z")).toISOString()).toBe("2026-07-16T07:00:00.000Z");
  });

  it("handles the days clocks change", () => {
    // New York springs forward on 2026-03-08: the day is 23 hours long.
    expect(nextOrgMidnight("America/New_York", new Date("2026-03-08T12:00:00Z")).toISOString()).toBe("2026-03-09T04:00:00.000Z");
    // and falls back on 2026-11-01.
    expect(nextOrgMidnight("America/New_York", new Date("2026-11-01T12:00:00Z")).toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });
});

describe("lastOrgDays", () => {
  it("lists n days ending today, oldest first, across a month end", () => {
    expect(lastOrgDays("UTC", 3, new Date("2026-03-01T10:00:00Z"))).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
  });
});

describe("formatOrgTime", () => {
  it("reads an instant on the organization's clock, with its zone's abbreviation", () => {
    expect(formatOrgTime(new Date("2026-11-30T05:00:00.000Z"), "America/New_York")).toBe("12:00 AM EST on Mon, Nov 30");
    expect(formatOrgTime(new Date("2026-07-16T07:00:00.000Z"), "America/Los_Angeles")).toBe("12:00 AM PDT on Thu, Jul 16");
    expect(formatOrgTime(new Date("2026-11-30T05:00:00.000Z"), "UTC")).toBe("5:00 AM UTC on Mon, Nov 30");
  });
});
