import "server-only";
import { csvStream } from "../../csv/write";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { readCsvHead } from "./csv";
import { encodingOf, uploadBytes } from "./upload";

const PAGE = 1000;

/**
 * Every rejected row of an import as CSV: row_number, reason, then the row's original columns
 * under the file's own header, so the rows can be fixed and imported again. Org-scoped. Written by
 * the one CSV writer: every cell is file content, so formulas in it are neutralised.
 */
export async function rejectsCsvStream(db: Db, orgId: string, importJobId: string) {
  const job = await db.importJob.findFirst({
    where: { id: importJobId, organizationId: orgId },
    select: { id: true, fileName: true, upload: { select: { id: true, encoding: true } } },
  });
  if (!job) throw new AppError("NOT_FOUND", "That import was not found.");
  const { headers } = await readCsvHead(uploadBytes(db, job.upload.id), encodingOf(job.upload), 0).catch(() => ({ headers: [] as string[] }));
  let after: { rowNumber: number; id: string } | null = null;
  let exhausted = false;

  const stream = csvStream({
    header: ["row_number", "reason", ...headers],
    nextPage: async () => {
      if (exhausted) return null;
      const rows = await db.importRejectedRow.findMany({
        where: {
          importJobId: job.id,
          ...(after ? { OR: [{ rowNumber: { gt: after.rowNumber } }, { rowNumber: after.rowNumber, id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ rowNumber: "asc" }, { id: "asc" }],
        take: PAGE,
        select: { id: true, rowNumber: true, reason: true, raw: true },
      });
      if (rows.length < PAGE) exhausted = true;
      const last = rows[rows.length - 1];
      if (last) after = { rowNumber: last.rowNumber, id: last.id };
      return rows.map((row) => [row.rowNumber, row.reason, ...(Array.isArray(row.raw) ? row.raw.map((value) => String(value ?? "")) : [])]);
    },
  });
  return { fileName: job.fileName, stream };
}
