/**
 * Saved replies (issue 12 item 4): an organization's library of reply texts with the merge
 * fields of campaign templates (lib/sms-template). Pure, so the settings page, the inbox reply
 * box and the server render and check a body the same way.
 */
import { MERGE_FIELDS, ownerNameParts, renderTemplate, unknownMergeFields, type MergeValues } from "./sms-template";
import { countSmsSegments, SMS_MAX_BODY_CHARACTERS, type SmsSegmentCount } from "./sms-segments";

export const SAVED_REPLY_NAME_MAX = 80;
/** A reply is one text: Twilio refuses longer bodies (21617). */
export const SAVED_REPLY_BODY_MAX = SMS_MAX_BODY_CHARACTERS;

/** The facts of a lead a saved reply can use (what the inbox thread already shows). */
export type SavedReplyLeadFacts = {
  ownerName: string | null;
  addressLine1: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
};

/** The merge values of a lead, signed with the organization's brand (the same values a campaign message gets). */
export function mergeValuesForLead(lead: SavedReplyLeadFacts | null, brand: string): MergeValues {
  const owner = ownerNameParts(lead?.ownerName);
  return {
    owner_first_name: owner.first,
    owner_last_name: owner.last,
    owner_name: owner.full,
    property_address: lead?.addressLine1 ?? null,
    city: lead?.city ?? null,
    state: lead?.state ?? null,
    zip: lead?.zip ?? null,
    brand,
  };
}

/** The text a saved reply becomes for this lead (a conversation without a lead gets fallbacks only). */
export function renderSavedReply(body: string, lead: SavedReplyLeadFacts | null, brand: string): string {
  return renderTemplate(body, mergeValuesForLead(lead, brand));
}

/** What is wrong with a body, as sentences a user reads; empty when it can be saved. */
export function savedReplyBodyProblems(body: string): string[] {
  const problems: string[] = [];
  const unknown = unknownMergeFields(body);
  if (unknown.length > 0) {
    const known = MERGE_FIELDS.map((field) => `{{${field.name}}}`).join(", ");
    problems.push(`Unknown merge field${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => `{{${name}}}`).join(", ")}: use one of ${known}.`);
  }
  if (/\{\{(?![^{}]*\}\})/.test(body)) problems.push('A merge field is not closed: write it as {{owner_first_name}}, with two braces on each side.');
  return problems;
}

/** Segments of the body as written (merge fields shown with their example values, as the lead would get it). */
export function savedReplySegments(body: string): SmsSegmentCount {
  const example = Object.fromEntries(MERGE_FIELDS.map((field) => [field.name, field.example])) as MergeValues;
  return countSmsSegments(renderTemplate(body, example) || body);
}
