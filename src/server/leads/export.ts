import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { afterKeySql, leadFilterSql, leadOrderSql, SORT_COLUMNS, type LeadKey } from "../lead-records/filter-sql";
import { csvStream, type CsvValue } from "../csv/write";
import type { Db } from "../db";
import type { LeadFilters, LeadSort } from "./schema";

/**
 * The streaming CSV export of a filtered lead list (SPEC §4: 100k leads in under 5 s with flat
 * memory). Each page is ONE SQL statement — the leads with their best phone, phone list, DNC flag,
 * emails, tags and assignee aggregated by Postgres — fetched by keyset pagination in the list's
 * own order, so the cost per page is constant and no ORM objects are built per phone or tag.
 * The filters, order and keyset are the list page's own SQL (lead-records/filter-sql.ts), proven
 * equal to leadWhere by export.int.test.ts.
 */

/** The export's columns, in order (SPEC §4). */
export const EXPORT_COLUMNS = [
  "id",
  "source",
  "status",
  "temperature",
  "score",
  "address",
  "city",
  "state",
  "zip",
  "owner_name",
  "owner_is_corporate",
  "mailing_address",
  "absentee",
  "property_type",
  "beds",
  "baths",
  "size_sqft",
  "year_built",
  "estimated_value",
  "assessed_value",
  "equity_pct",
  "last_sale_date",
  "last_sale_price",
  "skip_trace_provider",
  "best_phone",
  "all_phones",
  "emails",
  "dnc_flag",
  "tags",
  "assignee",
  "created_at",
] as const;

const DEFAULT_BATCH_SIZE = 1000;

/** Integer cents → dollars with two decimals, by integer arithmetic: 12345n → "123.45". */
export function centsToDollars(cents: bigint | number | null): string {
  if (cents === null) return "";
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

// ─── filters, order and keyset: the list's own SQL (lead-records/filter-sql.ts) ───

const sql = Prisma.sql;

/** Kept exported here for callers that import them from the export. */
export { afterKeySql, leadFilterSql };

// ─── one page ───

type ExportRow = {
  id: string;
  sort_key: string | null;
  source: string;
  status: string;
  temperature: string;
  score: number;
  addressLine1: string;
  city: string;
  state: string;
  zip: string;
  ownerName: string | null;
  ownerIsCorporate: boolean;
  mailingAddress: string | null;
  absentee: boolean | null;
  propertyType: string | null;
  beds: number | null;
  baths: number | null;
  sizeSqft: number | null;
  yearBuilt: number | null;
  estimatedValueCents: bigint | number | null;
  assessedValueCents: bigint | number | null;
  equityPct: number | null;
  last_sale_date: string | null;
  lastSalePriceCents: bigint | number | null;
  best_phone: string | null;
  best_phone_source: string | null;
  all_phones: string | null;
  dnc: boolean | null;
  emails: string | null;
  tags: string | null;
  assignee: string | null;
  created_at: string;
};

/**
 * The best phone: the one marked best, else the best-scored textable mobile (not DNC, not TCPA,
 * status ok), else none. All phones list the marked one first, then by score.
 */
function pageSql(orgId: string, filters: LeadFilters, sort: LeadSort, after: LeadKey | null, limit: number): Prisma.Sql {
  const keyset = after ? sql`AND ${afterKeySql(sort, after)}` : Prisma.empty;
  return sql`
    SELECT l.id, ${SORT_COLUMNS[sort.field].column}::text AS sort_key,
      l.source::text AS source, l.status::text AS status, l.temperature::text AS temperature, l.score,
      l."addressLine1", l.city, l.state, l.zip, l."ownerName", l."ownerIsCorporate", l."mailingAddress", l.absentee,
      l."propertyType", l.beds, l.baths, l."sizeSqft", l."yearBuilt", l."estimatedValueCents", l."assessedValueCents",
      l."equityPct", to_char(l."lastSaleDate", 'YYYY-MM-DD') AS last_sale_date, l."lastSalePriceCents",
      best.number AS best_phone, best.source AS best_phone_source,
      phones.all_phones, phones.dnc, emails.emails, tags.tags, assignee.email AS assignee,
      to_char(l."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
    FROM "Lead" l
    LEFT JOIN LATERAL (
      SELECT p.number, p.source FROM "LeadPhone" p
      WHERE p."leadId" = l.id AND (p."isBest" OR (p.type = 'mobile' AND NOT p.dnc AND NOT p.tcpa AND p.status = 'ok'))
      ORDER BY p."isBest" DESC, p.score DESC NULLS LAST, p."createdAt", p.id
      LIMIT 1
    ) best ON true
    LEFT JOIN LATERAL (
      SELECT string_agg(p.number, ';' ORDER BY p."isBest" DESC, p.score DESC NULLS LAST, p."createdAt", p.id) AS all_phones, bool_or(p.dnc) AS dnc
      FROM "LeadPhone" p WHERE p."leadId" = l.id
    ) phones ON true
    LEFT JOIN LATERAL (
      SELECT string_agg(e.email, ';' ORDER BY e."createdAt", e.id) AS emails FROM "LeadEmail" e WHERE e."leadId" = l.id
    ) emails ON true
    LEFT JOIN LATERAL (
      SELECT string_agg(t.name, ';' ORDER BY t.name) AS tags
      FROM "LeadTag" lt JOIN "Tag" t ON t.id = lt."tagId"
      WHERE lt."leadId" = l.id AND t."organizationId" = ${orgId}
    ) tags ON true
    LEFT JOIN "User" assignee ON assignee.id = l."assigneeId"
    WHERE ${leadFilterSql(orgId, filters)} ${keyset}
    ORDER BY ${leadOrderSql(sort)}
    LIMIT ${limit}`;
}

/**
 * Columns whose text the code makes (ids, enum names, E.164 phones, amounts, dates) and the CSV
 * writer leaves as they are; every other text column came from users or imports and has formulas
 * neutralised.
 */
const TRUSTED_COLUMNS: ReadonlySet<string> = new Set<(typeof EXPORT_COLUMNS)[number]>([
  "id", "source", "status", "temperature", "score", "owner_is_corporate", "absentee", "beds", "baths", "size_sqft", "year_built",
  "estimated_value", "assessed_value", "equity_pct", "last_sale_date", "last_sale_price", "best_phone", "all_phones", "dnc_flag", "created_at",
]);

function csvRow(row: ExportRow): CsvValue[] {
  return [
    row.id,
    row.source,
    row.status,
    row.temperature,
    row.score,
    row.addressLine1,
    row.city,
    row.state,
    row.zip,
    row.ownerName,
    row.ownerIsCorporate,
    row.mailingAddress,
    row.absentee,
    row.propertyType,
    row.beds,
    row.baths,
    row.sizeSqft,
    row.yearBuilt,
    centsToDollars(row.estimatedValueCents),
    centsToDollars(row.assessedValueCents),
    row.equityPct,
    row.last_sale_date,
    centsToDollars(row.lastSalePriceCents),
    row.best_phone ? row.best_phone_source : null,
    row.best_phone,
    row.all_phones,
    row.emails,
    row.dnc ?? false,
    row.tags,
    row.assignee,
    row.created_at,
  ];
}

/**
 * The filtered lead list as CSV, page by page (keyset pagination in the list's order), through the
 * one CSV writer. A page is fetched only when the consumer has taken the previous one, so memory
 * stays flat at any size.
 */
export function leadsCsvStream(
  db: Pick<Db, "$queryRaw">,
  orgId: string,
  filters: LeadFilters,
  sort: LeadSort,
  options: { batchSize?: number } = {},
): ReadableStream<Uint8Array> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let after: LeadKey | null = null;
  let exhausted = false;

  return csvStream({
    header: EXPORT_COLUMNS,
    trustedColumns: TRUSTED_COLUMNS,
    nextPage: async () => {
      if (exhausted) return null;
      const rows = await db.$queryRaw<ExportRow[]>(pageSql(orgId, filters, sort, after, batchSize));
      if (rows.length < batchSize) exhausted = true;
      const last = rows[rows.length - 1];
      if (last) after = { value: last.sort_key, id: last.id };
      return rows.map(csvRow);
    },
  });
}
