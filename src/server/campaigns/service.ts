import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { renderTemplate } from "@/lib/sms-template";
import { engagedKillSwitch } from "../budget/kill-switches";
import type { ServiceContext } from "../context";
import { querySql, type Db } from "../db";
import { AppError } from "../errors";
import { sendSms } from "../messaging/send";
import { audienceLabel, brandOf, mergeValuesOf, resolveAudience } from "./audience";
import { OPTED_OUT_SQL, REPLIED_SQL } from "./message-facts";
import { isPreflightFresh } from "./preflight";
import {
  audienceSchema,
  campaignPreflightOutput,
  type campaignOutput,
  type CampaignStats,
  type campaignSummaryOutput,
  type createCampaignInput,
  type recipientsInput,
  type recipientsOutput,
  type testSendInput,
  type testSendOutput,
  type updateCampaignInput,
} from "./schema";
import { startDispatchSoon } from "./state";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId">;
type RoleCtx = Ctx & Pick<ServiceContext, "role" | "requestId">;

async function findCampaign(db: Db, orgId: string, id: string) {
  const campaign = await db.campaign.findFirst({ where: { id, organizationId: orgId }, include: { senderIdentity: { select: { id: true, kind: true, value: true, messagesPerSecond: true } } } });
  if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
  return campaign;
}

// --- counters ----------------------------------------------------------------------------------

type StatsRow = {
  campaignId: string;
  recipients: number;
  excluded: number;
  pending: number;
  sending: number;
  sent: number;
  skipped: number;
  cancelled: number;
  failedAtSend: number;
  failedAfterSend: number;
  delivered: number;
  undelivered: number;
  filtered: number;
  replied: number;
  optedOut: number;
  costCents: number;
  nextDueAt: Date | null;
};

const EMPTY_STATS: CampaignStats = {
  recipients: 0, excluded: 0, pending: 0, sending: 0, sent: 0, delivered: 0, undelivered: 0, filtered: 0, failed: 0, skipped: 0, cancelled: 0, replied: 0, optedOut: 0, costCents: 0,
  rates: { delivery: null, filtered: null, failure: null, reply: null, optOut: null },
  nextDueAt: null,
};

/**
 * Counters of campaigns in one statement: recipients by state, their messages by delivery state
 * (from status callbacks), replies (an inbound text on the thread after the campaign's message)
 * and opt-outs (a suppression of the number after it), and the cost of the messages.
 */
async function statsOf(db: Db, orgId: string, campaignIds: readonly string[]): Promise<Map<string, CampaignStats>> {
  const stats = new Map<string, CampaignStats>();
  if (campaignIds.length === 0) return stats;
  const rows = await querySql<StatsRow>(
    db,
    Prisma.sql`SELECT r."campaignId",
        count(*) FILTER (WHERE r.status <> 'excluded')::int AS recipients,
        count(*) FILTER (WHERE r.status = 'excluded')::int AS excluded,
        count(*) FILTER (WHERE r.status = 'pending')::int AS pending,
        count(*) FILTER (WHERE r.status = 'sending')::int AS sending,
        count(*) FILTER (WHERE r.status = 'sent')::int AS sent,
        count(*) FILTER (WHERE r.status = 'skipped')::int AS skipped,
        count(*) FILTER (WHERE r.status = 'cancelled')::int AS cancelled,
        count(*) FILTER (WHERE r.status = 'failed')::int AS "failedAtSend",
        count(*) FILTER (WHERE r.status = 'sent' AND m.status = 'failed')::int AS "failedAfterSend",
        count(*) FILTER (WHERE r.status = 'sent' AND m.status = 'delivered')::int AS delivered,
        count(*) FILTER (WHERE r.status = 'sent' AND m.status = 'undelivered')::int AS undelivered,
        count(*) FILTER (WHERE r.status = 'sent' AND m.status = 'undelivered' AND m."errorCode" = '30007')::int AS filtered,
        count(*) FILTER (WHERE r.status = 'sent' AND ${REPLIED_SQL})::int AS replied,
        count(*) FILTER (WHERE r.status = 'sent' AND ${OPTED_OUT_SQL})::int AS "optedOut",
        COALESCE(sum(m."costCents"), 0)::int AS "costCents",
        min(r."notBefore") FILTER (WHERE r.status = 'pending' AND r."notBefore" > now()) AS "nextDueAt"
      FROM "CampaignRecipient" r LEFT JOIN "Message" m ON m.id = r."messageId"
      WHERE r."organizationId" = ${orgId} AND r."campaignId" = ANY(${[...campaignIds]}::text[])
      GROUP BY r."campaignId"`,
  );
  for (const row of rows) {
    const failed = row.failedAtSend + row.failedAfterSend;
    const rate = (count: number, over: number) => (over > 0 ? count / over : null);
    stats.set(row.campaignId, {
      recipients: row.recipients,
      excluded: row.excluded,
      pending: row.pending,
      sending: row.sending,
      sent: row.sent,
      delivered: row.delivered,
      undelivered: row.undelivered,
      filtered: row.filtered,
      failed,
      skipped: row.skipped,
      cancelled: row.cancelled,
      replied: row.replied,
      optedOut: row.optedOut,
      costCents: row.costCents,
      rates: {
        delivery: rate(row.delivered, row.sent),
        filtered: rate(row.filtered, row.sent),
        failure: rate(failed + row.undelivered - row.filtered, row.sent + row.failedAtSend),
        reply: rate(row.replied, row.sent),
        optOut: rate(row.optedOut, row.sent),
      },
      nextDueAt: row.nextDueAt,
    });
  }
  return stats;
}

export async function campaignStats(ctx: Pick<Ctx, "db" | "orgId">, id: string): Promise<CampaignStats> {
  const campaign = await ctx.db.campaign.findFirst({ where: { id, organizationId: ctx.orgId }, select: { id: true } });
  if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
  return (await statsOf(ctx.db, ctx.orgId, [id])).get(id) ?? EMPTY_STATS;
}

// --- reading -----------------------------------------------------------------------------------

const summarySelect = {
  id: true, name: true, status: true, haltReason: true, haltMessage: true, resumeAt: true, scheduledAt: true, launchedAt: true, completedAt: true, createdAt: true, ratePerSecond: true,
} as const;

export async function listCampaigns(ctx: Pick<Ctx, "db" | "orgId">): Promise<z.output<typeof campaignSummaryOutput>[]> {
  const campaigns = await ctx.db.campaign.findMany({ where: { organizationId: ctx.orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 200, select: summarySelect });
  const stats = await statsOf(ctx.db, ctx.orgId, campaigns.map((campaign) => campaign.id));
  return campaigns.map((campaign) => ({ ...campaign, stats: stats.get(campaign.id) ?? EMPTY_STATS }));
}

export async function getCampaign(ctx: Pick<RoleCtx, "db" | "orgId" | "role">, id: string): Promise<z.output<typeof campaignOutput>> {
  const campaign = await findCampaign(ctx.db, ctx.orgId, id);
  const audience = audienceSchema.parse(campaign.audience);
  const [stats, label, org] = await Promise.all([
    statsOf(ctx.db, ctx.orgId, [id]),
    audienceLabel(ctx.db, ctx.orgId, audience),
    ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } }),
  ]);
  const preflight = campaign.preflight === null ? null : campaignPreflightOutput.safeParse(reviveDates(campaign.preflight));
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    haltReason: campaign.haltReason,
    haltMessage: campaign.haltMessage,
    resumeAt: campaign.resumeAt,
    scheduledAt: campaign.scheduledAt,
    launchedAt: campaign.launchedAt,
    completedAt: campaign.completedAt,
    createdAt: campaign.createdAt,
    ratePerSecond: campaign.ratePerSecond,
    stats: stats.get(id) ?? EMPTY_STATS,
    template: campaign.template,
    senderIdentity: campaign.senderIdentity,
    audience,
    audienceLabel: label,
    allPhones: campaign.allPhones,
    preflight: preflight?.success ? preflight.data : null,
    preflightFresh: campaign.status === "draft" && isPreflightFresh({ ...campaign, audience }),
    timeZone: org.timeZone,
    canEdit: campaign.status === "draft" && ctx.role !== "user",
  };
}

/** The stored pre-flight is JSON: its instants come back as strings. */
function reviveDates(value: unknown): unknown {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return new Date(value);
  if (Array.isArray(value)) return value.map(reviveDates);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reviveDates(inner)]));
  return value;
}

type RecipientRow = z.output<typeof recipientsOutput>["items"][number];

export async function listRecipients(ctx: Pick<Ctx, "db" | "orgId">, input: z.output<typeof recipientsInput>): Promise<z.output<typeof recipientsOutput>> {
  const campaign = await ctx.db.campaign.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true } });
  if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
  const status = input.status ? Prisma.sql`AND r.status = ${input.status}::"CampaignRecipientStatus"` : Prisma.empty;
  const [total, rows] = await Promise.all([
    ctx.db.campaignRecipient.count({ where: { campaignId: campaign.id, organizationId: ctx.orgId, ...(input.status ? { status: input.status } : {}) } }),
    querySql<Omit<RecipientRow, "message" | "decisions"> & { message: (Omit<NonNullable<RecipientRow["message"]>, "createdAt"> & { createdAt: string }) | null; decisions: { outcome: string; reason: string | null; message: string | null; decidedAt: string }[] }>(
      ctx.db,
      Prisma.sql`SELECT r.id, r."leadId", l."ownerName", concat_ws(', ', l."addressLine1", l.city, l.state || ' ' || l.zip) AS address, r.phone, r.status::text AS status,
          r.reason, r."reasonMessage", r."notBefore",
          CASE WHEN m.id IS NULL THEN NULL ELSE json_build_object('id', m.id, 'status', m.status, 'errorCode', m."errorCode", 'createdAt', m."createdAt", 'costCents', m."costCents",
            'replied', ${REPLIED_SQL}) END AS message,
          COALESCE((SELECT json_agg(json_build_object('outcome', d.outcome, 'reason', d.reason, 'message', d.message, 'decidedAt', d."decidedAt") ORDER BY d."decidedAt" DESC)
            FROM (SELECT * FROM "SendDecision" d WHERE d."organizationId" = r."organizationId" AND d."campaignId" = r."campaignId" AND d.phone = r.phone ORDER BY d."decidedAt" DESC LIMIT 5) d), '[]') AS decisions
        FROM "CampaignRecipient" r
        LEFT JOIN "Lead" l ON l.id = r."leadId" AND l."organizationId" = r."organizationId"
        LEFT JOIN "Message" m ON m.id = r."messageId"
        WHERE r."campaignId" = ${campaign.id} AND r."organizationId" = ${ctx.orgId} ${status}
        ORDER BY r."createdAt", r.id OFFSET ${input.cursor} LIMIT ${input.limit}`,
    ),
  ]);
  const next = input.cursor + rows.length;
  return {
    items: rows.map((row) => ({
      ...row,
      address: row.address || null,
      message: row.message ? { ...row.message, createdAt: utc(row.message.createdAt) } : null,
      decisions: row.decisions.map((decision) => ({ ...decision, decidedAt: utc(decision.decidedAt) })),
    })),
    total,
    nextCursor: next < total ? next : null,
  };
}

/** json_build_object renders a timestamp(3) without a zone; the database keeps UTC. */
const utc = (timestamp: string) => new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(timestamp) ? timestamp : `${timestamp}Z`);

// --- writing -----------------------------------------------------------------------------------

type Fields = z.output<typeof createCampaignInput>;

async function assertUsableFields(db: Db, orgId: string, fields: Partial<Fields>, current?: { senderIdentityId: string | null; ratePerSecond: number }) {
  const senderIdentityId = fields.senderIdentityId !== undefined ? fields.senderIdentityId : (current?.senderIdentityId ?? null);
  const rate = fields.ratePerSecond ?? current?.ratePerSecond ?? 1;
  if (senderIdentityId) {
    const sender = await db.smsSenderIdentity.findFirst({ where: { id: senderIdentityId, organizationId: orgId }, select: { value: true, messagesPerSecond: true } });
    if (!sender) throw new AppError("BAD_REQUEST", "That sender is not one of your organization's: choose one from Settings → Texting.", { field: "senderIdentityId" });
    if (rate > sender.messagesPerSecond) {
      throw new AppError("BAD_REQUEST", `The throttle (${rate} per second) is above what ${sender.value} may send (${sender.messagesPerSecond} per second): lower it, or raise the sender's throughput in Settings → Texting if Twilio allows it.`, { field: "ratePerSecond" });
    }
  }
  if (fields.audience?.kind === "filter") {
    const saved = await db.savedLeadFilter.findFirst({ where: { id: fields.audience.savedFilterId, organizationId: orgId }, select: { id: true } });
    if (!saved) throw new AppError("BAD_REQUEST", "That saved filter does not exist: save the lead list's filters first.", { field: "audience" });
  }
}

export async function createCampaign(ctx: Ctx, input: Fields): Promise<{ id: string }> {
  await assertUsableFields(ctx.db, ctx.orgId, input);
  const campaign = await ctx.db.campaign.create({
    data: { organizationId: ctx.orgId, createdById: ctx.userId, ...input, audience: input.audience },
    select: { id: true },
  });
  return campaign;
}

function assertDraft(campaign: { status: string }, doing: string) {
  if (campaign.status !== "draft") throw new AppError("CONFLICT", `This campaign was launched: ${doing} is only possible before launch.`, { status: campaign.status });
}

export async function updateCampaign(ctx: Ctx, input: z.output<typeof updateCampaignInput>): Promise<{ id: string }> {
  const { id, ...fields } = input;
  const campaign = await findCampaign(ctx.db, ctx.orgId, id);
  assertDraft(campaign, "editing");
  await assertUsableFields(ctx.db, ctx.orgId, fields, campaign);
  const updated = await ctx.db.campaign.updateMany({ where: { id, organizationId: ctx.orgId, status: "draft" }, data: { ...fields, ...(fields.audience ? { audience: fields.audience } : {}) } });
  if (updated.count === 0) throw new AppError("CONFLICT", "This campaign was launched meanwhile: editing is only possible before launch.");
  return { id };
}

export async function deleteCampaign(ctx: Ctx, id: string): Promise<{ ok: true }> {
  const campaign = await findCampaign(ctx.db, ctx.orgId, id);
  assertDraft(campaign, "deleting it");
  await ctx.db.campaign.deleteMany({ where: { id, organizationId: ctx.orgId, status: "draft" } });
  return { ok: true };
}

/**
 * Launches a draft whose pre-flight is fresh (computed for the campaign as it is, within
 * PREFLIGHT_FRESH_MINUTES): its recipients are the pre-flight's, frozen — leads added later are
 * not texted. It runs now, or waits for its schedule.
 */
export async function launchCampaign(ctx: Ctx, id: string, now = new Date()): Promise<{ id: string }> {
  const campaign = await findCampaign(ctx.db, ctx.orgId, id);
  assertDraft(campaign, "launching");
  if (!isPreflightFresh({ ...campaign, audience: audienceSchema.parse(campaign.audience) }, now)) {
    throw new AppError("PRECONDITION_FAILED", "Run the pre-flight again before launching: it is missing, older than 15 minutes, or the campaign changed since.", { reason: "preflight_stale" });
  }
  if (!campaign.senderIdentity) throw new AppError("PRECONDITION_FAILED", "Choose a sender before launching.", { reason: "no_sender_identity" });
  if (campaign.ratePerSecond > campaign.senderIdentity.messagesPerSecond) {
    throw new AppError("PRECONDITION_FAILED", `The throttle (${campaign.ratePerSecond}/s) is above the sender's throughput (${campaign.senderIdentity.messagesPerSecond}/s): lower it.`, { reason: "rate_above_sender" });
  }
  const pending = await ctx.db.campaignRecipient.count({ where: { campaignId: id, status: "pending" } });
  if (pending === 0) throw new AppError("PRECONDITION_FAILED", "Nobody in this audience can be texted: the pre-flight excluded every recipient.", { reason: "no_eligible_recipients" });
  const scheduled = campaign.scheduledAt !== null && campaign.scheduledAt > now;
  // Only the pre-flight that was checked: one that ran meanwhile rewrote the recipients.
  const launched = await ctx.db.campaign.updateMany({
    where: { id, organizationId: ctx.orgId, status: "draft", preflightAt: campaign.preflightAt },
    data: { status: scheduled ? "scheduled" : "running", launchedAt: now },
  });
  if (launched.count === 0) throw new AppError("CONFLICT", "The campaign was launched, or its pre-flight run again, meanwhile: reload it and launch again.");
  await startDispatchSoon(id, scheduled ? campaign.scheduledAt! : undefined);
  return { id };
}

export async function pauseCampaign(ctx: Ctx, id: string): Promise<{ id: string }> {
  await findCampaign(ctx.db, ctx.orgId, id);
  const paused = await ctx.db.campaign.updateMany({ where: { id, organizationId: ctx.orgId, status: { in: ["running", "scheduled", "halted"] } }, data: { status: "paused" } });
  if (paused.count === 0) throw new AppError("CONFLICT", "Only a running, scheduled or halted campaign can be paused.");
  return { id };
}

export async function resumeCampaign(ctx: Ctx, id: string, now = new Date()): Promise<{ id: string }> {
  const campaign = await findCampaign(ctx.db, ctx.orgId, id);
  if (campaign.status !== "paused" && campaign.status !== "halted") throw new AppError("CONFLICT", "Only a paused or halted campaign can be resumed.", { status: campaign.status });
  const killed = await engagedKillSwitch(ctx.db, ctx.orgId, "sms");
  if (killed) throw killed;
  const scheduled = campaign.scheduledAt !== null && campaign.scheduledAt > now;
  const resumed = await ctx.db.campaign.updateMany({
    where: { id, organizationId: ctx.orgId, status: { in: ["paused", "halted"] } },
    data: { status: scheduled ? "scheduled" : "running", haltReason: null, haltMessage: null, resumeAt: null },
  });
  if (resumed.count === 0) throw new AppError("CONFLICT", "The campaign changed meanwhile: reload it.");
  await startDispatchSoon(id, scheduled ? campaign.scheduledAt! : undefined);
  return { id };
}

export async function cancelCampaign(ctx: Ctx, id: string): Promise<{ id: string }> {
  await findCampaign(ctx.db, ctx.orgId, id);
  await ctx.db.$transaction(async (tx) => {
    const cancelled = await tx.campaign.updateMany({ where: { id, organizationId: ctx.orgId, status: { in: ["running", "scheduled", "halted", "paused"] } }, data: { status: "cancelled", completedAt: new Date() } });
    if (cancelled.count === 0) throw new AppError("CONFLICT", "Only a launched campaign that has not finished can be cancelled (delete a draft instead).");
    await tx.campaignRecipient.updateMany({ where: { campaignId: id, status: "pending" }, data: { status: "cancelled" } });
  });
  return { id };
}

/**
 * A test of the campaign's message to one number (the user's own): rendered for the audience's
 * first lead, decided and sent like any text (kind "test"), not counted in the campaign.
 */
export async function testSendCampaign(ctx: RoleCtx, input: z.output<typeof testSendInput>): Promise<z.output<typeof testSendOutput>> {
  const campaign = await findCampaign(ctx.db, ctx.orgId, input.id);
  const [brand, resolved] = await Promise.all([
    brandOf(ctx.db, ctx.orgId),
    resolveAudience(ctx.db, ctx.orgId, audienceSchema.parse(campaign.audience), { allPhones: false, limit: 1 }),
  ]);
  const first = resolved.rows[0];
  const body = renderTemplate(campaign.template, first ? mergeValuesOf(first, brand) : { brand });
  const message = await sendSms({ db: ctx.db, orgId: ctx.orgId, userId: ctx.userId, requestId: ctx.requestId }, { phone: input.phone, body, kind: "test" });
  return { messageId: message.id, body, status: message.status };
}
