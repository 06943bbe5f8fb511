import type { RouterOutputs } from "@/trpc/react";

export type DncEntryRow = RouterOutputs["dnc"]["list"]["items"][number];
export type DncCheckAnswer = RouterOutputs["dnc"]["check"];
export type DncRegistry = RouterOutputs["dnc"]["registry"];
export type DncSourceValue = DncCheckAnswer["sources"][number];

export const DNC_PAGE_SIZE = 50;

export const SOURCE_LABELS: Record<DncSourceValue, string> = {
  internal: "Internal do-not-contact list",
  registry: "National DNC Registry",
  skip_trace_dnc: "Skip trace: DNC flag",
  skip_trace_tcpa: "Skip trace: TCPA litigator / blacklisted",
};

export const DNC_STATE_LABELS = { live: "On the list now", removed: "Removed", all: "All" } as const;

export const person = (p: { name: string | null; email: string } | null) => (p ? (p.name ?? p.email) : "a former member");

/** The CSV download of the internal list as the page filters it. */
export function dncExportUrl(filters: { state: string; q?: string }): string {
  return `/api/compliance/dnc/export?${new URLSearchParams({ filters: JSON.stringify(filters) }).toString()}`;
}
export const DNC_CHECKS_EXPORT_URL = "/api/compliance/dnc/checks/export";
