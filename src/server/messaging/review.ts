import "server-only";
import { recordAudit } from "../audit/record";
import { suppress } from "../compliance/suppressions";
import type { ServiceContext } from "../context";
import { AppError, notFound } from "../errors";

type Ctx = Pick<ServiceContext, "db" | "orgId">;

/** Replies the rules could not decide, oldest open first (a queue), or the latest resolved. */
export async function listReplyReviews(ctx: Ctx, input: { status: "open" | "resolved"; cursor?: string; limit: number }) {
  const { db, orgId } = ctx;
  const open = input.status === "open";
  const [rows, openCount] = await Promise.all([
    db.smsReplyReview.findMany({
      where: { organizationId: orgId, resolvedAt: open ? null : { not: null } },
      orderBy: open ? [{ createdAt: "asc" }, { id: "asc" }] : [{ resolvedAt: "desc" }, { id: "desc" }],
      take: input.limit + 1,
      ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      select: {
        id: true,
        phone: true,
        leadId: true,
        matchedText: true,
        reason: true,
        createdAt: true,
        resolvedAt: true,
        resolution: true,
        resolvedById: true,
        message: { select: { body: true } },
      },
    }),
    db.smsReplyReview.count({ where: { organizationId: orgId, resolvedAt: null } }),
  ]);
  const page = rows.slice(0, input.limit);
  const leadIds = [...new Set(page.map((r) => r.leadId).filter((id): id is string => !!id))];
  const userIds = [...new Set(page.map((r) => r.resolvedById).filter((id): id is string => !!id))];
  const [leads, users] = await Promise.all([
    leadIds.length ? db.lead.findMany({ where: { organizationId: orgId, id: { in: leadIds } }, select: { id: true, addressLine1: true, ownerName: true } }) : [],
    userIds.length ? db.user.findMany({ where: { id: { in: userIds }, memberships: { some: { organizationId: orgId } } }, select: { id: true, name: true, email: true } }) : [],
  ]);
  return {
    openCount,
    nextCursor: rows.length > input.limit ? page.at(-1)!.id : null,
    items: page.map((r) => {
      const lead = leads.find((l) => l.id === r.leadId);
      const user = users.find((u) => u.id === r.resolvedById);
      return {
        id: r.id,
        phone: r.phone,
        leadId: lead ? r.leadId : null,
        leadLabel: lead ? [lead.ownerName, lead.addressLine1].filter(Boolean).join(" · ") : null,
        body: r.message.body,
        matchedText: r.matchedText,
        reason: r.reason,
        createdAt: r.createdAt,
        resolvedAt: r.resolvedAt,
        resolution: r.resolution === "suppressed" ? ("suppressed" as const) : r.resolution === "dismissed" ? ("dismissed" as const) : null,
        resolvedByName: user ? (user.name ?? user.email) : null,
      };
    }),
  };
}

/**
 * One click from the review queue: suppress the number for the organization (a refusal, with the
 * reviewer as the source) or dismiss the item. Each item is resolved once; both are audited.
 */
export async function resolveReplyReview(ctx: ServiceContext, input: { id: string; resolution: "suppressed" | "dismissed"; note?: string }) {
  const { orgId } = ctx;
  return ctx.db.$transaction(async (tx) => {
    const review = await tx.smsReplyReview.findFirst({
      where: { id: input.id, organizationId: orgId },
      select: { id: true, phone: true, messageId: true, resolvedAt: true, message: { select: { body: true } } },
    });
    if (!review) throw notFound("That review item");
    const now = new Date();
    const { count } = await tx.smsReplyReview.updateMany({
      where: { id: review.id, resolvedAt: null },
      data: { resolvedAt: now, resolvedById: ctx.userId, resolution: input.resolution },
    });
    if (count === 0) throw new AppError("CONFLICT", "This reply was already reviewed by someone else; the list is refreshed.");
    let suppressionId: string | null = null;
    if (input.resolution === "suppressed") {
      const evidence = `Suppressed from the reply review queue${input.note ? ` (${input.note})` : ""}. Message: "${review.message.body.slice(0, 500)}"`;
      suppressionId = await suppress(tx, { organizationId: orgId, phone: review.phone, leadId: null, reason: "refusal", sourceMessageId: review.messageId, actorUserId: ctx.userId, evidence });
      await tx.smsReplyReview.update({ where: { id: review.id }, data: { suppressionId } });
    }
    await recordAudit(tx, {
      orgId,
      actorId: ctx.userId,
      action: input.resolution === "suppressed" ? "sms_review.suppressed" : "sms_review.dismissed",
      targetType: "sms_reply_review",
      targetId: review.id,
      details: { phone: review.phone, messageId: review.messageId, ...(input.note ? { note: input.note } : {}), ...(suppressionId ? { suppressionId } : {}) },
      requestId: ctx.requestId,
    });
    return { id: review.id, resolution: input.resolution, suppressionId };
  });
}
