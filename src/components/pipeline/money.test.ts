import { describe, expect, it } from "vitest";
import { formatCompactCents } from "./money";

describe("formatCompactCents", () => {
  it("shortens large values and keeps small ones whole", () => {
    expect(formatCompactCents(0)).toBe("$0");
    expect(formatCompactCents(95_049)).toBe("$950");
    expect(formatCompactCents(18_500_000)).toBe("$185K");
    expect(formatCompactCents(1_250_000)).toBe("$12.5K");
    expect(formatCompactCents(125_000_000)).toBe("$1.25M");
    expect(formatCompactCents(200_000_000)).toBe("$2M");
    expect(formatCompactCents(45_000_000_000)).toBe("$450M");
  });
});
