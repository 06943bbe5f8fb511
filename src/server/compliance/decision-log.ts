import "server-only";
import type { z } from "zod";
import type { ServiceContext } from "../context";
import type { Db, Prisma } from "../db";
import { csvStream, type CsvValue } from "../csv/write";
import { AppError } from "../errors";
import { keysetAfter } from "../pagination";
import type { DecisionFilters, DecisionRow, listDecisionsInput, listDecisionsOutput } from "./decisions-schema";

/**
 * The decision log (issue 10 item 2): every send decision with the rule that decided and its
 * source — the audit trail of why each text went or did not go. Newest first, keyset pages; the
 * CSV export streams the same rows page by page through the one CSV writer.
 */

type Ctx = Pick<ServiceContext, "db" | "orgId">;

function phoneSearch(q: string): string {
  const digits = q.replace(/\D/g, "");
  if (!digits) {
    const message = "Search by the digits of the phone number.";
    throw new AppError("BAD_REQUEST", message, { field: "filters.phone" }, { cause: Object.assign(new Error(message), { issues: [{ path: ["filters", "phone"], message }] }) });
  }
  return digits;
}

export function decisionWhere(orgId: string, filters: DecisionFilters): Prisma.SendDecisionWhereInput {
  const where: Prisma.SendDecisionWhereInput = { organizationId: orgId };
  if (filters.outcome) where.outcome = filters.outcome;
  if (filters.kind) where.kind = filters.kind;
  if (filters.reason) where.reason = filters.reason;
  if (filters.phone) where.phone = { contains: phoneSearch(filters.phone) };
  if (filters.from || filters.to) where.decidedAt = { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lt: filters.to } : {}) };
  return where;
}

const ROW_SELECT = {
  id: true,
  decidedAt: true,
  phone: true,
  leadId: true,
  kind: true,
  outcome: true,
  reason: true,
  message: true,
  deferredUntil: true,
  ruleName: true,
  ruleSource: true,
  location: true,
  actorUserId: true,
  campaignId: true,
  messageId: true,
} satisfies Prisma.SendDecisionSelect;
type RawRow = Prisma.SendDecisionGetPayload<{ select: typeof ROW_SELECT }>;

async function page(db: Db, orgId: string, where: Prisma.SendDecisionWhereInput, after: { id: string; decidedAt: Date } | null, take: number): Promise<RawRow[]> {
  return db.sendDecision.findMany({
    where: after ? { AND: [where, keysetAfter("decidedAt", "desc", after.decidedAt, after.id) as Prisma.SendDecisionWhereInput] } : where,
    orderBy: [{ decidedAt: "desc" }, { id: "desc" }],
    take,
    select: ROW_SELECT,
  });
}

async function present(db: Db, orgId: string, rows: RawRow[]): Promise<DecisionRow[]> {
  const leadIds = [...new Set(rows.map((r) => r.leadId).filter((id): id is string => id !== null))];
  const userIds = [...new Set(rows.map((r) => r.actorUserId).filter((id): id is string => id !== null))];
  const [leads, users] = await Promise.all([
    leadIds.length ? db.lead.findMany({ where: { id: { in: leadIds }, organizationId: orgId }, select: { id: true, addressLine1: true, city: true } }) : [],
    userIds.length ? db.user.findMany({ where: { id: { in: userIds }, memberships: { some: { organizationId: orgId } } }, select: { id: true, name: true, email: true } }) : [],
  ]);
  const leadById = new Map(leads.map((l) => [l.id, { id: l.id, label: `${l.addressLine1}, ${l.city}` }]));
  const userById = new Map(users.map((u) => [u.id, u]));
  return rows.map(({ leadId, actorUserId, ...row }) => ({
    ...row,
    lead: leadId ? (leadById.get(leadId) ?? null) : null,
    actor: actorUserId ? (userById.get(actorUserId) ?? null) : null,
  }));
}

export async function listDecisions(ctx: Ctx, input: z.output<typeof listDecisionsInput>): Promise<z.infer<typeof listDecisionsOutput>> {
  const where = decisionWhere(ctx.orgId, input.filters);
  let after: { id: string; decidedAt: Date } | null = null;
  if (input.cursor) {
    after = await ctx.db.sendDecision.findFirst({ where: { id: input.cursor, organizationId: ctx.orgId }, select: { id: true, decidedAt: true } });
    if (!after) throw new AppError("NOT_FOUND", "That page of the decision log was not found; reload the list.");
  }
  const rows = await page(ctx.db, ctx.orgId, where, after, input.limit + 1);
  const items = await present(ctx.db, ctx.orgId, rows.slice(0, input.limit));
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

export const DECISION_EXPORT_COLUMNS = [
  "decided_at",
  "phone",
  "kind",
  "outcome",
  "reason",
  "explanation",
  "deferred_until",
  "rule",
  "rule_source",
  "recipient_location",
  "lead_id",
  "actor",
  "campaign_id",
  "message_id",
  "id",
] as const;
const TRUSTED = new Set<string>(["decided_at", "phone", "kind", "outcome", "reason", "deferred_until", "lead_id", "campaign_id", "message_id", "id"]);

/** The decision log as a streamed CSV (newest first, the page's filters), one keyset page in memory at a time. */
export function decisionsCsvStream(db: Db, orgId: string, filters: DecisionFilters, pageSize = 1000): ReadableStream<Uint8Array> {
  const where = decisionWhere(orgId, filters);
  let after: { id: string; decidedAt: Date } | null = null;
  let done = false;
  return csvStream({
    header: DECISION_EXPORT_COLUMNS,
    trustedColumns: TRUSTED,
    async nextPage() {
      if (done) return null;
      const rows = await page(db, orgId, where, after, pageSize);
      if (rows.length < pageSize) done = true;
      const last = rows.at(-1);
      if (last) after = { id: last.id, decidedAt: last.decidedAt };
      const shown = await present(db, orgId, rows);
      return shown.map((r): CsvValue[] => [
        r.decidedAt.toISOString(),
        r.phone,
        r.kind,
        r.outcome,
        r.reason,
        r.message,
        r.deferredUntil?.toISOString() ?? "",
        r.ruleName,
        r.ruleSource,
        r.location,
        r.lead?.id ?? "",
        r.actor?.email ?? "",
        r.campaignId,
        r.messageId,
        r.id,
      ]);
    },
  });
}
