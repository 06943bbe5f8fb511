/**
 * What makes one of a lead's phones textable, and in words why not (issue 14): the same rule as
 * the database function leadflow_phone_textable (migration 20261130030500_lead_phone_flags), which
 * keeps Lead.textable. A phone is textable when it is a mobile or unknown-type line that is not
 * DNC- or TCPA-flagged, not marked wrong, invalid, opted out or do-not-call, and neither on the
 * organization's opt-out list nor on its internal do-not-contact list. Pure: the lead page, the
 * export and the tests share it.
 */

export type PhoneLineType = "mobile" | "landline" | "voip" | "unknown";
export type PhoneLineStatus = "ok" | "wrong_number" | "opted_out" | "invalid";

export type PhoneFacts = {
  type: PhoneLineType;
  dnc: boolean;
  tcpa: boolean;
  status: PhoneLineStatus;
  /** A teammate marked it "do not call". */
  doNotCall: boolean;
  /** A live opt-out for the organization or this lead. */
  suppressed: boolean;
  /** A live entry on the organization's internal do-not-contact list. */
  onDncList: boolean;
  verified?: boolean;
};

/** Why a phone cannot take a text, most decisive first; empty when it can. */
export const PHONE_BLOCKERS = ["landline", "voip", "invalid", "wrong_number", "opted_out", "suppressed", "do_not_call", "dnc_list", "dnc", "tcpa"] as const;
export type PhoneBlocker = (typeof PHONE_BLOCKERS)[number];

export const BLOCKER_LABELS: Record<PhoneBlocker, { one: string; many: string }> = {
  landline: { one: "landline", many: "landlines" },
  voip: { one: "VoIP line", many: "VoIP lines" },
  invalid: { one: "invalid number", many: "invalid numbers" },
  wrong_number: { one: "wrong number", many: "wrong numbers" },
  opted_out: { one: "opted out", many: "opted out" },
  suppressed: { one: "on the opt-out list", many: "on the opt-out list" },
  do_not_call: { one: "marked do not call", many: "marked do not call" },
  dnc_list: { one: "on the internal do-not-contact list", many: "on the internal do-not-contact list" },
  dnc: { one: "DNC-flagged", many: "DNC-flagged" },
  tcpa: { one: "TCPA-flagged", many: "TCPA-flagged" },
};

export function phoneBlockers(phone: PhoneFacts): PhoneBlocker[] {
  const blockers: PhoneBlocker[] = [];
  if (phone.type === "landline") blockers.push("landline");
  if (phone.type === "voip") blockers.push("voip");
  if (phone.status === "invalid") blockers.push("invalid");
  if (phone.status === "wrong_number") blockers.push("wrong_number");
  if (phone.status === "opted_out") blockers.push("opted_out");
  if (phone.suppressed && phone.status !== "opted_out") blockers.push("suppressed");
  if (phone.doNotCall) blockers.push("do_not_call");
  if (phone.onDncList) blockers.push("dnc_list");
  if (phone.dnc) blockers.push("dnc");
  if (phone.tcpa) blockers.push("tcpa");
  return blockers;
}

export const isTextable = (phone: PhoneFacts): boolean => phoneBlockers(phone).length === 0;

/**
 * The phone's flags as one token list for a spreadsheet ("dnc|tcpa|verified"); empty when none.
 * The line type has its own column, so it is not repeated here.
 */
export function phoneFlagsText(phone: PhoneFacts): string {
  const flags: string[] = phoneBlockers(phone).filter((b) => b !== "landline" && b !== "voip");
  if (phone.verified) flags.push("verified");
  return flags.join("|");
}

/**
 * Why no phone qualifies as the best phone, in words: each phone counted once under its most
 * decisive blocker ("None of the 3 phones can take a text: 1 VoIP line, 1 DNC-flagged, 1 TCPA-flagged").
 * Null when one does.
 */
export function noBestPhoneReason(phones: readonly PhoneFacts[]): string | null {
  if (phones.length === 0) return "No phone numbers";
  if (phones.some(isTextable)) return null;
  const counts = new Map<PhoneBlocker, number>();
  for (const phone of phones) {
    const first = phoneBlockers(phone)[0]!;
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  const parts = PHONE_BLOCKERS.filter((b) => counts.has(b)).map((b) => {
    const n = counts.get(b)!;
    return `${n} ${n === 1 ? BLOCKER_LABELS[b].one : BLOCKER_LABELS[b].many}`;
  });
  const subject = phones.length === 1 ? "The only phone cannot" : `None of the ${phones.length} phones can`;
  return `${subject} take a text: ${parts.join(", ")}`;
}
