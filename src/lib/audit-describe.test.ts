import { describe, expect, it } from "vitest";
import { describeAuditAction, describeAuditDetails, labelOfKey } from "./audit-describe";

describe("audit log in words", () => {
  it("names known actions and reads unknown ones from their words", () => {
    expect(describeAuditAction("invite.created")).toBe("Invited a teammate");
    expect(describeAuditAction("saved_search.renamed")).toBe("Saved search renamed");
  });

  it("labels keys and formats values: instants in the organization's zone, booleans, lists, nested objects", () => {
    expect(labelOfKey("expiresAt")).toBe("Expires at");
    expect(labelOfKey("daily_cap_cents")).toBe("Daily cap cents");
    const details = describeAuditDetails(
      { email: "ann@example.com", role: "manager", expiresAt: "2026-12-03T15:00:00.000Z", wasExpired: false, replaces: ["inv_1", "inv_2"], change: { from: 500, to: 1500 } },
      "America/Phoenix",
    );
    expect(details).toEqual([
      { label: "Email", value: "ann@example.com" },
      { label: "Role", value: "manager" },
      { label: "Expires at", value: "Dec 3, 2026, 8:00 AM" },
      { label: "Was expired", value: "no" },
      { label: "Replaces", value: "inv_1, inv_2" },
      { label: "Change", value: "From 500; To 1,500" },
    ]);
    expect(describeAuditDetails(null, "UTC")).toEqual([]);
  });
});
