import "server-only";
import { detectMapping, emptyMapping, mappingProblem } from "@/lib/csv-import/detect";
import { mapSampleRows } from "@/lib/csv-import/rows";
import type { ServiceContext } from "../../context";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { recordAudit } from "../../audit/record";
import { enqueue } from "../../jobs/queue";
import { CsvFormatError, readCsvHead, type CsvHead } from "./csv";
import type { ImportMapping } from "./schema";
import { encodingOf, findUpload, uploadBytes, type StoredUpload } from "./upload";

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

type ReadHead = { ok: true; head: CsvHead } | { ok: false; error: string };

/** The upload's header and first rows: only the first chunk or two of the file are read. */
async function readHead(db: Db, upload: StoredUpload): Promise<ReadHead> {
  if (upload.problem) return { ok: false, error: upload.problem };
  try {
    const head = await readCsvHead(uploadBytes(db, upload.id), encodingOf(upload), SAMPLE_ROWS);
    if (head.headers.length === 0) return { ok: false, error: "The file is empty." };
    if (head.firstRows.length === 0) return { ok: false, error: "The file has a header row but no data rows." };
    return { ok: true, head };
  } catch (error) {
    if (error instanceof CsvFormatError) return { ok: false, error: `${error.message}. Check the file is a CSV export.` };
    throw error;
  }
}

/**
 * What importing an uploaded file would do: the detected mapping, the first rows raw and as
 * mapped, and the row count (counted when the file was uploaded). Reads only the file's first rows.
 */
export async function previewImport(ctx: Pick<Ctx, "db" | "orgId">, input: { uploadId: string }) {
  const upload = await findUpload(ctx.db, ctx.orgId, input.uploadId);
  const file = { uploadId: upload.id, fileName: upload.fileName, byteSize: upload.byteSize, encoding: encodingOf(upload) };
  const read = await readHead(ctx.db, upload);
  if (!read.ok) {
    return { ...file, headers: [], mapping: emptyMapping(), sampleRecords: [], sampleRows: [], rowCount: 0, error: read.error, mappingProblem: null };
  }
  const { headers, firstRows } = read.head;
  const mapping = detectMapping(headers);
  return {
    ...file,
    headers,
    mapping,
    sampleRecords: firstRows,
    sampleRows: mapSampleRows(firstRows, mapping, headers),
    rowCount: upload.rowCount,
    error: null,
    mappingProblem: mappingProblem(mapping, headers.length),
  };
}

/** Queues the import of an uploaded file with this mapping; progress is read with getImport. */
export async function createImport(ctx: Ctx, input: { uploadId: string; mapping: ImportMapping }) {
  const upload = await findUpload(ctx.db, ctx.orgId, input.uploadId);
  const read = await readHead(ctx.db, upload);
  if (!read.ok) throw new AppError("BAD_REQUEST", read.error);
  const problem = mappingProblem(input.mapping, read.head.headers.length);
  if (problem) throw new AppError("BAD_REQUEST", problem);

  const job = await ctx.db.importJob.create({
    data: {
      organizationId: ctx.orgId,
      createdById: ctx.userId,
      fileName: upload.fileName,
      uploadId: upload.id,
      mapping: input.mapping,
      totalRows: upload.rowCount,
    },
    select: jobSelect,
  });
  await recordAudit(ctx.db, {
    orgId: ctx.orgId,
    actorId: ctx.userId,
    action: "import.created",
    targetType: "ImportJob",
    targetId: job.id,
    details: { fileName: upload.fileName, rows: upload.rowCount, bytes: upload.byteSize },
    requestId: ctx.requestId,
  });
  await enqueue("leads-import", { importJobId: job.id }, { singletonKey: job.id }).catch(async (error: unknown) => {
    await ctx.db.importJob.update({
      where: { id: job.id },
      data: { status: "failed", error: "Not started: the background job queue was unavailable. Nothing was imported; start the import again.", finishedAt: new Date() },
    });
    throw error;
  });
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
