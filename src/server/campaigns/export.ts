import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { csvStream, type CsvValue } from "../csv/write";
import { querySql, type Db } from "../db";
import { AppError } from "../errors";
import { OPTED_OUT_SQL, REPLIED_SQL } from "./message-facts";

export const RECIPIENT_EXPORT_COLUMNS = [
  "lead_id",
  "owner_name",
  "property_address",
  "phone",
  "recipient_status",
  "reason",
  "reason_detail",
  "not_before",
  "message_status",
  "error_code",
  "sent_at",
  "replied",
  "opted_out",
  "cost_cents",
  "message_body",
] as const;
const TRUSTED = new Set<string>(["lead_id", "phone", "recipient_status", "reason", "not_before", "message_status", "error_code", "sent_at", "replied", "opted_out", "cost_cents"]);

type Row = {
  id: string;
  createdAt: Date;
  leadId: string | null;
  ownerName: string | null;
  address: string | null;
  phone: string | null;
  status: string;
  reason: string | null;
  reasonMessage: string | null;
  notBefore: Date | null;
  body: string;
  messageStatus: string | null;
  errorCode: string | null;
  sentAt: Date | null;
  replied: boolean;
  optedOut: boolean;
  costCents: number | null;
};

/** The campaign's name, or NOT_FOUND for another organization's (before the download starts). */
export async function campaignForExport(db: Db, orgId: string, campaignId: string): Promise<{ name: string }> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, organizationId: orgId }, select: { name: true } });
  if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
  return campaign;
}

/** Every recipient of a campaign with its message's state, page by page (streamed). */
export function recipientsCsvStream(db: Db, orgId: string, campaignId: string, pageSize = 1000): ReadableStream<Uint8Array> {
  let after: { createdAt: Date; id: string } | null = null;
  let done = false;
  return csvStream({
    header: RECIPIENT_EXPORT_COLUMNS,
    trustedColumns: TRUSTED,
    async nextPage() {
      if (done) return null;
      const keyset = after ? Prisma.sql`AND (r."createdAt", r.id) > (${after.createdAt}, ${after.id})` : Prisma.empty;
      const rows = await querySql<Row>(
        db,
        Prisma.sql`SELECT r.id, r."createdAt", r."leadId", l."ownerName", concat_ws(', ', l."addressLine1", l.city, l.state || ' ' || l.zip) AS address,
            r.phone, r.status::text AS status, r.reason, r."reasonMessage", r."notBefore", COALESCE(m.body, r.body) AS body,
            m.status::text AS "messageStatus", COALESCE(m."errorCode", r."errorCode") AS "errorCode", m."createdAt" AS "sentAt", m."costCents" AS "costCents",
            (m.id IS NOT NULL AND ${REPLIED_SQL}) AS replied,
            (m.id IS NOT NULL AND ${OPTED_OUT_SQL}) AS "optedOut"
          FROM "CampaignRecipient" r
          LEFT JOIN "Lead" l ON l.id = r."leadId" AND l."organizationId" = r."organizationId"
          LEFT JOIN "Message" m ON m.id = r."messageId"
          WHERE r."campaignId" = ${campaignId} AND r."organizationId" = ${orgId} ${keyset}
          ORDER BY r."createdAt", r.id LIMIT ${pageSize}`,
      );
      if (rows.length < pageSize) done = true;
      const last = rows.at(-1);
      if (last) after = { createdAt: last.createdAt, id: last.id };
      return rows.map((r): CsvValue[] => [
        r.leadId,
        r.ownerName,
        r.address,
        r.phone,
        r.status,
        r.reason,
        r.reasonMessage,
        r.notBefore?.toISOString() ?? "",
        r.messageStatus,
        r.errorCode,
        r.sentAt?.toISOString() ?? "",
        r.replied ? "yes" : "no",
        r.optedOut ? "yes" : "no",
        r.costCents,
        r.body,
      ]);
    },
  });
}
