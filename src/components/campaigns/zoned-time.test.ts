import { describe, expect, it } from "vitest";
import { formatInZone, fromZonedInputValue, toZonedInputValue, zoneLabel } from "./zoned-time";

describe("campaign times in the organization's zone", () => {
  it("reads a datetime-local value on the zone's wall clock, whatever the machine's zone", () => {
    expect(fromZonedInputValue("2026-12-01T09:30", "America/New_York")?.toISOString()).toBe("2026-12-01T14:30:00.000Z");
    expect(fromZonedInputValue("2026-07-01T09:30", "America/New_York")?.toISOString()).toBe("2026-07-01T13:30:00.000Z");
    expect(fromZonedInputValue("2026-07-01T09:30", "America/Phoenix")?.toISOString()).toBe("2026-07-01T16:30:00.000Z");
    expect(fromZonedInputValue("2026-12-01T09:30", "Pacific/Honolulu")?.toISOString()).toBe("2026-12-01T19:30:00.000Z");
  });

  it("round-trips an instant through the input value", () => {
    const at = new Date("2026-03-08T15:45:00.000Z"); // after New York's spring-forward
    const value = toZonedInputValue(at, "America/New_York");
    expect(value).toBe("2026-03-08T11:45");
    expect(fromZonedInputValue(value, "America/New_York")?.toISOString()).toBe(at.toISOString());
    expect(toZonedInputValue(new Date("2026-12-01T04:59:00.000Z"), "America/Chicago")).toBe("2026-11-30T22:59");
  });

  it("refuses values that are not a time", () => {
    for (const value of ["", "2026-12-01", "2026-02-30T09:00", "2026-13-01T09:00", "2026-12-01T24:00", "tomorrow at 9"]) {
      expect(fromZonedInputValue(value, "America/New_York")).toBeNull();
    }
  });

  it("formats with the zone's abbreviation", () => {
    const at = new Date("2026-12-01T14:30:00.000Z");
    expect(formatInZone(at, "America/New_York")).toBe("Dec 1, 2026, 9:30 AM EST");
    expect(formatInZone(at, "America/Los_Angeles", { withDate: false })).toBe("6:30 AM PST");
    expect(zoneLabel("America/New_York", at)).toBe("America/New York (EST)");
  });
});
