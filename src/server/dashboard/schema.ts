import { z } from "zod";

const person = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });

/** Home (issue 13 item 7): today's figures of the organization, each with the page it links to. */
export const homeDashboardOutput = z.object({
  today: z.string(),
  timeZone: z.string(),
  /** Today's spend per paid provider against its daily cap, from the ledger's daily totals. */
  spend: z.array(
    z.object({
      provider: z.string(),
      name: z.string(),
      spentCents: z.number().int(),
      reservedCents: z.number().int(),
      dailyCapCents: z.number().int(),
    }),
  ),
  newLeads: z.object({ today: z.number().int(), last7Days: z.number().int() }),
  /** Threads whose last message is an inbound one (not archived), and those with unread messages. */
  replies: z.object({ waiting: z.number().int(), unreadThreads: z.number().int() }),
  /** Campaigns that are sending, scheduled, paused or halted, with how far they got. */
  campaigns: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(["scheduled", "running", "paused", "halted"]),
      recipients: z.number().int(),
      processed: z.number().int(),
      sent: z.number().int(),
      failed: z.number().int(),
    }),
  ),
  activity: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      details: z.unknown(),
      createdAt: z.date(),
      actor: person.nullable(),
      lead: z.object({ id: z.string(), addressLine1: z.string() }),
    }),
  ),
});
