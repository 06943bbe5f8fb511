import "server-only";
import type { ServiceContext } from "../../context";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { recordAudit } from "../../audit/record";
import { enqueue } from "../../jobs/queue";
import { CsvFormatError, notCsvReason, overviewCsv, type CsvOverview } from "./csv";
import { detectMapping, emptyMapping, mappingProblem } from "./detect";
import { mapRecord } from "./rows";
import type { ImportMapping } from "./schema";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId"> & { requestId?: string };

const SAMPLE_ROWS = 5;
const REJECTS_SHOWN = 20;

const jobSelect = {
  id: true,
  fileName: true,
  status: true,
  totalRows: true,
  processedRows: true,
  createdCount: true,
  duplicateCount: true,
  rejectedCount: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  createdById: true,
} as const;

type JobRow = { id: string; createdById: string | null } & Record<string, unknown>;

async function withCreators<T extends JobRow>(db: Db, orgId: string, jobs: T[]) {
  const ids = [...new Set(jobs.map((job) => job.createdById).filter((id): id is string => id !== null))];
  // Only people who are (or were) members of this organization are shown.
  const users = ids.length
    ? await db.user.findMany({ where: { id: { in: ids }, memberships: { some: { organizationId: orgId } } }, select: { id: true, email: true, name: true } })
    : [];
  const byId = new Map(users.map((user) => [user.id, user]));
  return jobs.map(({ createdById, ...job }) => ({
    ...job,
    createdBy: createdById ? (byId.get(createdById) ?? null) : null,
    rejectsUrl: `/api/imports/${job.id}/rejects`,
  }));
}

type ReadFile = { ok: true; overview: CsvOverview; bytes: Uint8Array<ArrayBuffer> } | { ok: false; error: string };

async function readFile(content: string): Promise<ReadFile> {
  const bytes = new TextEncoder().encode(content);
  const notCsv = notCsvReason(bytes);
  if (notCsv) return { ok: false, error: notCsv };
  try {
    const overview = await overviewCsv(bytes, SAMPLE_ROWS);
    if (overview.headers.length === 0) return { ok: false, error: "The file is empty." };
    if (overview.rowCount === 0) return { ok: false, error: "The file has a header row but no data rows." };
    return { ok: true, overview, bytes };
  } catch (error) {
    if (error instanceof CsvFormatError) return { ok: false, error: `${error.message}. Check the file is a CSV export.` };
    throw error;
  }
}

/** What importing this file would do: detected mapping, the first rows as mapped, row count. */
export async function previewImport(input: { fileName: string; content: string }) {
  const file = await readFile(input.content);
  if (!file.ok) {
    return { fileName: input.fileName, headers: [], mapping: emptyMapping(), sampleRows: [], rowCount: 0, error: file.error, mappingProblem: null };
  }
  const { headers, firstRows, rowCount } = file.overview;
  const mapping = detectMapping(headers);
  const now = new Date();
  const sampleRows = firstRows.map((record, i) => {
    const mapped = mapRecord(record, mapping, headers, now);
    return mapped.ok
      ? { rowNumber: i + 1, lead: mapped.lead, rejection: null, warnings: mapped.warnings }
      : { rowNumber: i + 1, lead: null, rejection: mapped.reason, warnings: [] };
  });
  return { fileName: input.fileName, headers, mapping, sampleRows, rowCount, error: null, mappingProblem: mappingProblem(mapping, headers.length) };
}

/** Stores the file with its mapping and queues the import; progress is read with getImport. */
export async function createImport(ctx: Ctx, input: { fileName: string; content: string; mapping: ImportMapping }) {
  const file = await readFile(input.content);
  if (!file.ok) throw new AppError("BAD_REQUEST", file.error);
  const problem = mappingProblem(input.mapping, file.overview.headers.length);
  if (problem) throw new AppError("BAD_REQUEST", problem);

  const job = await ctx.db.importJob.create({
    data: {
      organizationId: ctx.orgId,
      createdById: ctx.userId,
      fileName: input.fileName,
      content: file.bytes,
      mapping: input.mapping,
      totalRows: file.overview.rowCount,
    },
    select: jobSelect,
  });
  await recordAudit(ctx.db, {
    orgId: ctx.orgId,
    actorId: ctx.userId,
    action: "import.created",
    targetType: "ImportJob",
    targetId: job.id,
    details: { fileName: input.fileName, rows: file.overview.rowCount },
    requestId: ctx.requestId,
  });
  await enqueue("leads-import", { importJobId: job.id }, { singletonKey: job.id });
  const [withCreator] = await withCreators(ctx.db, ctx.orgId, [job]);
  return withCreator!;
}

export async function getImport(ctx: Pick<Ctx, "db" | "orgId">, id: string) {
  const job = await ctx.db.importJob.findFirst({ where: { id, organizationId: ctx.orgId }, select: jobSelect });
  if (!job) throw new AppError("NOT_FOUND", "That import was not found.");
  const rejects = await ctx.db.importRejectedRow.findMany({
    where: { importJobId: id },
    orderBy: [{ rowNumber: "asc" }, { id: "asc" }],
    take: REJECTS_SHOWN,
    select: { rowNumber: true, reason: true },
  });
  const [withCreator] = await withCreators(ctx.db, ctx.orgId, [job]);
  return { ...withCreator!, rejects };
}

/** The organization's most recent imports, newest first. */
export async function listImports(ctx: Pick<Ctx, "db" | "orgId">, limit = 50) {
  const jobs = await ctx.db.importJob.findMany({
    where: { organizationId: ctx.orgId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: jobSelect,
  });
  return withCreators(ctx.db, ctx.orgId, jobs);
}

/**
 * Stops a pending or running import after its current batch; what was imported stays. Cancelling
 * an import that already finished changes nothing and returns it as it is.
 */
export async function cancelImport(ctx: Ctx, id: string) {
  const cancelled = await ctx.db.importJob.updateMany({
    where: { id, organizationId: ctx.orgId, status: { in: ["pending", "running"] } },
    data: { status: "cancelled", finishedAt: new Date() },
  });
  if (cancelled.count > 0) {
    await recordAudit(ctx.db, { orgId: ctx.orgId, actorId: ctx.userId, action: "import.cancelled", targetType: "ImportJob", targetId: id, requestId: ctx.requestId });
  }
  const { rejects: _rejects, ...job } = await getImport(ctx, id);
  return job;
}
