import "server-only";
import { DEFAULT_LEAD_COLUMNS, normalizeLeadColumns, type LeadColumnId } from "@/lib/lead-columns";
import type { ServiceContext } from "../context";

/**
 * A user's own settings, kept on the server per user and organization (so they follow the user
 * from one browser to another): for now the leads list's columns.
 */

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId">;

const LEAD_COLUMNS_KEY = "leads.columns";

export async function leadColumns(ctx: Ctx): Promise<{ columns: LeadColumnId[]; saved: boolean }> {
  const row = await ctx.db.userPreference.findUnique({
    where: { userId_organizationId_key: { userId: ctx.userId, organizationId: ctx.orgId, key: LEAD_COLUMNS_KEY } },
    select: { value: true },
  });
  if (!row || !Array.isArray(row.value)) return { columns: [...DEFAULT_LEAD_COLUMNS], saved: false };
  return { columns: normalizeLeadColumns(row.value.filter((id): id is string => typeof id === "string")), saved: true };
}

export async function setLeadColumns(ctx: Ctx, columns: readonly LeadColumnId[]): Promise<{ columns: LeadColumnId[]; saved: boolean }> {
  const value = normalizeLeadColumns(columns);
  await ctx.db.userPreference.upsert({
    where: { userId_organizationId_key: { userId: ctx.userId, organizationId: ctx.orgId, key: LEAD_COLUMNS_KEY } },
    create: { userId: ctx.userId, organizationId: ctx.orgId, key: LEAD_COLUMNS_KEY, value },
    update: { value },
  });
  return { columns: value, saved: true };
}
