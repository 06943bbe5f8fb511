import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { LeadFilters, LeadSort } from "../leads/schema";
import { escapeLikePattern } from "./filters";

/**
 * The lead list's filters, order and keyset as SQL over `l` ("Lead"): the one translation the
 * list page (leads/service.ts listLeads) and the CSV export (leads/export.ts) both run, so a
 * filter means the same rows in both (export.int.test.ts and leads.int.test.ts prove it, and
 * that it selects what the Prisma form leadWhere selects for bulk actions and skip tracing).
 * Only the values a filter uses become parameters: no lists of NULLs.
 */

const sql = Prisma.sql;

/** A Record over every filter key, so a new filter in leadFiltersSchema does not compile until it has its SQL. */
const FILTER_SQL: { [K in keyof LeadFilters]-?: (value: NonNullable<LeadFilters[K]>, orgId: string) => Prisma.Sql | null } = {
  status: (statuses) => (statuses.length ? sql`l.status::text = ANY(${statuses}::text[])` : null),
  temperature: (temperatures) => (temperatures.length ? sql`l.temperature::text = ANY(${temperatures}::text[])` : null),
  source: (sources) => (sources.length ? sql`l.source::text = ANY(${sources}::text[])` : null),
  tagIds: (tagIds, orgId) =>
    tagIds.length
      ? sql`EXISTS (SELECT 1 FROM "LeadTag" f WHERE f."leadId" = l.id AND f."organizationId" = ${orgId} AND f."tagId" = ANY(${tagIds}::text[]))`
      : null,
  hasPhone: (hasPhone) => sql`l."hasPhone" = ${hasPhone}`,
  textable: (textable) => sql`l.textable = ${textable}`,
  skipTraced: (skipTraced) => (skipTraced ? sql`l."skipTracedAt" IS NOT NULL` : sql`l."skipTracedAt" IS NULL`),
  zip: (zip) => sql`l.zip = ${zip}`,
  assigneeId: (assigneeId) => (assigneeId === "unassigned" ? sql`l."assigneeId" IS NULL` : sql`l."assigneeId" = ${assigneeId}`),
  scoreMin: (min) => sql`l.score >= ${min}`,
  scoreMax: (max) => sql`l.score <= ${max}`,
  q: (q) => {
    const pattern = `%${escapeLikePattern(q)}%`;
    return sql`(l."addressLine1" ILIKE ${pattern} OR l."ownerName" ILIKE ${pattern})`;
  },
  archived: (archived) =>
    archived === "exclude" ? sql`l."archivedAt" IS NULL` : archived === "only" ? sql`l."archivedAt" IS NOT NULL` : null,
};

/** The organization's leads matching the list filters, as a SQL condition over `l`. */
export function leadFilterSql(orgId: string, filters: LeadFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [sql`l."organizationId" = ${orgId}`];
  for (const key of Object.keys(FILTER_SQL) as (keyof LeadFilters)[]) {
    const value = filters[key];
    if (value === undefined || value === null) continue;
    const condition = (FILTER_SQL[key] as (v: unknown, orgId: string) => Prisma.Sql | null)(value, orgId);
    if (condition) conditions.push(condition);
  }
  return Prisma.join(conditions, " AND ");
}

// ─── order and keyset ───

/** Each sort field's column and its SQL type (to read a remembered key back). */
export const SORT_COLUMNS: Record<LeadSort["field"], { column: Prisma.Sql; type: Prisma.Sql; nullable: boolean }> = {
  createdAt: { column: Prisma.raw(`l."createdAt"`), type: Prisma.raw("timestamp(3)"), nullable: false },
  updatedAt: { column: Prisma.raw(`l."updatedAt"`), type: Prisma.raw("timestamp(3)"), nullable: false },
  score: { column: Prisma.raw("l.score"), type: Prisma.raw("integer"), nullable: false },
  ownerName: { column: Prisma.raw(`l."ownerName"`), type: Prisma.raw("text"), nullable: true },
  addressLine1: { column: Prisma.raw(`l."addressLine1"`), type: Prisma.raw("text"), nullable: false },
  status: { column: Prisma.raw("l.status"), type: Prisma.raw(`"LeadStatus"`), nullable: false },
};

/**
 * A total order (the id breaks ties) in the sort's direction, nulls where Postgres puts them
 * (last ascending, first descending), so every sort is an index scan and keyset pages never skip
 * or repeat a lead. The same order as leadOrderBy (filters.ts).
 */
export function leadOrderSql(sort: LeadSort): Prisma.Sql {
  const direction = Prisma.raw(sort.direction === "asc" ? "ASC" : "DESC");
  return sql`${SORT_COLUMNS[sort.field].column} ${direction}, l.id ${direction}`;
}

/** After a key (value, id) whose value is not null; `value` and `id` are SQL of the column's type. */
function afterValueSql(sort: LeadSort, value: Prisma.Sql, id: Prisma.Sql): Prisma.Sql {
  const { column, nullable } = SORT_COLUMNS[sort.field];
  const asc = sort.direction === "asc";
  const beyond = sql`(${column}, l.id) ${Prisma.raw(asc ? ">" : "<")} (${value}, ${id})`;
  // Nulls sort last ascending: after any value come the null owner names.
  return nullable && asc ? sql`(${beyond} OR ${column} IS NULL)` : beyond;
}

/** After a key whose value is null (only the owner name can be): last ascending, first descending. */
function afterNullSql(sort: LeadSort, id: Prisma.Sql): Prisma.Sql {
  const { column } = SORT_COLUMNS[sort.field];
  return sort.direction === "asc" ? sql`(${column} IS NULL AND l.id > ${id})` : sql`((${column} IS NULL AND l.id < ${id}) OR ${column} IS NOT NULL)`;
}

/** A remembered key: the sort column's value as text (null for a null owner name) and the id. */
export type LeadKey = { value: string | null; id: string };

/** After a remembered key (the export remembers its last row, immune to rows changing under it). */
export function afterKeySql(sort: LeadSort, key: LeadKey): Prisma.Sql {
  if (key.value === null) return afterNullSql(sort, sql`${key.id}`);
  return afterValueSql(sort, sql`${key.value}::${SORT_COLUMNS[sort.field].type}`, sql`${key.id}`);
}

/**
 * After the lead with this id, read in the same statement (the list's cursor is a lead id). A
 * cursor that is not one of the organization's leads matches nothing.
 */
export function afterLeadSql(sort: LeadSort, orgId: string, cursorId: string): Prisma.Sql {
  const column = Prisma.raw(SORT_COLUMNS[sort.field].column.text.replace(/^l\./, "c."));
  const key = sql`(SELECT c.id FROM "Lead" c WHERE c.id = ${cursorId} AND c."organizationId" = ${orgId})`;
  const value = sql`(SELECT ${column} FROM "Lead" c WHERE c.id = ${cursorId} AND c."organizationId" = ${orgId})`;
  if (!SORT_COLUMNS[sort.field].nullable) return sql`${key} IS NOT NULL AND ${afterValueSql(sort, value, key)}`;
  return sql`${key} IS NOT NULL AND (CASE WHEN ${value} IS NULL THEN ${afterNullSql(sort, key)} ELSE ${afterValueSql(sort, value, key)} END)`;
}
