import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { budgetTodayOutput } from "../budget/schema";
import { propertyRecordSchema, propertySearchQuerySchema, searchLocationSchema } from "../providers/property-search";

export const searchInput = propertySearchQuerySchema;

const scoreFactor = z.object({ factor: z.string(), points: z.number(), detail: z.string() });

export const searchRowOutput = propertyRecordSchema.extend({
  score: z.number().int(),
  temperature: z.enum(["COLD", "WARM", "HOT", "ON_FIRE"]),
  scoreFactors: z.array(scoreFactor),
  alreadyLead: z.boolean(),
});

export const searchOutput = z.object({
  provider: z.enum(["attom", "sandbox"]),
  simulatedCost: z.boolean(),
  costCents: z.number().int(),
  cacheHit: z.boolean(),
  searchRunId: z.string(),
  rows: z.array(searchRowOutput),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** One per ZIP (or the city / county): answered or failed, from cache or paid, and what it cost. */
  locations: z.array(
    z.object({
      location: z.string(),
      ok: z.boolean(),
      cacheHit: z.boolean(),
      costCents: z.number().int(),
      resultCount: z.number().int(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
  /** What a city or county resolved to (shown in the result header); null for ZIPs. */
  place: z
    .object({
      geoIdV4: z.string(),
      kind: z.enum(["city", "county"]),
      label: z.string(),
      lookupCostCents: z.number().int(),
      lookupCacheHit: z.boolean(),
    })
    .nullable(),
  budget: budgetTodayOutput,
});

export const resolvePlaceInput = z.object({ location: searchLocationSchema });
export const resolvePlaceOutput = z.object({
  status: z.enum(["resolved", "ambiguous", "unresolved"]),
  provider: z.enum(["attom", "sandbox"]),
  simulatedCost: z.boolean(),
  /** The place as the user named it: "SPRINGFIELD, PA". */
  place: z.string(),
  kind: z.enum(["city", "county"]),
  candidates: z.array(z.object({ geoIdV4: z.string(), label: z.string(), county: z.string().nullable() })),
  /** What this lookup cost this organization (0 when any organization had resolved it in the last 30 days). */
  costCents: z.number().int(),
  cacheHit: z.boolean(),
  /** For a place that could not be resolved: its ZIPs, each a paid call if searched. */
  fallback: z
    .object({
      zips: z.array(z.object({ zip: z.string(), city: z.string(), county: z.string() })),
      dataset: z.string(),
      costPerZipCents: z.number().int(),
      maxZipsPerSearch: z.number().int(),
    })
    .nullable(),
  budget: budgetTodayOutput,
});

export const searchContextOutput = z.object({
  provider: z.enum(["attom", "sandbox"]),
  supportsCityCounty: z.boolean(),
  killSwitchEngaged: z.boolean(),
  budget: budgetTodayOutput,
});

export const addToLeadsInput = z.object({
  query: propertySearchQuerySchema,
  /** Property ids from that result page; omitted means the whole page. */
  externalIds: z.array(safeString().min(1).max(200)).min(1).max(100).optional(),
});

export const addToLeadsOutput = z.object({
  added: z.number().int(),
  alreadyInLeads: z.number().int(),
  requested: z.number().int(),
});

export const inLeadsInput = z.object({ query: propertySearchQuerySchema });
export const inLeadsOutput = z.object({
  /** The rows of that result page already in leads. */
  externalIds: z.array(z.string()),
});

export const searchHistoryInput = z.object({ limit: z.number().int().min(1).max(100).default(20) });
/** One row per distinct search (location and filters; the pages of one search are one row), newest first. */
export const searchHistoryOutput = z.array(
  z.object({
    id: z.string(),
    provider: z.string(),
    query: z.unknown(),
    /** The last page viewed. */
    page: z.number().int(),
    resultCount: z.number().int(),
    total: z.number().int(),
    /** What the last run cost (0 from cache). */
    costCents: z.number().int(),
    cacheHit: z.boolean(),
    /** Runs of this search (any page) among the recent ones, and what they cost together. */
    runs: z.number().int(),
    totalCostCents: z.number().int(),
    createdAt: z.date(),
  }),
);

// ───────────── saved searches (issue 14 item 6) ─────────────

/** A search as saved: its location and filters; the page is not part of it (a saved search re-runs from page 1). */
export const savedSearchOutput = z.object({ id: z.string(), name: z.string(), query: propertySearchQuerySchema, createdAt: z.date(), updatedAt: z.date() });
export const listSavedSearchesOutput = z.array(savedSearchOutput);
export const saveSearchInput = z.object({
  name: safeString().trim().min(1, "Name the search.").max(80, "Keep the name under 80 characters."),
  query: propertySearchQuerySchema,
});
export const savedSearchIdInput = z.object({ id: safeString().min(1).max(64) });
export const okOutput = z.object({ ok: z.literal(true) });

// ───────────── add every result (issue 14 item 7) ─────────────

export const addAllInput = z.object({ query: propertySearchQuerySchema });
export const addAllJobOutput = z.object({
  id: z.string(),
  status: z.enum(["pending", "running", "completed", "stopped_cap", "stopped_kill_switch", "failed"]),
  /** Results the search reported when the job was asked for. */
  total: z.number().int(),
  pagesDone: z.number().int(),
  added: z.number().int(),
  alreadyInLeads: z.number().int(),
  /** What the job's searches paid (pages already in today's cache cost nothing). */
  costCents: z.number().int(),
  stopReason: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export const addAllJobIdInput = z.object({ id: safeString().min(1).max(64) });
