import "server-only";
import { stringify } from "csv-stringify/sync";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { readCsvRecords } from "./csv";

const PAGE = 1000;

async function headerOf(content: Uint8Array): Promise<string[]> {
  for await (const record of readCsvRecords(content)) return record;
  return [];
}

/**
 * Every rejected row of an import as CSV: row_number, reason, then the row's original columns
 * under the file's own header, so the rows can be fixed and imported again. Org-scoped.
 */
export async function rejectsCsvStream(db: Db, orgId: string, importJobId: string) {
  const job = await db.importJob.findFirst({ where: { id: importJobId, organizationId: orgId }, select: { id: true, fileName: true, content: true } });
  if (!job) throw new AppError("NOT_FOUND", "That import was not found.");
  const headers = await headerOf(job.content).catch(() => [] as string[]);
  const encoder = new TextEncoder();
  let after: { rowNumber: number; id: string } | null = null;
  let headerSent = false;

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(stringify([["row_number", "reason", ...headers]])));
          return;
        }
        const rows = await db.importRejectedRow.findMany({
          where: {
            importJobId: job.id,
            ...(after ? { OR: [{ rowNumber: { gt: after.rowNumber } }, { rowNumber: after.rowNumber, id: { gt: after.id } }] } : {}),
          },
          orderBy: [{ rowNumber: "asc" }, { id: "asc" }],
          take: PAGE,
          select: { id: true, rowNumber: true, reason: true, raw: true },
        });
        if (rows.length > 0) {
          const records = rows.map((row) => [String(row.rowNumber), row.reason, ...(Array.isArray(row.raw) ? row.raw.map((value) => String(value ?? "")) : [])]);
          controller.enqueue(encoder.encode(stringify(records)));
          const last = rows[rows.length - 1]!;
          after = { rowNumber: last.rowNumber, id: last.id };
        }
        if (rows.length < PAGE) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
  return { fileName: job.fileName, stream };
}
