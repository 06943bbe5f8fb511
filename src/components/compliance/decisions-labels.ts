import type { RouterInputs, RouterOutputs } from "@/trpc/react";

export type DecisionFilters = NonNullable<RouterInputs["sendDecisions"]["list"]["filters"]>;
export type DecisionRow = RouterOutputs["sendDecisions"]["list"]["items"][number];
export type DecisionKind = NonNullable<DecisionFilters["kind"]>;
export type DecisionOutcome = NonNullable<DecisionFilters["outcome"]>;
export type DecisionReason = NonNullable<DecisionFilters["reason"]>;

export const DECISIONS_PAGE_SIZE = 50;

export const KIND_LABELS: Record<DecisionKind, string> = {
  campaign: "Campaign",
  inbox_reply: "Inbox reply",
  auto_reply: "Auto-reply",
  help_reply: "HELP answer",
  opt_out_confirmation: "Opt-out confirmation",
  test: "Test",
};

export const OUTCOME_LABELS: Record<DecisionOutcome, string> = { allowed: "Allowed", blocked: "Blocked", deferred: "Deferred" };

export const REASON_LABELS: Record<DecisionReason, string> = {
  kill_switch: "SMS kill switch",
  suppressed: "Opted out",
  phone_invalid: "Invalid number",
  phone_landline: "Landline",
  phone_wrong_number: "Wrong number",
  no_opt_out_to_confirm: "No opt-out to confirm",
  dnc_listed: "Do-not-call",
  no_send_window: "No allowed time",
  no_recorded_consent: "No recorded consent",
  quiet_hours: "Quiet hours",
  frequency_cap: "Frequency cap",
};

/** The export link for what the log shows. */
export function decisionsExportUrl(filters: DecisionFilters): string {
  return `/api/compliance/decisions/export?${new URLSearchParams({ filters: JSON.stringify(filters) }).toString()}`;
}
