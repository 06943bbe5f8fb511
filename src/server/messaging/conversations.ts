import "server-only";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { withIdempotency } from "../idempotency";
import { smsSender } from "../providers/registry";
import type { SmsSender } from "../providers/sms-sender";
import { REPLY_OUTCOMES } from "./schema";
import { sendSms, type SendSmsOptions } from "./send";

const isReplyOutcome = (value: string | null): value is (typeof REPLY_OUTCOMES)[number] => (REPLY_OUTCOMES as readonly (string | null)[]).includes(value);
export const asReplyOutcome = (value: string | null) => (isReplyOutcome(value) ? value : null);

/** Newest messages shown per phone on the lead page; the inbox pages through the rest. */
export const LEAD_THREAD_MESSAGE_LIMIT = 100;

const threadMessageSelect = {
  id: true,
  direction: true,
  body: true,
  status: true,
  errorCode: true,
  segments: true,
  costCents: true,
  replyOutcome: true,
  createdAt: true,
  statusUpdatedAt: true,
} as const;

/** The lead's phones, each with its texts in and out (oldest first) and whether it may be texted. */
export async function leadThread(ctx: Pick<ServiceContext, "db" | "orgId">, leadId: string, sender: SmsSender = smsSender()) {
  const { db, orgId } = ctx;
  const lead = await db.lead.findFirst({
    where: { id: leadId, organizationId: orgId },
    select: {
      phones: {
        select: { number: true, type: true, status: true, isBest: true, dnc: true },
        orderBy: [{ isBest: "desc" }, { createdAt: "asc" }],
      },
    },
  });
  if (!lead) throw notFound("That lead");
  const numbers = lead.phones.map((p) => p.number);
  const [conversations, suppressions, senders] = await Promise.all([
    numbers.length
      ? db.conversation.findMany({
          where: { organizationId: orgId, phone: { in: numbers } },
          select: { phone: true, messages: { orderBy: { createdAt: "desc" }, take: LEAD_THREAD_MESSAGE_LIMIT + 1, select: threadMessageSelect } },
        })
      : [],
    numbers.length
      ? db.suppression.findMany({
          where: { organizationId: orgId, phone: { in: numbers }, liftedAt: null, OR: [{ leadId: null }, { leadId }] },
          select: { phone: true, reason: true, createdAt: true, evidence: true },
          orderBy: { createdAt: "desc" },
        })
      : [],
    db.smsSenderIdentity.count({ where: { organizationId: orgId } }),
  ]);
  const messagesByPhone = new Map(conversations.map((c) => [c.phone, c.messages]));
  return {
    simulated: sender.simulated,
    hasSender: senders > 0,
    phones: lead.phones.map((phone) => {
      const newest = messagesByPhone.get(phone.number) ?? [];
      const suppression = suppressions.find((s) => s.phone === phone.number) ?? null;
      return {
        ...phone,
        suppression: suppression && { reason: suppression.reason, createdAt: suppression.createdAt, evidence: suppression.evidence },
        messages: newest
          .slice(0, LEAD_THREAD_MESSAGE_LIMIT)
          .reverse()
          .map((m) => ({ ...m, replyOutcome: asReplyOutcome(m.replyOutcome) })),
        truncated: newest.length > LEAD_THREAD_MESSAGE_LIMIT,
      };
    }),
  };
}

/**
 * A one-to-one text from the lead page (an inbox reply): the lead must own the phone; the send
 * goes through sendSms (decision, budget, sender, message row). A retry with the same
 * idempotency key returns the first message instead of texting twice.
 */
export async function sendToLead(
  ctx: ServiceContext,
  input: { leadId: string; phone: string; body: string; idempotencyKey?: string },
  sender: SmsSender = smsSender(),
  options: Pick<SendSmsOptions, "guard"> = {},
) {
  const phone = await ctx.db.leadPhone.findFirst({ where: { organizationId: ctx.orgId, leadId: input.leadId, number: input.phone }, select: { id: true } });
  if (!phone) throw notFound("That lead phone");
  const send = async () => {
    const sent = await sendSms(ctx, { phone: input.phone, leadId: input.leadId, body: input.body, kind: "inbox_reply" }, sender, options);
    return { id: sent.id, status: sent.status, segments: sent.segments, costCents: sent.costCents, errorCode: sent.errorCode };
  };
  if (!input.idempotencyKey) return send();
  const payload = { leadId: input.leadId, phone: input.phone, body: input.body };
  return (await withIdempotency(ctx.db, { orgId: ctx.orgId, scope: "sms_send", key: input.idempotencyKey, payload }, send)).result;
}
