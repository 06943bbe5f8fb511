import "server-only";
import type { Db } from "../db";
import { withPaidRequest } from "../budget/paid-request";
import { notifyIfCapReached, notifyIfCircuitOpen } from "../notifications/producers";
import type { Billed } from "../providers/billing";

/**
 * One OpenAI request (lead summary, suggested reply, reply intent) under the organization's AI
 * budget and kill switch: refused before the call when either says no, otherwise reserved and
 * settled in the one ledger like every other paid provider. A refusal by the cap or an open
 * circuit tells the admins (once a day / an hour).
 */
export async function withAiRequest<T>(
  db: Db,
  request: { orgId: string; operation: "lead_summary" | "suggested_reply" | "reply_intent"; requestId?: string; relatedType: string; relatedId: string },
  call: () => Promise<Billed<T>>,
): Promise<T> {
  try {
    const { value } = await withPaidRequest(db, { ...request, provider: "openai" }, call);
    return value;
  } catch (error) {
    await notifyIfCapReached(db, request.orgId, error);
    await notifyIfCircuitOpen(db, request.orgId, error);
    throw error;
  }
}
