import { REPLY_INTENT_LABELS } from "@/lib/reply-intent";

export const LEAD_STATUS_LABELS: Record<string, string> = {
  new: "New",
  contacted: "Contacted",
  replied: "Replied",
  interested: "Interested",
  negotiating: "Negotiating",
  under_contract: "Under contract",
  closed: "Closed",
  dead: "Dead",
};
export const LEAD_STATUS_VALUES = Object.keys(LEAD_STATUS_LABELS) as (keyof typeof LEAD_STATUS_LABELS)[];

/** "Interested", "Not interested" … (lib/reply-intent's labels, capitalised for a control's label). */
export const intentLabel = (intent: string) => {
  const label = REPLY_INTENT_LABELS[intent as keyof typeof REPLY_INTENT_LABELS] ?? intent;
  return label.charAt(0).toUpperCase() + label.slice(1);
};

const EXIT_LABELS: Record<string, string> = { replied: "replied", opted_out: "opted out", excluded: "excluded", failed: "send failed", cancelled: "campaign cancelled" };

/** "replied", "status: Dead", "blocked: dnc listed" */
export function exitReasonLabel(reason: string): string {
  if (EXIT_LABELS[reason]) return EXIT_LABELS[reason]!;
  if (reason.startsWith("status_")) return `moved to ${LEAD_STATUS_LABELS[reason.slice(7)] ?? reason.slice(7)}`;
  if (reason.startsWith("blocked_")) return `blocked: ${reason.slice(8).replaceAll("_", " ")}`;
  return reason.replaceAll("_", " ");
}

export const FIRING_LABELS: Record<string, string> = {
  claimed: "sending",
  sent: "replied",
  blocked: "blocked",
  deferred: "not sent (quiet hours or cap)",
  failed: "failed",
  applied: "actions applied",
  throttled: "skipped (24 h)",
};
