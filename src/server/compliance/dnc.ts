import "server-only";
import { areaCodeOf, DNC_SOURCES, isRegistryStale, nationalNumberOf, registryAgeDays, REGISTRY_STALE_AFTER_DAYS, type DncSource } from "@/lib/dnc-registry";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";

/**
 * DNC checks — what the send decision (decide.ts) asks before any text goes out.
 *
 *   checkDnc(db, { organizationId, phones, at, purpose?, actorUserId? }): Promise<Map<phone, DncCheckResult>>
 *
 * For every phone (E.164; repeats are checked once) it answers whether the number is listed, and by
 * which sources (all that apply, never only the first):
 *   - "internal"         the organization's own do-not-contact list (DncEntry live at `at`)
 *   - "registry"         a National DNC Registry extract this organization loaded for the number's
 *                        area code (its extract date and whether it is stale at `at` come along)
 *   - "skip_trace_dnc"   a skip-trace result flagged the number DNC (LeadPhone.dnc, on any lead of
 *                        the organization that has the number)
 *   - "skip_trace_tcpa"  a skip-trace result flagged it a TCPA litigator / blacklisted (LeadPhone.tcpa)
 * `registry.loaded` false means the organization has no extract for that area code: "not listed"
 * then proves nothing, and the caller should say so (as it should for `registry.stale`).
 *
 * It is ONE SQL statement whatever the number of phones (a 10k-recipient pre-flight included), and
 * that same statement records every answer as evidence: one DncCheck row per phone (phone, listed,
 * sources, the registry extract date, purpose, actor, checkedAt = `at`) — COMPLIANCE.md: "store each
 * check as evidence". What a caller does with the answer (block; allow a skip-trace DNC flag with
 * recorded express consent when the organization allows it) is the decision's business, not this one's.
 *
 * Registry freshness for a page or a pre-flight warning: registryFreshness() in dnc-registry.ts.
 */


export type DncCheckRequest = {
  organizationId: string;
  /** E.164 phones. Numbers outside the NANP are checked against the internal list and the flags only. */
  phones: readonly string[];
  /** The instant the answer is for (the send time); now when absent. Also the evidence's checkedAt. */
  at?: Date;
  /** Why it was checked, kept on the evidence: "decision", "preflight", "manual", a campaign id … */
  purpose?: string | null;
  /** The member who asked, when a person did (the "check a number" box, an inbox reply). */
  actorUserId?: string | null;
};

export type DncCheckResult = {
  phone: string;
  listed: boolean;
  /** Every source that lists it, in DNC_SOURCES order; empty when none does. */
  sources: DncSource[];
  /** The live internal entry, when there is one. */
  internal: { entryId: string; reason: string; addedAt: Date } | null;
  registry: {
    /** Null for a number outside the NANP. */
    areaCode: number | null;
    /** Whether this organization has an extract for the area code at all. */
    loaded: boolean;
    listed: boolean;
    /** YYYY-MM-DD of the extract checked; null when not loaded. */
    extractDate: string | null;
    ageDays: number | null;
    /** Older than REGISTRY_STALE_AFTER_DAYS at `at`: not a valid scrub. */
    stale: boolean;
  };
  skipTrace: { dnc: boolean; tcpa: boolean };
  checkedAt: Date;
};

type Row = {
  phone: string;
  internal_id: string | null;
  internal_reason: string | null;
  internal_at_ms: number | null;
  extract_date: string | null;
  registry_listed: boolean;
  dnc: boolean;
  tcpa: boolean;
};

/** The answers for these phones at `at` (in the order given, each once), each recorded as a DncCheck row; one statement (see the top of this file). */
export async function checkDnc(db: Db | Prisma.TransactionClient, request: DncCheckRequest): Promise<Map<string, DncCheckResult>> {
  const at = request.at ?? new Date();
  const phones = [...new Set(request.phones)];
  const byPhone = new Map<string, DncCheckResult>();
  if (phones.length === 0) return byPhone;
  const nationals = phones.map(nationalNumberOf);
  const atSql = Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

  const rows = await querySql<Row>(
    db,
    Prisma.sql`
      WITH input AS (
        SELECT t.phone, t.national FROM unnest(${phones}::text[], ${nationals}::bigint[]) AS t(phone, national)
      ),
      internal AS (
        SELECT DISTINCT ON (e.phone) e.phone, e.id, e.reason, e."createdAt"
        FROM "DncEntry" e
        WHERE e."organizationId" = ${request.organizationId} AND e.phone = ANY(${phones}::text[])
          AND e."createdAt" <= ${atSql} AND (e."liftedAt" IS NULL OR e."liftedAt" > ${atSql})
        ORDER BY e.phone, e."createdAt" DESC
      ),
      flags AS (
        SELECT p.number AS phone, bool_or(p.dnc) AS dnc, bool_or(p.tcpa) AS tcpa
        FROM "LeadPhone" p
        WHERE p."organizationId" = ${request.organizationId} AND p.number = ANY(${phones}::text[]) AND (p.dnc OR p.tcpa)
        GROUP BY p.number
      ),
      result AS (
        SELECT i.phone, it.id AS internal_id, it.reason AS internal_reason,
          (extract(epoch FROM it."createdAt") * 1000)::float8 AS internal_at_ms,
          to_char(ac."extractDate", 'YYYY-MM-DD') AS extract_date,
          (n.number IS NOT NULL) AS registry_listed,
          coalesce(f.dnc, false) AS dnc, coalesce(f.tcpa, false) AS tcpa
        FROM input i
        LEFT JOIN internal it ON it.phone = i.phone
        LEFT JOIN flags f ON f.phone = i.phone
        LEFT JOIN "DncRegistryAreaCode" ac ON ac."organizationId" = ${request.organizationId} AND ac."areaCode" = i.national / 10000000
        LEFT JOIN "DncRegistryNumber" n ON n."uploadId" = ac."uploadId" AND n.number = i.national
      ),
      evidence AS (
        INSERT INTO "DncCheck" ("organizationId", phone, listed, sources, "registryExtractDate", purpose, "checkedById", "checkedAt")
        SELECT ${request.organizationId}, r.phone, (r.internal_id IS NOT NULL OR r.registry_listed OR r.dnc OR r.tcpa),
          array_remove(ARRAY[
            CASE WHEN r.internal_id IS NOT NULL THEN 'internal' END,
            CASE WHEN r.registry_listed THEN 'registry' END,
            CASE WHEN r.dnc THEN 'skip_trace_dnc' END,
            CASE WHEN r.tcpa THEN 'skip_trace_tcpa' END
          ], NULL),
          r.extract_date::date, ${request.purpose ?? null}::text, ${request.actorUserId ?? null}::text, ${atSql}
        FROM result r
      )
      SELECT * FROM result`,
  );

  for (const row of rows) {
    const national = nationalNumberOf(row.phone);
    const extractDate = row.extract_date ? new Date(`${row.extract_date}T00:00:00Z`) : null;
    const sources: DncSource[] = [];
    if (row.internal_id) sources.push("internal");
    if (row.registry_listed) sources.push("registry");
    if (row.dnc) sources.push("skip_trace_dnc");
    if (row.tcpa) sources.push("skip_trace_tcpa");
    byPhone.set(row.phone, {
      phone: row.phone,
      listed: sources.length > 0,
      sources,
      internal: row.internal_id ? { entryId: row.internal_id, reason: row.internal_reason ?? "", addedAt: new Date(Number(row.internal_at_ms)) } : null,
      registry: {
        areaCode: national === null ? null : areaCodeOf(national),
        loaded: extractDate !== null,
        listed: row.registry_listed,
        extractDate: row.extract_date,
        ageDays: extractDate ? registryAgeDays(extractDate, at) : null,
        stale: extractDate ? isRegistryStale(extractDate, at) : false,
      },
      skipTrace: { dnc: row.dnc, tcpa: row.tcpa },
      checkedAt: at,
    });
  }
  // In the order asked (each phone once).
  return new Map(phones.map((phone) => [phone, byPhone.get(phone)!]));
}

export { DNC_SOURCES, REGISTRY_STALE_AFTER_DAYS, type DncSource };
