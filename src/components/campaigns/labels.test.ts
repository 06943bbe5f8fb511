import { describe, expect, it } from "vitest";
import { followsReceipts, formatRate, isLive, progressOf, RECEIPTS_FOLLOW_MS } from "./labels";
import { toE164 } from "./test-send";
import { plural } from "@/components/shared/format";

describe("campaign labels", () => {
  it("formats rates: none before anything was sent, one decimal under 10 %", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(0)).toBe("0%");
    expect(formatRate(1)).toBe("100%");
    expect(formatRate(0.0123)).toBe("1.2%");
    expect(formatRate(0.456)).toBe("46%");
  });

  it("polls only while texts may still go out", () => {
    expect(isLive({ status: "running", resumeAt: null })).toBe(true);
    expect(isLive({ status: "scheduled", resumeAt: null })).toBe(true);
    expect(isLive({ status: "halted", resumeAt: new Date() })).toBe(true);
    expect(isLive({ status: "halted", resumeAt: null })).toBe(false);
    for (const status of ["draft", "paused", "completed", "cancelled"] as const) expect(isLive({ status, resumeAt: null })).toBe(false);
  });

  it("follows delivery receipts for a while after the campaign ends", () => {
    const completedAt = new Date("2026-12-01T15:00:00Z");
    expect(followsReceipts({ completedAt }, completedAt.getTime() + 60_000)).toBe(true);
    expect(followsReceipts({ completedAt }, completedAt.getTime() + RECEIPTS_FOLLOW_MS + 1)).toBe(false);
    expect(followsReceipts({ completedAt: null }, completedAt.getTime())).toBe(false);
    expect(followsReceipts({ completedAt }, null)).toBe(false);
  });

  it("counts handled recipients and pluralises", () => {
    expect(progressOf({ recipients: 10, pending: 3, sending: 1 })).toEqual({ done: 6, total: 10 });
    expect(plural(1, "segment")).toBe("1 segment");
    expect(plural(1200, "segment")).toBe("1,200 segments");
  });

  it("reads the test phone as people type US numbers", () => {
    expect(toE164("(512) 555-0123")).toBe("+15125550123");
    expect(toE164("1 512 555 0123")).toBe("+15125550123");
    expect(toE164("+44 20 7946 0958")).toBe("+442079460958");
    expect(toE164("555-0123")).toBe("555-0123");
  });
});
