import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { LeadSource, LeadStatus, Role, Temperature } from "@/generated/prisma/enums";
import { isCorporateOwnerName, leadDedupKey, normalizeAddress, normalizeOwnerName } from "@/lib/address";
import { assertRole } from "../auth/membership";
import type { ServiceContext } from "../context";
import { querySql, type Db } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { withIdempotency } from "../idempotency";
import { log } from "../log";
import { recordActivities, type ActivityInput } from "../lead-records/activity";
import { afterLeadSql, leadFilterSql, leadOrderSql } from "../lead-records/filter-sql";
import { leadWhere } from "../lead-records/filters";
import { leadPhoneDetails } from "../lead-records/phones";
import { leadScoreData } from "../lead-records/scoring";
import { LEAD_STATUSES, TEMPERATURES } from "./schema";
import type {
  addPhoneInput,
  bulkInput,
  createLeadInput,
  LeadFilters,
  leadFactsSchema,
  listLeadsInput,
  outcomeInput,
  setLeadTagsInput,
  updateLeadInput,
} from "./schema";

/** Bulk actions on a whole filter stop here; larger changes go through an export/import. */
const MAX_BULK = 10_000;

const toNumber = (value: bigint | null) => (value === null ? null : Number(value));
const toIsoDate = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : null);
export const personSelect = { select: { id: true, name: true, email: true } } as const;

const listSelect = {
  id: true,
  addressLine1: true,
  city: true,
  state: true,
  zip: true,
  ownerName: true,
  status: true,
  temperature: true,
  score: true,
  source: true,
  hasPhone: true,
  textable: true,
  skipTracedAt: true,
  estimatedValueCents: true,
  equityPct: true,
  absentee: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
  assignee: personSelect,
  tags: { select: { tag: { select: { id: true, name: true, color: true } } }, orderBy: { createdAt: "asc" } },
  dealValueCents: true,
  expectedCloseOn: true,
  nextTask: { select: { id: true, note: true, dueOn: true, dueTime: true, dueAt: true, assigneeId: true } },
} satisfies Prisma.LeadSelect;

type ListRow = Prisma.LeadGetPayload<{ select: typeof listSelect }>;

function toListItem(row: ListRow) {
  return {
    ...row,
    estimatedValueCents: toNumber(row.estimatedValueCents),
    tags: row.tags.map((t) => t.tag),
    dealValueCents: toNumber(row.dealValueCents),
    expectedCloseOn: toIsoDate(row.expectedCloseOn),
    nextTask: row.nextTask ? { ...row.nextTask, dueOn: toIsoDate(row.nextTask.dueOn)! } : null,
  };
}

export async function assertLead(db: Db, orgId: string, id: string) {
  const lead = await db.lead.findFirst({ where: { id, organizationId: orgId }, select: { id: true } });
  if (!lead) throw notFound("That lead");
}

type ListSqlRow = {
  id: string;
  addressLine1: string;
  city: string;
  state: string;
  zip: string;
  ownerName: string | null;
  status: LeadStatus;
  temperature: Temperature;
  score: number;
  source: LeadSource;
  hasPhone: boolean;
  textable: boolean;
  skipTracedAt: Date | null;
  /** int8 arrives as text from node-pg. */
  estimatedValueCents: string | null;
  equityPct: number | null;
  absentee: boolean | null;
  ownerIsCorporate: boolean;
  lastContactAt: Date | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  assignee: { id: string; name: string | null; email: string } | null;
  tags: { id: string; name: string; color: string }[];
  dealValueCents: string | null;
  expectedCloseOn: string | null;
  /** dueAt as an ISO instant string (JSON). */
  nextTask: { id: string; note: string; dueOn: string; dueTime: string | null; dueAt: string; assigneeId: string | null } | null;
};

/**
 * One page of the list as ONE statement: the leads in the page's order (filter, order and keyset
 * are lead-records/filter-sql.ts, the export's own translation; the cursor lead is read by the
 * statement itself), each with its assignee and its tags aggregated by Postgres. Timestamps are
 * read as UTC instants (the columns are timestamp without time zone holding UTC).
 */
function listSql(orgId: string, input: z.output<typeof listLeadsInput>): Prisma.Sql {
  const keyset = input.cursor ? Prisma.sql`AND ${afterLeadSql(input.sort, orgId, input.cursor)}` : Prisma.empty;
  return Prisma.sql`
    SELECT l.id, l."addressLine1", l.city, l.state, l.zip, l."ownerName", l.status::text AS status, l.temperature::text AS temperature,
      l.score, l.source::text AS source, l."hasPhone", l.textable, l."skipTracedAt" AT TIME ZONE 'UTC' AS "skipTracedAt",
      l."estimatedValueCents", l."equityPct", l.absentee, l."archivedAt" AT TIME ZONE 'UTC' AS "archivedAt",
      l."ownerIsCorporate",
      (SELECT max(c."lastMessageAt") FROM "Conversation" c WHERE c."leadId" = l.id AND c."organizationId" = l."organizationId") AT TIME ZONE 'UTC' AS "lastContactAt",
      l."createdAt" AT TIME ZONE 'UTC' AS "createdAt", l."updatedAt" AT TIME ZONE 'UTC' AS "updatedAt",
      (SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email) FROM "User" u WHERE u.id = l."assigneeId") AS assignee,
      COALESCE((
        SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color) ORDER BY lt."createdAt", lt."tagId")
        FROM "LeadTag" lt JOIN "Tag" t ON t.id = lt."tagId"
        WHERE lt."leadId" = l.id AND t."organizationId" = ${orgId}
      ), '[]'::json) AS tags,
      l."dealValueCents", l."expectedCloseOn"::text AS "expectedCloseOn",
      (SELECT json_build_object('id', t.id, 'note', t.note, 'dueOn', t."dueOn"::text, 'dueTime', t."dueTime",
          'dueAt', to_char(t."dueAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'assigneeId', t."assigneeId")
        FROM "Task" t WHERE t.id = l."nextTaskId") AS "nextTask"
    FROM "Lead" l
    WHERE ${leadFilterSql(orgId, input.filters)} ${keyset}
    ORDER BY ${leadOrderSql(input.sort)}
    LIMIT ${input.limit + 1}`;
}

export async function listLeads(ctx: ServiceContext, input: z.output<typeof listLeadsInput>) {
  const rows = await querySql<ListSqlRow>(ctx.db, listSql(ctx.orgId, input));
  // An empty page after a cursor: was the cursor one of ours at all? (Only then a second read.)
  if (rows.length === 0 && input.cursor) await assertLead(ctx.db, ctx.orgId, input.cursor);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      ...row,
      estimatedValueCents: row.estimatedValueCents === null ? null : Number(row.estimatedValueCents),
      dealValueCents: row.dealValueCents === null ? null : Number(row.dealValueCents),
      nextTask: row.nextTask ? { ...row.nextTask, dueAt: new Date(row.nextTask.dueAt) } : null,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Filters the maintained counters ("LeadCount", kept by triggers on "Lead") can answer by themselves. */
const COUNTER_DIMENSIONS = new Set<keyof LeadFilters>(["status", "temperature", "source", "hasPhone", "textable", "skipTraced", "archived"]);

function countersAnswer(filters: LeadFilters): boolean {
  return (Object.keys(filters) as (keyof LeadFilters)[]).every((key) => {
    const value = filters[key];
    return COUNTER_DIMENSIONS.has(key) || value === undefined || (Array.isArray(value) && value.length === 0);
  });
}

/** The filters over the counters' dimensions as SQL over `c` (a "LeadCount" row); the same meaning as leadFilterSql's. */
function counterFilterSql(filters: LeadFilters): Prisma.Sql {
  const conditions = [Prisma.sql`true`];
  if (filters.status?.length) conditions.push(Prisma.sql`c.status::text = ANY(${filters.status}::text[])`);
  if (filters.temperature?.length) conditions.push(Prisma.sql`c.temperature::text = ANY(${filters.temperature}::text[])`);
  if (filters.source?.length) conditions.push(Prisma.sql`c.source::text = ANY(${filters.source}::text[])`);
  if (filters.hasPhone !== undefined) conditions.push(Prisma.sql`c."hasPhone" = ${filters.hasPhone}`);
  if (filters.textable !== undefined) conditions.push(Prisma.sql`c.textable = ${filters.textable}`);
  if (filters.skipTraced !== undefined) conditions.push(Prisma.sql`c."skipTraced" = ${filters.skipTraced}`);
  if (filters.archived === "exclude") conditions.push(Prisma.sql`NOT c.archived`);
  if (filters.archived === "only") conditions.push(Prisma.sql`c.archived`);
  return Prisma.join(conditions, " AND ");
}

/** Past this many unfolded delta rows a counts read folds the organization's deltas (after answering). */
export const FOLD_DELTAS_AFTER = 200;

type CountRow = { status: LeadStatus; temperature: Temperature; n: number; with_phone: number; textable: number; deltas: number };

/** Adds an organization's pending count deltas into its counters (one statement; see the migration). */
export async function foldLeadCountDeltas(db: Db, orgId: string): Promise<void> {
  await querySql(db, Prisma.sql`SELECT leadflow_fold_lead_count_deltas(${orgId})`);
}

/**
 * How many leads match the filters (the status filter left out: the counts are what each status
 * chip would show), by status and by temperature. Filters on the counters' dimensions are
 * answered from the counters the triggers on "Lead" keep in the writing transaction — "LeadCount"
 * plus the not yet folded "LeadCountDelta" rows, summed in one statement, so exact and at most a
 * few hundred rows per organization; any other filter (tags, ZIP, assignee, score, free text)
 * counts the matching leads themselves.
 */
export async function leadCounts(ctx: Pick<ServiceContext, "db" | "orgId">, filters: LeadFilters) {
  const counted = { ...filters, status: undefined };
  const fromCounters = countersAnswer(counted);
  const rows = fromCounters
    ? await querySql<CountRow>(ctx.db, Prisma.sql`
        SELECT c.status::text AS status, c.temperature::text AS temperature, sum(c.count)::int AS n,
          COALESCE(sum(c.count) FILTER (WHERE c."hasPhone"), 0)::int AS with_phone, COALESCE(sum(c.count) FILTER (WHERE c.textable), 0)::int AS textable, sum(c.delta)::int AS deltas
        FROM (
          SELECT status, temperature, source, "hasPhone", textable, "skipTraced", archived, count, 0 AS delta FROM "LeadCount" WHERE "organizationId" = ${ctx.orgId}
          UNION ALL
          SELECT status, temperature, source, "hasPhone", textable, "skipTraced", archived, count, 1 FROM "LeadCountDelta" WHERE "organizationId" = ${ctx.orgId}
        ) c
        WHERE ${counterFilterSql(counted)} GROUP BY 1, 2`)
    : await querySql<CountRow>(ctx.db, Prisma.sql`
        SELECT l.status::text AS status, l.temperature::text AS temperature, count(*)::int AS n,
          (count(*) FILTER (WHERE l."hasPhone"))::int AS with_phone, (count(*) FILTER (WHERE l.textable))::int AS textable, 0 AS deltas
        FROM "Lead" l WHERE ${leadFilterSql(ctx.orgId, counted)} GROUP BY 1, 2`);
  const byStatus = Object.fromEntries(LEAD_STATUSES.map((status) => [status, 0])) as Record<LeadStatus, number>;
  const byTemperature = Object.fromEntries(TEMPERATURES.map((temperature) => [temperature, 0])) as Record<Temperature, number>;
  const withPhoneByStatus = { ...byStatus };
  const textableByStatus = { ...byStatus };
  let total = 0;
  let deltas = 0;
  for (const row of rows) {
    byStatus[row.status] += row.n;
    byTemperature[row.temperature] += row.n;
    withPhoneByStatus[row.status] += row.with_phone;
    textableByStatus[row.status] += row.textable;
    total += row.n;
    deltas += row.deltas;
  }
  if (fromCounters && deltas > FOLD_DELTAS_AFTER) {
    // Off the answer's path: the answer is exact either way, folding keeps the next reads short.
    void foldLeadCountDeltas(ctx.db, ctx.orgId).catch((error: unknown) => log.warn({ err: error, orgId: ctx.orgId }, "could not fold lead count deltas"));
  }
  return { total, byStatus, byTemperature, withPhoneByStatus, textableByStatus };
}

export async function getLead(ctx: Pick<ServiceContext, "db" | "orgId">, id: string) {
  const lead = await ctx.db.lead.findFirst({
    where: { id, organizationId: ctx.orgId },
    select: {
      ...listSelect,
      mailingAddress: true,
      ownerIsCorporate: true,
      propertyType: true,
      beds: true,
      baths: true,
      sizeSqft: true,
      yearBuilt: true,
      assessedValueCents: true,
      lastSaleDate: true,
      lastSalePriceCents: true,
      vacant: true,
      scoreFactors: true,
      aiSummary: true,
      wonAt: true,
      wonAmountCents: true,
      lostAt: true,
      lostReason: true,
      emails: { select: { id: true, email: true, source: true }, orderBy: { createdAt: "asc" } },
      notes: { orderBy: { createdAt: "desc" }, take: 200, select: { id: true, body: true, createdAt: true, updatedAt: true, author: personSelect } },
      activities: { orderBy: { createdAt: "desc" }, take: 200, select: { id: true, kind: true, details: true, createdAt: true, actor: personSelect } },
    },
  });
  if (!lead) throw notFound("That lead");
  const { activities, ...rest } = lead;
  const phones = await leadPhoneDetails(ctx.db, ctx.orgId, id);
  return {
    ...toListItem(rest),
    mailingAddress: rest.mailingAddress,
    ownerIsCorporate: rest.ownerIsCorporate,
    propertyType: rest.propertyType,
    beds: rest.beds,
    baths: rest.baths,
    sizeSqft: rest.sizeSqft,
    yearBuilt: rest.yearBuilt,
    assessedValueCents: toNumber(rest.assessedValueCents),
    lastSaleDate: toIsoDate(rest.lastSaleDate),
    lastSalePriceCents: toNumber(rest.lastSalePriceCents),
    vacant: rest.vacant,
    scoreFactors: (rest.scoreFactors as { factor: string; points: number; detail: string }[] | null) ?? [],
    aiSummary: rest.aiSummary,
    wonAt: toIsoDate(rest.wonAt),
    wonAmountCents: toNumber(rest.wonAmountCents),
    lostAt: rest.lostAt,
    lostReason: rest.lostReason,
    phones,
    emails: rest.emails,
    notes: rest.notes.map(({ author, ...note }) => ({ ...note, author })),
    activity: activities.map(({ actor, ...event }) => ({ ...event, actor })),
  };
}

type Facts = z.output<typeof leadFactsSchema>;

function factsData(facts: Facts & { dealValueCents?: number | null; expectedCloseOn?: string | null }): Prisma.LeadUncheckedUpdateInput {
  const data: Prisma.LeadUncheckedUpdateInput = {};
  for (const [key, value] of Object.entries(facts)) {
    if (value === undefined) continue;
    if (key === "estimatedValueCents" || key === "lastSalePriceCents" || key === "dealValueCents") data[key] = value === null ? null : BigInt(value as number);
    else if (key === "lastSaleDate" || key === "expectedCloseOn") data[key] = value === null ? null : new Date(`${value as string}T00:00:00Z`);
    else (data as Record<string, unknown>)[key] = value;
  }
  return data;
}

export async function createLead(ctx: ServiceContext, input: z.output<typeof createLeadInput>) {
  const { idempotencyKey, ...payload } = input;
  const create = async (): Promise<{ leadId: string; created: boolean }> => {
    const address = normalizeAddress({ street: payload.addressLine1, city: payload.city, state: payload.state, zip: payload.zip });
    const dedupKey = leadDedupKey({ street: payload.addressLine1, city: payload.city, state: payload.state, zip: payload.zip }, payload.ownerName);
    const existing = await ctx.db.lead.findUnique({ where: { organizationId_dedupKey: { organizationId: ctx.orgId, dedupKey } }, select: { id: true } });
    if (existing) return { leadId: existing.id, created: false };
    const facts = factsData(payload) as Prisma.LeadUncheckedCreateInput;
    const ownerIsCorporate = isCorporateOwnerName(payload.ownerName ?? "");
    try {
      return await ctx.db.$transaction(async (tx) => {
        const lead = await tx.lead.create({
          data: {
            ...facts,
            organizationId: ctx.orgId,
            source: "manual",
            addressLine1: payload.addressLine1,
            city: payload.city,
            state: payload.state,
            zip: payload.zip,
            normalizedAddress: address.key,
            normalizedOwner: normalizeOwnerName(payload.ownerName ?? ""),
            dedupKey,
            status: payload.status,
            ownerIsCorporate,
            createdById: ctx.userId,
            ...leadScoreData({
              equityPct: payload.equityPct ?? null,
              absentee: payload.absentee ?? null,
              ownerIsCorporate,
              lastSaleDate: payload.lastSaleDate ? new Date(`${payload.lastSaleDate}T00:00:00Z`) : null,
              lastSalePriceCents: payload.lastSalePriceCents == null ? null : BigInt(payload.lastSalePriceCents),
              estimatedValueCents: payload.estimatedValueCents == null ? null : BigInt(payload.estimatedValueCents),
              vacant: payload.vacant ?? null,
              status: payload.status,
            }),
          },
          select: { id: true },
        });
        await recordActivities(tx, [{ orgId: ctx.orgId, leadId: lead.id, actorId: ctx.userId, kind: "created", details: { source: "manual" } }]);
        return { leadId: lead.id, created: true };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await ctx.db.lead.findUniqueOrThrow({ where: { organizationId_dedupKey: { organizationId: ctx.orgId, dedupKey } }, select: { id: true } });
      return { leadId: winner.id, created: false };
    }
  };
  const outcome = idempotencyKey
    ? await withIdempotency(ctx.db, { orgId: ctx.orgId, scope: "lead.create", key: idempotencyKey, payload }, create)
    : { result: await create(), replayed: false };
  return { lead: await getLead(ctx, outcome.result.leadId), created: outcome.result.created, replayed: outcome.replayed };
}

async function assertMember(db: Db, orgId: string, userId: string) {
  const member = await db.membership.findFirst({ where: { organizationId: orgId, userId, deactivatedAt: null }, select: { id: true } });
  if (!member) throw notFound("That teammate");
}

export async function updateLead(ctx: ServiceContext, input: z.output<typeof updateLeadInput>) {
  const { status, assigneeId, ...facts } = input.patch;
  const lead = await ctx.db.lead.findFirst({ where: { id: input.id, organizationId: ctx.orgId } });
  if (!lead) throw notFound("That lead");
  if (assigneeId) await assertMember(ctx.db, ctx.orgId, assigneeId);

  const data: Prisma.LeadUncheckedUpdateInput = factsData(facts);
  const events: ActivityInput[] = [];
  const base = { orgId: ctx.orgId, leadId: lead.id, actorId: ctx.userId };
  if (status && status !== lead.status) {
    data.status = status;
    events.push({ ...base, kind: "status_changed", details: { from: lead.status, to: status } });
  }
  if (assigneeId !== undefined && assigneeId !== lead.assigneeId) {
    data.assigneeId = assigneeId;
    events.push({ ...base, kind: "assigned", details: { to: assigneeId } });
  }
  const changedFacts = Object.keys(facts).filter((key) => facts[key as keyof typeof facts] !== undefined);
  if (changedFacts.length > 0) events.push({ ...base, kind: "updated", details: { fields: changedFacts } });
  if (facts.ownerName !== undefined) {
    data.normalizedOwner = normalizeOwnerName(facts.ownerName ?? "");
    data.ownerIsCorporate = isCorporateOwnerName(facts.ownerName ?? "");
    data.dedupKey = leadDedupKey({ street: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip }, facts.ownerName);
  }
  const merged = { ...lead, ...(data as Partial<typeof lead>) };
  Object.assign(data, leadScoreData(merged));

  try {
    await ctx.db.$transaction(async (tx) => {
      await tx.lead.update({ where: { id: lead.id }, data });
      await recordActivities(tx, events);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "Another lead already has this address and owner.");
    }
    throw error;
  }
  return getLead(ctx, lead.id);
}

/**
 * A phone typed in by a teammate. It starts opted out when the organization's opt-out list has the
 * number, and becomes the best phone when the lead has none and it can take texts.
 */
export async function addLeadPhone(ctx: ServiceContext, input: z.output<typeof addPhoneInput>) {
  await assertLead(ctx.db, ctx.orgId, input.leadId);
  try {
    await ctx.db.$transaction(async (tx) => {
      const [optedOut, bestPhones] = await Promise.all([
        tx.suppression.count({ where: { organizationId: ctx.orgId, phone: input.number, leadId: null, liftedAt: null } }),
        tx.leadPhone.count({ where: { leadId: input.leadId, isBest: true } }),
      ]);
      await tx.leadPhone.create({
        data: {
          organizationId: ctx.orgId,
          leadId: input.leadId,
          number: input.number,
          type: input.type,
          source: "manual",
          status: optedOut > 0 ? "opted_out" : "ok",
          isBest: bestPhones === 0 && input.type !== "landline",
        },
      });
      await recordActivities(tx, [{ orgId: ctx.orgId, leadId: input.leadId, actorId: ctx.userId, kind: "updated", details: { fields: ["phones"], phone: input.number } }]);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "This number is already on this lead.");
    throw error;
  }
  return getLead(ctx, input.leadId);
}

async function bulkLeadIds(ctx: ServiceContext, target: z.output<typeof bulkInput>["target"]): Promise<string[]> {
  const where = "ids" in target ? { organizationId: ctx.orgId, id: { in: target.ids } } : leadWhere(ctx.orgId, target.filters);
  const rows = await ctx.db.lead.findMany({ where, select: { id: true }, take: MAX_BULK + 1 });
  if (rows.length > MAX_BULK) {
    throw new AppError("BAD_REQUEST", `That filter matches more than ${MAX_BULK.toLocaleString()} leads; narrow it down first.`);
  }
  if ("ids" in target && rows.length !== new Set(target.ids).size) throw notFound("One or more of the selected leads");
  return rows.map((row) => row.id);
}

export async function bulkUpdate(ctx: ServiceContext, input: z.output<typeof bulkInput>) {
  const { action } = input;
  if (action.kind === "archive" || action.kind === "restore") assertRole(ctx.role, "manager");
  if (action.kind === "tag" || action.kind === "untag") {
    const tag = await ctx.db.tag.findFirst({ where: { id: action.tagId, organizationId: ctx.orgId }, select: { id: true, name: true } });
    if (!tag) throw notFound("That tag");
  }
  if (action.kind === "assign" && action.assigneeId) await assertMember(ctx.db, ctx.orgId, action.assigneeId);
  const ids = await bulkLeadIds(ctx, input.target);
  const base = (leadId: string) => ({ orgId: ctx.orgId, leadId, actorId: ctx.userId });

  return ctx.db.$transaction(
    async (tx) => {
      let changedIds: string[] = [];
      switch (action.kind) {
        case "status": {
          const affected = await tx.lead.findMany({ where: { id: { in: ids }, status: { not: action.status } }, select: { id: true, status: true } });
          changedIds = affected.map((lead) => lead.id);
          await tx.lead.updateMany({ where: { id: { in: changedIds } }, data: { status: action.status } });
          await recordActivities(tx, affected.map((lead) => ({ ...base(lead.id), kind: "status_changed", details: { from: lead.status, to: action.status, bulk: true } })));
          break;
        }
        case "assign": {
          const affected = await tx.lead.findMany({ where: { id: { in: ids }, NOT: { assigneeId: action.assigneeId } }, select: { id: true } });
          const unassigned = action.assigneeId ? await tx.lead.findMany({ where: { id: { in: ids }, assigneeId: null }, select: { id: true } }) : [];
          changedIds = [...new Set([...affected, ...unassigned].map((lead) => lead.id))];
          await tx.lead.updateMany({ where: { id: { in: changedIds } }, data: { assigneeId: action.assigneeId } });
          await recordActivities(tx, changedIds.map((id) => ({ ...base(id), kind: "assigned", details: { to: action.assigneeId, bulk: true } })));
          break;
        }
        case "tag": {
          const existing = new Set((await tx.leadTag.findMany({ where: { tagId: action.tagId, leadId: { in: ids } }, select: { leadId: true } })).map((t) => t.leadId));
          changedIds = ids.filter((id) => !existing.has(id));
          await tx.leadTag.createMany({ data: changedIds.map((leadId) => ({ leadId, tagId: action.tagId, organizationId: ctx.orgId })), skipDuplicates: true });
          await recordActivities(tx, changedIds.map((id) => ({ ...base(id), kind: "tagged", details: { tagId: action.tagId } })));
          break;
        }
        case "untag": {
          const existing = await tx.leadTag.findMany({ where: { tagId: action.tagId, leadId: { in: ids } }, select: { leadId: true } });
          changedIds = existing.map((t) => t.leadId);
          await tx.leadTag.deleteMany({ where: { tagId: action.tagId, leadId: { in: changedIds } } });
          await recordActivities(tx, changedIds.map((id) => ({ ...base(id), kind: "untagged", details: { tagId: action.tagId } })));
          break;
        }
        case "archive":
        case "restore": {
          const archiving = action.kind === "archive";
          const affected = await tx.lead.findMany({ where: { id: { in: ids }, archivedAt: archiving ? null : { not: null } }, select: { id: true } });
          changedIds = affected.map((lead) => lead.id);
          await tx.lead.updateMany({ where: { id: { in: changedIds } }, data: { archivedAt: archiving ? new Date() : null } });
          await recordActivities(tx, changedIds.map((id) => ({ ...base(id), kind: archiving ? "archived" : "restored" })));
          break;
        }
      }
      if (changedIds.length > 0 && action.kind === "status") {
        // Status feeds the score (a reply counts), so rescore what moved.
        const moved = await tx.lead.findMany({ where: { id: { in: changedIds } } });
        for (const lead of moved) await tx.lead.update({ where: { id: lead.id }, data: leadScoreData(lead) });
      }
      return { matched: ids.length, changed: changedIds.length };
    },
    { timeout: 60_000 },
  );
}

export async function setOutcome(ctx: ServiceContext, input: z.output<typeof outcomeInput>) {
  const lead = await ctx.db.lead.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true, status: true } });
  if (!lead) throw notFound("That lead");
  const base = { orgId: ctx.orgId, leadId: lead.id, actorId: ctx.userId };
  await ctx.db.$transaction(async (tx) => {
    if (input.outcome === "won") {
      await tx.lead.update({
        where: { id: lead.id },
        // The deal's value becomes what it was won for (the pipeline's closed column sums it).
        data: { status: "closed", wonAt: new Date(`${input.date}T00:00:00Z`), wonAmountCents: BigInt(input.amountCents), dealValueCents: BigInt(input.amountCents), lostAt: null, lostReason: null },
      });
      await recordActivities(tx, [{ ...base, kind: "won", details: { amountCents: input.amountCents, date: input.date } }]);
    } else if (input.outcome === "lost") {
      await tx.lead.update({ where: { id: lead.id }, data: { status: "dead", lostAt: new Date(), lostReason: input.reason, wonAt: null, wonAmountCents: null } });
      await recordActivities(tx, [{ ...base, kind: "lost", details: { reason: input.reason } }]);
    } else {
      await tx.lead.update({
        where: { id: lead.id },
        data: { status: lead.status === "closed" || lead.status === "dead" ? "negotiating" : lead.status, wonAt: null, wonAmountCents: null, lostAt: null, lostReason: null },
      });
      await recordActivities(tx, [{ ...base, kind: "status_changed", details: { from: lead.status, to: "negotiating", reopened: true } }]);
    }
  });
  return getLead(ctx, lead.id);
}

export async function setLeadTags(ctx: ServiceContext, input: z.output<typeof setLeadTagsInput>) {
  await assertLead(ctx.db, ctx.orgId, input.leadId);
  const wanted = [...new Set(input.tagIds)];
  const tags = await ctx.db.tag.findMany({ where: { id: { in: wanted }, organizationId: ctx.orgId }, select: { id: true } });
  if (tags.length !== wanted.length) throw notFound("One or more of those tags");
  const current = (await ctx.db.leadTag.findMany({ where: { leadId: input.leadId }, select: { tagId: true } })).map((t) => t.tagId);
  const added = wanted.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !wanted.includes(id));
  const base = { orgId: ctx.orgId, leadId: input.leadId, actorId: ctx.userId };
  await ctx.db.$transaction(async (tx) => {
    await tx.leadTag.deleteMany({ where: { leadId: input.leadId, tagId: { in: removed } } });
    await tx.leadTag.createMany({ data: added.map((tagId) => ({ leadId: input.leadId, tagId, organizationId: ctx.orgId })) });
    await recordActivities(tx, [
      ...added.map((tagId) => ({ ...base, kind: "tagged" as const, details: { tagId } })),
      ...removed.map((tagId) => ({ ...base, kind: "untagged" as const, details: { tagId } })),
    ]);
  });
  return getLead(ctx, input.leadId);
}

/** One prepared statement on the pool: the leads page prefetches this on every render. */
export async function listAssignees(ctx: Pick<ServiceContext, "db" | "orgId">) {
  return querySql<{ id: string; name: string | null; email: string; role: Role }>(
    ctx.db,
    Prisma.sql`SELECT u."id", u."name", u."email", m."role"::text AS "role"
      FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
      WHERE m."organizationId" = ${ctx.orgId} AND m."deactivatedAt" IS NULL
      ORDER BY m."createdAt" ASC, m."id" ASC`,
  );
}
