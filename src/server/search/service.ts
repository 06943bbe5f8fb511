import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { ServiceContext } from "../context";
import { querySql } from "../db";
import { AppError, isAppError, toAppError } from "../errors";
import { log } from "../log";
import { loadBillingContext, switchEngagedIn, type BillingContext } from "../budget/context";
import { budgetTodayIn } from "../budget/overview";
import { recordActivities } from "../lead-records/activity";
import { leadDataFromProperty, propertyDedupKey, scoreProperty } from "../lead-records/from-property";
import { splitByLocation, type PropertyRecord, type PropertySearchPage, type PropertySearchProvider, type PropertySearchQuery } from "../providers/property-search";
import { placeOf, placeQueryLabel, type PlaceResolver } from "../providers/place-resolver";
import { MAX_ZIPS_PER_SEARCH, type SearchLocation } from "../providers/property-search";
import { placeResolver, propertySearchProvider } from "../providers/registry";
import { budgetIn } from "../budget/context";
import { resolvePlace, resolveQuery, resolveQueryFromCache } from "./places";
import { ZIP_DATASET, zipsOfPlace } from "./place-zips";
import { newId } from "../ids";
import { scoreTimeKey, type ScoreFactor, type Temperature } from "@/lib/scoring";
import { peekMany } from "./cache";
import { recordSearchRunLater } from "./history";
import { cacheKeyOf, SEARCH_BUDGET, searchPages, type LocationOutcome } from "./pages";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId">;

/** A location's failure as the user sees it: the domain code and a message that says what to do. */
function describeFailure(error: unknown): { code: string; message: string } {
  if (isAppError(error)) return { code: error.appCode, message: error.message };
  log.error({ err: error }, "property search location failed");
  const app = toAppError(error);
  return { code: app.appCode, message: app.message };
}

function locationsOf(outcomes: readonly LocationOutcome[]) {
  return outcomes.map((outcome) => ({
    location: outcome.location,
    ok: outcome.ok,
    cacheHit: outcome.ok ? outcome.cacheHit : false,
    costCents: outcome.costCents,
    resultCount: outcome.ok ? outcome.page.properties.length : 0,
    error: outcome.ok ? null : describeFailure(outcome.error),
  }));
}

/** Which of these properties are leads already: one prepared statement on the pool (every search answer asks, cached ones too). */
async function leadKeysAmong(ctx: Pick<Ctx, "db" | "orgId">, properties: readonly PropertyRecord[]) {
  return leadKeysIn(ctx, properties.map(propertyDedupKey));
}

/** Which of these dedup keys are leads already, in order. */
async function leadKeysIn(ctx: Pick<Ctx, "db" | "orgId">, keys: readonly string[]) {
  const existing = keys.length
    ? await querySql<{ dedupKey: string }>(ctx.db, Prisma.sql`SELECT "dedupKey" FROM "Lead" WHERE "organizationId" = ${ctx.orgId} AND "dedupKey" = ANY(${keys}::text[])`)
    : [];
  const inLeads = new Set(existing.map((lead) => lead.dedupKey));
  return keys.map((key) => inLeads.has(key));
}

type ScoredRow = PropertyRecord & { score: number; temperature: Temperature; scoreFactors: ScoreFactor[] };

/** What every answer from one result page shares: each row's dedup key and its scored row, and the score's time key (lib/scoring). */
type PreparedPage = { keys: string[]; rows: ScoredRow[]; timeKeys: (number | null)[] };

/**
 * Keyed by the page's properties array, which is the in-process cache's own value (search/cache.ts):
 * a cached hit reuses the keys (address normalization) and scores of the first answer instead of
 * computing them per row again. A row is scored again when its score's time key moved (a whole
 * year since the last sale passed), so every answer is what scoring it afresh would give. The
 * shared rows are frozen; each answer copies them with its own alreadyLead.
 */
const preparedPages = new WeakMap<readonly PropertyRecord[], PreparedPage>();

function preparedPage(properties: readonly PropertyRecord[], now: Date): PreparedPage {
  let prepared = preparedPages.get(properties);
  if (!prepared) {
    prepared = { keys: properties.map(propertyDedupKey), rows: [], timeKeys: [] };
    preparedPages.set(properties, prepared);
  }
  properties.forEach((property, i) => {
    const timeKey = scoreTimeKey(property, now);
    if (prepared.rows[i] && prepared.timeKeys[i] === timeKey) return;
    const score = scoreProperty(property, now);
    prepared.rows[i] = Object.freeze({ ...property, score: score.score, temperature: score.temperature, scoreFactors: Object.freeze(score.factors.map((f) => Object.freeze(f))) as ScoreFactor[] });
    prepared.timeKeys[i] = timeKey;
  });
  return prepared;
}

/**
 * Pays for a provider call at most once per org, provider, location (each ZIP on its own),
 * normalized filters, page and day. A location that fails does not take the others down: their
 * pages are cached, shown and charged, and the answer lists each location's outcome. Only when
 * every location failed is the search an error.
 */
export async function searchProperties(
  ctx: Ctx,
  input: PropertySearchQuery,
  provider: PropertySearchProvider = propertySearchProvider(),
  resolver: PlaceResolver = placeResolver(),
) {
  const billing = await loadBillingContext(ctx.db, ctx.orgId, [SEARCH_BUDGET]);
  // A city or county is searched by the place id it resolves to (the lookup paid once, shared).
  const { query, place, lookup } = await resolveQuery(ctx, billing, resolver, input);
  const outcomes = await searchPages(ctx, billing, provider, splitByLocation(query));
  const answered = outcomes.filter((outcome): outcome is Extract<LocationOutcome, { ok: true }> => outcome.ok);
  const costCents = outcomes.reduce((sum, outcome) => sum + outcome.costCents, 0) + (lookup?.costCents ?? 0);
  if (answered.length === 0) {
    const failure = outcomes.find((outcome) => !outcome.ok) as Extract<LocationOutcome, { ok: false }>;
    throw failure.error;
  }

  const now = new Date();
  const prepared = answered.map((outcome) => preparedPage(outcome.page.properties, now));
  const properties = answered.flatMap((outcome) => outcome.page.properties);
  const total = answered.reduce((sum, outcome) => sum + outcome.page.total, 0);
  const cacheHit = outcomes.every((outcome) => outcome.ok && outcome.cacheHit) && (lookup?.cacheHit ?? true);
  const run = {
    id: newId(),
    organizationId: ctx.orgId,
    userId: ctx.userId,
    provider: provider.name,
    query,
    page: query.page,
    resultCount: properties.length,
    total,
    costCents,
    cacheHit,
    requestId: ctx.requestId,
    createdAt: new Date(),
  };
  // A cached answer writes nothing on the request: its history row is queued (search/history.ts).
  const [alreadyLead] = await Promise.all([leadKeysIn(ctx, prepared.flatMap((page) => page.keys)), cacheHit ? recordSearchRunLater(run) : ctx.db.searchRun.create({ data: run, select: { id: true } })]);
  const scored = prepared.flatMap((page) => page.rows);
  return {
    provider: provider.name,
    simulatedCost: provider.simulated,
    costCents,
    cacheHit,
    searchRunId: run.id,
    rows: scored.map((row, i) => ({ ...row, alreadyLead: alreadyLead[i]! })),
    total,
    page: query.page,
    pageSize: query.pageSize,
    locations: locationsOf(outcomes),
    place: place && lookup ? { geoIdV4: place.geoIdV4, kind: place.kind, label: place.label, lookupCostCents: lookup.costCents, lookupCacheHit: lookup.cacheHit } : null,
    budget: budgetTodayIn(billing, SEARCH_BUDGET),
  };
}

/**
 * What a city or county resolves to, before anything is searched: one place (searched next), several
 * (the user chooses), or none — then the ZIPs of that city or county from the ZIP dataset, with
 * what searching them would cost (one paid call per ZIP). The lookup itself is paid once across
 * organizations and cached for 30 days.
 */
export async function resolveSearchPlace(ctx: Ctx, location: SearchLocation, resolver: PlaceResolver = placeResolver()) {
  const place = placeOf(location);
  if (!place) throw new AppError("BAD_REQUEST", "Only a city or a county is resolved to a place; ZIP codes are searched as they are.");
  const billing = await loadBillingContext(ctx.db, ctx.orgId, [SEARCH_BUDGET]);
  const lookup = await resolvePlace(ctx, billing, resolver, place);
  const status = lookup.candidates.length === 0 ? "unresolved" : lookup.candidates.length === 1 ? "resolved" : "ambiguous";
  const { unitCents } = budgetIn(billing, SEARCH_BUDGET);
  return {
    status,
    provider: resolver.name,
    simulatedCost: resolver.simulated,
    place: placeQueryLabel(place),
    kind: place.kind,
    candidates: lookup.candidates.map((candidate) => ({ geoIdV4: candidate.geoIdV4, label: candidate.label, county: candidate.county })),
    costCents: lookup.costCents,
    cacheHit: lookup.cacheHit,
    fallback:
      status === "unresolved"
        ? { zips: await zipsOfPlace(place), dataset: `${ZIP_DATASET.name} ${ZIP_DATASET.version} (${ZIP_DATASET.source}, checked ${ZIP_DATASET.checked})`, costPerZipCents: unitCents, maxZipsPerSearch: MAX_ZIPS_PER_SEARCH }
        : null,
    budget: budgetTodayIn(billing, SEARCH_BUDGET),
  } as const;
}

export async function searchContext(ctx: Ctx, provider: PropertySearchProvider = propertySearchProvider()) {
  const billing = await loadBillingContext(ctx.db, ctx.orgId, [SEARCH_BUDGET]);
  return {
    provider: provider.name,
    supportsCityCounty: provider.supportsCityCounty,
    killSwitchEngaged: switchEngagedIn(billing, "search"),
    budget: budgetTodayIn(billing, SEARCH_BUDGET),
  };
}

/** The pages of a search that today's cache holds (never calls the provider); NOT_FOUND when none. */
async function cachedPages(ctx: Pick<Ctx, "db" | "orgId">, billing: Pick<BillingContext, "day">, provider: PropertySearchProvider, input: PropertySearchQuery) {
  const query = await resolveQueryFromCache(ctx.db, provider, input);
  const parts = splitByLocation(query);
  const found = await peekMany<PropertySearchPage>(ctx.db, parts.map((part) => cacheKeyOf(ctx, billing, provider, part)));
  if (found.size === 0) {
    throw new AppError("NOT_FOUND", "Those search results were not found (results are kept for the day). Run the search again.");
  }
  return parts.flatMap((_, index) => found.get(index)?.properties ?? []);
}

/** Adds rows of an already-paid-for result page to leads; never calls the provider. */
export async function addSearchResultsToLeads(
  ctx: Ctx,
  input: { query: PropertySearchQuery; externalIds?: string[] },
  provider: PropertySearchProvider = propertySearchProvider(),
) {
  const billing = await loadBillingContext(ctx.db, ctx.orgId, []);
  const properties = await cachedPages(ctx, billing, provider, input.query);
  const wanted = input.externalIds ? new Set(input.externalIds) : null;
  const rows = wanted ? properties.filter((property) => wanted.has(property.externalId)) : properties;
  if (wanted && rows.length !== wanted.size) {
    throw new AppError("BAD_REQUEST", "Some selected properties are not on this result page. Refresh the search and select again.");
  }
  const created = await ctx.db.$transaction((tx) => insertPropertiesAsLeads(tx, ctx, rows, provider.name));
  return { added: created, alreadyInLeads: rows.length - created, requested: rows.length };
}

/**
 * Adds properties as leads in the caller's transaction (a lead already there, by the dedup key, is
 * left as it is); returns how many were new. Shared by "Add page" and the add-all job.
 */
export async function insertPropertiesAsLeads(
  tx: Prisma.TransactionClient,
  ctx: { orgId: string; userId: string | null },
  rows: readonly PropertyRecord[],
  providerName: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const source = providerName === "attom" ? "attom" : "sandbox";
  const leads = await tx.lead.createManyAndReturn({
    data: rows.map((row) => leadDataFromProperty(row, { orgId: ctx.orgId, userId: ctx.userId, source })),
    skipDuplicates: true,
    select: { id: true },
  });
  await recordActivities(
    tx,
    leads.map((lead) => ({ orgId: ctx.orgId, leadId: lead.id, actorId: ctx.userId, kind: "created" as const, details: { source: "search", provider: providerName } })),
  );
  return leads.length;
}

/**
 * Which rows of a search's cached page are already leads: read-only (no provider call, no
 * search-history row), for refreshing the "In leads" flags after adding.
 */
export async function searchResultsInLeads(ctx: Pick<Ctx, "db" | "orgId">, input: { query: PropertySearchQuery }, provider: PropertySearchProvider = propertySearchProvider()) {
  const billing = await loadBillingContext(ctx.db, ctx.orgId, []);
  const properties = await cachedPages(ctx, billing, provider, input.query);
  const flags = await leadKeysAmong(ctx, properties);
  return { externalIds: properties.filter((_, i) => flags[i]).map((property) => property.externalId) };
}

/** How many of the latest runs the history folds into distinct searches. */
const HISTORY_WINDOW = 1000;

type HistoryRow = {
  id: string;
  provider: string;
  query: unknown;
  page: number;
  resultCount: number;
  total: number;
  costCents: number;
  cacheHit: boolean;
  runs: number;
  totalCostCents: number;
  createdAt: Date;
};

/**
 * Recent searches, one row per distinct search (location and filters: the pages and page sizes of
 * a search, and its repeats, are one row, showing the latest run and how many there were), among
 * the organization's last HISTORY_WINDOW runs.
 */
export async function searchHistory(ctx: Pick<Ctx, "db" | "orgId">, limit: number): Promise<HistoryRow[]> {
  return querySql<HistoryRow>(
    ctx.db,
    Prisma.sql`
      SELECT id, provider, query, page, "resultCount", total, "costCents", "cacheHit", runs, "totalCostCents", "createdAt"
      FROM (
        SELECT DISTINCT ON (k) id, provider, query, page, "resultCount", total, "costCents", "cacheHit",
          (count(*) OVER (PARTITION BY k))::int AS runs, (sum("costCents") OVER (PARTITION BY k))::int AS "totalCostCents",
          "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "createdAt" AS at
        FROM (
          SELECT r.*, (r.query - 'page' - 'pageSize') AS k FROM "SearchRun" r
          WHERE r."organizationId" = ${ctx.orgId} ORDER BY r."createdAt" DESC LIMIT ${HISTORY_WINDOW}
        ) recent
        ORDER BY k, at DESC, id DESC
      ) searches
      ORDER BY at DESC, id DESC
      LIMIT ${limit}`,
  );
}
