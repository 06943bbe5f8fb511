import { z } from "zod";

/** 20 MB of CSV text: about 100k rows of a typical list export. */
export const MAX_IMPORT_CHARS = 20_000_000;

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
  /** Tags put on every lead this file creates (e.g. the list's name). */
  fixedTags: z.array(z.string().trim().min(1).max(50)).max(10).default([]),
});
export type ImportMapping = z.output<typeof importMappingSchema>;
export type ImportMappingInput = z.input<typeof importMappingSchema>;

const fileName = z.string().trim().min(1).max(255);
const content = z.string().max(MAX_IMPORT_CHARS, "The file is larger than 20 MB. Split it and import the parts.");

export const importPreviewInput = z.object({ fileName, content });

/** One row of the file as it would be imported. */
export const importedLeadOutput = z.object({
  addressLine1: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  ownerName: z.string().nullable(),
  ownerIsCorporate: z.boolean(),
  mailingAddress: z.string().nullable(),
  absentee: z.boolean().nullable(),
  propertyType: z.string().nullable(),
  beds: z.number().nullable(),
  baths: z.number().nullable(),
  sizeSqft: z.number().int().nullable(),
  yearBuilt: z.number().int().nullable(),
  estimatedValueCents: z.number().int().nullable(),
  assessedValueCents: z.number().int().nullable(),
  equityPct: z.number().nullable(),
  /** YYYY-MM-DD */
  lastSaleDate: z.string().nullable(),
  lastSalePriceCents: z.number().int().nullable(),
  phones: z.array(z.object({ number: z.string(), type: z.enum(["mobile", "landline", "voip", "unknown"]) })),
  emails: z.array(z.string()),
  tags: z.array(z.string()),
});

export const importSampleRowOutput = z.object({
  /** 1-based, the header row not counted. */
  rowNumber: z.number().int(),
  lead: importedLeadOutput.nullable(),
  /** Why the row would be rejected; null when it imports. */
  rejection: z.string().nullable(),
  /** Values that would be dropped while the lead itself imports (e.g. an unreadable phone). */
  warnings: z.array(z.string()),
});

export const importPreviewOutput = z.object({
  fileName: z.string(),
  headers: z.array(z.string()),
  /** The detected mapping; send it back (edited or not) to `imports.create`. */
  mapping: importMappingSchema,
  /** The first five data rows as mapped. */
  sampleRows: z.array(importSampleRowOutput),
  /** Data rows in the file (the header row not counted). */
  rowCount: z.number().int(),
  /** Why the file cannot be imported at all (empty, not CSV …); null when it can. */
  error: z.string().nullable(),
  /** Why the mapping is not enough to import yet (e.g. no address column); null when it is. */
  mappingProblem: z.string().nullable(),
});

export const importCreateInput = z.object({
  fileName,
  content: content.min(1, "The file is empty."),
  mapping: importMappingSchema,
});

export const importIdInput = z.object({ id: z.string().min(1).max(64) });

export const importStatusSchema = z.enum(["pending", "running", "completed", "failed", "cancelled"]);

export const importJobOutput = z.object({
  id: z.string(),
  fileName: z.string(),
  status: importStatusSchema,
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  createdCount: z.number().int(),
  duplicateCount: z.number().int(),
  rejectedCount: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  createdBy: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }).nullable(),
  /** GET this for a CSV of every rejected row with its reason and original columns. */
  rejectsUrl: z.string(),
});

export const importDetailOutput = importJobOutput.extend({
  /** The first rejected rows with their reasons (all of them are in the rejects CSV). */
  rejects: z.array(z.object({ rowNumber: z.number().int(), reason: z.string() })),
});

export const importCreateOutput = importJobOutput;
export const importListOutput = z.array(importJobOutput);
export const importCancelOutput = importJobOutput;
