import { z } from "zod";
import { DNC_SOURCES } from "@/lib/dnc-registry";
import { idString, isoCalendarDate, safeString } from "@/lib/text-schema";
import { importSuppressionsInput, importSuppressionsOutput } from "./schema";

/**
 * The do-not-contact contract (SPEC §6, COMPLIANCE.md "Do-Not-Call"): the dnc.* procedures and the
 * registry upload route. Phones are typed by people and parsed by the service (US default).
 */

const phoneText = safeString().trim().min(1, "Enter a phone number.").max(40, "That is too long for a phone number.");
const reasonText = (tooShort: string) => safeString().trim().min(3, tooShort).max(500, "Keep it under 500 characters.");

export const DNC_STATES = ["live", "removed", "all"] as const;

export const dncFiltersSchema = z.object({
  /** Digits anywhere in the phone. */
  q: safeString().trim().max(40).optional(),
  state: z.enum(DNC_STATES).default("live"),
});
export type DncFilters = z.output<typeof dncFiltersSchema>;

export const listDncInput = z.object({
  filters: dncFiltersSchema.default({ state: "live" }),
  cursor: idString().nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

const personOutput = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });

export const dncEntryOutput = z.object({
  id: z.string(),
  phone: z.string(),
  reason: z.string(),
  /** Who added it; null when that person is no longer a member. */
  addedBy: personOutput.nullable(),
  createdAt: z.date(),
  removed: z.object({ at: z.date(), by: personOutput.nullable(), reason: z.string() }).nullable(),
});
export type DncEntryRow = z.infer<typeof dncEntryOutput>;

export const listDncOutput = z.object({ items: z.array(dncEntryOutput), nextCursor: z.string().nullable() });

export const addDncInput = z.object({
  phone: phoneText,
  reason: reasonText("Say why this number must not be contacted (who asked, how, when)."),
});
export const addDncOutput = z.object({
  /** False when the number was already on the list: nothing changed. */
  created: z.boolean(),
  entry: dncEntryOutput,
});

/** A CSV list (as the opt-outs import reads it: a phone column, optional notes); `source` is kept as every added number's reason. */
export const importDncInput = importSuppressionsInput;
export const importDncOutput = importSuppressionsOutput.omit({ alreadySuppressed: true }).extend({
  /** Already on the list (live), or repeated within the file. */
  alreadyListed: z.number().int(),
});
export type ImportDncResult = z.infer<typeof importDncOutput>;

export const removeDncInput = z.object({
  id: idString(),
  reason: reasonText("Say why this number may be contacted again."),
});
export const removeDncOutput = z.object({ entry: dncEntryOutput });

export const checkDncInput = z.object({ phone: phoneText });
export const checkDncOutput = z.object({
  phone: z.string(),
  listed: z.boolean(),
  sources: z.array(z.enum(DNC_SOURCES)),
  internal: z.object({ entryId: z.string(), reason: z.string(), addedAt: z.date() }).nullable(),
  registry: z.object({
    areaCode: z.number().int().nullable(),
    loaded: z.boolean(),
    listed: z.boolean(),
    extractDate: z.string().nullable(),
    ageDays: z.number().int().nullable(),
    stale: z.boolean(),
  }),
  skipTrace: z.object({ dnc: z.boolean(), tcpa: z.boolean() }),
  checkedAt: z.date(),
});

/** "removed": an admin took the area code out (the organization no longer subscribes to it). */
export const REGISTRY_UPLOAD_STATUSES = ["loading", "current", "replaced", "failed", "removed"] as const;

const areaCodeOutput = z.object({
  areaCode: z.number().int(),
  /** YYYY-MM-DD */
  extractDate: z.string(),
  ageDays: z.number().int(),
  stale: z.boolean(),
  numberCount: z.number().int(),
  fileName: z.string(),
  loadedAt: z.date(),
  loadedBy: personOutput.nullable(),
});

export const registryFreshnessOutput = z.object({
  /** none: no extract loaded; fresh: every loaded area code is within staleAfterDays; stale: at least one is not. */
  status: z.enum(["none", "fresh", "stale"]),
  staleAfterDays: z.number().int(),
  areaCodeCount: z.number().int(),
  numberCount: z.number().int(),
  staleAreaCodes: z.array(z.number().int()),
  /** YYYY-MM-DD of the oldest loaded extract. */
  oldestExtractDate: z.string().nullable(),
  areaCodes: z.array(areaCodeOutput),
});
export type RegistryFreshness = z.infer<typeof registryFreshnessOutput>;

export const registryUploadOutput = z.object({
  id: z.number().int(),
  areaCode: z.number().int(),
  fileName: z.string(),
  extractDate: z.string(),
  status: z.enum(REGISTRY_UPLOAD_STATUSES),
  byteSize: z.number().int(),
  numberCount: z.number().int(),
  rejectedCount: z.number().int(),
  duplicateCount: z.number().int(),
  error: z.string().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  uploadedBy: personOutput.nullable(),
});
export type RegistryUploadRow = z.infer<typeof registryUploadOutput>;

export const registryOutput = z.object({
  freshness: registryFreshnessOutput,
  /** The latest uploads, newest first (those still loading show their progress). */
  uploads: z.array(registryUploadOutput),
});

export const removeAreaCodeInput = z.object({
  areaCode: z.number().int().min(200).max(999),
  reason: reasonText("Say why this area code's registry data is removed (e.g. the subscription ended)."),
});
export const removeAreaCodeOutput = z.object({ areaCode: z.number().int(), numberCount: z.number().int() });

/** The query of POST /api/compliance/dnc/registry (the body is the file's bytes). */
export const registryUploadQuery = z.object({
  areaCode: z.coerce.number().int("Enter a 3-digit area code.").min(200, "Enter a 3-digit area code.").max(999, "Enter a 3-digit area code."),
  extractDate: isoCalendarDate(),
  fileName: safeString().trim().min(1, "The file needs a name.").max(200, "The file name is too long."),
});

export const registryUploadResult = z.object({
  upload: registryUploadOutput,
  /** The first lines that were not numbers of the area code (line numbers as an editor shows them). */
  rejects: z.array(z.object({ line: z.number().int(), value: z.string(), reason: z.string() })),
  /** Load time and rate, for the page to show. */
  seconds: z.number(),
  numbersPerSecond: z.number().int(),
});
export type RegistryUploadResult = z.infer<typeof registryUploadResult>;

/** An area code file is at most 10 million lines of ~11 bytes; with separators and CRLF, 200 MB is ample. */
export const MAX_REGISTRY_UPLOAD_BYTES = 200 * 1024 * 1024;
