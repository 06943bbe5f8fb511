import type { z } from "zod";
import { orgDay } from "@/lib/org-day";
import { recordAudit } from "@/server/audit/record";
import { orgContextFromRequest, routeErrorResponse } from "@/server/auth/route-context";
import { AppError } from "@/server/errors";
import { leadsCsvStream } from "@/server/leads/export";
import { leadFiltersSchema, leadSortSchema } from "@/server/leads/schema";
import { requestIdFrom } from "@/server/request";

export const dynamic = "force-dynamic";

/** A query parameter holding JSON, validated against the list's own schema. */
function jsonParam<S extends z.ZodType>(url: URL, name: string, schema: S, whenAbsent: unknown): z.output<S> {
  const raw = url.searchParams.get(name);
  let value: unknown = whenAbsent;
  if (raw !== null && raw !== "") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError("BAD_REQUEST", `The "${name}" parameter must be JSON, e.g. ${name}={"status":["new"]}.`);
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${[name, ...issue.path.map(String)].join(".")}: ${issue.message}`);
    throw new AppError("BAD_REQUEST", `Invalid export ${name}: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/**
 * GET /api/leads/export?filters=<json LeadFilters>&sort=<json LeadSort> — the filtered lead list
 * as a streamed CSV download (managers and admins).
 */
export async function GET(req: Request) {
  const requestId = requestIdFrom(req.headers);
  try {
    const ctx = await orgContextFromRequest(req, "manager");
    const url = new URL(req.url);
    const filters = jsonParam(url, "filters", leadFiltersSchema, {});
    const sort = jsonParam(url, "sort", leadSortSchema, undefined);
    const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
    await recordAudit(ctx.db, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "leads.exported",
      details: { filters, sort },
      requestId,
    });
    return new Response(leadsCsvStream(ctx.db, ctx.orgId, filters, sort), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="leads-${orgDay(timeZone)}.csv"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
