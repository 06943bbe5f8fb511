import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { LeadFilters, LeadSort } from "../leads/schema";

/** Free text matches literally: % and _ are not wildcards to the user. */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * The list filters as a Prisma query, always scoped to the organization. The CSV export has a
 * SQL twin (export.ts) for streaming speed; export.int.test.ts proves the two agree.
 */
export function leadWhere(orgId: string, filters: LeadFilters): Prisma.LeadWhereInput {
  const and: Prisma.LeadWhereInput[] = [];
  if (filters.status?.length) and.push({ status: { in: filters.status } });
  if (filters.temperature?.length) and.push({ temperature: { in: filters.temperature } });
  if (filters.source?.length) and.push({ source: { in: filters.source } });
  if (filters.tagIds?.length) and.push({ tags: { some: { tagId: { in: filters.tagIds }, organizationId: orgId } } });
  if (filters.hasPhone !== undefined) and.push({ hasPhone: filters.hasPhone });
  if (filters.textable !== undefined) and.push({ textable: filters.textable });
  if (filters.skipTraced !== undefined) and.push({ skipTracedAt: filters.skipTraced ? { not: null } : null });
  if (filters.zip) and.push({ zip: filters.zip });
  if (filters.assigneeId) and.push({ assigneeId: filters.assigneeId === "unassigned" ? null : filters.assigneeId });
  if (filters.scoreMin !== undefined || filters.scoreMax !== undefined) and.push({ score: { gte: filters.scoreMin, lte: filters.scoreMax } });
  if (filters.q) {
    const q = escapeLikePattern(filters.q);
    and.push({
      OR: [
        { addressLine1: { contains: q, mode: "insensitive" } },
        { ownerName: { contains: q, mode: "insensitive" } },
      ],
    });
  }
  if (filters.archived === "exclude") and.push({ archivedAt: null });
  if (filters.archived === "only") and.push({ archivedAt: { not: null } });
  return { organizationId: orgId, AND: and };
}

/**
 * A total order (the id breaks ties) so cursor pages never skip or repeat a lead. Postgres'
 * default null placement (last ascending, first descending) keeps every sort an index scan.
 */
export function leadOrderBy(sort: LeadSort): Prisma.LeadOrderByWithRelationInput[] {
  return [{ [sort.field]: sort.direction }, { id: sort.direction }];
}
