import "server-only";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "../audit/record";
import type { ServiceContext } from "../context";
import { querySql, type Db } from "../db";
import { AppError, notFound } from "../errors";
import { isSealed, sealSecret } from "../secret-box";
import type { createWebhookEndpointInput, listWebhookDeliveriesInput, updateWebhookEndpointInput, webhookDeliveryOutput } from "./schema";

/**
 * Settings → Webhooks (issue 13 item 4): the organization's endpoints, their delivery log, replay.
 * Deliveries are written by the database when an event is raised (leadflow_webhook_fanout) and sent
 * by the worker (dispatch.ts). The signing secret is returned once, by create or rotateSecret, and
 * never selected again.
 */

type Ctx = Pick<ServiceContext, "db" | "orgId">;

/** A Standard Webhooks secret: "whsec_" and the base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  disabledAt: true,
  disabledReason: true,
  consecutiveFailures: true,
  createdAt: true,
  secretHint: true,
  previousSecretExpiresAt: true,
} as const;

/** The secret's visible start, kept beside the sealed secret: all the browser ever sees of it after creation. */
const secretHintOf = (secret: string) => `${secret.slice(0, "whsec_".length + 4)}…`;

export async function listWebhookEndpoints(ctx: Ctx) {
  const rows = await ctx.db.webhookEndpoint.findMany({ where: { organizationId: ctx.orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: endpointSelect, take: 200 });
  return rows;
}

/** A new endpoint, enabled: the secret is in this answer once. Audited with the change. */
export async function createWebhookEndpoint(ctx: ServiceContext, input: z.output<typeof createWebhookEndpointInput>) {
  const secret = generateWebhookSecret();
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: { organizationId: ctx.orgId, url: input.url, description: input.description, events: input.events, secret: sealSecret(secret), secretHint: secretHintOf(secret), createdById: ctx.userId },
      select: endpointSelect,
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "webhook_endpoint.created",
      targetType: "webhook_endpoint",
      targetId: created.id,
      details: { url: input.url, events: input.events },
      requestId: ctx.requestId,
    });
    return created;
  });
  return { secret, endpoint: row };
}

/** Changes an endpoint; enabling a disabled one starts its failure count again. Audited. */
export async function updateWebhookEndpoint(ctx: ServiceContext, input: z.output<typeof updateWebhookEndpointInput>) {
  return ctx.db.$transaction(async (tx) => {
    const current = await tx.webhookEndpoint.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true, enabled: true } });
    if (!current) throw notFound("Webhook endpoint");
    const enabling = input.enabled === true && !current.enabled;
    const disabling = input.enabled === false && current.enabled;
    const row = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: {
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.events !== undefined ? { events: input.events } : {}),
        ...(enabling ? { enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0 } : {}),
        ...(disabling ? { enabled: false, disabledAt: new Date(), disabledReason: "Paused by an admin." } : {}),
      },
      select: endpointSelect,
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "webhook_endpoint.updated",
      targetType: "webhook_endpoint",
      targetId: row.id,
      details: { url: input.url ?? null, events: input.events ?? null, enabled: input.enabled ?? null },
      requestId: ctx.requestId,
    });
    if (enabling) await wakeWebhookWorkers(tx);
    return row;
  });
}

/** How long a replaced signing secret keeps signing beside the new one: a day to deploy the new secret. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * A new signing secret for an endpoint, in this answer once. Until WEBHOOK_SECRET_OVERLAP_MS from
 * now every delivery carries a signature by the replaced secret as well (Standard Webhooks lists
 * several in webhook-signature), so a receiver still checking with the old one refuses none while it
 * switches. Rotating again within that day drops the oldest (a delivery already being sent may still
 * carry it): a leaked secret can be replaced twice to stop it signing. Audited.
 */
export async function rotateWebhookSecret(ctx: ServiceContext, id: string) {
  const secret = generateWebhookSecret();
  const previousSecretExpiresAt = new Date(Date.now() + WEBHOOK_SECRET_OVERLAP_MS);
  const row = await ctx.db.$transaction(async (tx) => {
    const [current] = await querySql<{ id: string; secret: string; secretHint: string }>(
      tx,
      Prisma.sql`SELECT "id", "secret", "secretHint" FROM "WebhookEndpoint" WHERE "id" = ${id} AND "organizationId" = ${ctx.orgId} FOR UPDATE`,
    );
    if (!current) throw notFound("Webhook endpoint");
    const rotated = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: {
        secret: sealSecret(secret),
        secretHint: secretHintOf(secret),
        // One stored before encryption at rest (until the worker's next run seals it) is sealed here too.
        previousSecret: isSealed(current.secret) ? current.secret : sealSecret(current.secret),
        previousSecretExpiresAt,
      },
      select: endpointSelect,
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "webhook_endpoint.secret_rotated",
      targetType: "webhook_endpoint",
      targetId: rotated.id,
      details: { secretHint: rotated.secretHint, previousSecretHint: current.secretHint, previousSecretSignsUntil: previousSecretExpiresAt.toISOString() },
      requestId: ctx.requestId,
    });
    return rotated;
  });
  return { secret, endpoint: { ...row, previousSecretExpiresAt } };
}

/** Deletes an endpoint with its delivery log. Audited. */
export async function deleteWebhookEndpoint(ctx: ServiceContext, id: string) {
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id, organizationId: ctx.orgId }, select: endpointSelect });
    if (!row) throw notFound("Webhook endpoint");
    await tx.webhookEndpoint.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "webhook_endpoint.deleted",
      targetType: "webhook_endpoint",
      targetId: row.id,
      details: { url: row.url },
      requestId: ctx.requestId,
    });
    return row;
  });
}

const deliverySelect = {
  id: true,
  endpointId: true,
  eventType: true,
  occurredAt: true,
  status: true,
  attemptCount: true,
  nextAttemptAt: true,
  lastAttemptAt: true,
  lastResponseStatus: true,
  lastError: true,
  payload: true,
  endpoint: { select: { url: true } },
  attempts: {
    orderBy: [{ attemptedAt: "desc" }, { id: "desc" }],
    take: 20,
    select: { id: true, trigger: true, attemptedAt: true, durationMs: true, responseStatus: true, responseBody: true, error: true, succeeded: true },
  },
} satisfies Prisma.WebhookDeliverySelect;

type DeliveryRow = Omit<z.output<typeof webhookDeliveryOutput>, "endpointUrl"> & { endpoint: { url: string } };

function toDeliveryOutput({ endpoint, ...row }: DeliveryRow): z.output<typeof webhookDeliveryOutput> {
  return { ...row, endpointUrl: endpoint.url };
}

/** The delivery log, newest first: of one endpoint or of all the organization's. */
export async function listWebhookDeliveries(ctx: Ctx, input: z.output<typeof listWebhookDeliveriesInput>) {
  if (input.endpointId) {
    const endpoint = await ctx.db.webhookEndpoint.findFirst({ where: { id: input.endpointId, organizationId: ctx.orgId }, select: { id: true } });
    if (!endpoint) throw notFound("Webhook endpoint");
  }
  const rows = await ctx.db.webhookDelivery.findMany({
    where: { organizationId: ctx.orgId, ...(input.endpointId ? { endpointId: input.endpointId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit,
    select: deliverySelect,
  });
  return rows.map(toDeliveryOutput);
}

/**
 * Sends a delivery again, as it was: the same message id and body (receivers deduplicate on the id).
 * It goes at once, even when it succeeded before; a disabled endpoint must be enabled first.
 */
export async function replayWebhookDelivery(ctx: ServiceContext, id: string) {
  return ctx.db.$transaction(async (tx) => {
    const found = await tx.webhookDelivery.findFirst({ where: { id, organizationId: ctx.orgId }, select: { id: true, endpoint: { select: { enabled: true } } } });
    if (!found) throw notFound("Webhook delivery");
    if (!found.endpoint.enabled) throw new AppError("PRECONDITION_FAILED", "This endpoint is disabled: enable it first, then replay the delivery.");
    await tx.webhookDelivery.update({ where: { id: found.id }, data: { status: "pending", nextAttemptAt: new Date(), replayRequested: true } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "webhook_delivery.replayed",
      targetType: "webhook_delivery",
      targetId: found.id,
      requestId: ctx.requestId,
    });
    await wakeWebhookWorkers(tx);
    const row = await tx.webhookDelivery.findFirstOrThrow({ where: { id: found.id }, select: deliverySelect });
    return toDeliveryOutput(row);
  });
}

/** Tells the workers (LISTEN leadflow_webhooks) that a delivery is due; heard on commit. */
export async function wakeWebhookWorkers(tx: Pick<Db, "$executeRaw">) {
  await tx.$executeRaw`SELECT pg_notify('leadflow_webhooks', '')`;
}
