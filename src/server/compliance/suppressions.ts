import "server-only";
import type { SuppressionReason } from "@/generated/prisma/enums";
import type { Prisma } from "../db";

type Tx = Prisma.TransactionClient;

export function suppressionLiveKey(phone: string, leadId: string | null): string {
  return `${phone}|${leadId ?? ""}`;
}

export type SuppressInput = {
  organizationId: string;
  phone: string;
  leadId: string | null;
  reason: SuppressionReason;
  sourceMessageId?: string | null;
  actorUserId?: string | null;
  evidence: string;
};

/**
 * Records a live suppression unless one already exists for (org, phone, lead-or-none); returns the
 * live row's id. The lead phones it covers show it: opted out everywhere in the organization, or
 * wrong number on that one lead.
 */
export async function suppress(tx: Tx, input: SuppressInput): Promise<string> {
  const liveKey = suppressionLiveKey(input.phone, input.leadId);
  const { count } = await tx.suppression.createMany({ data: [{ ...input, liveKey }], skipDuplicates: true });
  if (count === 1) {
    if (input.leadId === null) {
      await tx.leadPhone.updateMany({ where: { organizationId: input.organizationId, number: input.phone, status: "ok" }, data: { status: "opted_out" } });
    } else if (input.reason === "wrong_number") {
      await tx.leadPhone.updateMany({ where: { organizationId: input.organizationId, leadId: input.leadId, number: input.phone }, data: { status: "wrong_number" } });
    }
  }
  const live = await tx.suppression.findUniqueOrThrow({ where: { organizationId_liveKey: { organizationId: input.organizationId, liveKey } }, select: { id: true } });
  return live.id;
}

/** Lifts the organization-wide suppression of a number (an opt-in); liveKey is nulled so a later opt-out can record anew. */
export async function liftNumberSuppression(tx: Tx, input: { organizationId: string; phone: string; liftReason: string; liftedById?: string | null }): Promise<number> {
  const { count } = await tx.suppression.updateMany({
    where: { organizationId: input.organizationId, phone: input.phone, leadId: null, liftedAt: null },
    data: { liftedAt: new Date(), liftReason: input.liftReason, liftedById: input.liftedById ?? null, liveKey: null },
  });
  if (count > 0) {
    await tx.leadPhone.updateMany({ where: { organizationId: input.organizationId, number: input.phone, status: "opted_out" }, data: { status: "ok" } });
  }
  return count;
}
