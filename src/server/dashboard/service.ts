import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { orgDay } from "@/lib/org-day";
import { zonedInstant } from "@/lib/task-due";
import type { ServiceContext } from "../context";
import { querySql } from "../db";
import { loadBillingContext } from "../budget/context";
import { budgetTodayIn } from "../budget/overview";
import { PAID_PROVIDERS } from "../budget/settings";
import type { homeDashboardOutput } from "./schema";

type Out = z.output<typeof homeDashboardOutput>;
const DASHBOARD_CAMPAIGN_STATUSES = ["running", "scheduled", "paused", "halted"] as const;
const ACTIVITY_LIMIT = 8;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Home's figures in one round of parallel reads, each an index range or a small aggregate:
 * the billing context (one statement: caps and today's ledger totals), leads created since the
 * organization's midnight and in its last 7 days (Lead(organizationId, createdAt)), threads waiting
 * for a reply, the active campaigns' progress, and the latest timeline events
 * (ActivityEvent(organizationId, createdAt)). Pipeline counts and the caller's tasks come from
 * leads.counts and tasks.mine, which the page reads in the same round.
 */
export async function homeDashboard(ctx: Pick<ServiceContext, "db" | "orgId">): Promise<Out> {
  const billing = await loadBillingContext(ctx.db, ctx.orgId, PAID_PROVIDERS);
  const { timeZone } = billing;
  const today = orgDay(timeZone);
  const startOfToday = zonedInstant(today, 0, timeZone);
  const startOf7Days = zonedInstant(addDays(today, -6), 0, timeZone);

  const [leadRows, replyRows, campaigns, activity] = await Promise.all([
    querySql<{ today: number; week: number }>(ctx.db, Prisma.sql`
      SELECT (count(*) FILTER (WHERE "createdAt" >= ${startOfToday}))::int AS today, count(*)::int AS week
      FROM "Lead" WHERE "organizationId" = ${ctx.orgId} AND "createdAt" >= ${startOf7Days}`),
    querySql<{ waiting: number; unread: number }>(ctx.db, Prisma.sql`
      SELECT (count(*) FILTER (WHERE "lastDirection" = 'inbound'))::int AS waiting, (count(*) FILTER (WHERE "unreadCount" > 0))::int AS unread
      FROM "Conversation" WHERE "organizationId" = ${ctx.orgId} AND "archivedAt" IS NULL AND ("lastDirection" = 'inbound' OR "unreadCount" > 0)`),
    querySql<Out["campaigns"][number]>(ctx.db, Prisma.sql`
      SELECT c.id, c.name, c.status::text AS status,
        (SELECT count(*) FROM "CampaignRecipient" r WHERE r."campaignId" = c.id AND r.status <> 'excluded')::int AS recipients,
        (SELECT count(*) FROM "CampaignRecipient" r WHERE r."campaignId" = c.id AND r.status IN ('sent', 'failed', 'skipped', 'cancelled'))::int AS processed,
        (SELECT count(*) FROM "CampaignRecipient" r WHERE r."campaignId" = c.id AND r.status = 'sent')::int AS sent,
        (SELECT count(*) FROM "CampaignRecipient" r WHERE r."campaignId" = c.id AND r.status = 'failed')::int AS failed
      FROM "Campaign" c
      WHERE c."organizationId" = ${ctx.orgId} AND c.status::text = ANY(${[...DASHBOARD_CAMPAIGN_STATUSES]}::text[])
      ORDER BY c."launchedAt" DESC NULLS LAST, c."createdAt" DESC, c.id
      LIMIT 5`),
    ctx.db.activityEvent.findMany({
      where: { organizationId: ctx.orgId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: ACTIVITY_LIMIT,
      select: { id: true, kind: true, details: true, createdAt: true, actor: { select: { id: true, name: true, email: true } }, lead: { select: { id: true, addressLine1: true } } },
    }),
  ]);

  return {
    today,
    timeZone,
    spend: PAID_PROVIDERS.map((provider) => {
      const budget = budgetTodayIn(billing, provider);
      return { provider, name: budget.name, spentCents: budget.spentCents, reservedCents: budget.reservedCents, dailyCapCents: budget.dailyCapCents };
    }),
    newLeads: { today: leadRows[0]?.today ?? 0, last7Days: leadRows[0]?.week ?? 0 },
    replies: { waiting: replyRows[0]?.waiting ?? 0, unreadThreads: replyRows[0]?.unread ?? 0 },
    campaigns,
    activity,
  };
}
