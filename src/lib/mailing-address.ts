/**
 * A one-line US mailing address ("PO BOX 5, Dallas, TX 75201" — ATTOM's mailingaddressoneline, the
 * sandbox's, a CSV's) split into street, city, state and ZIP for the export's separate columns.
 * The last comma part must hold a state code (and usually a ZIP); what cannot be read that way
 * stays whole in `street`, so nothing is lost.
 */
export type MailingParts = { street: string; city: string; state: string; zip: string };

const STATE_ZIP = /^([A-Za-z]{2})(?:\s+(\d{5}(?:-\d{4})?))?$/;

export function splitMailingAddress(line: string | null | undefined): MailingParts {
  const text = (line ?? "").trim().replace(/\s+/g, " ");
  const empty = { street: "", city: "", state: "", zip: "" };
  if (!text) return empty;
  const parts = text.split(",").map((part) => part.trim()).filter(Boolean);
  if (parts.length < 2) return { ...empty, street: text };
  let last = parts[parts.length - 1]!;
  let zip = "";
  // "…, TX, 75201" as well as "…, TX 75201".
  if (/^\d{5}(-\d{4})?$/.test(last) && parts.length >= 3) {
    zip = last;
    parts.pop();
    last = parts[parts.length - 1]!;
  }
  const match = STATE_ZIP.exec(last);
  if (!match) return { ...empty, street: text };
  parts.pop();
  const state = match[1]!.toUpperCase();
  zip = match[2] ?? zip;
  const city = parts.length >= 2 ? parts.pop()! : "";
  return { street: parts.join(", "), city, state, zip };
}
