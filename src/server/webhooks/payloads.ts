import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";

/**
 * The body of each webhook event, built by the worker on a delivery's first attempt and stored, so
 * every retry and replay sends the same bytes. Shaped as Standard Webhooks recommends:
 * `{ type, timestamp, data }`. `data` says what happened as of the event (a status change's from/to)
 * with the subject as it is when first sent; a subject deleted since is null.
 */

type Tx = Db | Prisma.TransactionClient;

export type DeliveryFacts = { organizationId: string; eventType: string; eventData: unknown; occurredAt: Date };

const str = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);

const leadSelect = {
  id: true,
  status: true,
  temperature: true,
  source: true,
  addressLine1: true,
  city: true,
  state: true,
  zip: true,
  ownerName: true,
  createdAt: true,
  updatedAt: true,
} as const;

async function leadOf(tx: Tx, organizationId: string, leadId: string | null) {
  if (!leadId) return null;
  const lead = await tx.lead.findFirst({ where: { id: leadId, organizationId }, select: leadSelect });
  if (!lead) return null;
  const { addressLine1, city, state, zip, ...rest } = lead;
  return { ...rest, address: { line1: addressLine1, city, state, zip } };
}

async function phonesOf(tx: Tx, organizationId: string, leadId: string | null) {
  if (!leadId) return [];
  return tx.leadPhone.findMany({
    where: { leadId, organizationId },
    orderBy: [{ isBest: "desc" }, { createdAt: "asc" }],
    select: { number: true, type: true, status: true, isBest: true, dnc: true, source: true },
    take: 20,
  });
}

async function dataFor(tx: Tx, facts: DeliveryFacts): Promise<Record<string, unknown>> {
  const event = (facts.eventData ?? {}) as Record<string, unknown>;
  const org = facts.organizationId;
  const leadId = str(event.leadId);
  switch (facts.eventType) {
    case "lead.created":
      return { lead: await leadOf(tx, org, leadId) };
    case "lead.status_changed":
      return { previousStatus: str(event.from), status: str(event.to), lead: await leadOf(tx, org, leadId) };
    case "lead.skip_traced": {
      const record = str(event.skipTraceId)
        ? await tx.skipTraceRecord.findFirst({ where: { id: str(event.skipTraceId)!, organizationId: org }, select: { id: true, outcome: true, matched: true, provider: true, createdAt: true } })
        : null;
      return { skipTrace: record, lead: await leadOf(tx, org, leadId), phones: await phonesOf(tx, org, leadId) };
    }
    case "lead.opted_out": {
      const suppression = str(event.suppressionId)
        ? await tx.suppression.findFirst({ where: { id: str(event.suppressionId)!, organizationId: org }, select: { id: true, phone: true, reason: true, createdAt: true } })
        : null;
      return { optOut: suppression, lead: await leadOf(tx, org, leadId) };
    }
    case "message.received": {
      const messageId = str(event.messageId);
      const message = messageId
        ? await tx.message.findFirst({
            where: { id: messageId, organizationId: org },
            select: { id: true, body: true, createdAt: true, campaignId: true, conversation: { select: { id: true, phone: true, leadId: true } } },
          })
        : null;
      return {
        message: message ? { id: message.id, body: message.body, from: message.conversation.phone, receivedAt: message.createdAt, campaignId: message.campaignId } : null,
        conversationId: message?.conversation.id ?? str(event.subjectId),
        lead: await leadOf(tx, org, message?.conversation.leadId ?? leadId),
      };
    }
    case "campaign.finished": {
      const campaignId = str(event.subjectId);
      const campaign = campaignId
        ? await tx.campaign.findFirst({ where: { id: campaignId, organizationId: org }, select: { id: true, name: true, status: true, launchedAt: true, completedAt: true } })
        : null;
      const counts = campaign
        ? await tx.campaignRecipient.groupBy({ by: ["status"], where: { campaignId: campaign.id, organizationId: org }, _count: { _all: true } })
        : [];
      return { campaign: campaign ? { ...campaign, recipients: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) } : null };
    }
    default:
      return {};
  }
}

/** The JSON body of a delivery (BigInts as strings). */
export async function buildWebhookPayload(tx: Tx, facts: DeliveryFacts): Promise<string> {
  const data = await dataFor(tx, facts);
  return JSON.stringify({ type: facts.eventType, timestamp: facts.occurredAt.toISOString(), data }, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}
