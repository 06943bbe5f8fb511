import { describe, expect, it } from "vitest";
import { describeActivity } from "./activity";

const lookups = { tags: new Map([["t1", "Probate"]]), people: new Map([["u1", "Dana Admin"]]) };
const text = (kind: string, details: unknown = null) => describeActivity({ kind, details }, lookups).text;

describe("activity sentences", () => {
  it("names status moves with their labels", () => {
    expect(text("status_changed", { from: "new", to: "contacted" })).toBe("Moved from New to Contacted");
    expect(text("status_changed", { from: "new", to: "under_contract", bulk: true })).toBe("Moved from New to Under contract (bulk action)");
    expect(text("status_changed", { from: "closed", to: "negotiating", reopened: true })).toBe("Reopened: moved from Closed to Negotiating");
  });

  it("names the tag and the assignee when known", () => {
    expect(text("tagged", { tagId: "t1" })).toBe("Tagged “Probate”");
    expect(text("untagged", { tagId: "gone" })).toBe("Removed tag (a tag since deleted)");
    expect(text("assigned", { to: "u1" })).toBe("Assigned to Dana Admin");
    expect(text("assigned", { to: null })).toBe("Unassigned");
  });

  it("describes outcomes with money and a calendar day", () => {
    expect(text("won", { amountCents: 1_250_000, date: "2026-03-07" })).toBe("Marked won: $12,500.00 on Mar 7, 2026");
    expect(text("lost", { reason: "Sold to someone else" })).toBe("Marked lost: Sold to someone else");
  });

  it("says where a lead came from", () => {
    expect(text("created", { source: "manual" })).toBe("Created by hand");
    expect(text("created", { source: "sandbox" })).toBe("Added from a Sandbox property search");
    expect(text("created", { source: "attom" })).toBe("Added from an ATTOM property search");
    expect(text("created", { source: "search", provider: "sandbox" })).toBe("Added from a Sandbox property search");
    expect(text("created", { source: "search", provider: "attom" })).toBe("Added from an ATTOM property search");
    expect(text("created", { source: "search" })).toBe("Added from a property search");
    expect(text("imported")).toBe("Imported from a CSV file");
  });

  it("copes with missing or odd details", () => {
    expect(text("updated", { fields: ["ownerName", "beds", "yearBuilt"] })).toBe("Updated owner name, beds and year built");
    expect(text("note_added", "not an object")).toBe("Added a note");
    expect(text("skip_traced", { phones: 2, costCents: 12 })).toBe("Skip traced · 2 phones found, cost $0.12");
    expect(text("something_new")).toBe("something new");
  });
  it("describes texts in and out, and a move made by a text reply", () => {
    expect(text("message_in", { phone: "+15125550190", outcome: "none" })).toBe("Received a text from (512) 555-0190");
    expect(text("message_in", { phone: "+15125550190", outcome: "opt_out" })).toBe("Received a text from (512) 555-0190 · opted out");
    expect(text("message_in", { phone: "+15125550190", outcome: "wrong_number" })).toBe("Received a text from (512) 555-0190 · said wrong number");
    expect(text("message_out", { phone: "+15125550190" })).toBe("Sent a text to (512) 555-0190");
    expect(text("message_out")).toBe("Sent a text");
    expect(text("status_changed", { from: "contacted", to: "replied", reason: "sms_reply" })).toBe("Moved from Contacted to Replied (replied by text)");
    expect(describeActivity({ kind: "message_in", details: {} }, lookups).icon).toBe("message");
  });

  it("describes a teammate's marks on a phone", () => {
    expect(text("phone_marked", { phone: "+15125550190", mark: "wrong_number", bestPhone: null })).toBe("Marked (512) 555-0190 as a wrong number");
    expect(text("task_created", { note: "Call back", dueOn: "2026-12-03", dueTime: "15:30", assigneeId: "u1" })).toBe('Added a task "Call back" due Dec 3, 2026 at 3:30 PM for Dana Admin');
    expect(text("task_created", { note: "Drive by", dueOn: "2026-12-03", dueTime: null, assigneeId: null })).toBe('Added a task "Drive by" due Dec 3, 2026');
    expect(text("task_completed", { note: "Call back" })).toBe('Completed a task "Call back"');
    expect(text("task_reopened", { note: "Call back" })).toBe('Reopened a task "Call back"');
    expect(text("updated", { fields: ["dealValueCents", "expectedCloseOn"] })).toContain("deal value");
    expect(text("phone_marked", { phone: "+15125550190", mark: "verified", bestPhone: "+15125550190" })).toBe("Verified (512) 555-0190 (now the best phone)");
    expect(text("phone_marked", { phone: "+15125550190", mark: "do_not_call", addedToDncList: true })).toBe("Marked (512) 555-0190 do not call (added to the do-not-contact list)");
  });

  it("describes what a reply was read as: the suggestion or the move, with the reason", () => {
    const reason = 'Matched "make me an offer" (interested).';
    expect(text("reply_classified", { intent: "interested", intentLabel: "interested", reason, suggestedStatus: "interested", appliedStatus: null })).toBe(
      `Reply read as interested · suggested: move to Interested — ${reason}`,
    );
    expect(text("reply_classified", { intent: "not_interested", intentLabel: "not interested", reason: "x.", suggestedStatus: null, appliedStatus: "dead" })).toBe(
      "Reply read as not interested · moved to Dead — x.",
    );
    expect(text("reply_classified", { intent: "question" })).toBe("Reply read as question");
    expect(text("status_changed", { from: "replied", to: "interested", reason: "reply_intent", intent: "interested" })).toBe("Moved from Replied to Interested (reply read as interested)");
  });
});
