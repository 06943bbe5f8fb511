import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { importMappingSchema, type ImportedLead, type UploadedFile } from "@/lib/csv-import/fields";

export {
  IMPORT_FIELDS,
  importMappingSchema,
  MAX_UPLOAD_BYTES,
  type ImportFieldKey,
  type ImportMapping,
  type ImportMappingInput,
  type MultiImportField,
  type SingleImportField,
} from "@/lib/csv-import/fields";

/** An upload from POST /api/imports/upload. */
const uploadId = safeString().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "That is not an upload id.");

export const importPreviewInput = z.object({ uploadId });

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
  notes: z.array(z.string()),
}) satisfies z.ZodType<ImportedLead>;

export const importSampleRowOutput = z.object({
  /** 1-based, the header row not counted. */
  rowNumber: z.number().int(),
  lead: importedLeadOutput.nullable(),
  /** Why the row would be rejected (every problem, as one text); null when it imports. */
  rejection: z.string().nullable(),
  /** The row's problems one by one; empty when it imports. */
  problems: z.array(z.string()),
  /** Values that would be dropped while the lead itself imports (e.g. an unreadable phone). */
  warnings: z.array(z.string()),
});

export const importPreviewOutput = z.object({
  uploadId: z.string(),
  fileName: z.string(),
  byteSize: z.number().int(),
  /** How the file's bytes are read: UTF-8, or Windows-1252 when they are not valid UTF-8. */
  encoding: z.enum(["utf-8", "windows-1252"]),
  headers: z.array(z.string()),
  /** The detected mapping; send it back (edited or not) to `imports.create`. */
  mapping: importMappingSchema,
  /** The first five data rows as the file has them, to preview an edited mapping. */
  sampleRecords: z.array(z.array(z.string())),
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
  uploadId,
  mapping: importMappingSchema,
});

/** What POST /api/imports/upload answers (201). */
export const importUploadOutput = z.object({
  upload: z.object({
    id: z.string(),
    fileName: z.string(),
    byteSize: z.number().int(),
    rowCount: z.number().int(),
    /** Why the file cannot be imported (empty, not a CSV …); null when it can. */
    problem: z.string().nullable(),
  }) satisfies z.ZodType<UploadedFile>,
});
export type ImportUploadResponse = z.output<typeof importUploadOutput>;

/** NUL (Postgres refuses it) and lone UTF-16 surrogates. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The upload's file name (the "fileName" query parameter of POST /api/imports/upload). */
export const uploadFileNameSchema = safeString()
  .trim()
  .min(1, "Name the file: ?fileName=list.csv")
  .max(255)
  .refine((name) => !UNSTORABLE.test(name), "The file name has characters that cannot be stored.");

export const importIdInput = z.object({ id: safeString().min(1).max(64) });

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
