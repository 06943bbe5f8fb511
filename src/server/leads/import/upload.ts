import "server-only";
import { MAX_UPLOAD_BYTES } from "@/lib/csv-import/fields";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { CsvRecordCounter, notCsvReason, type UploadEncoding } from "./csv";

/**
 * Uploaded CSV files, stored in Postgres as they stream in: ImportUpload says what the file is,
 * ImportUploadChunk rows hold its bytes in order. No process ever holds a whole file, any web
 * server can take an upload and any worker can read it (Postgres is the one source of truth).
 */

/** Bytes per stored chunk; the preview reads the first one or two. */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;
/** Uploads no import was started from are deleted after this long. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

type UploadCtx = { db: Db; orgId: string; userId: string };

export const uploadSelect = {
  id: true,
  fileName: true,
  byteSize: true,
  encoding: true,
  rowCount: true,
  problem: true,
  createdAt: true,
} as const;

export type StoredUpload = { id: string; fileName: string; byteSize: number; encoding: string; rowCount: number; problem: string | null; createdAt: Date };

/** Collects the stream's bytes into chunks of UPLOAD_CHUNK_BYTES. */
class ChunkBuffer {
  private buffer = Buffer.allocUnsafe(UPLOAD_CHUNK_BYTES);
  private filled = 0;

  /** Adds bytes; returns each chunk that filled up (copies, safe to keep). */
  add(bytes: Uint8Array): Uint8Array<ArrayBuffer>[] {
    const full: Uint8Array<ArrayBuffer>[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(UPLOAD_CHUNK_BYTES - this.filled, bytes.length - offset);
      this.buffer.set(bytes.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === UPLOAD_CHUNK_BYTES) full.push(this.flush()!);
    }
    return full;
  }

  /** The bytes not yet in a full chunk, if any. */
  flush(): Uint8Array<ArrayBuffer> | null {
    if (this.filled === 0) return null;
    const chunk = new Uint8Array(this.buffer.subarray(0, this.filled));
    this.filled = 0;
    return chunk;
  }
}

/**
 * Stores an upload's bytes as they arrive (one chunk row at a time, so the stream is read no
 * faster than Postgres takes it), and finds out on the way what it is: its size (refused above
 * MAX_UPLOAD_BYTES), its encoding (UTF-8 or, failing that, Windows-1252), its number of rows, and
 * whether it is a CSV text at all. A file that is not (empty, a workbook, binary) is recorded with
 * that problem and its bytes are not kept. An upload cut off midway is deleted.
 */
export async function storeUpload(
  ctx: UploadCtx,
  input: { fileName: string; body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null; maxBytes?: number },
): Promise<StoredUpload> {
  const maxBytes = input.maxBytes ?? MAX_UPLOAD_BYTES;
  await deleteAbandonedUploads(ctx.db, ctx.orgId);
  const upload = await ctx.db.importUpload.create({
    data: { organizationId: ctx.orgId, createdById: ctx.userId, fileName: input.fileName },
    select: { id: true },
  });
  try {
    const chunks = new ChunkBuffer();
    const counter = new CsvRecordCounter();
    const utf8 = new TextDecoder("utf-8", { fatal: true });
    let encoding: UploadEncoding = "utf-8";
    let byteSize = 0;
    const stored = { chunks: 0, problem: null as string | null };

    const store = async (chunk: Uint8Array<ArrayBuffer>) => {
      if (stored.problem) return;
      if (stored.chunks === 0) stored.problem = notCsvReason(chunk);
      if (stored.problem) return;
      // Raw SQL: Prisma's create with a 256 KiB Bytes value costs ~3× the time of the insert itself.
      await ctx.db.$executeRaw`INSERT INTO "ImportUploadChunk" ("uploadId", "index", "data") VALUES (${upload.id}, ${stored.chunks++}, ${chunk})`;
    };

    for await (const bytes of iterate(input.body)) {
      byteSize += bytes.length;
      if (byteSize > maxBytes) throw tooLarge(maxBytes);
      if (encoding === "utf-8") {
        try {
          utf8.decode(bytes, { stream: true });
        } catch {
          encoding = "windows-1252";
        }
      }
      counter.push(bytes);
      for (const chunk of chunks.add(bytes)) await store(chunk);
    }
    const last = chunks.flush();
    if (last) await store(last);
    if (encoding === "utf-8") {
      try {
        utf8.decode();
      } catch {
        encoding = "windows-1252";
      }
    }
    const dataRows = Math.max(counter.finish() - 1, 0);
    let problem = byteSize === 0 ? notCsvReason(new Uint8Array(0)) : stored.problem;
    if (!problem && dataRows === 0) problem = "The file has a header row but no data rows.";
    if (problem) await ctx.db.importUploadChunk.deleteMany({ where: { uploadId: upload.id } });

    return await ctx.db.importUpload.update({
      where: { id: upload.id },
      data: { byteSize, encoding, rowCount: problem ? 0 : dataRows, problem, completedAt: new Date() },
      select: uploadSelect,
    });
  } catch (error) {
    await ctx.db.importUpload.delete({ where: { id: upload.id } }).catch(() => {});
    throw error;
  }
}

/** A request body (web stream) or any iterable of bytes, read one piece at a time. */
async function* iterate(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  if (!(body instanceof ReadableStream)) return yield* body;
  const reader = body.getReader();
  let done = false;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
    done = true;
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

export function tooLarge(maxBytes = MAX_UPLOAD_BYTES) {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return new AppError("PAYLOAD_TOO_LARGE", `The file is larger than ${mb} MB. Split it and import the parts.`, { maxBytes });
}

/** Uploads of the organization that no import was started from within a day, and cut-off ones. */
async function deleteAbandonedUploads(db: Db, orgId: string) {
  await db.importUpload.deleteMany({
    where: { organizationId: orgId, createdAt: { lt: new Date(Date.now() - ABANDONED_AFTER_MS) }, imports: { none: {} } },
  });
}

/** A finished upload of this organization, or NOT_FOUND (another organization's ids included). */
export async function findUpload(db: Db, orgId: string, uploadId: string): Promise<StoredUpload> {
  const upload = await db.importUpload.findFirst({ where: { id: uploadId, organizationId: orgId, completedAt: { not: null } }, select: uploadSelect });
  if (!upload) throw new AppError("NOT_FOUND", "That upload was not found. Upload the file again.");
  return upload;
}

/**
 * An upload's bytes, chunk by chunk in order, each read from Postgres only when the consumer
 * asks for it (stop iterating and nothing more is read).
 */
export async function* uploadBytes(db: Pick<Db, "importUploadChunk">, uploadId: string): AsyncGenerator<Uint8Array> {
  for (let index = 0; ; index++) {
    const chunk = await db.importUploadChunk.findUnique({ where: { uploadId_index: { uploadId, index } }, select: { data: true } });
    if (!chunk) return;
    yield chunk.data;
  }
}

export function encodingOf(upload: { encoding: string }): UploadEncoding {
  return upload.encoding === "windows-1252" ? "windows-1252" : "utf-8";
}

/**
 * Once an import has finished, its file is kept only as far as the rejects download needs it (the
 * header, in the first chunk): up to 200 MB per import need not stay in Postgres. Another import
 * still running from the same upload keeps it whole.
 */
export async function releaseUploadBytes(db: Pick<Db, "$executeRaw">, importJobId: string) {
  await db.$executeRaw`
    DELETE FROM "ImportUploadChunk" c USING "ImportJob" j
    WHERE j.id = ${importJobId} AND c."uploadId" = j."uploadId" AND c."index" > 0
      AND NOT EXISTS (SELECT 1 FROM "ImportJob" o WHERE o."uploadId" = j."uploadId" AND o.status IN ('pending', 'running'))`;
}
