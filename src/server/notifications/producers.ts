import "server-only";
import type { KillSwitchKind, PaidProvider } from "@/generated/prisma/enums";
import { formatOrgTime, orgDay } from "@/lib/org-day";
import { PAID_PROVIDERS } from "../budget/settings";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { isAppError } from "../errors";
import { log } from "../log";
import { ProviderUnavailableError } from "../providers/http";
import { notify, notifyNow } from "./service";

/**
 * What notifies whom (NOTIFICATION_KIND_INFO in lib/notification-kinds.ts says the same to users).
 * Each producer is called where the thing happens, in that change's transaction when it has one,
 * and carries a dedupe key naming the event, so a retry or a second process never notifies twice.
 */

type Tx = Db | Prisma.TransactionClient;

const PROVIDER_LABELS: Record<string, string> = {
  attom: "ATTOM property search",
  batchdata: "BatchData skip tracing",
  twilio_lookup: "Twilio Lookup",
  twilio_sms: "SMS sending",
  twilio: "Twilio",
  openai: "OpenAI (AI assistance)",
};
const providerLabel = (provider: string) => PROVIDER_LABELS[provider] ?? provider;

const KILL_SWITCH_LABELS: Record<KillSwitchKind, string> = {
  search: "Property search",
  skip_trace: "Skip tracing",
  sms: "SMS sending",
  ai: "AI assistance",
};

const preview = (text: string, max = 140) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** New reply on my leads: the thread's assignee, else the lead's. A step of the inbound follow-up job (retried: idempotent). */
export async function notifyNewReply(db: Db, inboundMessageId: string): Promise<void> {
  const message = await db.message.findUnique({
    where: { id: inboundMessageId },
    select: {
      id: true,
      organizationId: true,
      direction: true,
      body: true,
      conversation: { select: { id: true, phone: true, leadId: true, assignedUserId: true } },
    },
  });
  if (!message || message.direction !== "inbound") return;
  const { conversation } = message;
  const lead = conversation.leadId
    ? await db.lead.findFirst({
        where: { id: conversation.leadId, organizationId: message.organizationId },
        select: { id: true, assigneeId: true, ownerName: true, addressLine1: true },
      })
    : null;
  const recipient = conversation.assignedUserId ?? lead?.assigneeId ?? null;
  if (!recipient) return;
  const who = lead?.ownerName ?? conversation.phone;
  await notifyNow(db, {
    organizationId: message.organizationId,
    kind: "new_reply",
    to: { userIds: [recipient] },
    title: `New reply from ${who}`,
    body: `${lead ? `${lead.addressLine1}: ` : ""}“${preview(message.body)}”`,
    // The thread in the inbox (its lead's facts and status are beside it).
    link: `/inbox?thread=${conversation.id}`,
    subjectType: "conversation",
    subjectId: conversation.id,
    leadId: lead?.id ?? null,
    dedupeKey: `reply:${message.id}`,
  });
}

/** Campaign finished: its creator (admins and managers when the creator is gone). In the transaction that completed it. */
export async function notifyCampaignFinished(tx: Tx, campaignId: string): Promise<void> {
  const campaign = await tx.campaign.findUnique({
    where: { id: campaignId },
    select: { id: true, organizationId: true, name: true, status: true, createdById: true },
  });
  if (!campaign || campaign.status !== "completed") return;
  const creatorActive = campaign.createdById
    ? (await tx.membership.count({ where: { organizationId: campaign.organizationId, userId: campaign.createdById, deactivatedAt: null } })) > 0
    : false;
  const [counts] = await tx.$queryRaw<{ sent: bigint; total: bigint }[]>`
    SELECT count(*) FILTER (WHERE status = 'sent') AS sent, count(*) AS total FROM "CampaignRecipient" WHERE "campaignId" = ${campaign.id}`;
  await notify(tx, {
    organizationId: campaign.organizationId,
    kind: "campaign_finished",
    to: creatorActive ? { userIds: [campaign.createdById] } : { roles: ["admin", "manager"] },
    title: `Campaign “${preview(campaign.name, 80)}” finished`,
    body: counts ? `Every recipient was handled: ${Number(counts.sent)} of ${Number(counts.total)} texted.` : "Every recipient was handled.",
    link: `/campaigns/${campaign.id}`,
    subjectType: "campaign",
    subjectId: campaign.id,
    dedupeKey: `campaign:${campaign.id}:finished`,
  });
}

/** Import finished (or failed): whoever started it. In the transaction that finished it. */
export async function notifyImportFinished(tx: Tx, jobId: string): Promise<void> {
  const job = await tx.importJob.findUnique({
    where: { id: jobId },
    select: { id: true, organizationId: true, createdById: true, fileName: true, status: true, createdCount: true, totalRows: true, error: true },
  });
  if (!job || !job.createdById || (job.status !== "completed" && job.status !== "failed")) return;
  const failed = job.status === "failed";
  await notify(tx, {
    organizationId: job.organizationId,
    kind: "import_finished",
    to: { userIds: [job.createdById] },
    title: failed ? `Import of ${preview(job.fileName, 80)} failed` : `Import of ${preview(job.fileName, 80)} finished`,
    body: failed
      ? preview(job.error ?? "The import stopped with an error.", 300)
      : `${job.createdCount} new lead${job.createdCount === 1 ? "" : "s"} from ${job.totalRows} row${job.totalRows === 1 ? "" : "s"}.`,
    link: "/leads/import",
    subjectType: "import_job",
    subjectId: job.id,
    dedupeKey: `import:${job.id}:finished`,
  });
}

/** Bulk skip trace finished, stopped at the cap or halted: whoever started it. In the transaction that finished it. */
export async function notifySkipTraceFinished(tx: Tx, jobId: string): Promise<void> {
  const job = await tx.skipTraceJob.findUnique({
    where: { id: jobId },
    select: { id: true, organizationId: true, createdById: true, status: true, total: true, processed: true, matched: true, stopReason: true },
  });
  if (!job || !job.createdById || !["completed", "stopped_cap", "cancelled"].includes(job.status)) return;
  const title =
    job.status === "completed" ? "Skip trace finished" : job.status === "stopped_cap" ? "Skip trace stopped at the daily cap" : "Skip trace stopped";
  await notify(tx, {
    organizationId: job.organizationId,
    kind: "skip_trace_finished",
    to: { userIds: [job.createdById] },
    title,
    body: `${job.matched} matched of ${job.processed} traced (${job.total} leads).${job.stopReason ? ` ${preview(job.stopReason, 300)}` : ""}`,
    link: "/leads/skip-trace",
    subjectType: "skip_trace_job",
    subjectId: job.id,
    dedupeKey: `skip-trace:${job.id}:finished`,
  });
}

/** A kill switch was engaged or released: admins and managers, except whoever flipped it. */
export async function notifyKillSwitchFlipped(
  tx: Tx,
  input: { orgId: string; actorId: string; actorName: string | null; kind: KillSwitchKind; engaged: boolean; reason: string; changedAt: Date },
): Promise<void> {
  const label = KILL_SWITCH_LABELS[input.kind];
  await notify(tx, {
    organizationId: input.orgId,
    kind: "kill_switch",
    to: { roles: ["admin", "manager"], except: input.actorId },
    title: input.engaged ? `${label} switched off` : `${label} switched back on`,
    body: `${input.actorName ?? "An admin"} ${input.engaged ? "engaged" : "released"} the kill switch${input.reason ? `: ${preview(input.reason, 300)}` : "."}`,
    link: "/settings/kill-switches",
    subjectType: "kill_switch",
    subjectId: input.kind,
    dedupeKey: `kill-switch:${input.kind}:${input.changedAt.toISOString()}`,
  });
}

/** A paid provider's daily cap refused a call: the admins, once per provider per organization-day. */
export async function notifyCapReached(db: Db, input: { orgId: string; provider: PaidProvider; resetsAt?: Date | null }): Promise<void> {
  const org = await db.organization.findUnique({ where: { id: input.orgId }, select: { timeZone: true } });
  if (!org) return;
  const day = orgDay(org.timeZone);
  await notifyNow(db, {
    organizationId: input.orgId,
    kind: "cap_reached",
    to: { roles: ["admin"] },
    title: `${providerLabel(input.provider)}: today's cap reached`,
    body: `Calls that would spend more are refused until the cap resets${input.resetsAt ? ` at midnight (${formatOrgTime(input.resetsAt, org.timeZone)})` : ""}. An admin can raise it in Settings → Budgets.`,
    link: "/settings/budgets",
    subjectType: "provider",
    subjectId: input.provider,
    dedupeKey: `cap:${input.orgId}:${input.provider}:${day}`,
  });
}

/**
 * Where a paid call was refused for an organization: when the refusal was a provider's daily cap
 * (budget's CapExceededError: CAP_EXCEEDED with the provider in its details), the admins are told
 * (notifyCapReached's once-a-day key). Never throws: the caller goes on with its own refusal.
 */
export async function notifyIfCapReached(db: Db, orgId: string, error: unknown): Promise<void> {
  if (!isAppError(error, "CAP_EXCEEDED") || error.details?.reason !== "daily_cap") return;
  const { provider, resetsAt } = error.details;
  if (typeof provider !== "string" || !(PAID_PROVIDERS as readonly string[]).includes(provider)) return;
  await notifyCapReached(db, { orgId, provider: provider as PaidProvider, resetsAt: typeof resetsAt === "string" ? new Date(resetsAt) : null }).catch((err: unknown) =>
    log.warn({ err, provider }, "could not notify the admins of a daily cap"),
  );
}

const CIRCUIT_NOTICE_WINDOW_MS = 60 * 60_000;

/**
 * A provider's circuit was found open by this organization's call: its admins, at most once an hour
 * per provider (the breaker is per process; every process finding it open lands on the same key).
 */
export async function notifyCircuitOpen(db: Db, input: { orgId: string; provider: string; retryAt?: Date | null; at?: Date }): Promise<void> {
  const window = Math.floor((input.at ?? new Date()).getTime() / CIRCUIT_NOTICE_WINDOW_MS);
  await notifyNow(db, {
    organizationId: input.orgId,
    kind: "circuit_open",
    to: { roles: ["admin"] },
    title: `${providerLabel(input.provider)} paused: not responding reliably`,
    body: `LeadFlow stopped sending requests to it after repeated failures and probes it again${input.retryAt ? ` after ${input.retryAt.toISOString().slice(11, 19)} UTC` : " shortly"}. See Settings → Provider status.`,
    link: "/settings/providers",
    subjectType: "provider",
    subjectId: input.provider,
    dedupeKey: `circuit:${input.orgId}:${input.provider}:${window}`,
  });
}

/** The open-circuit refusal behind a failed call (kept as the cause by adapters that re-wrap it), or null. */
function circuitRefusal(error: unknown): ProviderUnavailableError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof ProviderUnavailableError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Where a paid call failed for an organization: when the failure was the provider's open circuit
 * (http.ts refused the call without sending it), its admins are told (notifyCircuitOpen's hourly key).
 * Never throws: the caller goes on with its own failure.
 */
export async function notifyIfCircuitOpen(db: Db, orgId: string, error: unknown): Promise<void> {
  const refusal = circuitRefusal(error);
  if (!refusal) return;
  await notifyCircuitOpen(db, { orgId, provider: refusal.provider, retryAt: refusal.retryAt }).catch((err: unknown) =>
    log.warn({ err, provider: refusal.provider }, "could not notify the admins of an open circuit"),
  );
}

/**
 * An outbound webhook endpoint was disabled after repeated failed deliveries (server/webhooks/dispatch.ts):
 * the organization's admins, once per disabling. In the transaction that disabled it.
 */
export async function notifyWebhookDisabled(
  tx: Tx,
  input: { orgId: string; endpointId: string; url: string; failures: number; lastError: string | null; disabledAt: Date },
): Promise<void> {
  await notify(tx, {
    organizationId: input.orgId,
    kind: "webhook_disabled",
    to: { roles: ["admin"] },
    title: "Webhook endpoint disabled",
    body: `${preview(input.url, 200)} failed ${input.failures} deliveries in a row${input.lastError ? ` (last: ${preview(input.lastError, 200)})` : ""}. Events for it are kept: fix the receiver, then enable it in Settings → Webhooks.`,
    link: "/settings/webhooks",
    subjectType: "webhook_endpoint",
    subjectId: input.endpointId,
    dedupeKey: `webhook:${input.endpointId}:disabled:${input.disabledAt.toISOString()}`,
  });
}
