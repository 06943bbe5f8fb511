import { describe, expect, it } from "vitest";
import { formatTaskDue, parseTimeOfDay, taskDueAt, taskWhen } from "./task-due";

describe("taskDueAt", () => {
  it("is the day at the time in the organization's zone", () => {
    expect(taskDueAt("2026-01-15", "09:30", "America/New_York").toISOString()).toBe("2026-01-15T14:30:00.000Z");
    expect(taskDueAt("2026-07-15", "09:30", "America/Los_Angeles").toISOString()).toBe("2026-07-15T16:30:00.000Z");
  });

  it("is the last instant of the day when no time is given", () => {
    expect(taskDueAt("2026-01-15", null, "America/New_York").toISOString()).toBe("2026-01-16T04:59:59.999Z");
    expect(taskDueAt("2026-01-31", null, "UTC").toISOString()).toBe("2026-01-31T23:59:59.999Z");
  });

  it("handles the days clocks change", () => {
    // New York springs forward at 2:00 on 2026-03-08.
    expect(taskDueAt("2026-03-08", "12:00", "America/New_York").toISOString()).toBe("2026-03-08T16:00:00.000Z");
    expect(taskDueAt("2026-03-07", null, "America/New_York").toISOString()).toBe("2026-03-08T04:59:59.999Z");
  });

  it("refuses what is not a time", () => {
    expect(parseTimeOfDay("24:00")).toBeNull();
    expect(parseTimeOfDay("7:00")).toBeNull();
    expect(() => taskDueAt("2026-01-15", "25:00", "UTC")).toThrow();
  });
});

describe("taskWhen", () => {
  const now = new Date("2026-01-15T15:00:00Z"); // 10:00 in New York
  const task = (dueOn: string, dueTime: string | null) => ({ dueOn, dueAt: taskDueAt(dueOn, dueTime, "America/New_York"), completedAt: null });
  it("sorts open tasks into overdue, today and upcoming", () => {
    expect(taskWhen(task("2026-01-15", "09:00"), "2026-01-15", now)).toBe("overdue");
    expect(taskWhen(task("2026-01-15", "11:00"), "2026-01-15", now)).toBe("today");
    expect(taskWhen(task("2026-01-15", null), "2026-01-15", now)).toBe("today");
    expect(taskWhen(task("2026-01-14", null), "2026-01-15", now)).toBe("overdue");
    expect(taskWhen(task("2026-01-16", "08:00"), "2026-01-15", now)).toBe("upcoming");
    expect(taskWhen({ ...task("2026-01-14", null), completedAt: now }, "2026-01-15", now)).toBe("done");
  });
});

describe("formatTaskDue", () => {
  it("names nearby days and shows the time", () => {
    expect(formatTaskDue("2026-01-15", "15:30", "2026-01-15")).toBe("Today 3:30 PM");
    expect(formatTaskDue("2026-01-16", null, "2026-01-15")).toBe("Tomorrow");
    expect(formatTaskDue("2026-01-14", "00:05", "2026-01-15")).toBe("Yesterday 12:05 AM");
    expect(formatTaskDue("2026-01-20", null, "2026-01-15")).toBe("Tue, Jan 20");
  });
});
