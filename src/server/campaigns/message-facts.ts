import "server-only";
import { Prisma } from "@/generated/prisma/client";

/**
 * What happened after a campaign's message, as SQL over `r` (the CampaignRecipient) and `m` (its
 * Message): the counters, the recipients table and the CSV export read the same facts.
 */

/** The person texted back on the thread after the campaign's message. */
export const REPLIED_SQL = Prisma.raw(
  `EXISTS (SELECT 1 FROM "Message" i WHERE i."conversationId" = m."conversationId" AND i.direction = 'inbound' AND i."createdAt" > m."createdAt")`,
);

/** The number was put on the opt-out list after the campaign's message. */
export const OPTED_OUT_SQL = Prisma.raw(
  `EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = r."organizationId" AND s.phone = r.phone AND s."createdAt" > m."createdAt")`,
);
