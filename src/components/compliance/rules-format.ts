import type { RouterInputs, RouterOutputs } from "@/trpc/react";

export type RulesData = RouterOutputs["complianceRules"]["get"];
export type RuleRow = RulesData["rules"][number];
export type RulesUpdate = RouterInputs["complianceRules"]["update"];
export type DayWindows = RuleRow["weekdays"];

/** [{08:00, 20:00}] → "08:00–20:00"; [] → "none". */
export function windowsText(windows: DayWindows): string {
  return windows.length ? windows.map((w) => `${w.start}–${w.end}`).join(", ") : "none";
}

/** "08:00-20:00, 21:00–22:00" → windows; "none" or empty → [] (no messages that day); null when unreadable. */
export function parseWindows(text: string): DayWindows | null {
  const trimmed = text.trim();
  if (trimmed === "" || /^none$/i.test(trimmed)) return [];
  const windows: { start: string; end: string }[] = [];
  for (const part of trimmed.split(",")) {
    const match = /^\s*(\d{1,2}:\d{2})\s*[-–—]\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!match) return null;
    const pad = (t: string) => t.padStart(5, "0");
    windows.push({ start: pad(match[1]!), end: pad(match[2]!) });
  }
  return windows;
}
