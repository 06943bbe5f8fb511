import "server-only";
import { csvStream, type CsvValue } from "../csv/write";
import type { Db, Prisma } from "../db";
import { keysetAfter } from "../pagination";
import type { SuppressionFilters } from "./schema";
import { suppressionWhere } from "./suppressions-service";

/**
 * The suppression list as a streamed CSV (newest first, the page's filters), page by page by
 * keyset so memory holds one page. Evidence, lift reasons and names are people's text and are
 * formula-neutralised by the one CSV writer; phones, enums, ids and dates are written as they are.
 */
export const SUPPRESSION_EXPORT_COLUMNS = [
  "phone",
  "reason",
  "scope",
  "status",
  "evidence",
  "added_at",
  "added_by",
  "source_message_id",
  "lead_id",
  "lifted_at",
  "lifted_by",
  "lift_reason",
  "id",
] as const;

const TRUSTED = new Set<string>(["phone", "reason", "scope", "status", "added_at", "source_message_id", "lead_id", "lifted_at", "id"]);
const PAGE_SIZE = 1000;

export function suppressionsCsvStream(db: Db, orgId: string, filters: SuppressionFilters, pageSize = PAGE_SIZE): ReadableStream<Uint8Array> {
  const where = suppressionWhere(orgId, filters);
  let after: { id: string; createdAt: Date } | null = null;
  let done = false;
  return csvStream({
    header: SUPPRESSION_EXPORT_COLUMNS,
    trustedColumns: TRUSTED,
    async nextPage() {
      if (done) return null;
      const pageWhere: Prisma.SuppressionWhereInput = after
        ? { AND: [where, keysetAfter("createdAt", "desc", after.createdAt, after.id) as Prisma.SuppressionWhereInput] }
        : where;
      const rows = await db.suppression.findMany({
        where: pageWhere,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: pageSize,
        select: { id: true, phone: true, reason: true, leadId: true, sourceMessageId: true, actorUserId: true, evidence: true, createdAt: true, liftedAt: true, liftedById: true, liftReason: true },
      });
      if (rows.length < pageSize) done = true;
      const last = rows.at(-1);
      if (last) after = { id: last.id, createdAt: last.createdAt };
      const userIds = [...new Set(rows.flatMap((r) => [r.actorUserId, r.liftedById]).filter((id): id is string => id !== null))];
      const users = userIds.length
        ? await db.user.findMany({ where: { id: { in: userIds }, memberships: { some: { organizationId: orgId } } }, select: { id: true, email: true } })
        : [];
      const emailOf = new Map(users.map((u) => [u.id, u.email]));
      return rows.map((r): CsvValue[] => [
        r.phone,
        r.reason,
        r.leadId ? "lead" : "organization",
        r.liftedAt ? "lifted" : "live",
        r.evidence,
        r.createdAt.toISOString(),
        r.actorUserId ? (emailOf.get(r.actorUserId) ?? "") : "",
        r.sourceMessageId,
        r.leadId,
        r.liftedAt?.toISOString() ?? "",
        r.liftedById ? (emailOf.get(r.liftedById) ?? "") : "",
        r.liftReason ?? "",
        r.id,
      ]);
    },
  });
}
