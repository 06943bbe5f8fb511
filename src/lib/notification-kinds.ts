/**
 * The kinds of in-app notification, what each is about and who receives it (the server decides
 * the recipients in server/notifications/producers.ts; the settings page shows these texts).
 */
export const NOTIFICATION_KINDS = [
  "new_reply",
  "campaign_finished",
  "import_finished",
  "skip_trace_finished",
  "cap_reached",
  "kill_switch",
  "circuit_open",
  "webhook_disabled",
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_KIND_INFO: Record<NotificationKind, { label: string; who: string }> = {
  new_reply: {
    label: "New reply on my leads",
    who: "The thread's assignee, or the lead's assignee when the thread has none.",
  },
  campaign_finished: {
    label: "Campaign finished",
    who: "Whoever created the campaign (admins and managers when that person is no longer a member).",
  },
  import_finished: { label: "Import finished", who: "Whoever started the import." },
  skip_trace_finished: {
    label: "Skip-trace job finished",
    who: "Whoever started the bulk skip trace (also when it stopped at the daily cap or was halted).",
  },
  cap_reached: {
    label: "Daily cap reached",
    who: "Admins, once per provider per day.",
  },
  kill_switch: {
    label: "Kill switch flipped",
    who: "Admins and managers, except whoever flipped it.",
  },
  circuit_open: {
    label: "Provider paused (circuit opened)",
    who: "Admins, at most once an hour per provider.",
  },
  webhook_disabled: {
    label: "Webhook endpoint disabled",
    who: "Admins, when an endpoint is disabled after repeated failed deliveries.",
  },
};
