/**
 * The event types an outbound webhook endpoint can subscribe to (issue 13 item 4). The database
 * maps live events to these names (leadflow_webhook_fanout in migration 20261130064000_outbound_webhooks);
 * the worker builds each one's body (server/webhooks/payloads.ts).
 */
export const WEBHOOK_EVENT_TYPES = [
  "lead.created",
  "lead.status_changed",
  "message.received",
  "lead.opted_out",
  "lead.skip_traced",
  "campaign.finished",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_INFO: Record<WebhookEventType, { label: string; help: string }> = {
  "lead.created": { label: "Lead created", help: "A lead was added (by hand, an import, a search, the API)." },
  "lead.status_changed": { label: "Lead status changed", help: "A lead moved to another status (its previous status is included)." },
  "message.received": { label: "Replied", help: "An inbound text arrived (the reply, its phone and lead)." },
  "lead.opted_out": { label: "Opted out", help: "A number asked not to be texted (STOP, a refusal, or marked by a teammate)." },
  "lead.skip_traced": { label: "Skip-traced", help: "A lead was skip traced (matched or not), with the phones found." },
  "campaign.finished": { label: "Campaign finished", help: "Every recipient of a campaign was handled." },
};

export const isWebhookEventType = (value: unknown): value is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);
