import "server-only";
import { lookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import ky from "ky";
import { Agent } from "undici";
import { Webhook } from "standardwebhooks";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";
import { env } from "../env";
import { log } from "../log";
import { openSecret, sealSecret } from "../secret-box";
import { notifyWebhookDisabled } from "../notifications/producers";
import { buildWebhookPayload } from "./payloads";

/**
 * The worker's side of outbound webhooks: sends the deliveries that are due (written by the
 * database when an event is raised), signed per Standard Webhooks with the endpoint's secret,
 * logs every attempt, retries failures with exponential backoff, and disables an endpoint whose
 * deliveries keep failing (its admins are notified). Run by the "webhook-dispatch" job, which the
 * workers queue when the database tells them a delivery was added (wakeup.ts) and every minute.
 */

export const WEBHOOK_POLICY = {
  /** Attempts of one delivery before it fails for good (a replay is one more attempt). */
  maxAttempts: 6,
  /** The wait after the n-th failed attempt: base × factor^(n-1), capped: 30 s, 2 min, 8 min, 32 min, ~2 h. */
  baseDelayMs: 30_000,
  factor: 4,
  maxDelayMs: 6 * 3_600_000,
  /** Deliveries failed for good in a row (no success in between) that disable the endpoint. */
  disableAfterFailedDeliveries: 5,
  /** Per attempt; the receiver should answer fast and queue its own work. */
  timeoutMs: 10_000,
  /** A claimed delivery is not claimed again for this long (a worker that died mid-attempt). */
  leaseMs: 2 * 60_000,
  batchSize: 20,
  concurrency: 8,
  responseBodyChars: 1_000,
} as const;

/** The wait before attempt n + 1 after the n-th failed attempt (n ≥ 1). */
export function webhookBackoffMs(failedAttempts: number): number {
  const { baseDelayMs, factor, maxDelayMs } = WEBHOOK_POLICY;
  return Math.min(maxDelayMs, baseDelayMs * factor ** Math.max(0, failedAttempts - 1));
}

export type DispatchOptions = {
  /** The instant the run works at (tests move it forward to reach the next retry). */
  now?: Date;
  /** Private, loopback and link-local receivers (default: WEBHOOKS_ALLOW_PRIVATE_ADDRESSES, off). */
  allowPrivateAddresses?: boolean;
  /** Longest an attempt may take, answer included (default WEBHOOK_POLICY.timeoutMs; tests shorten it). */
  timeoutMs?: number;
  signal?: AbortSignal;
};

export type DispatchResult = { attempted: number; succeeded: number; failed: number };

/** Sends every due delivery (batch after batch) and returns what was attempted. */
export async function runWebhookDispatch(db: Db, options: DispatchOptions = {}): Promise<DispatchResult> {
  await sealLegacyWebhookSecrets(db);
  const result: DispatchResult = { attempted: 0, succeeded: 0, failed: 0 };
  const now = () => options.now ?? new Date();
  for (;;) {
    if (options.signal?.aborted) break;
    const claimed = await claimDue(db, now());
    if (claimed.length === 0) break;
    for (let i = 0; i < claimed.length; i += WEBHOOK_POLICY.concurrency) {
      const outcomes = await Promise.all(claimed.slice(i, i + WEBHOOK_POLICY.concurrency).map((id) => deliverOne(db, id, now, options)));
      for (const outcome of outcomes) {
        if (outcome === null) continue;
        result.attempted++;
        if (outcome) result.succeeded++;
        else result.failed++;
      }
    }
  }
  return result;
}

/** Seals secrets stored before encryption at rest (at most a few hundred endpoints; nothing to do once done). */
export async function sealLegacyWebhookSecrets(db: Db): Promise<number> {
  const legacy = await db.webhookEndpoint.findMany({ where: { secret: { startsWith: "whsec_" } }, select: { id: true, secret: true }, take: 500 });
  for (const row of legacy) {
    await db.webhookEndpoint.updateMany({ where: { id: row.id, secret: row.secret }, data: { secret: sealSecret(row.secret) } });
  }
  return legacy.length;
}

/** When the next pending delivery of an enabled endpoint is due (null: none). */
export async function nextWebhookDueAt(db: Db): Promise<Date | null> {
  const [row] = await querySql<{ at: Date | null }>(
    db,
    Prisma.sql`SELECT min(d."nextAttemptAt") AS "at" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
      WHERE d."status" = 'pending' AND e."enabled"`,
  );
  return row?.at ?? null;
}

/** Claims due deliveries of enabled endpoints (other workers skip them until the lease ends). */
async function claimDue(db: Db, now: Date): Promise<string[]> {
  const rows = await querySql<{ id: string }>(
    db,
    Prisma.sql`WITH due AS (
        SELECT d."id" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
        WHERE d."status" = 'pending' AND d."nextAttemptAt" <= ${now} AND e."enabled"
        ORDER BY d."nextAttemptAt", d."id" LIMIT ${WEBHOOK_POLICY.batchSize}
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE "WebhookDelivery" d SET "nextAttemptAt" = ${new Date(now.getTime() + WEBHOOK_POLICY.leaseMs)}
      FROM due WHERE d."id" = due."id" RETURNING d."id"`,
  );
  return rows.map((row) => row.id);
}

type Attempt = { status: number | null; body: string | null; error: string | null; durationMs: number; ok: boolean };

/** One attempt of one claimed delivery, logged; true when the receiver answered 2xx, null when it was gone. */
async function deliverOne(db: Db, id: string, now: () => Date, options: DispatchOptions): Promise<boolean | null> {
  const delivery = await db.webhookDelivery.findUnique({
    where: { id },
    select: {
      id: true,
      organizationId: true,
      eventType: true,
      eventData: true,
      occurredAt: true,
      payload: true,
      attemptCount: true,
      replayRequested: true,
      endpoint: { select: { id: true, url: true, secret: true, previousSecret: true, previousSecretExpiresAt: true, enabled: true } },
    },
  });
  if (!delivery || !delivery.endpoint.enabled) return null;
  let payload = delivery.payload;
  if (payload === null) {
    payload = await buildWebhookPayload(db, delivery);
    await db.webhookDelivery.update({ where: { id }, data: { payload } });
  }
  const attemptedAt = new Date();
  const attempt = await send(delivery.endpoint.url, signingSecrets(delivery.endpoint, now()), delivery.id, payload, options);
  await record(db, { delivery, attempt, attemptedAt, now: now() });
  return attempt.ok;
}

/**
 * The endpoint's secret, and the one a rotation replaced while it still signs (service.ts
 * rotateWebhookSecret). A replaced secret that cannot be opened (sealed under another key) is left
 * out and logged: the current one still signs, so deliveries go on.
 */
function signingSecrets(endpoint: { id: string; secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }, now: Date): string[] {
  const { secret, previousSecret, previousSecretExpiresAt } = endpoint;
  const current = openSecret(secret);
  if (previousSecret === null || previousSecretExpiresAt === null || previousSecretExpiresAt <= now) return [current];
  try {
    return [current, openSecret(previousSecret)];
  } catch (error) {
    log.warn({ err: error, endpointId: endpoint.id }, "a webhook endpoint's replaced secret could not be opened: signing with the current one only");
    return [current];
  }
}

/** Forgets replaced secrets whose day of signing is over (hourly housekeeping: past it they sign nothing already). */
export async function clearExpiredPreviousSecrets(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.webhookEndpoint.updateMany({
    where: { previousSecretExpiresAt: { lte: now } },
    data: { previousSecret: null, previousSecretExpiresAt: null },
  });
  return count;
}

/**
 * Posts the signed body, with one signature per secret in webhook-signature (space-separated, as
 * Standard Webhooks verifiers accept). Redirects are never followed (a 3xx is a failed attempt).
 */
async function send(url: string, secrets: string[], messageId: string, payload: string, options: DispatchOptions): Promise<Attempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const allowPrivate = options.allowPrivateAddresses ?? env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES === "1";
    const timeoutMs = options.timeoutMs ?? WEBHOOK_POLICY.timeoutMs;
    if (!allowPrivate) refusePrivateLiteral(url);
    const timestamp = new Date();
    const signature = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, payload)).join(" ");
    const response = await ky.post(url, {
      body: payload,
      headers: {
        "content-type": "application/json",
        "user-agent": "LeadFlow-Webhooks/1",
        "webhook-id": messageId,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      // ky's timeout ends when the headers arrive; this deadline also bounds reading the answer,
      // so a receiver that sends headers and then stalls cannot hold the run (and every org's queue).
      timeout: false,
      signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      retry: 0,
      throwHttpErrors: false,
      redirect: "manual",
      // Each connection goes to an address checked at connect time (no second lookup to rebind).
      ...(allowPrivate ? {} : { dispatcher: publicOnlyAgent() }),
    });
    const body = await readStart(response, WEBHOOK_POLICY.responseBodyChars);
    const ok = response.status >= 200 && response.status < 300;
    const error = ok ? null : response.status >= 300 && response.status < 400 ? `Answered ${response.status} (a redirect): redirects are not followed.` : `Answered ${response.status}.`;
    return { status: response.status, body, error, durationMs: elapsed(), ok };
  } catch (error) {
    const name = (error as Error)?.name;
    const message = name === "TimeoutError" ? `No complete answer within ${(options.timeoutMs ?? WEBHOOK_POLICY.timeoutMs) / 1000} s.` : describeNetworkError(error);
    return { status: null, body: null, error: message, durationMs: elapsed(), ok: false };
  }
}

function describeNetworkError(error: unknown): string {
  const err = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err?.cause?.code ?? err?.cause?.message;
  return `${err?.message ?? String(error)}${cause ? ` (${cause})` : ""}`.slice(0, 500);
}

/** The first `max` characters of the answer, without reading more of it. */
async function readStart(response: Response, max: number): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < max) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.length > 0 ? text.slice(0, max) : null;
}

/**
 * Anything but a public unicast address: loopback, private, link-local, unique-local, CGNAT,
 * multicast, reserved, NAT64 and other special ranges; IPv4-mapped IPv6 (::ffff:a9fe:a9fe) is
 * judged as the IPv4 address it carries. Not an address at all counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  return ipaddr.process(address).range() !== "unicast";
}

const PRIVATE_TARGET = "resolves to a private address: webhooks go to public receivers only.";

/** A URL whose host is an address literal is judged before anything is sent (no lookup happens for it). */
function refusePrivateLiteral(url: string) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isPrivateAddress(host)) throw new Error(`${host} ${PRIVATE_TARGET}`);
}

let agent: Agent | null = null;

/** Connections whose every resolved address is public, checked in the lookup the connection itself uses. */
function publicOnlyAgent(): Agent {
  agent ??= new Agent({
    connect: {
      lookup(hostname, options, callback) {
        lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
          if (error) return callback(error, "", 0);
          if (addresses.length === 0 || addresses.some((entry) => isPrivateAddress(entry.address))) {
            return callback(new Error(`${hostname} ${PRIVATE_TARGET}`), "", 0);
          }
          if ((options as { all?: boolean }).all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
          callback(null, addresses[0]!.address, addresses[0]!.family);
        });
      },
    },
  });
  return agent;
}

type Claimed = { id: string; organizationId: string; attemptCount: number; replayRequested: boolean; endpoint: { id: string; url: string } };

/** Logs the attempt and moves the delivery on: done, retried later, or failed (which may disable its endpoint). */
async function record(db: Db, input: { delivery: Claimed; attempt: Attempt; attemptedAt: Date; now: Date }) {
  const { delivery, attempt, attemptedAt, now } = input;
  const attemptCount = delivery.attemptCount + 1;
  const gaveUp = !attempt.ok && (delivery.replayRequested || attemptCount >= WEBHOOK_POLICY.maxAttempts);
  await db.$transaction(async (tx) => {
    // Deleted with its endpoint while it was being sent: nothing left to log.
    const [still] = await tx.$queryRaw<{ id: string; replayRequested: boolean }[]>`SELECT "id", "replayRequested" FROM "WebhookDelivery" WHERE "id" = ${delivery.id} FOR UPDATE`;
    if (!still) return;
    // An admin asked for a replay while this attempt was in flight: it stays asked for, sent next.
    const replayAskedMeanwhile = still.replayRequested && !delivery.replayRequested;
    await tx.webhookAttempt.create({
      data: {
        deliveryId: delivery.id,
        organizationId: delivery.organizationId,
        trigger: delivery.replayRequested ? "replay" : "automatic",
        attemptedAt,
        durationMs: attempt.durationMs,
        responseStatus: attempt.status,
        responseBody: attempt.body,
        error: attempt.error,
        succeeded: attempt.ok,
      },
    });
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        attemptCount,
        lastAttemptAt: attemptedAt,
        lastResponseStatus: attempt.status,
        lastError: attempt.error,
        replayRequested: replayAskedMeanwhile,
        status: replayAskedMeanwhile ? "pending" : attempt.ok ? "succeeded" : gaveUp ? "failed" : "pending",
        nextAttemptAt: replayAskedMeanwhile ? now : attempt.ok || gaveUp ? null : new Date(now.getTime() + webhookBackoffMs(attemptCount)),
      },
    });
    if (attempt.ok) {
      await tx.webhookEndpoint.updateMany({ where: { id: delivery.endpoint.id, consecutiveFailures: { gt: 0 } }, data: { consecutiveFailures: 0 } });
      return;
    }
    // A failed replay is one more try an admin asked for; only the automatic schedule counts towards disabling.
    if (!gaveUp || delivery.replayRequested) return;
    const endpoint = await tx.webhookEndpoint.update({ where: { id: delivery.endpoint.id }, data: { consecutiveFailures: { increment: 1 } }, select: { consecutiveFailures: true, enabled: true, url: true } });
    if (!endpoint.enabled || endpoint.consecutiveFailures < WEBHOOK_POLICY.disableAfterFailedDeliveries) return;
    const disabledAt = new Date();
    const disabled = await tx.webhookEndpoint.updateMany({
      where: { id: delivery.endpoint.id, enabled: true },
      data: { enabled: false, disabledAt, disabledReason: `${endpoint.consecutiveFailures} deliveries in a row failed every attempt (last: ${attempt.error ?? "no answer"}).` },
    });
    if (disabled.count === 0) return;
    log.warn({ endpointId: delivery.endpoint.id, organizationId: delivery.organizationId }, "webhook endpoint disabled after repeated failures");
    await notifyWebhookDisabled(tx, { orgId: delivery.organizationId, endpointId: delivery.endpoint.id, url: endpoint.url, failures: endpoint.consecutiveFailures, lastError: attempt.error, disabledAt });
  });
}

/** The delivery log keeps finished deliveries (and their attempts) this long. */
export const WEBHOOK_LOG_RETENTION_DAYS = 30;

/** Deletes finished deliveries older than the retention, in batches; pending ones are kept. */
export async function deleteOldWebhookDeliveries(db: Db, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - WEBHOOK_LOG_RETENTION_DAYS * 86_400_000);
  let deleted = 0;
  for (;;) {
    const rows = await querySql<{ id: string }>(
      db,
      Prisma.sql`DELETE FROM "WebhookDelivery" WHERE "id" IN (
        SELECT "id" FROM "WebhookDelivery" WHERE "status" <> 'pending' AND "createdAt" < ${cutoff} LIMIT 5000
      ) RETURNING "id"`,
    );
    deleted += rows.length;
    if (rows.length < 5000) return deleted;
  }
}
