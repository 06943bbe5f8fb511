import "server-only";
import type { z } from "zod";
import type { Role } from "@/generated/prisma/enums";
import { orgDay } from "@/lib/org-day";
import { recordAudit } from "../audit/record";
import { csvDownloadResponse } from "../csv/write";
import { orgContextFromRequest } from "../auth/route-context";
import type { Db } from "../db";
import { requestIdFrom } from "../request";
import { routeErrorResponse } from "../route-errors";
import { jsonSearchParam } from "../route-input";

type Filtered<F> = {
  /** ?filters=<json>, as the page sends its filters; `whenAbsent` when the parameter is missing. */
  filters: z.ZodType<F>;
  whenAbsent: unknown;
  /** Throws on a search the stream could not run: a 400 before the download starts, never a broken file. */
  check: (orgId: string, filters: F) => unknown;
  stream: (db: Db, orgId: string, filters: F) => ReadableStream<Uint8Array>;
};

type Unfiltered = { stream: (db: Db, orgId: string) => ReadableStream<Uint8Array> };

export type CsvDownload<F> = {
  minimumRole: Role;
  /** The file is "<fileStem>-<the organization's day>.csv". */
  fileStem: string;
  /** Every download is audited with this action (and its filters). */
  auditAction: string;
} & (Filtered<F> | Unfiltered);

/**
 * A GET route handler that streams an organization's rows as a CSV download: the org context and
 * role as tRPC decides them, the filters validated, the download audited, errors in the one
 * vocabulary. The compliance exports (opt-outs, do-not-contact and its checks, consent, decisions)
 * are each one call of this.
 */
export function csvDownloadRoute<F>(download: CsvDownload<F>) {
  return async function GET(req: Request): Promise<Response> {
    const requestId = requestIdFrom(req.headers);
    try {
      const ctx = await orgContextFromRequest(req, download.minimumRole);
      let body: ReadableStream<Uint8Array>;
      let details: { filters: never } | undefined;
      if ("filters" in download) {
        const filters = jsonSearchParam(new URL(req.url), "filters", download.filters, download.whenAbsent) as F;
        download.check(ctx.orgId, filters);
        details = { filters: JSON.parse(JSON.stringify(filters)) as never };
        body = download.stream(ctx.db, ctx.orgId, filters);
      } else {
        body = download.stream(ctx.db, ctx.orgId);
      }
      const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
      await recordAudit(ctx.db, { orgId: ctx.orgId, actorId: ctx.userId, action: download.auditAction, details, requestId });
      return csvDownloadResponse(body, `${download.fileStem}-${orgDay(timeZone)}.csv`, requestId);
    } catch (error) {
      return routeErrorResponse(error, requestId);
    }
  };
}
