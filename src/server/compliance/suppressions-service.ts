import "server-only";
import type { z } from "zod";
import { recordAudit } from "../audit/record";
import type { ServiceContext } from "../context";
import type { Db, Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { writeConsentEvent } from "./consent";
import { keysetAfter } from "../pagination";
import { lockListNumber, membersById, phoneDigits, phoneField } from "./fields";
import type {
  addSuppressionInput,
  importSuppressionsInput,
  ImportSuppressionsResult,
  liftSuppressionInput,
  listSuppressionsInput,
  SuppressionFilters,
  SuppressionRow,
} from "./schema";
import { IMPORT_REJECTS_SHOWN } from "./schema";
import { parseOptOutCsv } from "./suppressions-csv";
import { liftNumberSuppression, suppress, suppressionLiveKey, suppressNumbers } from "./suppressions";

/**
 * The organization's suppression list ("Opt-outs", SPEC §6): list, manual add, lift by a recorded
 * opt-in, CSV import. The send decision (decide.ts) reads the same rows, so a number added here is
 * refused by every send path, and a lifted one is allowed again.
 */

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId">;
type Tx = Prisma.TransactionClient;

const OPT_IN_LABELS = { documented_consent: "Documented consent", start_reply: "START reply" } as const;

export function suppressionWhere(orgId: string, filters: SuppressionFilters): Prisma.SuppressionWhereInput {
  const where: Prisma.SuppressionWhereInput = { organizationId: orgId };
  if (filters.q) where.phone = { contains: phoneDigits(filters.q) };
  if (filters.reason) where.reason = filters.reason;
  if (filters.state === "live") where.liftedAt = null;
  if (filters.state === "lifted") where.liftedAt = { not: null };
  return where;
}

const ROW_SELECT = {
  id: true,
  phone: true,
  reason: true,
  leadId: true,
  sourceMessageId: true,
  actorUserId: true,
  evidence: true,
  createdAt: true,
  liftedAt: true,
  liftedById: true,
  liftReason: true,
} satisfies Prisma.SuppressionSelect;
type RawRow = Prisma.SuppressionGetPayload<{ select: typeof ROW_SELECT }>;

const MESSAGE_EXCERPT = 160;

/** Rows with who added/lifted them, their lead and source message, each looked up in this organization only. */
async function present(db: Db | Tx, orgId: string, rows: RawRow[]): Promise<SuppressionRow[]> {
  const ids = (pick: (row: RawRow) => (string | null)[]) => [...new Set(rows.flatMap(pick).filter((id): id is string => id !== null))];
  const userIds = ids((r) => [r.actorUserId, r.liftedById]);
  const leadIds = ids((r) => [r.leadId]);
  const messageIds = ids((r) => [r.sourceMessageId]);
  const [userById, leads, messages] = await Promise.all([
    membersById(db, orgId, userIds),
    leadIds.length ? db.lead.findMany({ where: { id: { in: leadIds }, organizationId: orgId }, select: { id: true, addressLine1: true, city: true } }) : [],
    messageIds.length
      ? db.message.findMany({ where: { id: { in: messageIds }, organizationId: orgId }, select: { id: true, body: true, createdAt: true } })
      : [],
  ]);
  const leadById = new Map(leads.map((l) => [l.id, { id: l.id, label: `${l.addressLine1}, ${l.city}` }]));
  const messageById = new Map(
    messages.map((m) => [m.id, { id: m.id, body: m.body.length > MESSAGE_EXCERPT ? `${m.body.slice(0, MESSAGE_EXCERPT - 1)}…` : m.body, at: m.createdAt }]),
  );
  return rows.map((row) => ({
    id: row.id,
    phone: row.phone,
    reason: row.reason,
    scope: row.leadId ? ("lead" as const) : ("organization" as const),
    lead: row.leadId ? (leadById.get(row.leadId) ?? null) : null,
    sourceMessage: row.sourceMessageId ? (messageById.get(row.sourceMessageId) ?? null) : null,
    addedBy: row.actorUserId ? (userById.get(row.actorUserId) ?? null) : null,
    evidence: row.evidence,
    createdAt: row.createdAt,
    lifted: row.liftedAt
      ? { at: row.liftedAt, by: row.liftedById ? (userById.get(row.liftedById) ?? null) : null, reason: row.liftReason ?? "" }
      : null,
  }));
}

async function presentOne(db: Db | Tx, orgId: string, id: string): Promise<SuppressionRow> {
  const row = await db.suppression.findFirstOrThrow({ where: { id, organizationId: orgId }, select: ROW_SELECT });
  const [shown] = await present(db, orgId, [row]);
  return shown!;
}

export async function listSuppressions({ db, orgId }: Ctx, input: z.output<typeof listSuppressionsInput>) {
  const where = suppressionWhere(orgId, input.filters);
  if (input.cursor) {
    const after = await db.suppression.findFirst({ where: { id: input.cursor, organizationId: orgId }, select: { id: true, createdAt: true } });
    if (!after) throw notFound("That opt-out");
    where.AND = [keysetAfter("createdAt", "desc", after.createdAt, after.id) as Prisma.SuppressionWhereInput];
  }
  const rows = await db.suppression.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: input.limit + 1, select: ROW_SELECT });
  const page = rows.slice(0, input.limit);
  return { items: await present(db, orgId, page), nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function addSuppression(ctx: Ctx, input: z.output<typeof addSuppressionInput>) {
  const phone = phoneField(input.phone);
  return ctx.db.$transaction(async (tx) => {
    if (input.leadId) {
      const lead = await tx.lead.findFirst({ where: { id: input.leadId, organizationId: ctx.orgId }, select: { id: true } });
      if (!lead) throw notFound("That lead");
    }
    await lockListNumber(tx, "suppression", ctx.orgId, phone);
    const existing = await tx.suppression.findUnique({
      where: { organizationId_liveKey: { organizationId: ctx.orgId, liveKey: suppressionLiveKey(phone, null) } },
      select: { id: true },
    });
    // Org-wide: a person's "don't text me" covers the number on every lead (leadId is kept for wrong-number rows).
    const id = existing?.id ?? (await suppress(tx, { organizationId: ctx.orgId, phone, leadId: null, reason: "manual", actorUserId: ctx.userId, evidence: input.evidence }));
    if (!existing) {
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actorId: ctx.userId,
        action: "suppression.added",
        targetType: "suppression",
        targetId: id,
        details: { phone, evidence: input.evidence, leadId: input.leadId ?? null },
        requestId: ctx.requestId,
      });
    }
    return { created: !existing, suppression: await presentOne(tx, ctx.orgId, id) };
  });
}

export async function liftSuppression(ctx: Ctx, input: z.output<typeof liftSuppressionInput>) {
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.suppression.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true, phone: true, reason: true, leadId: true } });
    if (!row) throw notFound("That opt-out");
    if (row.leadId !== null) {
      // A wrong-number report says the number is not this lead's, not that someone refused texts:
      // no opt-in can change that, and the lead's phone is marked wrong_number, which the send
      // decision reads on its own. Correct the lead's phones instead.
      throw new AppError(
        "PRECONDITION_FAILED",
        "This is a wrong-number report for one lead, not an opt-out; an opt-in cannot lift it. Correct the phone on the lead instead.",
        { reason: row.reason },
      );
    }
    await lockListNumber(tx, "suppression", ctx.orgId, row.phone);
    const current = await tx.suppression.findUniqueOrThrow({ where: { id: row.id }, select: { liftedAt: true } });
    if (current.liftedAt) throw new AppError("PRECONDITION_FAILED", "This opt-out was already lifted; the number can be texted.", { liftedAt: current.liftedAt.toISOString() });
    const liftReason = `${OPT_IN_LABELS[input.optInKind]}: ${input.reason} — Evidence: ${input.evidence}`;
    const lifted = await liftNumberSuppression(tx, { organizationId: ctx.orgId, phone: row.phone, liftReason, liftedById: ctx.userId });
    if (lifted === 0) throw new AppError("PRECONDITION_FAILED", "This opt-out was already lifted; the number can be texted.");
    // The consent log's row for this opt-in (consent.ts reads lifts without one as START replies).
    await writeConsentEvent(tx, {
      organizationId: ctx.orgId,
      phone: row.phone,
      leadId: null,
      // Without the type said, a documented lift counts as verbal: never as express written consent, which can lift a DNC block.
      type: input.consentType ?? (input.optInKind === "start_reply" ? "inbound_initiated" : "verbal"),
      source: "opt_out_lift",
      evidence: liftReason,
      documentRef: null,
      actorUserId: ctx.userId,
      suppressionId: row.id,
      occurredAt: new Date(),
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "suppression.lifted",
      targetType: "suppression",
      targetId: row.id,
      details: { phone: row.phone, suppressionReason: row.reason, optInKind: input.optInKind, reason: input.reason, evidence: input.evidence },
      requestId: ctx.requestId,
    });
    return { suppression: await presentOne(tx, ctx.orgId, row.id) };
  });
}

/** Rows inserted per statement. */
const INSERT_CHUNK = 5000;

export async function importSuppressions(ctx: Ctx, input: z.output<typeof importSuppressionsInput>): Promise<ImportSuppressionsResult> {
  const parsed = parseOptOutCsv(input.csv);
  return ctx.db.$transaction(
    async (tx) => {
      // Numbers already live are skipped by the insert itself (one live row per number), so
      // "added" counts exactly the rows this import created, even beside a concurrent add.
      let added = 0;
      for (let i = 0; i < parsed.numbers.length; i += INSERT_CHUNK) {
        const rows = parsed.numbers.slice(i, i + INSERT_CHUNK).map((n) => ({
          phone: n.phone,
          evidence: `Imported from ${input.fileName}, row ${n.row}: ${input.source}${n.note ? ` (${n.note})` : ""}`,
        }));
        added += (await suppressNumbers(tx, { organizationId: ctx.orgId, reason: "import", actorUserId: ctx.userId, rows })).length;
      }
      const result: ImportSuppressionsResult = {
        rows: parsed.rows,
        added,
        alreadySuppressed: parsed.numbers.length - added + parsed.repeats,
        rejectedCount: parsed.rejected.length,
        rejected: parsed.rejected.slice(0, IMPORT_REJECTS_SHOWN),
        phoneColumn: parsed.phoneColumn,
      };
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actorId: ctx.userId,
        action: "suppressions.imported",
        targetType: "suppression",
        details: {
          fileName: input.fileName,
          source: input.source,
          rows: result.rows,
          added: result.added,
          alreadySuppressed: result.alreadySuppressed,
          rejected: result.rejectedCount,
        },
        requestId: ctx.requestId,
      });
      return result;
    },
    { maxWait: 15_000, timeout: 120_000 },
  );
}
