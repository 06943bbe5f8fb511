import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { orgDay } from "@/lib/org-day";
import type { ServiceContext } from "../context";
import { querySql } from "../db";
import { notFound } from "../errors";
import { leadFilterSql } from "../lead-records/filter-sql";
import { LEAD_STATUSES, type LeadFilters } from "../leads/schema";
import { OPEN_STAGES, STAGE_WEIGHT_PERCENT, type pipelineSummaryOutput } from "./schema";

type Row = { status: (typeof LEAD_STATUSES)[number]; n: number; cents: string; soon_n: number; soon_cents: string; past_n: number };

const CLOSING_SOON_DAYS = 30;

/**
 * Deal value per stage and the forecast of open pipeline value (issue 13 item 2), for the board's
 * filters, in one statement over the leads that hold a deal value (Lead(organizationId,
 * dealValueCents) finds them). Sums are exact integer cents (bigint sums, read as text).
 */
export async function pipelineSummary(ctx: Pick<ServiceContext, "db" | "orgId">, filters: LeadFilters): Promise<z.output<typeof pipelineSummaryOutput>> {
  const org = await ctx.db.organization.findUnique({ where: { id: ctx.orgId }, select: { timeZone: true } });
  if (!org) throw notFound("That organization");
  const where = leadFilterSql(ctx.orgId, { ...filters, status: undefined });
  const rows = await querySql<Row>(ctx.db, Prisma.sql`
    WITH d AS (SELECT (now() AT TIME ZONE ${org.timeZone})::date AS today)
    SELECT l.status::text AS status, count(*)::int AS n, sum(l."dealValueCents")::text AS cents,
      (count(*) FILTER (WHERE l."expectedCloseOn" BETWEEN d.today AND d.today + ${CLOSING_SOON_DAYS - 1}::int))::int AS soon_n,
      COALESCE(sum(l."dealValueCents") FILTER (WHERE l."expectedCloseOn" BETWEEN d.today AND d.today + ${CLOSING_SOON_DAYS - 1}::int), 0)::text AS soon_cents,
      (count(*) FILTER (WHERE l."expectedCloseOn" < d.today))::int AS past_n
    FROM "Lead" l CROSS JOIN d
    WHERE ${where} AND l."dealValueCents" IS NOT NULL
    GROUP BY 1`);
  const byStatus = new Map(rows.map((row) => [row.status, row]));
  const stages = LEAD_STATUSES.map((status) => {
    const row = byStatus.get(status);
    return { status, leadsWithValue: row?.n ?? 0, valueCents: Number(row?.cents ?? 0) };
  });
  const forecastStages = OPEN_STAGES.map((status) => {
    const stage = stages.find((s) => s.status === status)!;
    const weightPercent = STAGE_WEIGHT_PERCENT[status];
    return { status, leadsWithValue: stage.leadsWithValue, valueCents: stage.valueCents, weightPercent, weightedCents: Math.round((stage.valueCents * weightPercent) / 100) };
  });
  const open = OPEN_STAGES.map((status) => byStatus.get(status)).filter((row): row is Row => row !== undefined);
  return {
    today: orgDay(org.timeZone),
    stages,
    forecast: {
      stages: forecastStages,
      openValueCents: forecastStages.reduce((sum, s) => sum + s.valueCents, 0),
      weightedCents: forecastStages.reduce((sum, s) => sum + s.weightedCents, 0),
      closingSoonCount: open.reduce((sum, row) => sum + row.soon_n, 0),
      closingSoonCents: open.reduce((sum, row) => sum + Number(row.soon_cents), 0),
      pastCloseCount: open.reduce((sum, row) => sum + row.past_n, 0),
      wonValueCents: stages.find((s) => s.status === "closed")!.valueCents,
    },
  };
}
