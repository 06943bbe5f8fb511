import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { afterKeySql, leadFilterSql, leadOrderSql, SORT_COLUMNS, type LeadKey } from "../lead-records/filter-sql";
import { csvStream, type CsvValue } from "../csv/write";
import type { Db } from "../db";
import { isTextable, noBestPhoneReason, phoneFlagsText, type PhoneFacts } from "@/lib/phones";
import { splitMailingAddress } from "@/lib/mailing-address";
import type { LeadFilters, LeadSort } from "./schema";

/**
 * The streaming CSV export of a filtered lead list (SPEC §4: 100k leads in under 5 s with flat
 * memory). Each page is ONE SQL statement — the leads with their best phone, phone list, DNC flag,
 * emails, tags and assignee aggregated by Postgres — fetched by keyset pagination in the list's
 * own order, so the cost per page is constant and no ORM objects are built per phone or tag.
 * The filters, order and keyset are the list page's own SQL (lead-records/filter-sql.ts), proven
 * equal to leadWhere by export.int.test.ts.
 */

/** Each of a lead's first phones in its own columns: number, line type, flags (lib/phones.ts). */
export const PHONE_SLOTS = 5;
const PHONE_SLOT_COLUMNS = [1, 2, 3, 4, 5].flatMap((n) => [`phone_${n}`, `phone_${n}_type`, `phone_${n}_flags`] as const);

/** The export's columns, in order (SPEC §4, issue 14). */
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
  "mailing_street",
  "mailing_city",
  "mailing_state",
  "mailing_zip",
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
  "best_phone_reason",
  "all_phones",
  ...PHONE_SLOT_COLUMNS,
  "emails",
  "dnc_flag",
  "tags",
  "assignee",
  "last_note",
  "note_count",
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

type PhoneJson = Required<PhoneFacts> & { number: string; isBest: boolean; source: string };

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
  trace_provider: string | null;
  phones: PhoneJson[] | null;
  last_note: string | null;
  note_count: number;
  dnc: boolean | null;
  emails: string | null;
  tags: string | null;
  assignee: string | null;
  created_at: string;
};

/**
 * Each lead's phones arrive as one JSON list (the marked best first, then by score) with the facts
 * that decide whether each can take a text (its opt-out and internal DNC state included); the best
 * phone, its reason when there is none, and the per-phone columns are made from it (bestPhoneOf).
 * The provider is the latest completed skip trace's (else the best phone's source).
 */
function pageSql(orgId: string, filters: LeadFilters, sort: LeadSort, after: LeadKey | null, limit: number): Prisma.Sql {
  const keyset = after ? sql`AND ${afterKeySql(sort, after)}` : Prisma.empty;
  return sql`
    SELECT l.id, ${SORT_COLUMNS[sort.field].column}::text AS sort_key,
      l.source::text AS source, l.status::text AS status, l.temperature::text AS temperature, l.score,
      l."addressLine1", l.city, l.state, l.zip, l."ownerName", l."ownerIsCorporate", l."mailingAddress", l.absentee,
      l."propertyType", l.beds, l.baths, l."sizeSqft", l."yearBuilt", l."estimatedValueCents", l."assessedValueCents",
      l."equityPct", to_char(l."lastSaleDate", 'YYYY-MM-DD') AS last_sale_date, l."lastSalePriceCents",
      trace.provider AS trace_provider,
      phones.phones, phones.dnc, emails.emails, tags.tags, assignee.email AS assignee,
      notes.last_note, COALESCE(notes.note_count, 0)::int AS note_count,
      to_char(l."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
    FROM "Lead" l
    LEFT JOIN LATERAL (
      SELECT r.provider FROM "SkipTraceRecord" r WHERE l."skipTracedAt" IS NOT NULL AND r."leadId" = l.id AND r.outcome <> 'failed' ORDER BY r."createdAt" DESC LIMIT 1
    ) trace ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object(
          'number', p.number, 'type', p.type, 'dnc', p.dnc, 'tcpa', p.tcpa, 'status', p.status, 'doNotCall', p."doNotCallAt" IS NOT NULL,
          'suppressed', EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = p."organizationId" AND s.phone = p.number AND s."liftedAt" IS NULL AND (s."leadId" IS NULL OR s."leadId" = p."leadId")),
          'onDncList', EXISTS (SELECT 1 FROM "DncEntry" d WHERE d."organizationId" = p."organizationId" AND d.phone = p.number AND d."liftedAt" IS NULL),
          'verified', p."verifiedAt" IS NOT NULL, 'isBest', p."isBest", 'source', p.source
        ) ORDER BY p."isBest" DESC, p.score DESC NULLS LAST, p."createdAt", p.id) AS phones, bool_or(p.dnc) AS dnc
      FROM "LeadPhone" p WHERE p."leadId" = l.id
    ) phones ON true
    LEFT JOIN LATERAL (
      SELECT count(*) AS note_count, (array_agg(n.body ORDER BY n."createdAt" DESC, n.id DESC))[1] AS last_note FROM "Note" n WHERE n."leadId" = l.id
    ) notes ON true
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
  "best_phone_reason", "note_count", ...PHONE_SLOT_COLUMNS,
]);

/**
 * The best phone among the phones that can take a text (lib/phones.ts, the rule of the database's
 * leadflow_phone_textable): the one marked best, else a verified one, else the first mobile in
 * score order (the phones arrive best first, then by score). Unknown-type lines qualify only when
 * marked best or verified (the skip trace's choice is a mobile).
 */
function bestPhoneOf(phones: PhoneJson[]): PhoneJson | null {
  const candidates = phones.filter((phone) => isTextable(phone) && (phone.isBest || phone.verified || phone.type === "mobile"));
  return candidates.find((phone) => phone.isBest) ?? candidates.find((phone) => phone.verified) ?? candidates[0] ?? null;
}

/** Why no phone is the best phone, when none is. */
function bestPhoneReason(phones: PhoneJson[]): string {
  return noBestPhoneReason(phones) ?? "No mobile can take a text; a phone of unknown type can (verify it on the lead page to make it the best phone)";
}

function csvRow(row: ExportRow): CsvValue[] {
  const phones = row.phones ?? [];
  const best = bestPhoneOf(phones);
  const mailing = splitMailingAddress(row.mailingAddress);
  const slots = Array.from({ length: PHONE_SLOTS }, (_, i) => phones[i]).flatMap((phone) => (phone ? [phone.number, phone.type, phoneFlagsText(phone)] : [null, null, null]));
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
    mailing.street,
    mailing.city,
    mailing.state,
    mailing.zip,
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
    row.trace_provider ?? best?.source ?? null,
    best?.number ?? null,
    best ? null : bestPhoneReason(phones),
    phones.map((phone) => phone.number).join(";") || null,
    ...slots,
    row.emails,
    row.dnc ?? false,
    row.tags,
    row.assignee,
    row.last_note,
    row.note_count,
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
