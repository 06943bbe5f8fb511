import "server-only";
import { csvStream, type CsvValue } from "../csv/write";
import type { Db, Prisma } from "../db";
import { keysetAfter } from "../pagination";
import type { DncFilters } from "./dnc-schema";
import { dncWhere } from "./dnc-service";
import { membersById } from "./fields";

/**
 * The do-not-contact downloads, streamed page by page by keyset (memory holds one page): the
 * internal list (the page's filters) and the evidence of every check (COMPLIANCE.md: number,
 * result, source, checked at). Reasons and names are people's text and are formula-neutralised by
 * the one CSV writer; phones, ids, enums and dates are written as they are.
 */
const PAGE_SIZE = 1000;

export const DNC_EXPORT_COLUMNS = ["phone", "status", "reason", "added_at", "added_by", "removed_at", "removed_by", "removal_reason", "id"] as const;
const DNC_TRUSTED = new Set<string>(["phone", "status", "added_at", "removed_at", "id"]);

export function dncListCsvStream(db: Db, orgId: string, filters: DncFilters, pageSize = PAGE_SIZE): ReadableStream<Uint8Array> {
  const where = dncWhere(orgId, filters);
  let after: { id: string; createdAt: Date } | null = null;
  let done = false;
  return csvStream({
    header: DNC_EXPORT_COLUMNS,
    trustedColumns: DNC_TRUSTED,
    async nextPage() {
      if (done) return null;
      const pageWhere: Prisma.DncEntryWhereInput = after ? { AND: [where, keysetAfter("createdAt", "desc", after.createdAt, after.id) as Prisma.DncEntryWhereInput] } : where;
      const rows = await db.dncEntry.findMany({ where: pageWhere, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: pageSize });
      if (rows.length < pageSize) done = true;
      const last = rows.at(-1);
      if (last) after = { id: last.id, createdAt: last.createdAt };
      const people = await membersById(db, orgId, rows.flatMap((r) => [r.addedById, r.liftedById]));
      const email = (id: string | null) => (id ? (people.get(id)?.email ?? "") : "");
      return rows.map((r): CsvValue[] => [
        r.phone,
        r.liftedAt ? "removed" : "listed",
        r.reason,
        r.createdAt.toISOString(),
        email(r.addedById),
        r.liftedAt?.toISOString() ?? "",
        email(r.liftedById),
        r.liftReason ?? "",
        r.id,
      ]);
    },
  });
}

export const DNC_CHECK_EXPORT_COLUMNS = ["checked_at", "phone", "result", "sources", "registry_extract_date", "purpose", "checked_by", "id"] as const;
const CHECK_TRUSTED = new Set<string>(["checked_at", "phone", "result", "sources", "registry_extract_date", "id"]);

/** Every DNC check of the organization, newest first. */
export function dncChecksCsvStream(db: Db, orgId: string, pageSize = PAGE_SIZE): ReadableStream<Uint8Array> {
  let before: bigint | null = null;
  let done = false;
  return csvStream({
    header: DNC_CHECK_EXPORT_COLUMNS,
    trustedColumns: CHECK_TRUSTED,
    async nextPage() {
      if (done) return null;
      const rows = await db.dncCheck.findMany({
        where: { organizationId: orgId, ...(before !== null ? { id: { lt: before } } : {}) },
        orderBy: { id: "desc" },
        take: pageSize,
      });
      if (rows.length < pageSize) done = true;
      const last = rows.at(-1);
      if (last) before = last.id;
      const people = await membersById(db, orgId, rows.map((r) => r.checkedById));
      return rows.map((r): CsvValue[] => [
        r.checkedAt.toISOString(),
        r.phone,
        r.listed ? "listed" : "not_listed",
        r.sources.join(";"),
        r.registryExtractDate ? r.registryExtractDate.toISOString().slice(0, 10) : "",
        r.purpose ?? "",
        r.checkedById ? (people.get(r.checkedById)?.email ?? "") : "",
        r.id,
      ]);
    },
  });
}
