import { z } from "zod";
import { toE164 } from "@/lib/csv-import/rows";
import { PHONE_BLOCKERS } from "@/lib/phones";
import { canonicalTemperature, OLD_TEMPERATURE_NAMES } from "@/lib/scoring";
import { safeString, isoCalendarDate } from "@/lib/text-schema";

export const LEAD_STATUSES = ["new", "contacted", "replied", "interested", "negotiating", "under_contract", "closed", "dead"] as const;
export const TEMPERATURES = ["COLD", "WARM", "HOT", "ON_FIRE"] as const;
/** A temperature a client sends: one of TEMPERATURES, or an old name of one ("DEAD" reads as COLD). */
export const temperatureSchema = z.enum([...TEMPERATURES, ...OLD_TEMPERATURE_NAMES]).transform((word) => canonicalTemperature(word));
export const LEAD_SOURCES = ["attom", "sandbox", "csv", "manual"] as const;
export const LEAD_SORT_FIELDS = ["createdAt", "updatedAt", "score", "ownerName", "addressLine1", "status"] as const;

export const leadStatusSchema = z.enum(LEAD_STATUSES);
const id = safeString().min(1).max(64);

/** The filters of the lead list; the CSV export and bulk "whole filter" actions take the same. */
export const leadFiltersSchema = z.object({
  status: z.array(leadStatusSchema).max(LEAD_STATUSES.length).optional(),
  temperature: z.array(temperatureSchema).max(4).optional(),
  tagIds: z.array(id).max(50).optional(),
  /** Any phone number at all. */
  hasPhone: z.boolean().optional(),
  /** A phone that can take a text (lib/phones.ts): the "Contactable" pill. */
  textable: z.boolean().optional(),
  skipTraced: z.boolean().optional(),
  zip: safeString().trim().regex(/^\d{5}$/, "Enter a 5-digit ZIP").optional(),
  source: z.array(z.enum(LEAD_SOURCES)).max(4).optional(),
  /** A user id, or "unassigned". */
  assigneeId: id.optional(),
  scoreMin: z.number().int().min(0).max(100).optional(),
  scoreMax: z.number().int().min(0).max(100).optional(),
  /** Free text on address and owner. */
  q: safeString().trim().min(1).max(200).optional(),
  archived: z.enum(["exclude", "include", "only"]).default("exclude"),
});
export type LeadFilters = z.output<typeof leadFiltersSchema>;
export type LeadFiltersInput = z.input<typeof leadFiltersSchema>;

export const leadSortSchema = z
  .object({ field: z.enum(LEAD_SORT_FIELDS).default("createdAt"), direction: z.enum(["asc", "desc"]).default("desc") })
  .default({ field: "createdAt", direction: "desc" });
export type LeadSort = z.output<typeof leadSortSchema>;

// ───────────── inputs ─────────────

export const listLeadsInput = z.object({
  filters: leadFiltersSchema.prefault({}),
  sort: leadSortSchema,
  cursor: id.nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});
export const leadIdInput = z.object({ id });

const money = z.number().int("Whole cents only.").min(0).max(10_000_000_000);
const optionalText = (max: number) => safeString().trim().max(max).nullish();

export const leadFactsSchema = z.object({
  ownerName: optionalText(200),
  mailingAddress: optionalText(300),
  absentee: z.boolean().nullish(),
  propertyType: z.enum(["sfr", "condo", "multi_family", "apartment", "land", "other"]).nullish(),
  beds: z.number().min(0).max(1000).nullish(),
  baths: z.number().min(0).max(1000).nullish(),
  sizeSqft: z.number().int().min(0).max(10_000_000).nullish(),
  yearBuilt: z.number().int().min(1600).max(2100).nullish(),
  estimatedValueCents: money.nullish(),
  equityPct: z.number().min(-100).max(100).nullish(),
  lastSaleDate: isoCalendarDate().nullish(),
  lastSalePriceCents: money.nullish(),
  vacant: z.boolean().nullish(),
});

export const createLeadInput = leadFactsSchema.extend({
  /** Makes the create safe to retry: the same key and payload return the same lead. */
  idempotencyKey: safeString().min(8).max(100).optional(),
  addressLine1: safeString().trim().min(3, "Enter the street address.").max(200),
  city: safeString().trim().min(1, "Enter the city.").max(100),
  state: safeString().trim().regex(/^[A-Za-z]{2}$/, "Use the two-letter state code.").transform((s) => s.toUpperCase()),
  zip: safeString().trim().regex(/^\d{5}(-\d{4})?$/, "Enter a 5-digit ZIP.").transform((zip) => zip.slice(0, 5)),
  status: leadStatusSchema.default("new"),
});

export const updateLeadInput = z.object({
  id,
  patch: leadFactsSchema.extend({
    status: leadStatusSchema.optional(),
    assigneeId: id.nullish(),
    /** The deal's value (issue 13 item 2); null clears it. */
    dealValueCents: money.nullish(),
    /** When the deal is expected to close; null clears it. */
    expectedCloseOn: isoCalendarDate().nullish(),
  }),
});

export const addPhoneInput = z.object({
  leadId: id,
  number: safeString()
    .trim()
    .min(1, "Enter a phone number.")
    .max(40)
    .transform((raw, ctx) => {
      const e164 = toE164(raw);
      if (!e164) ctx.addIssue({ code: "custom", message: `"${raw}" is not a valid US or Canadian phone number.` });
      return e164 ?? "";
    }),
  type: z.enum(["mobile", "landline", "voip", "unknown"]).default("unknown"),
});

/** A teammate's mark on one phone from the lead page (who and when are recorded). */
export const PHONE_MARKS = ["wrong_number", "verified", "do_not_call"] as const;
export const markPhoneInput = z.object({ phoneId: id, mark: z.enum(PHONE_MARKS) });

export const bulkTargetSchema = z.union([
  z.object({ ids: z.array(id).min(1).max(1000) }),
  z.object({ filters: leadFiltersSchema }),
]);
export const bulkActionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tag"), tagId: id }),
  z.object({ kind: z.literal("untag"), tagId: id }),
  z.object({ kind: z.literal("status"), status: leadStatusSchema }),
  z.object({ kind: z.literal("assign"), assigneeId: id.nullable() }),
  z.object({ kind: z.literal("archive") }),
  z.object({ kind: z.literal("restore") }),
]);
export const bulkInput = z.object({ target: bulkTargetSchema, action: bulkActionSchema });
export const bulkOutput = z.object({ matched: z.number().int(), changed: z.number().int() });

export const outcomeInput = z.discriminatedUnion("outcome", [
  z.object({ id, outcome: z.literal("won"), amountCents: money, date: isoCalendarDate() }),
  z.object({ id, outcome: z.literal("lost"), reason: safeString().trim().min(2, "Say why it was lost.").max(500) }),
  z.object({ id, outcome: z.literal("reopen") }),
]);

export const addNoteInput = z.object({ leadId: id, body: safeString().trim().min(1, "Write something first.").max(10_000) });
export const updateNoteInput = z.object({ id, body: safeString().trim().min(1).max(10_000) });
export const noteIdInput = z.object({ id });

export const TAG_COLORS = ["slate", "red", "amber", "green", "teal", "blue", "violet", "pink"] as const;
export const createTagInput = z.object({ name: safeString().trim().min(1).max(40), color: z.enum(TAG_COLORS).default("blue") });
export const updateTagInput = z.object({ id, name: safeString().trim().min(1).max(40).optional(), color: z.enum(TAG_COLORS).optional() });
export const tagIdInput = z.object({ id });
export const setLeadTagsInput = z.object({ leadId: id, tagIds: z.array(id).max(50) });

// ───────────── outputs ─────────────

export const tagOutput = z.object({ id: z.string(), name: z.string(), color: z.string() });
const personOutput = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });
const scoreFactorOutput = z.object({ factor: z.string(), points: z.number(), detail: z.string() });

export const nextTaskOutput = z.object({
  id: z.string(),
  note: z.string(),
  /** A day in the organization's time zone, and a time of day there (null: any time that day). */
  dueOn: z.string(),
  dueTime: z.string().nullable(),
  dueAt: z.date(),
  assigneeId: z.string().nullable(),
});

export const leadListItemOutput = z.object({
  id: z.string(),
  addressLine1: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  ownerName: z.string().nullable(),
  status: leadStatusSchema,
  temperature: z.enum(TEMPERATURES),
  score: z.number().int(),
  source: z.enum(LEAD_SOURCES),
  hasPhone: z.boolean(),
  textable: z.boolean(),
  skipTracedAt: z.date().nullable(),
  estimatedValueCents: z.number().nullable(),
  equityPct: z.number().nullable(),
  absentee: z.boolean().nullable(),
  /** The owner is a company or a trust (the list's Company/Trust badge). */
  ownerIsCorporate: z.boolean(),
  /** The last text to or from the lead (its conversations' last message); the list's "Last contact" column. */
  lastContactAt: z.date().nullable().optional(),
  assignee: personOutput.nullable(),
  tags: z.array(tagOutput),
  archivedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The deal's value in cents (the won amount once won) and its expected close day. */
  dealValueCents: z.number().nullable(),
  expectedCloseOn: z.string().nullable(),
  /** The lead's earliest open task (server/tasks keeps Lead.nextTaskId in the task's transaction). */
  nextTask: nextTaskOutput.nullable(),
});
export const listLeadsOutput = z.object({ items: z.array(leadListItemOutput), nextCursor: z.string().nullable() });
export const leadCountsOutput = z.object({
  total: z.number().int(),
  byStatus: z.record(leadStatusSchema, z.number().int()),
  byTemperature: z.record(z.enum(TEMPERATURES), z.number().int()),
  /** Of those, the leads with any phone and the textable ones, by status (so a status selection can sum them). */
  withPhoneByStatus: z.record(leadStatusSchema, z.number().int()),
  textableByStatus: z.record(leadStatusSchema, z.number().int()),
});

export const leadDetailOutput = leadListItemOutput.extend({
  mailingAddress: z.string().nullable(),
  ownerIsCorporate: z.boolean(),
  propertyType: z.string().nullable(),
  beds: z.number().nullable(),
  baths: z.number().nullable(),
  sizeSqft: z.number().nullable(),
  yearBuilt: z.number().nullable(),
  assessedValueCents: z.number().nullable(),
  lastSaleDate: z.string().nullable(),
  lastSalePriceCents: z.number().nullable(),
  vacant: z.boolean().nullable(),
  scoreFactors: z.array(scoreFactorOutput),
  aiSummary: z.string().nullable(),
  wonAt: z.string().nullable(),
  wonAmountCents: z.number().nullable(),
  lostAt: z.date().nullable(),
  lostReason: z.string().nullable(),
  phones: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      type: z.enum(["mobile", "landline", "voip", "unknown"]),
      carrier: z.string().nullable(),
      dnc: z.boolean(),
      tcpa: z.boolean(),
      score: z.number().nullable(),
      status: z.enum(["ok", "wrong_number", "opted_out", "invalid"]),
      isBest: z.boolean(),
      source: z.string(),
      /** Can take a text, and if not, why (lib/phones.ts). */
      textable: z.boolean(),
      blockers: z.array(z.enum(PHONE_BLOCKERS)),
      suppressed: z.boolean(),
      onDncList: z.boolean(),
      verifiedAt: z.date().nullable(),
      verifiedBy: personOutput.nullable(),
      wrongNumberAt: z.date().nullable(),
      wrongNumberBy: personOutput.nullable(),
      doNotCallAt: z.date().nullable(),
      doNotCallBy: personOutput.nullable(),
    }),
  ),
  emails: z.array(z.object({ id: z.string(), email: z.string(), source: z.string() })),
  notes: z.array(z.object({ id: z.string(), body: z.string(), author: personOutput.nullable(), createdAt: z.date(), updatedAt: z.date() })),
  activity: z.array(z.object({ id: z.string(), kind: z.string(), details: z.unknown(), actor: personOutput.nullable(), createdAt: z.date() })),
});

export const createLeadOutput = z.object({ lead: leadDetailOutput, created: z.boolean(), replayed: z.boolean() });
export const assigneeOutput = z.array(personOutput.extend({ role: z.enum(["admin", "manager", "user"]) }));
export const okOutput = z.object({ ok: z.literal(true) });
export const leadCountsInput = z.object({ filters: leadFiltersSchema.prefault({}) });
export const aiSummaryAvailableOutput = z.boolean();
export const aiSummaryOutput = z.object({ aiSummary: z.string() });
export const noteOutput = z.object({ id: z.string(), body: z.string(), createdAt: z.date(), updatedAt: z.date(), author: personOutput.nullable() });
export const tagListOutput = z.array(tagOutput.extend({ leadCount: z.number().int() }));

// ───────────── the map (issue 14 item 8) ─────────────

/** Most markers one map answer carries (the hottest first); the map says how many more there are. */
export const MAP_POINTS_MAX = 2000;
export const mapPointsInput = z.object({
  filters: leadFiltersSchema.prefault({}),
  limit: z.number().int().min(1).max(MAP_POINTS_MAX).default(1000),
});
/** What a marker and its card need, nothing more. */
export const mapPointOutput = z.object({
  id: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  temperature: z.enum(TEMPERATURES),
  status: leadStatusSchema,
  addressLine1: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  ownerName: z.string().nullable(),
  ownerIsCorporate: z.boolean(),
  score: z.number().int(),
  estimatedValueCents: z.number().nullable(),
  equityPct: z.number().nullable(),
});
export const mapPointsOutput = z.object({
  points: z.array(mapPointOutput),
  /** Leads matching the filters. */
  total: z.number().int(),
  /** Of those, the ones with coordinates (the rest cannot be placed on a map). */
  withCoordinates: z.number().int(),
  limit: z.number().int(),
});
