import "server-only";
import { toE164 } from "@/lib/csv-import/rows";
import { lockUntilCommit, type Db, type Prisma } from "../db";
import { AppError } from "../errors";

/**
 * What the compliance lists (opt-outs, do-not-contact) share: refusals shown under a form's field,
 * phones as people type them, the members named on a row, and one change at a time per number.
 */

/** Serializes changes to one number's row in one list of the organization (two people adding it at once). */
export async function lockListNumber(tx: Prisma.TransactionClient, list: "dnc" | "suppression", orgId: string, phone: string) {
  await lockUntilCommit(tx, `${list}:${orgId}:${phone}`);
}

/** A refusal the form shows next to the field (same shape as a schema's issue). */
export function fieldError(field: string, message: string): AppError {
  const cause = Object.assign(new Error(message), { issues: [{ path: [field], message }] });
  return new AppError("BAD_REQUEST", message, { field }, { cause });
}

/** Digits of a search ("(512) 555-01" → "51255501"); a search without any is refused. */
export function phoneDigits(q: string, field = "filters.q"): string {
  const digits = q.replace(/\D/g, "");
  if (!digits) throw fieldError(field, "Search by the digits of the phone number.");
  return digits;
}

/** A phone as typed ("(512) 555-0142") in E.164, or a refusal under the field. */
export function phoneField(raw: string, field = "phone"): string {
  const phone = toE164(raw);
  if (!phone) throw fieldError(field, "That is not a valid US or Canadian phone number. Include the area code, e.g. (512) 555-0142.");
  return phone;
}

export type Person = { id: string; name: string | null; email: string };

/** The members of this organization among these user ids (a former member is simply absent). */
export async function membersById(db: Db | Prisma.TransactionClient, orgId: string, ids: (string | null)[]): Promise<Map<string, Person>> {
  const userIds = [...new Set(ids.filter((id): id is string => id !== null))];
  if (userIds.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: userIds }, memberships: { some: { organizationId: orgId } } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, u]));
}
