import "server-only";
import type { z } from "zod";
import { Prisma as PrismaValues } from "@/generated/prisma/client";
import { recordAudit } from "../audit/record";
import type { ServiceContext } from "../context";
import type { Db, Prisma } from "../db";
import { notFound } from "../errors";
import { newId } from "../ids";
import type {
  ConsentEventRow,
  ConsentFilters,
  ConsentLogType,
  ConsentSource,
  listConsentInput,
  recordConsentInput,
  RecordedConsentType,
  updateConsentSettingsInput,
} from "./consent-schema";
import { fieldError, membersById, phoneDigits, phoneField } from "./fields";

/**
 * The consent log (issue 10 item 4, SPEC §6, COMPLIANCE.md "Consent and revocation").
 *
 * Design: the log is read as a UNION of three kinds of rows, none of them copied:
 * - ConsentEvent: consents people record (this page, and an opt-out lifted with documented consent
 *   or a START reply a person reports, written by suppressions-service.ts with the suppression's id),
 * - Suppression rows: every revocation (STOP-family and refusal replies from the inbound webhook,
 *   Twilio 21610, manual, import), at the row's createdAt,
 * - lifted Suppression rows that no ConsentEvent names: the START replies the inbound webhook
 *   records (and lifts from before this log existed), at liftedAt.
 * The inbound webhook's STOP is one performance-critical statement; the revocation it already writes
 * is the log's row, so the hot path gains no write. Wrong-number reports (per lead) are not
 * revocations and are left out. Rows are kept at least 4 years (TCPA limitations): neither table
 * has a foreign key to Lead (leadId is a plain column), so archiving or deleting a lead keeps them.
 *
 * consentStatusFor answers, for a batch of phones in one statement, the latest consent and whether
 * it is still current (no opt-out after it, none live) — what the send decision reads when the
 * organization requires recorded consent before campaign sends.
 */

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId">;
type Reader = Db | Prisma.TransactionClient;

/** A consent's instant may be a few minutes ahead of the server (a clock on someone's laptop). */
const FUTURE_SKEW_MS = 5 * 60_000;

type EventSqlRow = {
  event_id: string;
  type: ConsentLogType;
  source: ConsentSource;
  phone: string;
  lead_id: string | null;
  evidence: string;
  document_ref: string | null;
  actor_id: string | null;
  at: Date;
  recorded_at: Date;
};

/** Every event of the organization as one relation (see the design note above). */
function eventsSql(orgId: string): Prisma.Sql {
  return PrismaValues.sql`
    SELECT 'consent:' || c.id AS event_id, c.type::text AS type, c.source, c.phone, c."leadId" AS lead_id, c.evidence,
           c."documentRef" AS document_ref, c."actorUserId" AS actor_id, c."occurredAt" AS at, c."recordedAt" AS recorded_at
    FROM "ConsentEvent" c
    WHERE c."organizationId" = ${orgId}
    UNION ALL
    SELECT 'optout:' || s.id, 'revoked', s.reason::text, s.phone, s."leadId", s.evidence,
           NULL, s."actorUserId", s."createdAt", s."createdAt"
    FROM "Suppression" s
    WHERE s."organizationId" = ${orgId} AND s.reason <> 'wrong_number'
    UNION ALL
    SELECT 'optin:' || s.id,
           CASE WHEN s."liftedById" IS NULL OR s."liftReason" LIKE 'START reply%' THEN 'inbound_initiated' ELSE 'verbal' END,
           CASE WHEN s."liftedById" IS NULL THEN 'start_reply' ELSE 'opt_out_lift' END,
           s.phone, s."leadId", COALESCE(s."liftReason", ''), NULL, s."liftedById", s."liftedAt", s."liftedAt"
    FROM "Suppression" s
    WHERE s."organizationId" = ${orgId} AND s."liftedAt" IS NOT NULL AND s.reason <> 'wrong_number'
      AND NOT EXISTS (SELECT 1 FROM "ConsentEvent" c WHERE c."organizationId" = ${orgId} AND c."suppressionId" = s.id)`;
}

/** The filters as SQL on the events relation `e` (a phone search without digits is refused). */
export function consentFilterSql(orgId: string, filters: ConsentFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [PrismaValues.sql`TRUE`];
  if (filters.q) parts.push(PrismaValues.sql`e.phone LIKE ${`%${phoneDigits(filters.q)}%`}`);
  if (filters.type) parts.push(PrismaValues.sql`e.type = ${filters.type}`);
  if (filters.from) parts.push(PrismaValues.sql`e.at >= ${filters.from}`);
  if (filters.to) parts.push(PrismaValues.sql`e.at <= ${filters.to}`);
  if (filters.leadId) {
    parts.push(PrismaValues.sql`(e.lead_id = ${filters.leadId} OR e.phone IN (
      SELECT lp.number FROM "LeadPhone" lp WHERE lp."organizationId" = ${orgId} AND lp."leadId" = ${filters.leadId}))`);
  }
  return PrismaValues.join(parts, " AND ");
}

function parseCursor(cursor: string): { at: Date; id: string } {
  const bar = cursor.indexOf("|");
  return { at: new Date(cursor.slice(0, bar)), id: cursor.slice(bar + 1) };
}

/** One page of events, newest first (ties by event id), after the keyset when given. */
export async function consentEventPage(
  db: Reader,
  orgId: string,
  filters: ConsentFilters,
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<EventSqlRow[]> {
  const keyset = after ? PrismaValues.sql`AND (e.at < ${after.at} OR (e.at = ${after.at} AND e.event_id < ${after.id}))` : PrismaValues.empty;
  return db.$queryRaw<EventSqlRow[]>`
    SELECT e.* FROM (${eventsSql(orgId)}) e
    WHERE ${consentFilterSql(orgId, filters)} ${keyset}
    ORDER BY e.at DESC, e.event_id DESC
    LIMIT ${limit}`;
}

/** Rows with who recorded them and their lead, each looked up in this organization only. */
export async function presentConsentEvents(db: Reader, orgId: string, rows: EventSqlRow[]): Promise<ConsentEventRow[]> {
  const leadIds = [...new Set(rows.map((r) => r.lead_id).filter((id): id is string => id !== null))];
  const [people, leads] = await Promise.all([
    membersById(db, orgId, rows.map((r) => r.actor_id)),
    leadIds.length
      ? db.lead.findMany({ where: { id: { in: leadIds }, organizationId: orgId }, select: { id: true, addressLine1: true, city: true, archivedAt: true } })
      : [],
  ]);
  const leadById = new Map(leads.map((l) => [l.id, { id: l.id, label: `${l.addressLine1}, ${l.city}`, archived: l.archivedAt !== null }]));
  return rows.map((r) => ({
    id: r.event_id,
    type: r.type,
    source: r.source,
    phone: r.phone,
    lead: r.lead_id ? (leadById.get(r.lead_id) ?? null) : null,
    evidence: r.evidence,
    documentRef: r.document_ref,
    actor: r.actor_id ? (people.get(r.actor_id) ?? null) : null,
    occurredAt: r.at,
    recordedAt: r.recorded_at,
  }));
}

export async function listConsentEvents({ db, orgId }: Ctx, input: z.output<typeof listConsentInput>) {
  if (input.filters.leadId) {
    const lead = await db.lead.findFirst({ where: { id: input.filters.leadId, organizationId: orgId }, select: { id: true } });
    if (!lead) throw notFound("That lead");
  }
  const rows = await consentEventPage(db, orgId, input.filters, input.cursor ? parseCursor(input.cursor) : null, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: await presentConsentEvents(db, orgId, page),
    nextCursor: rows.length > input.limit && last ? `${last.at.toISOString()}|${last.event_id}` : null,
  };
}

async function presentOne(db: Reader, orgId: string, consentId: string): Promise<ConsentEventRow> {
  const [row] = await db.$queryRaw<EventSqlRow[]>`
    SELECT e.* FROM (${eventsSql(orgId)}) e WHERE e.event_id = ${`consent:${consentId}`}`;
  const [shown] = await presentConsentEvents(db, orgId, [row!]);
  return shown!;
}

export async function recordConsent(ctx: Ctx, input: z.output<typeof recordConsentInput>) {
  const phone = phoneField(input.phone);
  const occurredAt = input.occurredAt ?? new Date();
  if (Number.isNaN(occurredAt.getTime())) throw fieldError("occurredAt", "Enter when the consent was given.");
  if (occurredAt.getTime() > Date.now() + FUTURE_SKEW_MS) throw fieldError("occurredAt", "Consent cannot be given in the future: enter when it was given.");
  return ctx.db.$transaction(async (tx) => {
    if (input.leadId) {
      const lead = await tx.lead.findFirst({ where: { id: input.leadId, organizationId: ctx.orgId }, select: { id: true } });
      if (!lead) throw notFound("That lead");
    }
    const id = await writeConsentEvent(tx, {
      organizationId: ctx.orgId,
      phone,
      leadId: input.leadId ?? null,
      type: input.type,
      source: "recorded",
      evidence: input.evidence,
      documentRef: input.documentRef || null,
      actorUserId: ctx.userId,
      suppressionId: null,
      occurredAt,
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "consent.recorded",
      targetType: "consent",
      targetId: id,
      details: { phone, type: input.type, leadId: input.leadId ?? null, occurredAt: occurredAt.toISOString(), documentRef: input.documentRef || null },
      requestId: ctx.requestId,
    });
    return { event: await presentOne(tx, ctx.orgId, id) };
  });
}

/** Writes one consent row (the consent page, or an opt-out lifted by a person: suppressionId names it). */
export async function writeConsentEvent(
  tx: Prisma.TransactionClient,
  row: {
    organizationId: string;
    phone: string;
    leadId: string | null;
    type: RecordedConsentType;
    source: Extract<ConsentSource, "recorded" | "opt_out_lift">;
    evidence: string;
    documentRef: string | null;
    actorUserId: string | null;
    suppressionId: string | null;
    occurredAt: Date;
  },
): Promise<string> {
  const id = newId();
  await tx.consentEvent.create({ data: { id, ...row } });
  return id;
}

export type ConsentStatus = {
  /** The latest consent for the number (recorded, a documented-consent lift or a START reply); null when none. */
  latest: { type: RecordedConsentType; at: Date; evidence: string; documentRef: string | null; source: ConsentSource } | null;
  /** A consent exists and no opt-out came after it (and none is live). */
  current: boolean;
  /** The latest opt-out of the number (live or lifted), if any. */
  lastRevokedAt: Date | null;
};

/**
 * The consent status of many numbers in one statement (a campaign pre-flight of thousands).
 * Phones are E.164; every phone asked gets an answer.
 */
export async function consentStatusFor(db: Reader, { organizationId, phones }: { organizationId: string; phones: string[] }): Promise<Map<string, ConsentStatus>> {
  const asked = [...new Set(phones)];
  const result = new Map<string, ConsentStatus>();
  if (asked.length === 0) return result;
  const rows = await db.$queryRaw<
    {
      phone: string;
      type: RecordedConsentType | null;
      at: Date | null;
      evidence: string | null;
      document_ref: string | null;
      source: ConsentSource | null;
      revoked_at: Date | null;
      live: boolean | null;
    }[]
  >`
    WITH asked AS (SELECT DISTINCT unnest(${asked}::text[]) AS phone),
    consents AS (
      SELECT c.phone, c.type::text AS type, c."occurredAt" AS at, c.evidence, c."documentRef" AS document_ref, c.source, 'consent:' || c.id AS event_id
      FROM "ConsentEvent" c
      WHERE c."organizationId" = ${organizationId} AND c.phone IN (SELECT phone FROM asked)
      UNION ALL
      SELECT s.phone,
             CASE WHEN s."liftedById" IS NULL OR s."liftReason" LIKE 'START reply%' THEN 'inbound_initiated' ELSE 'verbal' END,
             s."liftedAt", COALESCE(s."liftReason", ''), NULL,
             CASE WHEN s."liftedById" IS NULL THEN 'start_reply' ELSE 'opt_out_lift' END, 'optin:' || s.id
      FROM "Suppression" s
      WHERE s."organizationId" = ${organizationId} AND s.phone IN (SELECT phone FROM asked)
        AND s."liftedAt" IS NOT NULL AND s.reason <> 'wrong_number'
        AND NOT EXISTS (SELECT 1 FROM "ConsentEvent" c WHERE c."organizationId" = ${organizationId} AND c."suppressionId" = s.id)
    ),
    latest AS (SELECT DISTINCT ON (phone) * FROM consents ORDER BY phone, at DESC, event_id DESC),
    revoked AS (
      SELECT s.phone, max(s."createdAt") AS revoked_at, bool_or(s."liftedAt" IS NULL) AS live
      FROM "Suppression" s
      WHERE s."organizationId" = ${organizationId} AND s.phone IN (SELECT phone FROM asked) AND s.reason <> 'wrong_number'
      GROUP BY s.phone
    )
    SELECT a.phone, l.type, l.at, l.evidence, l.document_ref, l.source, r.revoked_at, r.live
    FROM asked a LEFT JOIN latest l ON l.phone = a.phone LEFT JOIN revoked r ON r.phone = a.phone`;
  for (const row of rows) {
    const latest = row.type && row.at ? { type: row.type, at: row.at, evidence: row.evidence ?? "", documentRef: row.document_ref, source: row.source! } : null;
    const current = latest !== null && !row.live && (row.revoked_at === null || latest.at > row.revoked_at);
    result.set(row.phone, { latest, current, lastRevokedAt: row.revoked_at });
  }
  return result;
}

export type ConsentSettings = {
  /** Campaign sends need a current recorded consent (off by default). */
  requireRecordedConsent: boolean;
  /** DNC-registry / skip-trace-DNC numbers may be texted with a current express written consent (off by default). */
  allowDncWithExpressConsent: boolean;
};

/** The organization's two consent settings, as the send decision and the consent page read them. */
export async function consentSettingsOf(db: Reader, orgId: string): Promise<ConsentSettings> {
  const settings = await db.organizationSettings.findUnique({ where: { organizationId: orgId }, select: { requireRecordedConsent: true, allowDncWithExpressConsent: true } });
  return { requireRecordedConsent: settings?.requireRecordedConsent ?? false, allowDncWithExpressConsent: settings?.allowDncWithExpressConsent ?? false };
}

export async function getConsentSettings(ctx: Pick<ServiceContext, "db" | "orgId" | "role">) {
  return { ...(await consentSettingsOf(ctx.db, ctx.orgId)), canEdit: ctx.role === "admin" };
}

export async function updateConsentSettings(ctx: Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId" | "role">, input: z.output<typeof updateConsentSettingsInput>) {
  await ctx.db.$transaction(async (tx) => {
    const before = await consentSettingsOf(tx, ctx.orgId);
    const after: ConsentSettings = {
      requireRecordedConsent: input.requireRecordedConsent ?? before.requireRecordedConsent,
      allowDncWithExpressConsent: input.allowDncWithExpressConsent ?? before.allowDncWithExpressConsent,
    };
    await tx.organizationSettings.upsert({ where: { organizationId: ctx.orgId }, create: { organizationId: ctx.orgId, ...after }, update: after });
    const changed = (Object.keys(after) as (keyof ConsentSettings)[]).filter((name) => after[name] !== before[name]);
    if (changed.length > 0) {
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actorId: ctx.userId,
        action: "consent.setting_changed",
        targetType: "organization",
        targetId: ctx.orgId,
        details: { before: Object.fromEntries(changed.map((name) => [name, before[name]])), after: Object.fromEntries(changed.map((name) => [name, after[name]])) },
        requestId: ctx.requestId,
      });
    }
  });
  return getConsentSettings(ctx);
}
