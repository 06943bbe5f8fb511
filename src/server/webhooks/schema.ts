import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhook-events";
import { idString, safeString } from "@/lib/text-schema";

/** Outbound webhooks in Settings (issue 13 item 4): admins register endpoints, read the delivery log, replay. */

const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, "Choose at least one event.")
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

export const webhookUrl = safeString()
  .trim()
  .min(1, "Enter the URL that receives the events.")
  .max(2000, "At most 2,000 characters.")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "Enter a full http(s) URL without a user name or password in it, e.g. https://hooks.zapier.com/…");

export const createWebhookEndpointInput = z.object({
  url: webhookUrl,
  description: safeString().trim().max(200).default(""),
  events: eventTypes,
});

export const updateWebhookEndpointInput = z.object({
  id: idString(),
  url: webhookUrl.optional(),
  description: safeString().trim().max(200).optional(),
  events: eventTypes.optional(),
  /** true re-enables a disabled endpoint (its failure count starts again); false pauses it. */
  enabled: z.boolean().optional(),
});

export const webhookEndpointIdInput = z.object({ id: idString() });

export const webhookEndpointOutput = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabledAt: z.date().nullable(),
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  createdAt: z.date(),
  /** The secret's visible start ("whsec_" and 4 characters), to tell secrets apart; never enough to sign. */
  secretHint: z.string(),
  /** After a rotation, until when the replaced secret signs deliveries as well (null: only the current one signs). */
  previousSecretExpiresAt: z.date().nullable(),
});

export const listWebhookEndpointsOutput = z.array(webhookEndpointOutput);

/** The whole signing secret is in this answer and nowhere else the browser can reach, ever. */
export const createWebhookEndpointOutput = z.object({ secret: z.string(), endpoint: webhookEndpointOutput });

/** Like creation: the new secret once, and the endpoint with until when the replaced secret still signs. */
export const rotateWebhookSecretOutput = z.object({ secret: z.string(), endpoint: webhookEndpointOutput.extend({ previousSecretExpiresAt: z.date() }) });

export const listWebhookDeliveriesInput = z.object({
  endpointId: idString().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});

const attemptOutput = z.object({
  id: z.string(),
  trigger: z.string(),
  attemptedAt: z.date(),
  durationMs: z.number().int(),
  responseStatus: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
  succeeded: z.boolean(),
});

export const webhookDeliveryOutput = z.object({
  id: z.string(),
  endpointId: z.string(),
  endpointUrl: z.string(),
  eventType: z.string(),
  occurredAt: z.date(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attemptCount: z.number().int(),
  nextAttemptAt: z.date().nullable(),
  lastAttemptAt: z.date().nullable(),
  lastResponseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  payload: z.string().nullable(),
  attempts: z.array(attemptOutput),
});

export const listWebhookDeliveriesOutput = z.array(webhookDeliveryOutput);

export const webhookDeliveryIdInput = z.object({ id: z.string().min(1).max(64).regex(/^msg_[A-Za-z0-9]+$/, "Not a delivery id.") });

export const replayWebhookDeliveryOutput = webhookDeliveryOutput;
