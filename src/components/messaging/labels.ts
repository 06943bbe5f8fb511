type Tone = "slate" | "green" | "amber" | "red" | "blue";

export const OUTCOME_LABELS: Record<"opt_out" | "opt_in" | "help" | "refusal" | "wrong_number" | "review" | "none", { label: string; tone: Tone }> = {
  opt_out: { label: "Opt-out", tone: "red" },
  opt_in: { label: "Opt-in", tone: "green" },
  help: { label: "Help", tone: "blue" },
  refusal: { label: "Refusal", tone: "red" },
  wrong_number: { label: "Wrong number", tone: "amber" },
  review: { label: "Needs review", tone: "amber" },
  none: { label: "Reply", tone: "slate" },
};

export const STATUS_LABELS: Record<"received" | "queued" | "sending" | "sent" | "delivered" | "undelivered" | "failed", { label: string }> = {
  received: { label: "Received" },
  queued: { label: "Queued" },
  sending: { label: "Sending" },
  sent: { label: "Sent" },
  delivered: { label: "Delivered" },
  undelivered: { label: "Undelivered" },
  failed: { label: "Failed" },
};

/** Why a number is suppressed, as a person would say it. */
export const SUPPRESSION_REASON_LABELS: Record<string, string> = {
  keyword: "texted STOP",
  refusal: "asked not to be texted",
  provider_21610: "unsubscribed at the carrier (Twilio 21610)",
  manual: "added to the opt-out list by your team",
  import: "imported into the opt-out list",
  wrong_number: "reported as a wrong number",
};
