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
export const searchHistoryOutput = z.array(
  z.object({
    id: z.string(),
    provider: z.string(),
    query: z.unknown(),
    page: z.number().int(),
    resultCount: z.number().int(),
    total: z.number().int(),
    costCents: z.number().int(),
    cacheHit: z.boolean(),
    createdAt: z.date(),
  }),
);
