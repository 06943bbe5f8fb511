import "server-only";
import type { z } from "zod";
import { recordAudit } from "../audit/record";
import type { ServiceContext } from "../context";
import type { Db, Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { keysetAfter } from "../pagination";
import { checkDnc } from "./dnc";
import { newId } from "../ids";
import type { addDncInput, checkDncInput, DncEntryRow, DncFilters, importDncInput, ImportDncResult, listDncInput, removeDncInput } from "./dnc-schema";
import { lockListNumber, membersById, phoneDigits, phoneField } from "./fields";
import { IMPORT_REJECTS_SHOWN } from "./schema";
import { parseOptOutCsv } from "./suppressions-csv";

/**
 * The organization's internal do-not-contact list (SPEC §6): list, add with a reason (managers and
 * admins), remove with a reason (admins; the row is kept with who removed it, when and why, and the
 * audit log records it), and "check a number" across every DNC source (dnc.ts). The send decision
 * reads the same rows through checkDnc.
 */

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId">;
type Tx = Prisma.TransactionClient;

export function dncWhere(orgId: string, filters: DncFilters): Prisma.DncEntryWhereInput {
  const where: Prisma.DncEntryWhereInput = { organizationId: orgId };
  if (filters.q) where.phone = { contains: phoneDigits(filters.q) };
  if (filters.state === "live") where.liftedAt = null;
  if (filters.state === "removed") where.liftedAt = { not: null };
  return where;
}

const ROW_SELECT = {
  id: true,
  phone: true,
  reason: true,
  addedById: true,
  createdAt: true,
  liftedAt: true,
  liftedById: true,
  liftReason: true,
} satisfies Prisma.DncEntrySelect;
type RawRow = Prisma.DncEntryGetPayload<{ select: typeof ROW_SELECT }>;

async function present(db: Db | Tx, orgId: string, rows: RawRow[]): Promise<DncEntryRow[]> {
  const people = await membersById(db, orgId, rows.flatMap((r) => [r.addedById, r.liftedById]));
  return rows.map((row) => ({
    id: row.id,
    phone: row.phone,
    reason: row.reason,
    addedBy: row.addedById ? (people.get(row.addedById) ?? null) : null,
    createdAt: row.createdAt,
    removed: row.liftedAt ? { at: row.liftedAt, by: row.liftedById ? (people.get(row.liftedById) ?? null) : null, reason: row.liftReason ?? "" } : null,
  }));
}

async function presentOne(db: Db | Tx, orgId: string, id: string): Promise<DncEntryRow> {
  const row = await db.dncEntry.findFirstOrThrow({ where: { id, organizationId: orgId }, select: ROW_SELECT });
  const [shown] = await present(db, orgId, [row]);
  return shown!;
}

export async function listDnc({ db, orgId }: Ctx, input: z.output<typeof listDncInput>) {
  const where = dncWhere(orgId, input.filters);
  if (input.cursor) {
    const after = await db.dncEntry.findFirst({ where: { id: input.cursor, organizationId: orgId }, select: { id: true, createdAt: true } });
    if (!after) throw notFound("That do-not-contact entry");
    where.AND = [keysetAfter("createdAt", "desc", after.createdAt, after.id) as Prisma.DncEntryWhereInput];
  }
  const rows = await db.dncEntry.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: input.limit + 1, select: ROW_SELECT });
  const page = rows.slice(0, input.limit);
  return { items: await present(db, orgId, page), nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function addDnc(ctx: Ctx, input: z.output<typeof addDncInput>) {
  const phone = phoneField(input.phone);
  return ctx.db.$transaction(async (tx) => {
    const { id, created } = await addDncEntry(tx, ctx, { phone, reason: input.reason });
    return { created, entry: await presentOne(tx, ctx.orgId, id) };
  });
}

/**
 * Puts an E.164 number on the internal do-not-contact list inside the caller's transaction (with
 * its audit row), unless it is already there: the list page's add, and a teammate's "do not call"
 * on a lead's phone (leads/phones-service.ts), which any member may do — adding is the safe way.
 */
export async function addDncEntry(tx: Tx, ctx: Ctx, input: { phone: string; reason: string }): Promise<{ id: string; created: boolean }> {
  await lockListNumber(tx, "dnc", ctx.orgId, input.phone);
  const existing = await tx.dncEntry.findUnique({ where: { organizationId_liveKey: { organizationId: ctx.orgId, liveKey: input.phone } }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const entry = await tx.dncEntry.create({
    data: { organizationId: ctx.orgId, phone: input.phone, reason: input.reason, addedById: ctx.userId, liveKey: input.phone },
    select: { id: true },
  });
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actorId: ctx.userId,
    action: "dnc.added",
    targetType: "dnc_entry",
    targetId: entry.id,
    details: { phone: input.phone, reason: input.reason },
    requestId: ctx.requestId,
  });
  return { id: entry.id, created: true };
}

export async function removeDnc(ctx: Ctx, input: z.output<typeof removeDncInput>) {
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.dncEntry.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true, phone: true, reason: true } });
    if (!row) throw notFound("That do-not-contact entry");
    await lockListNumber(tx, "dnc", ctx.orgId, row.phone);
    const { count } = await tx.dncEntry.updateMany({
      where: { id: row.id, liftedAt: null },
      data: { liftedAt: new Date(), liftedById: ctx.userId, liftReason: input.reason, liveKey: null },
    });
    if (count === 0) throw new AppError("PRECONDITION_FAILED", "This number was already removed from the do-not-contact list.");
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "dnc.removed",
      targetType: "dnc_entry",
      targetId: row.id,
      details: { phone: row.phone, addedFor: row.reason, reason: input.reason },
      requestId: ctx.requestId,
    });
    return { entry: await presentOne(tx, ctx.orgId, row.id) };
  });
}

/** "Check a number": every DNC source for one phone, recorded as evidence like any other check. */
export async function checkNumber(ctx: Ctx, input: z.output<typeof checkDncInput>) {
  const phone = phoneField(input.phone);
  const results = await checkDnc(ctx.db, { organizationId: ctx.orgId, phones: [phone], purpose: "manual", actorUserId: ctx.userId });
  return results.get(phone)!;
}

/** Rows inserted per statement. */
const INSERT_CHUNK = 5000;

/**
 * A CSV list of numbers (a phone column, as the opt-outs import reads it) added to the internal
 * list, each with the file's stated source (and the row's own note) as its reason. Numbers already
 * listed are skipped by the insert itself (one live row per number), so "added" is exact.
 */
export async function importDnc(ctx: Ctx, input: z.output<typeof importDncInput>): Promise<ImportDncResult> {
  const parsed = parseOptOutCsv(input.csv);
  return ctx.db.$transaction(
    async (tx) => {
      let added = 0;
      for (let i = 0; i < parsed.numbers.length; i += INSERT_CHUNK) {
        const rows = parsed.numbers.slice(i, i + INSERT_CHUNK);
        const created = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO "DncEntry" (id, "organizationId", phone, reason, "addedById", "liveKey")
          SELECT t.id, ${ctx.orgId}, t.phone, t.reason, ${ctx.userId}, t.phone
          FROM unnest(
            ${rows.map(() => newId())}::text[],
            ${rows.map((n) => n.phone)}::text[],
            ${rows.map((n) => `Imported from ${input.fileName}, row ${n.row}: ${input.source}${n.note ? ` (${n.note})` : ""}`)}::text[]
          ) AS t(id, phone, reason)
          ON CONFLICT ("organizationId", "liveKey") DO NOTHING
          RETURNING id`;
        added += created.length;
      }
      const result: ImportDncResult = {
        rows: parsed.rows,
        added,
        alreadyListed: parsed.numbers.length - added + parsed.repeats,
        rejectedCount: parsed.rejected.length,
        rejected: parsed.rejected.slice(0, IMPORT_REJECTS_SHOWN),
        phoneColumn: parsed.phoneColumn,
      };
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actorId: ctx.userId,
        action: "dnc.imported",
        targetType: "dnc_entry",
        details: { fileName: input.fileName, source: input.source, rows: result.rows, added, alreadyListed: result.alreadyListed, rejected: result.rejectedCount },
        requestId: ctx.requestId,
      });
      return result;
    },
    { maxWait: 15_000, timeout: 120_000 },
  );
}
