import "server-only";
import { createHash } from "node:crypto";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { countSmsSegments } from "@/lib/sms-segments";
import { firstMessageProblems, renderTemplate } from "@/lib/sms-template";
import { stableStringify } from "@/lib/stable-json";
import { budgetIn, loadBillingContext } from "../budget/context";
import { evaluateSends, type SendVerdict } from "../compliance/decide";
import { registryFreshness } from "../compliance/dnc-registry";
import { registryWarnings } from "../compliance/preflight";
import type { ServiceContext } from "../context";
import { querySql } from "../db";
import { AppError } from "../errors";
import { newId } from "../ids";
import { brandOf, mergeValuesOf, resolveAudience, type AudienceRow } from "./audience";
import { audienceSchema, PREFLIGHT_FRESH_MINUTES, type CampaignPreflight, type exclusionsInput, type exclusionsOutput } from "./schema";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId">;
type ExclusionReason = CampaignPreflight["exclusions"][number]["reason"];

export const EXCLUSION_LABELS: Record<ExclusionReason, string> = {
  no_textable_phone: "No phone that can take a text",
  duplicate_phone: "Phone already texted for another lead of this campaign",
  suppressed: "Opted out",
  dnc_listed: "On a do-not-call list",
  litigator: "Known TCPA litigator",
  phone_invalid: "Invalid number",
  phone_landline: "Landline",
  phone_wrong_number: "Marked wrong number",
  no_recorded_consent: "No recorded consent",
  no_send_window: "No allowed sending time",
  kill_switch: "SMS kill switch engaged",
};

const DEFERRAL_LABELS = { quiet_hours: "Waiting for their local sending window", frequency_cap: "Waiting for the frequency cap" } as const;

/** What a campaign's pre-flight depends on: change any of it and the pre-flight must run again. */
export function preflightDigest(campaign: {
  template: string;
  audience: unknown;
  allPhones: boolean;
  senderIdentityId: string | null;
  ratePerSecond: number;
  scheduledAt: Date | null;
}): string {
  const { template, audience, allPhones, senderIdentityId, ratePerSecond, scheduledAt } = campaign;
  return createHash("sha256")
    .update(stableStringify({ template, audience, allPhones, senderIdentityId, ratePerSecond, scheduledAt: scheduledAt?.toISOString() ?? null }))
    .digest("hex");
}

export function isPreflightFresh(campaign: { preflightAt: Date | null; preflightDigest: string | null } & Parameters<typeof preflightDigest>[0], now = new Date()): boolean {
  return (
    campaign.preflightAt !== null &&
    now.getTime() - campaign.preflightAt.getTime() < PREFLIGHT_FRESH_MINUTES * 60_000 &&
    campaign.preflightDigest === preflightDigest(campaign)
  );
}

type Planned =
  | { row: AudienceRow; phone: string; status: "pending"; body: string; notBefore: Date | null; verdict: SendVerdict }
  | { row: AudienceRow; phone: string | null; status: "excluded"; reason: ExclusionReason; message: string };

function exclusionOf(row: AudienceRow, verdict: Extract<SendVerdict, { outcome: "blocked" }>): { reason: ExclusionReason; message: string } {
  const reason = verdict.reason === "dnc_listed" && row.tcpa ? "litigator" : verdict.reason;
  if (reason === "no_opt_out_to_confirm") return { reason: "suppressed", message: verdict.message }; // never for a campaign send
  return { reason, message: verdict.message };
}

/** When the sends would go at `rate` per second, each not before its own time: the first and the last. */
function sendWindow(times: number[], ratePerSecond: number): { first: number | null; last: number | null } {
  if (times.length === 0) return { first: null, last: null };
  const sorted = [...times].sort((a, b) => a - b);
  const gap = 1000 / ratePerSecond;
  let at = -Infinity;
  for (const time of sorted) at = Math.max(at + gap, time);
  return { first: sorted[0]!, last: at };
}

/**
 * The pre-flight of a draft campaign: resolves its audience now, decides every recipient through
 * the compliance engine's batch decision at the instant the texts would go (now, or the schedule),
 * writes the recipients the launch will freeze (eligible ones pending, with the instant their
 * window opens; the rest excluded with their reason), and stores the report with a digest of what
 * it was computed for. Decisions are not recorded (nothing is sent); DNC checks are, as evidence.
 */
export async function runCampaignPreflight(ctx: Ctx, campaignId: string, now = new Date()): Promise<CampaignPreflight> {
  const { db, orgId } = ctx;
  const campaign = await db.campaign.findFirst({
    where: { id: campaignId, organizationId: orgId },
    include: { senderIdentity: { select: { messagesPerSecond: true } } },
  });
  if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
  if (campaign.status !== "draft") throw new AppError("CONFLICT", "This campaign was launched: its recipients are frozen, and the pre-flight no longer changes.", { status: campaign.status });
  const audience = audienceSchema.parse(campaign.audience);
  const at = campaign.scheduledAt && campaign.scheduledAt > now ? campaign.scheduledAt : now;

  const [resolved, brand, billing, freshness] = await Promise.all([
    resolveAudience(db, orgId, audience, { allPhones: campaign.allPhones }),
    brandOf(db, orgId),
    loadBillingContext(db, orgId, ["twilio_sms"]),
    registryFreshness(db, orgId, at),
  ]);

  // What the audience rules out before any decision: no phone, or a phone another lead already takes.
  const planned: Planned[] = [];
  const candidates: { row: AudienceRow; phone: string }[] = [];
  const seen = new Set<string>();
  for (const row of resolved.rows) {
    if (!row.phone) {
      planned.push({ row, phone: null, status: "excluded", reason: "no_textable_phone", message: "The lead has no phone number." });
    } else if (seen.has(row.phone)) {
      // Listed without the number (a campaign's phones are unique); the sentence names it.
      planned.push({ row, phone: null, status: "excluded", reason: "duplicate_phone", message: `${row.phone} belongs to another lead of this campaign too: it is texted once, for that lead.` });
    } else {
      seen.add(row.phone);
      candidates.push({ row, phone: row.phone });
    }
  }
  const verdicts = await evaluateSends(db, {
    orgId,
    kind: "campaign",
    at,
    actorUserId: ctx.userId,
    campaignId,
    dncPurpose: "preflight",
    recipients: candidates.map(({ row, phone }) => ({ phone, leadId: row.leadId })),
  });

  const segmentsOf = new Map<string, number>();
  let segmentsTotal = 0;
  let maxPerMessage = 0;
  let ucs2Messages = 0;
  candidates.forEach(({ row, phone }, i) => {
    const verdict = verdicts[i]!;
    if (verdict.outcome === "blocked") {
      planned.push({ row, phone, status: "excluded", ...exclusionOf(row, verdict) });
      return;
    }
    const body = renderTemplate(campaign.template, mergeValuesOf(row, brand));
    let segments = segmentsOf.get(body);
    if (segments === undefined) {
      const count = countSmsSegments(body);
      segments = count.encoding === "UCS-2" ? -count.segments : count.segments;
      segmentsOf.set(body, segments);
    }
    if (segments < 0) ucs2Messages++;
    segmentsTotal += Math.abs(segments);
    maxPerMessage = Math.max(maxPerMessage, Math.abs(segments));
    planned.push({ row, phone, status: "pending", body, notBefore: verdict.outcome === "deferred" ? verdict.until : null, verdict });
  });

  const exclusions = new Map<ExclusionReason, CampaignPreflight["exclusions"][number]>();
  const deferrals = new Map<"quiet_hours" | "frequency_cap", CampaignPreflight["deferrals"][number]>();
  let eligible = 0;
  const sendTimes: number[] = [];
  for (const plan of planned) {
    if (plan.status === "excluded") {
      const group = exclusions.get(plan.reason);
      if (group) group.count++;
      else exclusions.set(plan.reason, { reason: plan.reason, label: EXCLUSION_LABELS[plan.reason], count: 1, example: plan.message });
      continue;
    }
    eligible++;
    const verdict = plan.verdict;
    sendTimes.push(verdict.outcome === "deferred" ? verdict.until.getTime() : at.getTime());
    if (verdict.outcome !== "deferred") continue;
    const group = deferrals.get(verdict.reason);
    if (!group) deferrals.set(verdict.reason, { reason: verdict.reason, label: DEFERRAL_LABELS[verdict.reason], count: 1, example: verdict.message, firstAt: verdict.until });
    else {
      group.count++;
      if (verdict.until < group.firstAt) group.firstAt = verdict.until;
    }
  }

  const sms = budgetIn(billing, "twilio_sms");
  const estimatedCostCents = segmentsTotal * sms.unitCents;
  const remainingCents = Math.max(0, sms.dailyCapCents - sms.spentCents - sms.reservedCents);
  const window = sendWindow(sendTimes, campaign.ratePerSecond);
  const warnings: CampaignPreflight["warnings"] = registryWarnings(freshness);
  if (estimatedCostCents > remainingCents) {
    warnings.push({ code: "over_budget", message: `The estimated cost is more than what is left of today's SMS budget: the campaign stops at the cap and goes on the next day.` });
  }
  if (!campaign.senderIdentityId) warnings.push({ code: "no_sender", message: "Choose a sender before launch." });
  else if (campaign.senderIdentity && campaign.ratePerSecond > campaign.senderIdentity.messagesPerSecond) {
    warnings.push({ code: "rate_above_sender", message: `The throttle (${campaign.ratePerSecond}/s) is above the sender's throughput (${campaign.senderIdentity.messagesPerSecond}/s): lower it before launch.` });
  }
  for (const problem of firstMessageProblems(campaign.template, brand)) warnings.push({ code: problem.code, message: problem.message });
  if (ucs2Messages > 0) warnings.push({ code: "ucs2", message: `${ucs2Messages.toLocaleString("en-US")} message${ucs2Messages === 1 ? "" : "s"} use characters outside GSM-7 (emoji, curly quotes): each segment then holds 70 characters, not 160.` });

  const report: CampaignPreflight = {
    decidedAt: at,
    audienceLeads: resolved.leads,
    recipients: planned.filter((plan) => plan.phone !== null).length,
    eligible,
    deferred: [...deferrals.values()].reduce((sum, group) => sum + group.count, 0),
    excluded: planned.length - eligible,
    exclusions: [...exclusions.values()].sort((a, b) => b.count - a.count),
    deferrals: [...deferrals.values()],
    segments: { total: segmentsTotal, maxPerMessage, ucs2Messages },
    estimatedCostCents,
    budget: { capCents: sms.dailyCapCents, spentCents: sms.spentCents, reservedCents: sms.reservedCents, remainingCents, fits: estimatedCostCents <= remainingCents },
    window: { firstSendAt: window.first === null ? null : new Date(window.first), lastSendAt: window.last === null ? null : new Date(window.last), timeZone: billing.timeZone },
    warnings,
  };

  await db.$transaction(async (tx) => {
    // The campaign row first, and only while it is a draft: a launch that came meanwhile wins
    // (its recipients are never rewritten under the dispatcher), and a launch after this waits for
    // it and then sees another pre-flight than the one it read.
    const stored = await tx.campaign.updateMany({
      where: { id: campaignId, organizationId: orgId, status: "draft" },
      data: { preflight: JSON.parse(JSON.stringify(report)), preflightAt: now, preflightDigest: preflightDigest(campaign) },
    });
    if (stored.count === 0) throw new AppError("CONFLICT", "This campaign was launched meanwhile: its recipients are frozen, and the pre-flight no longer changes.");
    await tx.campaignRecipient.deleteMany({ where: { campaignId } });
    await insertRecipients(tx, orgId, campaignId, planned);
  });
  return report;
}

/** Every planned recipient in one INSERT … SELECT FROM unnest. */
async function insertRecipients(tx: Prisma.TransactionClient, orgId: string, campaignId: string, planned: readonly Planned[]): Promise<void> {
  if (planned.length === 0) return;
  const col = <T>(pick: (plan: Planned) => T) => planned.map(pick);
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO "CampaignRecipient" ("id", "organizationId", "campaignId", "leadId", "phone", "body", "status", "reason", "reasonMessage", "notBefore", "updatedAt")
    SELECT u.id, ${orgId}, ${campaignId}, u.lead, u.phone, u.body, u.status::"CampaignRecipientStatus", u.reason, u.message, (u.not_before::timestamptz AT TIME ZONE 'UTC'), now()
    FROM unnest(${col(() => newId())}::text[], ${col((p) => p.row.leadId)}::text[], ${col((p) => p.phone)}::text[],
                ${col((p) => (p.status === "pending" ? p.body : ""))}::text[], ${col((p) => p.status)}::text[],
                ${col((p) => (p.status === "excluded" ? p.reason : null))}::text[], ${col((p) => (p.status === "excluded" ? p.message : null))}::text[],
                ${col((p) => (p.status === "pending" ? (p.notBefore?.toISOString() ?? null) : null))}::text[])
      AS u(id, lead, phone, body, status, reason, message, not_before)`);
}

/** One reason's excluded recipients, for the pre-flight's drill-down. */
export async function exclusionsOf(ctx: Pick<ServiceContext, "db" | "orgId">, input: z.output<typeof exclusionsInput>): Promise<z.output<typeof exclusionsOutput>> {
  const campaign = await ctx.db.campaign.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true } });
  if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
  const where = { campaignId: campaign.id, organizationId: ctx.orgId, status: "excluded" as const, reason: input.reason };
  const [total, rows] = await Promise.all([
    ctx.db.campaignRecipient.count({ where }),
    querySql<{ leadId: string; ownerName: string | null; address: string; phone: string | null; message: string | null }>(
      ctx.db,
      Prisma.sql`SELECT r."leadId", l."ownerName", concat_ws(', ', l."addressLine1", l.city, l.state || ' ' || l.zip) AS address, r.phone, r."reasonMessage" AS message
        FROM "CampaignRecipient" r JOIN "Lead" l ON l.id = r."leadId" AND l."organizationId" = ${ctx.orgId}
        WHERE r."campaignId" = ${campaign.id} AND r."organizationId" = ${ctx.orgId} AND r.status = 'excluded' AND r.reason = ${input.reason}
        ORDER BY r."createdAt", r.id OFFSET ${input.cursor} LIMIT ${input.limit}`,
    ),
  ]);
  const next = input.cursor + rows.length;
  return {
    items: rows.map((row) => ({ ...row, message: row.message ?? "" })),
    total,
    nextCursor: next < total ? next : null,
  };
}

