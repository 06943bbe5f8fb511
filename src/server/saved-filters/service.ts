import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { ServiceContext } from "../context";
import { querySql } from "../db";
import { leadFilterSql } from "../lead-records/filter-sql";
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

export async function listSavedFilters(ctx: Pick<Ctx, "db" | "orgId">): Promise<SavedFilter[]> {
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

/**
 * How many leads each saved filter matches now (a list's live count): one count per filter, the
 * lead list's own filter SQL, so the count is what opening the list shows.
 */
export async function savedFilterCounts(ctx: Pick<Ctx, "db" | "orgId">): Promise<{ id: string; count: number }[]> {
  const saved = await listSavedFilters(ctx);
  if (saved.length === 0) return [];
  const rows = await querySql<{ id: string; count: number }>(
    ctx.db,
    Prisma.join(
      saved.map((filter) => Prisma.sql`SELECT ${filter.id}::text AS id, (SELECT count(*) FROM "Lead" l WHERE ${leadFilterSql(ctx.orgId, filter.filters)})::int AS count`),
      " UNION ALL ",
    ),
  );
  const byId = new Map(rows.map((row) => [row.id, row.count]));
  return saved.map((filter) => ({ id: filter.id, count: byId.get(filter.id) ?? 0 }));
}
