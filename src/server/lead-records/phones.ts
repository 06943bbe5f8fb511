import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { phoneBlockers, type PhoneBlocker, type PhoneLineStatus, type PhoneLineType } from "@/lib/phones";
import { querySql, type Db } from "../db";

/**
 * A lead's phones as the lead page shows them: each with whether it can take a text and why not
 * (lib/phones.ts, the rule the database's leadflow_phone_textable keeps Lead.textable by), the
 * opt-out and internal DNC state of its number, and who marked it wrong, verified or do-not-call.
 */

type PhoneRow = {
  id: string;
  number: string;
  type: PhoneLineType;
  carrier: string | null;
  dnc: boolean;
  tcpa: boolean;
  score: number | null;
  status: PhoneLineStatus;
  isBest: boolean;
  source: string;
  suppressed: boolean;
  onDncList: boolean;
  textable: boolean;
  verifiedAt: Date | null;
  verifiedBy: Person | null;
  wrongNumberAt: Date | null;
  wrongNumberBy: Person | null;
  doNotCallAt: Date | null;
  doNotCallBy: Person | null;
};
type Person = { id: string; name: string | null; email: string };

export type LeadPhoneDetail = PhoneRow & { blockers: PhoneBlocker[] };

const person = (column: string) =>
  Prisma.raw(`(SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email) FROM "User" u WHERE u.id = p."${column}")`);

/** Best first, then by score (the order the lead page and the export list them in). */
export async function leadPhoneDetails(db: Db | Prisma.TransactionClient, orgId: string, leadId: string): Promise<LeadPhoneDetail[]> {
  const rows = await querySql<PhoneRow>(
    db as Db,
    Prisma.sql`
      SELECT p.id, p.number, p.type::text AS type, p.carrier, p.dnc, p.tcpa, p.score, p.status::text AS status, p."isBest", p.source,
        EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = p."organizationId" AND s.phone = p.number AND s."liftedAt" IS NULL AND (s."leadId" IS NULL OR s."leadId" = p."leadId")) AS suppressed,
        EXISTS (SELECT 1 FROM "DncEntry" d WHERE d."organizationId" = p."organizationId" AND d.phone = p.number AND d."liftedAt" IS NULL) AS "onDncList",
        leadflow_phone_textable(p) AS textable,
        p."verifiedAt" AT TIME ZONE 'UTC' AS "verifiedAt", ${person("verifiedById")} AS "verifiedBy",
        p."wrongNumberAt" AT TIME ZONE 'UTC' AS "wrongNumberAt", ${person("wrongNumberById")} AS "wrongNumberBy",
        p."doNotCallAt" AT TIME ZONE 'UTC' AS "doNotCallAt", ${person("doNotCallById")} AS "doNotCallBy"
      FROM "LeadPhone" p
      WHERE p."leadId" = ${leadId} AND p."organizationId" = ${orgId}
      ORDER BY p."isBest" DESC, p.score DESC NULLS LAST, p."createdAt", p.id`,
  );
  return rows.map((row) => ({
    ...row,
    blockers: phoneBlockers({ ...row, doNotCall: row.doNotCallAt !== null }),
  }));
}

/**
 * Settles the best phone of these leads among the phones that can take a text: a verified one
 * first (the latest verified), then the phone already chosen, then mobiles by score. A lead whose
 * phones cannot take a text has no best phone. (Unknown-type lines are textable but become best
 * only when verified: the skip trace's choice, SPEC §5, is a mobile.) Returns each lead's best number.
 */
export async function settleBestPhones(tx: Prisma.TransactionClient, leadIds: string[]): Promise<Map<string, string>> {
  if (leadIds.length === 0) return new Map();
  const chosen = await tx.$queryRaw<{ leadId: string; number: string }[]>`
    WITH choice AS (
      SELECT DISTINCT ON (p."leadId") p."leadId", p.id FROM "LeadPhone" p
      WHERE p."leadId" = ANY(${leadIds}::text[]) AND leadflow_phone_textable(p) AND (p."verifiedAt" IS NOT NULL OR p."isBest" OR p.type = 'mobile')
      ORDER BY p."leadId", p."verifiedAt" IS NOT NULL DESC, p."verifiedAt" DESC NULLS LAST, p."isBest" DESC, p.score DESC NULLS LAST, p."createdAt", p.id
    ), changed AS (
      UPDATE "LeadPhone" p SET "isBest" = (p.id IS NOT DISTINCT FROM (SELECT c.id FROM choice c WHERE c."leadId" = p."leadId"))
      WHERE p."leadId" = ANY(${leadIds}::text[]) AND p."isBest" IS DISTINCT FROM (p.id IS NOT DISTINCT FROM (SELECT c.id FROM choice c WHERE c."leadId" = p."leadId"))
    )
    SELECT c."leadId", p.number FROM choice c JOIN "LeadPhone" p ON p.id = c.id`;
  return new Map(chosen.map((row) => [row.leadId, row.number]));
}
