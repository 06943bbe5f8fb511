/**
 * What a CSV import can fill in: the lead fields a column can feed, the column mapping, and the
 * lead a row becomes. Pure; shared by the server's importer and the browser's mapping form.
 */
import { z } from "zod";
import { safeString } from "../text-schema";

/** The lead fields a CSV column can feed, in the order an import form shows them. */
export const IMPORT_FIELDS = [
  { key: "address", label: "Property address", multiple: false, required: true },
  { key: "city", label: "City", multiple: false, required: false },
  { key: "state", label: "State", multiple: false, required: false },
  { key: "zip", label: "ZIP code", multiple: false, required: false },
  { key: "ownerName", label: "Owner name", multiple: false, required: false },
  { key: "ownerFirstName", label: "Owner first name", multiple: false, required: false },
  { key: "ownerLastName", label: "Owner last name", multiple: false, required: false },
  { key: "mailingAddress", label: "Mailing address", multiple: false, required: false },
  { key: "mailingCity", label: "Mailing city", multiple: false, required: false },
  { key: "mailingState", label: "Mailing state", multiple: false, required: false },
  { key: "mailingZip", label: "Mailing ZIP", multiple: false, required: false },
  { key: "phones", label: "Phones", multiple: true, required: false },
  { key: "emails", label: "Emails", multiple: true, required: false },
  { key: "propertyType", label: "Property type", multiple: false, required: false },
  { key: "beds", label: "Beds", multiple: false, required: false },
  { key: "baths", label: "Baths", multiple: false, required: false },
  { key: "sqft", label: "Living area (sq ft)", multiple: false, required: false },
  { key: "yearBuilt", label: "Year built", multiple: false, required: false },
  { key: "estimatedValue", label: "Estimated value ($)", multiple: false, required: false },
  { key: "assessedValue", label: "Assessed value ($)", multiple: false, required: false },
  { key: "equityPct", label: "Equity %", multiple: false, required: false },
  { key: "lastSaleDate", label: "Last sale date", multiple: false, required: false },
  { key: "lastSalePrice", label: "Last sale price ($)", multiple: false, required: false },
  { key: "tags", label: "Tags", multiple: true, required: false },
  { key: "notes", label: "Notes", multiple: true, required: false },
] as const;

export type ImportFieldKey = (typeof IMPORT_FIELDS)[number]["key"];
export type SingleImportField = Extract<(typeof IMPORT_FIELDS)[number], { multiple: false }>["key"];
export type MultiImportField = Extract<(typeof IMPORT_FIELDS)[number], { multiple: true }>["key"];

/** A 0-based column index of the uploaded file; null or absent means "not imported". */
const column = z.number().int().min(0).max(999);
const single = column.nullish();
const multiple = z.array(column).max(20).default([]);

/** Which column feeds which lead field (column indexes, so repeated or blank headers still work). */
export const importMappingSchema = z.object({
  address: single,
  city: single,
  state: single,
  zip: single,
  ownerName: single,
  ownerFirstName: single,
  ownerLastName: single,
  mailingAddress: single,
  mailingCity: single,
  mailingState: single,
  mailingZip: single,
  phones: multiple,
  emails: multiple,
  propertyType: single,
  beds: single,
  baths: single,
  sqft: single,
  yearBuilt: single,
  estimatedValue: single,
  assessedValue: single,
  equityPct: single,
  lastSaleDate: single,
  lastSalePrice: single,
  tags: multiple,
  /** Each column's text becomes a note on the lead (one note per column with text). */
  notes: multiple,
  /** Tags put on every lead this file creates (e.g. the list's name). */
  fixedTags: z.array(safeString().trim().min(1).max(50)).max(10).default([]),
});
export type ImportMapping = z.output<typeof importMappingSchema>;
export type ImportMappingInput = z.input<typeof importMappingSchema>;

export type PhoneType = "mobile" | "landline" | "voip" | "unknown";

/** One row of the file as it would be imported. */
export type ImportedLead = {
  addressLine1: string;
  city: string;
  state: string;
  zip: string;
  ownerName: string | null;
  ownerIsCorporate: boolean;
  mailingAddress: string | null;
  absentee: boolean | null;
  propertyType: string | null;
  beds: number | null;
  baths: number | null;
  sizeSqft: number | null;
  yearBuilt: number | null;
  estimatedValueCents: number | null;
  assessedValueCents: number | null;
  equityPct: number | null;
  /** YYYY-MM-DD */
  lastSaleDate: string | null;
  lastSalePriceCents: number | null;
  phones: { number: string; type: PhoneType }[];
  emails: string[];
  tags: string[];
  /** Notes to add to the lead, from the Notes columns. */
  notes: string[];
};

/** The largest file an import takes (bytes). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** What POST /api/imports/upload answers (201) in `upload`. */
export type UploadedFile = {
  id: string;
  fileName: string;
  byteSize: number;
  /** Data rows (header not counted), counted as the file streamed in. */
  rowCount: number;
  /** Why the file cannot be imported (empty, not a CSV …); null when it can. */
  problem: string | null;
};
