import "server-only";
import type { PaidProvider } from "@/generated/prisma/enums";
import type { Db } from "../db";
import type { Billed } from "../providers/billing";
import { providerForBudget } from "../providers/registry";
import { assertSwitchOffIn, budgetIn, loadBillingContext } from "./context";
import { withSpend } from "./ledger";

export type PaidRequest = {
  orgId: string;
  provider: PaidProvider;
  operation: string;
  /** Units the call can bill at most (reserved before it, settled to what it billed). Default 1. */
  units?: number;
  requestId?: string;
  simulated?: boolean;
  relatedType?: string;
  relatedId?: string;
};

/**
 * One paid call on its own: refused before it is made when the provider's kill switch is engaged
 * (KILL_SWITCH_ON) or today's cap has no room for it (CAP_EXCEEDED), otherwise reserved, made and
 * settled to what the vendor billed. For calls outside a request that already loaded its billing
 * context (AI assistance, a worker job).
 */
export async function withPaidRequest<T>(db: Db, request: PaidRequest, call: () => Promise<Billed<T>>): Promise<{ value: T; chargedCents: number }> {
  const billing = await loadBillingContext(db, request.orgId, [request.provider]);
  const killSwitch = providerForBudget(request.provider).killSwitch;
  if (killSwitch) assertSwitchOffIn(billing, killSwitch);
  const { unitCents } = budgetIn(billing, request.provider);
  const { units = 1, ...metered } = request;
  const { value, chargedCents } = await withSpend(db, { ...metered, unitCents, units }, call, billing);
  return { value, chargedCents };
}
