import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { leadDedupKey, normalizeAddress, normalizeOwnerName } from "@/lib/address";
import { scoreLead } from "@/lib/scoring";
import type { Db } from "../../db";
import { newId } from "../../ids";
import { log } from "../../log";
import { notifyImportFinished } from "../../notifications/producers";
import { importMappingSchema, type ImportedLead, type ImportMapping } from "@/lib/csv-import/fields";
import { bestPhoneIndex, mapRecord } from "@/lib/csv-import/rows";
import { CsvFormatError, readCsvRecords, type CsvRecord } from "./csv";
import { encodingOf, releaseUploadBytes, uploadBytes } from "./upload";

/**
 * The import job: streams the uploaded CSV from Postgres, chunk by chunk, through csv-parse and stores it batch by batch. Each
 * batch — its leads, phones, emails, tags, activity events, rejected rows and the job's counters
 * — commits in one transaction, so the job's processedRows always says exactly which rows are
 * done. A restart (crash, deploy, retry) skips those rows and continues; the per-org dedup key
 * would refuse a second copy of a lead anyway. Cancellation is honoured between batches.
 */

export type RunImportOptions = {
  /** Rows per transaction. */
  batchSize?: number;
  /** Aborted on shutdown: the run stops after the current batch and can be resumed. */
  signal?: AbortSignal;
  /** false while the queue will retry on failure: the job then stays resumable instead of failed. */
  finalAttempt?: boolean;
  now?: Date;
  /** Stop after this many batches as if the process had died (tests of resuming). */
  stopAfterBatches?: number;
};

export type RunImportOutcome =
  | "completed"
  | "cancelled"
  | "failed"
  /** Stopped on purpose (shutdown) with rows left; run it again to continue. */
  | "interrupted"
  /** Nothing to do: the job is missing, finished, or another run owns it. */
  | "skipped";

export type RunImportResult = { outcome: RunImportOutcome; processedRows: number };

const DEFAULT_BATCH_SIZE = 500;
const TAG_COLORS = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

/** Thrown inside a batch transaction to roll it back when the job was cancelled or taken over. */
class BatchAborted extends Error {}

type Job = {
  id: string;
  organizationId: string;
  createdById: string | null;
  fileName: string;
  processedRows: number;
  mapping: ImportMapping;
};

type Counts = { created: number; duplicates: number; rejected: number };

export async function runImport(db: Db, jobId: string, options: RunImportOptions = {}): Promise<RunImportResult> {
  const now = options.now ?? new Date();
  const row = await db.importJob.findUnique({
    where: { id: jobId },
    select: {
      id: true,
      organizationId: true,
      createdById: true,
      fileName: true,
      status: true,
      processedRows: true,
      mapping: true,
      startedAt: true,
      upload: { select: { id: true, encoding: true } },
    },
  });
  if (!row || (row.status !== "pending" && row.status !== "running")) return { outcome: "skipped", processedRows: row?.processedRows ?? 0 };

  const claimed = await db.importJob.updateMany({
    where: { id: jobId, status: { in: ["pending", "running"] } },
    data: { status: "running", startedAt: row.startedAt ?? new Date(), error: null },
  });
  if (claimed.count === 0) return { outcome: "skipped", processedRows: row.processedRows };

  const mapping = importMappingSchema.safeParse(row.mapping);
  if (!mapping.success) {
    await finish(db, jobId, "failed", { error: "The column mapping of this import is not valid. Start a new import." });
    return { outcome: "failed", processedRows: row.processedRows };
  }
  const job: Job = { ...row, mapping: mapping.data };

  const runner = new ImportRunner(db, job, now);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let headers: string[] | null = null;
  let rowNumber = 0;
  let batch: { rowNumber: number; record: CsvRecord }[] = [];
  let batches = 0;

  /** Stores the batch; says whether to carry on. */
  const flush = async (): Promise<RunImportOutcome | null> => {
    if (batch.length === 0) return null;
    const stored = await runner.storeBatch(batch);
    batch = [];
    batches++;
    if (stored !== "ok") return stored;
    if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches) return "interrupted";
    if (options.signal?.aborted) return "interrupted";
    return null;
  };

  try {
    for await (const record of readCsvRecords(uploadBytes(db, row.upload.id), encodingOf(row.upload))) {
      if (!headers) {
        headers = record;
        runner.headers = headers;
        continue;
      }
      rowNumber++;
      if (rowNumber <= job.processedRows) continue; // done by an earlier run
      batch.push({ rowNumber, record });
      if (batch.length >= batchSize) {
        const stop = await flush();
        if (stop) return { outcome: stop, processedRows: runner.processedRows };
      }
    }
    const stop = await flush();
    if (stop && stop !== "interrupted") return { outcome: stop, processedRows: runner.processedRows };
    await finish(db, jobId, "completed", { totalRows: rowNumber });
    return { outcome: "completed", processedRows: runner.processedRows };
  } catch (error) {
    if (error instanceof CsvFormatError) {
      await finish(db, jobId, "failed", { error: `${error.message}. The rows before it were imported.` });
      return { outcome: "failed", processedRows: runner.processedRows };
    }
    log.error({ err: error, importJobId: jobId }, "import failed");
    const message = `The import stopped unexpectedly after ${runner.processedRows} rows (${error instanceof Error ? error.message.slice(0, 200) : "unknown error"}).`;
    if (options.finalAttempt === false) {
      await db.importJob.update({ where: { id: jobId }, data: { error: `${message} Retrying…` } }).catch(() => {});
      throw error;
    }
    await finish(db, jobId, "failed", { error: message }).catch(() => {});
    return { outcome: "failed", processedRows: runner.processedRows };
  }
}

async function finish(db: Db, jobId: string, status: "completed" | "failed", data: { totalRows?: number; error?: string }) {
  // The job's creator is notified in the transaction that finishes it: once, and only if it did.
  const finished = await db.$transaction(async (tx) => {
    const updated = await tx.importJob.updateMany({
      where: { id: jobId, status: "running" },
      data: { status, finishedAt: new Date(), error: data.error ?? null, ...(data.totalRows !== undefined ? { totalRows: data.totalRows } : {}) },
    });
    if (updated.count > 0) await notifyImportFinished(tx, jobId);
    return updated;
  });
  if (finished.count > 0) await releaseUploadBytes(db, jobId);
}

type Candidate = { rowNumber: number; lead: ImportedLead; dedupKey: string; droppedPhones: string[]; droppedEmails: string[] };

// ─── set-based inserts ───
// Prisma's createMany builds one bound parameter per cell (≈ 1.5 ms per 35-column lead here);
// INSERT … SELECT FROM unnest(arrays) sends one array per column and is ~10× faster, which is
// what keeps a 10k-row import under SPEC's 10 s. Ids are made in cuid's shape (ids.ts).

type Cell = string | null;
/** A column of a bulk insert: one value for every row, or one value per row (as text, cast in SQL). */
type BulkColumn = { name: string; type: string } & ({ each: Cell[] } | { all: Cell });

/** INSERT … SELECT … FROM unnest(…) ON CONFLICT DO NOTHING. Table, column names and types are code constants. */
function bulkInsert(table: string, rows: number, columns: BulkColumn[], returning?: string): Prisma.Sql {
  const perRow = columns.filter((column): column is BulkColumn & { each: Cell[] } => "each" in column);
  for (const column of perRow) if (column.each.length !== rows) throw new Error(`bulk insert into ${table}: ${column.name} has ${column.each.length} values for ${rows} rows`);
  const names = Prisma.raw(columns.map((column) => `"${column.name}"`).join(", "));
  let arrayIndex = 0;
  const selects = columns.map((column) =>
    "each" in column ? Prisma.raw(`t.c${arrayIndex++}::${column.type}`) : Prisma.sql`${column.all}::${Prisma.raw(column.type)}`,
  );
  const arrays = perRow.map((column) => Prisma.sql`${column.each}::text[]`);
  const aliases = Prisma.raw(perRow.map((_, i) => `c${i}`).join(", "));
  return Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${names})
    SELECT ${Prisma.join(selects)} FROM unnest(${Prisma.join(arrays)}) AS t(${aliases})
    ON CONFLICT DO NOTHING${returning ? Prisma.raw(` RETURNING ${returning}`) : Prisma.empty}`;
}

const text = (value: string | null | undefined): Cell => (value === undefined || value === null ? null : value);
const numberText = (value: number | null): Cell => (value === null ? null : String(value));
const boolText = (value: boolean | null): Cell => (value === null ? null : value ? "true" : "false");

class ImportRunner {
  headers: string[] = [];
  processedRows: number;
  private tagIds = new Map<string, string>();
  private pendingTagIds: Map<string, string> | null = null;
  private tagsLoaded = false;

  constructor(
    private readonly db: Db,
    private readonly job: Job,
    private readonly now: Date,
  ) {
    this.processedRows = job.processedRows;
  }

  /** One transaction: the batch's rows are either all accounted for or not at all. */
  async storeBatch(batch: { rowNumber: number; record: CsvRecord }[]): Promise<"ok" | "cancelled" | "skipped"> {
    const first = batch[0]!.rowNumber;
    const last = batch[batch.length - 1]!.rowNumber;
    const rejects: { rowNumber: number; record: CsvRecord; reason: string }[] = [];
    const byKey = new Map<string, Candidate>();
    let sameFileDuplicates = 0;

    for (const { rowNumber, record } of batch) {
      const mapped = mapRecord(record, this.job.mapping, this.headers, this.now);
      if (!mapped.ok) {
        rejects.push({ rowNumber, record, reason: mapped.reason });
        continue;
      }
      const { lead } = mapped;
      const dedupKey = leadDedupKey({ street: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip }, lead.ownerName);
      if (byKey.has(dedupKey)) {
        sameFileDuplicates++;
        continue;
      }
      byKey.set(dedupKey, { rowNumber, lead, dedupKey, droppedPhones: mapped.droppedPhones, droppedEmails: mapped.droppedEmails });
    }
    const candidates = [...byKey.values()];
    if (candidates.some((candidate) => candidate.lead.tags.length > 0) || this.job.mapping.fixedTags.length > 0) await this.loadTags();
    const at = new Date().toISOString();

    try {
      const counts = await this.db.$transaction(
        async (tx) => {
          const created = candidates.length
            ? await tx.$queryRaw<{ id: string; dedupKey: string }[]>(this.leadsInsert(candidates, at))
            : [];
          const createdRows = created.map((lead) => ({ id: lead.id, candidate: byKey.get(lead.dedupKey)! }));
          await this.storeContacts(tx, createdRows, at);
          await this.storeTags(tx, createdRows);
          await this.storeActivities(tx, createdRows);
          await this.storeNotes(tx, createdRows, at);
          if (rejects.length) {
            await tx.$executeRaw(
              bulkInsert("ImportRejectedRow", rejects.length, [
                { name: "id", type: "text", each: rejects.map(() => newId()) },
                { name: "importJobId", type: "text", all: this.job.id },
                { name: "rowNumber", type: "integer", each: rejects.map((reject) => String(reject.rowNumber)) },
                { name: "raw", type: "jsonb", each: rejects.map((reject) => JSON.stringify(reject.record)) },
                { name: "reason", type: "text", each: rejects.map((reject) => reject.reason) },
              ]),
            );
          }
          const counts: Counts = {
            created: created.length,
            duplicates: candidates.length - created.length + sameFileDuplicates,
            rejected: rejects.length,
          };
          // Only if the job is still ours and exactly where this batch starts: a cancel or a
          // second runner (an expired job retried while this one still ran) rolls the batch back.
          const advanced = await tx.importJob.updateMany({
            where: { id: this.job.id, status: "running", processedRows: first - 1 },
            data: {
              processedRows: last,
              createdCount: { increment: counts.created },
              duplicateCount: { increment: counts.duplicates },
              rejectedCount: { increment: counts.rejected },
            },
          });
          if (advanced.count === 0) throw new BatchAborted();
          return counts;
        },
        { maxWait: 15_000, timeout: 120_000 },
      );
      this.processedRows = last;
      if (this.pendingTagIds) this.tagIds = this.pendingTagIds;
      this.pendingTagIds = null;
      log.debug({ importJobId: this.job.id, rows: `${first}-${last}`, ...counts }, "import batch stored");
      return "ok";
    } catch (error) {
      this.pendingTagIds = null;
      if (!(error instanceof BatchAborted)) throw error;
      const current = await this.db.importJob.findUnique({ where: { id: this.job.id }, select: { status: true } });
      return current?.status === "cancelled" ? "cancelled" : "skipped";
    }
  }

  /** The batch's new leads; a lead whose dedup key the organization already has is skipped. */
  private leadsInsert(candidates: Candidate[], at: string): Prisma.Sql {
    const leads = candidates.map((candidate) => candidate.lead);
    const scores = leads.map((lead) =>
      scoreLead(
        {
          equityPct: lead.equityPct,
          absentee: lead.absentee,
          ownerIsCorporate: lead.ownerIsCorporate,
          lastSaleDate: lead.lastSaleDate,
          lastSalePriceCents: lead.lastSalePriceCents,
          estimatedValueCents: lead.estimatedValueCents,
          vacant: null,
        },
        this.now,
      ),
    );
    const each = <T>(pick: (lead: ImportedLead, i: number) => T) => leads.map(pick);
    return bulkInsert(
      "Lead",
      leads.length,
      [
        { name: "id", type: "text", each: leads.map(() => newId()) },
        { name: "organizationId", type: "text", all: this.job.organizationId },
        { name: "source", type: '"LeadSource"', all: "csv" },
        { name: "addressLine1", type: "text", each: each((lead) => lead.addressLine1) },
        { name: "city", type: "text", each: each((lead) => lead.city) },
        { name: "state", type: "text", each: each((lead) => lead.state) },
        { name: "zip", type: "text", each: each((lead) => lead.zip) },
        {
          name: "normalizedAddress",
          type: "text",
          each: each((lead) => normalizeAddress({ street: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip }).key),
        },
        { name: "ownerName", type: "text", each: each((lead) => text(lead.ownerName)) },
        { name: "normalizedOwner", type: "text", each: each((lead) => normalizeOwnerName(lead.ownerName ?? "")) },
        { name: "dedupKey", type: "text", each: candidates.map((candidate) => candidate.dedupKey) },
        { name: "ownerIsCorporate", type: "boolean", each: each((lead) => boolText(lead.ownerIsCorporate)) },
        { name: "mailingAddress", type: "text", each: each((lead) => text(lead.mailingAddress)) },
        { name: "absentee", type: "boolean", each: each((lead) => boolText(lead.absentee)) },
        { name: "propertyType", type: "text", each: each((lead) => text(lead.propertyType)) },
        { name: "beds", type: "double precision", each: each((lead) => numberText(lead.beds)) },
        { name: "baths", type: "double precision", each: each((lead) => numberText(lead.baths)) },
        { name: "sizeSqft", type: "integer", each: each((lead) => numberText(lead.sizeSqft)) },
        { name: "yearBuilt", type: "integer", each: each((lead) => numberText(lead.yearBuilt)) },
        { name: "estimatedValueCents", type: "bigint", each: each((lead) => numberText(lead.estimatedValueCents)) },
        { name: "assessedValueCents", type: "bigint", each: each((lead) => numberText(lead.assessedValueCents)) },
        { name: "equityPct", type: "double precision", each: each((lead) => numberText(lead.equityPct)) },
        { name: "lastSaleDate", type: "date", each: each((lead) => text(lead.lastSaleDate)) },
        { name: "lastSalePriceCents", type: "bigint", each: each((lead) => numberText(lead.lastSalePriceCents)) },
        { name: "score", type: "integer", each: scores.map((score) => String(score.score)) },
        { name: "temperature", type: '"Temperature"', each: scores.map((score) => score.temperature) },
        { name: "scoreFactors", type: "jsonb", each: scores.map((score) => JSON.stringify(score.factors)) },
        { name: "hasPhone", type: "boolean", each: each((lead) => boolText(bestPhoneIndex(lead.phones) >= 0)) },
        { name: "importJobId", type: "text", all: this.job.id },
        { name: "createdById", type: "text", all: this.job.createdById },
        { name: "createdAt", type: "timestamp(3)", all: at },
        { name: "updatedAt", type: "timestamp(3)", all: at },
      ],
      `id, "dedupKey"`,
    );
  }

  private async storeContacts(tx: Prisma.TransactionClient, created: { id: string; candidate: Candidate }[], at: string) {
    const orgId = this.job.organizationId;
    const phones = created.flatMap(({ id, candidate }) => {
      const best = bestPhoneIndex(candidate.lead.phones);
      return candidate.lead.phones.map((phone, index) => ({ leadId: id, number: phone.number, type: phone.type, isBest: index === best }));
    });
    if (phones.length) {
      await tx.$executeRaw(
        bulkInsert("LeadPhone", phones.length, [
          { name: "id", type: "text", each: phones.map(() => newId()) },
          { name: "organizationId", type: "text", all: orgId },
          { name: "leadId", type: "text", each: phones.map((phone) => phone.leadId) },
          { name: "number", type: "text", each: phones.map((phone) => phone.number) },
          { name: "type", type: '"PhoneType"', each: phones.map((phone) => phone.type) },
          { name: "isBest", type: "boolean", each: phones.map((phone) => boolText(phone.isBest)) },
          { name: "source", type: "text", all: "csv" },
          { name: "createdAt", type: "timestamp(3)", all: at },
          { name: "updatedAt", type: "timestamp(3)", all: at },
        ]),
      );
    }
    const emails = created.flatMap(({ id, candidate }) => candidate.lead.emails.map((email) => ({ leadId: id, email })));
    if (emails.length) {
      await tx.$executeRaw(
        bulkInsert("LeadEmail", emails.length, [
          { name: "id", type: "text", each: emails.map(() => newId()) },
          { name: "organizationId", type: "text", all: orgId },
          { name: "leadId", type: "text", each: emails.map((email) => email.leadId) },
          { name: "email", type: "text", each: emails.map((email) => email.email) },
          { name: "source", type: "text", all: "csv" },
          { name: "createdAt", type: "timestamp(3)", all: at },
        ]),
      );
    }
  }

  /** One "imported" event per created lead, noting the row and any phone or email dropped from it. */
  private async storeActivities(tx: Prisma.TransactionClient, created: { id: string; candidate: Candidate }[]) {
    if (created.length === 0) return;
    const details = created.map(({ candidate }) =>
      JSON.stringify({
        importJobId: this.job.id,
        fileName: this.job.fileName,
        rowNumber: candidate.rowNumber,
        ...(candidate.droppedPhones.length ? { droppedPhones: candidate.droppedPhones } : {}),
        ...(candidate.droppedEmails.length ? { droppedEmails: candidate.droppedEmails } : {}),
      }),
    );
    await tx.$executeRaw(
      bulkInsert("ActivityEvent", created.length, [
        { name: "id", type: "text", each: created.map(() => newId()) },
        { name: "organizationId", type: "text", all: this.job.organizationId },
        { name: "leadId", type: "text", each: created.map(({ id }) => id) },
        { name: "actorId", type: "text", all: this.job.createdById },
        { name: "kind", type: '"ActivityKind"', all: "imported" },
        { name: "details", type: "jsonb", each: details },
      ]),
    );
  }

  /** The Notes columns' text, one note per column with text, written by whoever started the import. */
  private async storeNotes(tx: Prisma.TransactionClient, created: { id: string; candidate: Candidate }[], at: string) {
    const notes = created.flatMap(({ id, candidate }) => candidate.lead.notes.map((body) => ({ leadId: id, body })));
    if (notes.length === 0) return;
    await tx.$executeRaw(
      bulkInsert("Note", notes.length, [
        { name: "id", type: "text", each: notes.map(() => newId()) },
        { name: "organizationId", type: "text", all: this.job.organizationId },
        { name: "leadId", type: "text", each: notes.map((note) => note.leadId) },
        { name: "authorId", type: "text", all: this.job.createdById },
        { name: "body", type: "text", each: notes.map((note) => note.body) },
        { name: "createdAt", type: "timestamp(3)", all: at },
        { name: "updatedAt", type: "timestamp(3)", all: at },
      ]),
    );
  }

  private async loadTags() {
    if (this.tagsLoaded) return;
    const tags = await this.db.tag.findMany({ where: { organizationId: this.job.organizationId }, select: { id: true, name: true } });
    for (const tag of tags) if (!this.tagIds.has(tag.name.toLowerCase())) this.tagIds.set(tag.name.toLowerCase(), tag.id);
    this.tagsLoaded = true;
  }

  /** Tags match existing ones case-insensitively; new names become new tags. */
  private async storeTags(tx: Prisma.TransactionClient, created: { id: string; candidate: Candidate }[]) {
    const orgId = this.job.organizationId;
    const namesByLead = created.map(({ id, candidate }) => ({
      id,
      names: [...new Set([...this.job.mapping.fixedTags, ...candidate.lead.tags])],
    }));
    const wanted = new Map<string, string>();
    for (const { names } of namesByLead) for (const name of names) if (!wanted.has(name.toLowerCase())) wanted.set(name.toLowerCase(), name);
    if (wanted.size === 0) return;

    const missing = [...wanted].filter(([key]) => !this.tagIds.has(key)).map(([, name]) => name);
    const ids = new Map(this.tagIds);
    if (missing.length) {
      await tx.tag.createMany({
        data: missing.map((name) => ({ organizationId: orgId, name, color: tagColor(name) })),
        skipDuplicates: true,
      });
      const found = await tx.tag.findMany({ where: { organizationId: orgId, name: { in: missing } }, select: { id: true, name: true } });
      for (const tag of found) ids.set(tag.name.toLowerCase(), tag.id);
    }
    const links = namesByLead.flatMap(({ id, names }) =>
      names.flatMap((name) => {
        const tagId = ids.get(name.toLowerCase());
        return tagId ? [{ leadId: id, tagId }] : [];
      }),
    );
    if (links.length) {
      await tx.$executeRaw(
        bulkInsert("LeadTag", links.length, [
          { name: "leadId", type: "text", each: links.map((link) => link.leadId) },
          { name: "tagId", type: "text", each: links.map((link) => link.tagId) },
          { name: "organizationId", type: "text", all: orgId },
        ]),
      );
    }
    // Remember new tags only once this batch commits (a rolled-back batch's tags do not exist).
    this.pendingTagIds = ids;
  }
}

function tagColor(name: string): string {
  let hash = 0;
  for (const char of name.toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return TAG_COLORS[hash % TAG_COLORS.length]!;
}
