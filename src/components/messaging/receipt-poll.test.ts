import { describe, expect, it } from "vitest";
import { receiptPollInterval } from "./receipt-poll";

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe("receiptPollInterval", () => {
  it("polls while a recent outbound text is queued, sending or sent", () => {
    for (const status of ["queued", "sending", "sent"]) {
      expect(receiptPollInterval([{ direction: "outbound", status, createdAt: minutesAgo(1) }]), status).toBe(5_000);
    }
  });

  it("stops once every outbound text has its outcome, and never polls for inbound texts", () => {
    const settled = ["delivered", "undelivered", "failed"].map((status) => ({ direction: "outbound", status, createdAt: minutesAgo(1) }));
    expect(receiptPollInterval(settled)).toBe(false);
    expect(receiptPollInterval([{ direction: "inbound", status: "received", createdAt: minutesAgo(0) }])).toBe(false);
    expect(receiptPollInterval([])).toBe(false);
  });

  it("gives up on a text older than ten minutes (a carrier that sends no receipt)", () => {
    expect(receiptPollInterval([{ direction: "outbound", status: "sent", createdAt: minutesAgo(11) }])).toBe(false);
  });
});
