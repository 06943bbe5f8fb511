import { formatCents } from "@/lib/money";
import type { RouterOutputs } from "@/trpc/react";

export type SkipTraceJob = RouterOutputs["skipTrace"]["job"];
export type SkipTraceJobStatus = SkipTraceJob["status"];
export type SkipTraceOutcome = RouterOutputs["skipTrace"]["run"]["outcome"];

/** A per-lookup price for people: 7 → "7¢", 125 → "$1.25". */
export function formatUnitCost(cents: number): string {
  return cents < 100 ? `${cents}¢` : formatCents(cents);
}

export const PROVIDER_LABELS: Record<string, string> = { sandbox: "Sandbox", batchdata: "BatchData" };
export const providerLabel = (provider: string) => PROVIDER_LABELS[provider] ?? provider;

export const OUTCOME_LABELS: Record<SkipTraceOutcome, string> = {
  matched: "Matched",
  no_match: "No match",
  failed: "Failed",
  skipped_recent: "Skipped: traced recently",
  skipped_no_address: "Skipped: no usable address",
};
export const OUTCOME_TONES: Record<SkipTraceOutcome, "green" | "slate" | "red" | "amber"> = {
  matched: "green",
  no_match: "slate",
  failed: "red",
  skipped_recent: "amber",
  skipped_no_address: "amber",
};

export const JOB_STATUS_LABELS: Record<SkipTraceJobStatus, string> = {
  pending: "Queued",
  running: "Running",
  completed: "Completed",
  stopped_cap: "Stopped: budget cap",
  cancelled: "Cancelled",
  failed: "Failed",
};
export const JOB_STATUS_TONES: Record<SkipTraceJobStatus, "blue" | "green" | "amber" | "red" | "slate"> = {
  pending: "slate",
  running: "blue",
  completed: "green",
  stopped_cap: "amber",
  cancelled: "amber",
  failed: "red",
};

export const isActiveJob = (status: SkipTraceJobStatus) => status === "pending" || status === "running";

/** The skip-trace history record's persons, read defensively (stored provider output). */
export type TracedPerson = {
  name: string;
  phones: { number: string; type: string; carrier: string | null; dnc: boolean; tcpa: boolean; score: number | null }[];
  emails: string[];
  litigator: boolean;
  deceased: boolean;
  bankruptcy: boolean;
};

export function readPerson(value: unknown): TracedPerson {
  const person = (value ?? {}) as Record<string, unknown>;
  const name = (person.name ?? {}) as Record<string, unknown>;
  const phones = Array.isArray(person.phones) ? person.phones : [];
  return {
    name: typeof name.full === "string" && name.full ? name.full : [name.first, name.last].filter((s) => typeof s === "string" && s).join(" ") || "Unnamed person",
    phones: phones.map((raw) => {
      const phone = (raw ?? {}) as Record<string, unknown>;
      return {
        number: String(phone.number ?? ""),
        type: typeof phone.type === "string" ? phone.type : "unknown",
        carrier: typeof phone.carrier === "string" ? phone.carrier : null,
        dnc: phone.dnc === true,
        tcpa: phone.tcpa === true,
        score: typeof phone.score === "number" ? phone.score : null,
      };
    }),
    emails: Array.isArray(person.emails) ? person.emails.filter((e): e is string => typeof e === "string") : [],
    litigator: person.litigator === true,
    deceased: person.deceased === true,
    bankruptcy: person.bankruptcy === true,
  };
}
