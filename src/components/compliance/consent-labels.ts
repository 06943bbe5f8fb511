import type { RouterInputs, RouterOutputs } from "@/trpc/react";

export const CONSENT_PAGE_SIZE = 50;

export type ConsentFilters = NonNullable<RouterInputs["consent"]["list"]["filters"]>;
export type ConsentRow = RouterOutputs["consent"]["list"]["items"][number];
export type ConsentLogType = ConsentRow["type"];
export type RecordedConsentType = RouterInputs["consent"]["record"]["type"];

export const TYPE_LABELS: Record<ConsentLogType, string> = {
  express_written: "Express written consent",
  verbal: "Verbal consent",
  inbound_initiated: "They contacted us first",
  revoked: "Revoked (opt-out)",
};

/** What each consent a person records means, shown under the choice. */
export const TYPE_HINTS: Record<RecordedConsentType, string> = {
  express_written: "A signed form, a web form checkbox, an email or text saying they agree to receive texts from you.",
  verbal: "They agreed on a call; say who spoke with them and when (a recording is better evidence).",
  inbound_initiated: "They reached out first (a text, a call, a web inquiry) about this property.",
};

export const SOURCE_LABELS: Record<ConsentRow["source"], string> = {
  recorded: "Recorded here",
  opt_out_lift: "Opt-out lifted",
  start_reply: "START reply",
  keyword: "STOP reply",
  refusal: "Refusal in a reply",
  provider_21610: "Carrier opt-out (21610)",
  manual: "Opt-out added by hand",
  import: "Opt-out imported",
  wrong_number: "Wrong number",
};

/** The export link for what the log shows. */
export function consentExportUrl(filters: ConsentFilters): string {
  const params = new URLSearchParams({ filters: JSON.stringify(filters) });
  return `/api/compliance/consent/export?${params.toString()}`;
}

/** "2026-11-29" (a date input) → the start or the end of that day on this computer. */
export function dayBound(day: string, end: boolean): Date | undefined {
  if (!/^\d{4}-\d\d-\d\d$/.test(day)) return undefined;
  const at = new Date(`${day}T${end ? "23:59:59.999" : "00:00:00.000"}`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
