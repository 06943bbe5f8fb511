import "server-only";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { withSpend } from "../budget/ledger";
import { budgetIn, loadBillingContext } from "../budget/context";
import { recordActivities } from "../lead-records/activity";
import { settleBestPhones } from "../lead-records/phones";
import { chooseBestPhone } from "../providers/skip-trace";
import type { PhoneLookup } from "../providers/phone-lookup";
import { phoneLookup } from "../providers/registry";

type Ctx = Pick<ServiceContext, "db" | "orgId"> & { userId: string | null; requestId?: string };

/**
 * Checks phones' line type with Twilio Lookup, each lookup paid under the Lookup cap (reserved
 * before, settled after), then re-chooses the best phone (the lead's textable flag follows the phones by trigger).
 */
export async function validatePhones(ctx: Ctx, input: { leadId: string; phoneIds?: string[] }, lookup: PhoneLookup = phoneLookup()) {
  const lead = await ctx.db.lead.findFirst({ where: { id: input.leadId, organizationId: ctx.orgId }, select: { id: true } });
  if (!lead) throw notFound("That lead");
  const phones = await ctx.db.leadPhone.findMany({
    where: { leadId: lead.id, organizationId: ctx.orgId, ...(input.phoneIds ? { id: { in: input.phoneIds } } : {}) },
  });
  if (input.phoneIds && phones.length !== new Set(input.phoneIds).size) throw notFound("One or more of those phones");
  const billing = await loadBillingContext(ctx.db, ctx.orgId, ["twilio_lookup"]);
  const { unitCents } = budgetIn(billing, "twilio_lookup");
  const results = [];
  for (const phone of phones) {
    const { value: result, chargedCents } = await withSpend(
      ctx.db,
      { orgId: ctx.orgId, provider: "twilio_lookup", operation: "phone_lookup", unitCents, units: 1, requestId: ctx.requestId, simulated: lookup.simulated, relatedType: "lead_phone", relatedId: phone.id },
      () => lookup.lookup(phone.number),
      billing,
    );
    await ctx.db.leadPhone.update({
      where: { id: phone.id },
      data: { type: result.lineType, carrier: result.carrier ?? phone.carrier, status: result.valid ? phone.status : "invalid" },
    });
    results.push({ phoneId: phone.id, number: phone.number, from: phone.type, to: result.lineType, valid: result.valid, costCents: chargedCents });
  }

  const all = await ctx.db.leadPhone.findMany({ where: { leadId: lead.id } });
  const best = chooseBestPhone(all.filter((p) => p.status === "ok").map((p) => ({ number: p.number, type: p.type, carrier: p.carrier, dnc: p.dnc, tcpa: p.tcpa, score: p.score, reachable: null })));
  await ctx.db.$transaction(async (tx) => {
    await tx.leadPhone.updateMany({ where: { leadId: lead.id }, data: { isBest: false } });
    if (best.phone) await tx.leadPhone.update({ where: { leadId_number: { leadId: lead.id, number: best.phone.number } }, data: { isBest: true } });
    // A verified phone stays best; the lead's phone flags follow the phone rows (triggers).
    await settleBestPhones(tx, [lead.id]);
    await recordActivities(tx, [{ orgId: ctx.orgId, leadId: lead.id, actorId: ctx.userId, kind: "updated", details: { fields: ["phones"], validated: results.length, bestPhone: best.phone?.number ?? null, bestPhoneReason: best.reason } }]);
  });
  return { validated: results, bestPhone: best.phone?.number ?? null, bestPhoneReason: best.reason };
}
