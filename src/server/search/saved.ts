import "server-only";
import type { z } from "zod";
import type { ServiceContext } from "../context";
import { AppError } from "../errors";
import { propertySearchQuerySchema, type PropertySearchQuery } from "../providers/property-search";
import type { savedSearchOutput } from "./schema";

/**
 * Property searches saved by name (issue 14 item 6), shared by the organization's managers. A saved
 * search is only its location and filters: re-running it is an ordinary search.run from page 1, so
 * a search already paid for today answers from the cache for free.
 */

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId">;
type SavedSearch = z.output<typeof savedSearchOutput>;

const select = { id: true, name: true, query: true, createdAt: true, updatedAt: true } as const;

/** The stored form: the canonical query, page 1 (a page is where the user was, not what they searched). */
function storedQuery(query: PropertySearchQuery): PropertySearchQuery {
  return { ...query, page: 1 };
}

function toOutput(row: { id: string; name: string; query: unknown; createdAt: Date; updatedAt: Date }): SavedSearch | null {
  // A search saved before a filter was renamed or removed is left out rather than failing the list.
  const parsed = propertySearchQuerySchema.safeParse(row.query);
  return parsed.success ? { ...row, query: parsed.data } : null;
}

export async function listSavedSearches(ctx: Pick<Ctx, "db" | "orgId">): Promise<SavedSearch[]> {
  const rows = await ctx.db.savedSearch.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select });
  return rows.flatMap((row) => toOutput(row) ?? []);
}

/** Saves the search under a name; saving under a name already used replaces that search. */
export async function saveSearch(ctx: Ctx, input: { name: string; query: PropertySearchQuery }): Promise<SavedSearch> {
  const query = storedQuery(input.query);
  const row = await ctx.db.savedSearch.upsert({
    where: { organizationId_name: { organizationId: ctx.orgId, name: input.name } },
    create: { organizationId: ctx.orgId, name: input.name, query, createdById: ctx.userId },
    update: { query },
    select,
  });
  return toOutput(row)!;
}

export async function deleteSavedSearch(ctx: Pick<Ctx, "db" | "orgId">, id: string): Promise<{ ok: true }> {
  const { count } = await ctx.db.savedSearch.deleteMany({ where: { id, organizationId: ctx.orgId } });
  if (count === 0) throw new AppError("NOT_FOUND", "That saved search no longer exists.");
  return { ok: true };
}
