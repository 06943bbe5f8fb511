import "server-only";
import type { z } from "zod";
import type { ServiceContext } from "../context";
import { AppError } from "../errors";
import { leadFiltersSchema } from "../leads/schema";
import type { saveFilterInput, savedFilterOutput } from "./schema";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId">;
type SavedFilter = z.output<typeof savedFilterOutput>;

const select = { id: true, name: true, filters: true, createdAt: true } as const;

function toOutput(row: { id: string; name: string; filters: unknown; createdAt: Date }): SavedFilter {
  // Filters saved before a filter was renamed or removed keep what still parses.
  const parsed = leadFiltersSchema.safeParse(row.filters);
  return { ...row, filters: parsed.success ? parsed.data : leadFiltersSchema.parse({}) };
}

export async function listSavedFilters(ctx: Ctx): Promise<SavedFilter[]> {
  const rows = await ctx.db.savedLeadFilter.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select });
  return rows.map(toOutput);
}

/** Saves the filters under a name; saving under an existing name replaces that filter's filters. */
export async function saveFilter(ctx: Ctx, input: z.output<typeof saveFilterInput>): Promise<SavedFilter> {
  const row = await ctx.db.savedLeadFilter.upsert({
    where: { organizationId_name: { organizationId: ctx.orgId, name: input.name } },
    create: { organizationId: ctx.orgId, name: input.name, filters: input.filters, createdById: ctx.userId },
    update: { filters: input.filters },
    select,
  });
  return toOutput(row);
}

export async function getSavedFilter(ctx: Pick<Ctx, "db" | "orgId">, id: string): Promise<SavedFilter> {
  const row = await ctx.db.savedLeadFilter.findFirst({ where: { id, organizationId: ctx.orgId }, select });
  if (!row) throw new AppError("NOT_FOUND", "That saved filter no longer exists.");
  return toOutput(row);
}

export async function deleteSavedFilter(ctx: Ctx, id: string): Promise<{ ok: true }> {
  const { count } = await ctx.db.savedLeadFilter.deleteMany({ where: { id, organizationId: ctx.orgId } });
  if (count === 0) throw new AppError("NOT_FOUND", "That saved filter no longer exists.");
  return { ok: true };
}
