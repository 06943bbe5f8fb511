import "server-only";
import { resolveRecipientLocation, zip5 } from "@/lib/quiet-hours";
import { ownerNameParts, renderTemplate, type MergeValues } from "@/lib/sms-template";
import type { Db } from "../db";
import { areaCodeIndex } from "../compliance/area-codes";
import { mailingZipOf } from "../compliance/decide";

/** The lead facts a text's merge fields and a recipient's time zone are read from. */
export type RecipientLead = { ownerName: string | null; addressLine1: string; city: string; state: string; zip: string; mailingAddress: string | null };

export const RECIPIENT_LEAD_SELECT = { ownerName: true, addressLine1: true, city: true, state: true, zip: true, mailingAddress: true } as const;

/** The name texts are signed with: the organization's SMS brand, else its name (as campaigns sign them). */
export async function brandOf(db: Db, orgId: string): Promise<string> {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, settings: { select: { smsBrandName: true } } } });
  return org.settings?.smsBrandName?.trim() || org.name;
}

/** The merge values of a lead (a thread with no lead gets only the brand; fallbacks fill the rest). */
export function mergeValuesOf(lead: RecipientLead | null, brand: string): MergeValues {
  if (!lead) return { brand };
  const owner = ownerNameParts(lead.ownerName);
  return { owner_first_name: owner.first, owner_last_name: owner.last, owner_name: owner.full, property_address: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip, brand };
}

export function renderFor(template: string, lead: RecipientLead | null, brand: string): string {
  return renderTemplate(template, mergeValuesOf(lead, brand));
}

/**
 * The recipient's time zone as the compliance engine places them (compliance/decide.ts): the
 * property ZIP, then the mailing ZIP, then the phone's area code, else the organization's zone.
 * When the candidates disagree this is the first; the send decision still holds a step back until
 * every candidate zone's window is open.
 */
export function recipientZone(phone: string, lead: RecipientLead | null, orgTimeZone: string): string {
  const location = resolveRecipientLocation(
    { propertyZip: lead ? zip5(lead.zip) : null, mailingZip: lead ? mailingZipOf(lead.mailingAddress) : null, phone },
    { orgTimeZone, areaCodes: areaCodeIndex() },
  );
  return location.zones[0]?.zone ?? orgTimeZone;
}
