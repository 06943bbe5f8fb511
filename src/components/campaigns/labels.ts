import type { RouterInputs, RouterOutputs } from "@/trpc/react";

export type CampaignSummary = RouterOutputs["campaigns"]["list"][number];
export type Campaign = RouterOutputs["campaigns"]["get"];
export type CampaignStats = RouterOutputs["campaigns"]["stats"];
export type CampaignStatus = Campaign["status"];
export type Preflight = RouterOutputs["campaigns"]["preflight"];
export type ExclusionReason = Preflight["exclusions"][number]["reason"];
export type RecipientRow = RouterOutputs["campaigns"]["recipients"]["items"][number];
export type RecipientStatus = NonNullable<RouterInputs["campaigns"]["recipients"]["status"]>;
export type CampaignAudience = RouterInputs["campaigns"]["create"]["audience"];
export type PreviewOutput = RouterOutputs["campaigns"]["preview"];

/** Recipients and exclusions per page (the server allows up to 100). */
export const RECIPIENTS_PAGE_SIZE = 50;
export const EXCLUSIONS_PAGE_SIZE = 25;
/** How often the campaign page re-reads its counters while texts may be going out (issue 12 replaces this with SSE). */
type Tone = "slate" | "green" | "amber" | "red" | "blue";

export const STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  running: "Sending",
  paused: "Paused",
  halted: "Halted",
  completed: "Completed",
  cancelled: "Cancelled",
};

export const STATUS_TONES: Record<CampaignStatus, Tone> = {
  draft: "slate",
  scheduled: "blue",
  running: "blue",
  paused: "amber",
  halted: "red",
  completed: "green",
  cancelled: "slate",
};

export const RECIPIENT_STATUSES = ["pending", "sending", "sent", "excluded", "skipped", "failed", "cancelled"] as const satisfies readonly RecipientStatus[];

export const RECIPIENT_STATUS_LABELS: Record<RecipientStatus, string> = {
  pending: "Waiting",
  sending: "Sending",
  sent: "Sent",
  excluded: "Excluded",
  skipped: "Skipped",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const RECIPIENT_STATUS_TONES: Record<RecipientStatus, Tone> = {
  pending: "slate",
  sending: "blue",
  sent: "green",
  excluded: "amber",
  skipped: "amber",
  failed: "red",
  cancelled: "slate",
};

/** A message's delivery status (Twilio's vocabulary) for people. */
export const MESSAGE_STATUS_LABELS: Record<string, string> = {
  queued: "Queued",
  accepted: "Accepted",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  undelivered: "Undelivered",
  failed: "Failed",
  received: "Received",
  canceled: "Cancelled",
};

export const MESSAGE_STATUS_TONES: Record<string, Tone> = { delivered: "green", sent: "blue", undelivered: "red", failed: "red" };

/** Twilio error codes a campaign meets most, as people read them (PROVIDERS.md). */
export const ERROR_CODE_LABELS: Record<string, string> = {
  "30003": "Unreachable handset",
  "30004": "Blocked by the recipient",
  "30005": "Unknown number",
  "30006": "Landline or unreachable carrier",
  "30007": "Filtered by the carrier",
  "30008": "Unknown error",
  "21610": "Recipient opted out (STOP)",
  "21211": "Invalid number",
  "21614": "Not a mobile number",
};

/** The decision log's outcomes and reasons, for the per-recipient table. */
export const DECISION_OUTCOME_TONES: Record<string, Tone> = { allowed: "green", blocked: "red", deferred: "amber" };

/** Whether texts may still go out: the page keeps polling the counters. */
export function isLive(campaign: Pick<Campaign, "status" | "resumeAt">): boolean {
  return campaign.status === "running" || campaign.status === "scheduled" || (campaign.status === "halted" && campaign.resumeAt !== null);
}

/** A rate 0–1 as "12.5%"; null (nothing sent yet) as "—". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return "—";
  const percent = rate * 100;
  if (percent === 0 || percent === 100) return `${percent}%`;
  return `${percent < 10 ? percent.toFixed(1) : percent.toFixed(0)}%`;
}


/** Sent of recipients (what has been handed to the carrier or finished), 0–100. */
export function progressOf(stats: Pick<CampaignStats, "recipients" | "pending" | "sending">): { done: number; total: number } {
  const total = stats.recipients;
  return { done: Math.max(0, total - stats.pending - stats.sending), total };
}

/** Delivery receipts keep arriving after the last send: the page follows them this long after the campaign ends. */
export const RECEIPTS_FOLLOW_MS = 10 * 60_000;

/** Whether the page should still follow the campaign: sending, or ended a short while ago (receipts). */
export function followsReceipts(campaign: Pick<Campaign, "completedAt">, now: number | null): boolean {
  return campaign.completedAt !== null && now !== null && now - campaign.completedAt.getTime() < RECEIPTS_FOLLOW_MS;
}
