import "server-only";
import type { z } from "zod";
import { addDncEntry } from "../compliance/dnc-service";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { recordActivities } from "../lead-records/activity";
import { settleBestPhones } from "../lead-records/phones";
import type { markPhoneInput } from "./schema";
import { getLead } from "./service";

/**
 * A teammate's marks on one of a lead's phones (issue 14 item 10), each recorded on the phone (who
 * and when) and on the lead's timeline, all in one transaction with the Lead flags the triggers keep:
 *   wrong_number — the number is not the owner's: not textable, no longer the best phone;
 *   verified     — the owner answered on it: a wrong-number mark is cleared, and it becomes the best
 *                  phone when it can take a text;
 *   do_not_call  — the person asked not to be contacted: the phone is marked and the number goes on
 *                  the organization's internal do-not-contact list (which every send decision reads;
 *                  taking it off stays an admin's act with a reason, on the compliance page).
 * Any member may mark (working leads is a user's job, and every mark restricts or confirms).
 */
export async function markPhone(ctx: ServiceContext, input: z.output<typeof markPhoneInput>) {
  const phone = await ctx.db.leadPhone.findFirst({
    where: { id: input.phoneId, organizationId: ctx.orgId },
    select: { id: true, leadId: true, number: true, status: true, lead: { select: { addressLine1: true } } },
  });
  if (!phone) throw notFound("That phone");
  const now = new Date();
  await ctx.db.$transaction(async (tx) => {
    const details: Record<string, string | boolean | null> = { phone: phone.number, mark: input.mark };
    if (input.mark === "wrong_number") {
      await tx.leadPhone.update({
        where: { id: phone.id },
        // A number that had opted out stays opted out (that is the stronger record); wrong otherwise.
        data: { wrongNumberAt: now, wrongNumberById: ctx.userId, verifiedAt: null, verifiedById: null, ...(phone.status === "ok" ? { status: "wrong_number" as const } : {}) },
      });
    } else if (input.mark === "verified") {
      await tx.leadPhone.update({
        where: { id: phone.id },
        data: { verifiedAt: now, verifiedById: ctx.userId, wrongNumberAt: null, wrongNumberById: null, ...(phone.status === "wrong_number" ? { status: "ok" as const } : {}) },
      });
    } else {
      await tx.leadPhone.update({ where: { id: phone.id }, data: { doNotCallAt: now, doNotCallById: ctx.userId } });
      const entry = await addDncEntry(tx, ctx, { phone: phone.number, reason: `Marked do not call on the lead at ${phone.lead.addressLine1}` });
      details.dncEntryId = entry.id;
      details.addedToDncList = entry.created;
    }
    details.bestPhone = (await settleBestPhones(tx, [phone.leadId])).get(phone.leadId) ?? null;
    await recordActivities(tx, [{ orgId: ctx.orgId, leadId: phone.leadId, actorId: ctx.userId, kind: "phone_marked", details }]);
  });
  return getLead(ctx, phone.leadId);
}
