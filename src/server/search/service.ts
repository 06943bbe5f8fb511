import "server-only";
import { orgDay } from "@/lib/org-day";
import type { ServiceContext } from "../context";
import type { Db } from "../db";
import { AppError, isAppError } from "../errors";
import { log } from "../log";
import { assertSwitchOff } from "../budget/kill-switches";
import { withSpend } from "../budget/ledger";
import { budgetToday } from "../budget/overview";
import { effectiveBudget } from "../budget/settings";
import { recordActivities } from "../lead-records/activity";
import { leadDataFromProperty, propertyDedupKey, scoreProperty } from "../lead-records/from-property";
import { plannedCalls, type PropertySearchProvider, type PropertySearchQuery, type PropertySearchResult } from "../providers/property-search";
import { propertySearchProvider } from "../providers/registry";
import { cached, hashQuery, peek, type CacheKey } from "./cache";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId">;

/** The provider slot whose cap and price govern property search, real or simulated. */
const SEARCH_BUDGET = "attom" as const;

async function cacheKeyFor(ctx: Ctx, provider: PropertySearchProvider, query: PropertySearchQuery): Promise<CacheKey & { timeZone: string }> {
  const { timeZone } = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { timeZone: true } });
  return { orgId: ctx.orgId, provider: provider.name, day: orgDay(timeZone), cacheKey: hashQuery(query), timeZone };
}

async function recordProviderOutcome(db: Db, provider: string, error?: unknown) {
  const now = new Date();
  const data = error
    ? { lastErrorAt: now, lastErrorMessage: error instanceof Error ? error.message.slice(0, 500) : String(error) }
    : { lastSuccessAt: now };
  await db.providerStatus
    .upsert({ where: { provider }, create: { provider, ...data }, update: data })
    .catch((e: unknown) => log.warn({ err: e, provider }, "could not record provider status"));
}

/** Pays for a provider call at most once per org, provider, normalized query, page and day. */
export async function searchProperties(ctx: Ctx, query: PropertySearchQuery, provider: PropertySearchProvider = propertySearchProvider()) {
  const key = await cacheKeyFor(ctx, provider, query);
  const answer = await cached<PropertySearchResult>(ctx.db, key, async () => {
    await assertSwitchOff(ctx.db, ctx.orgId, "search");
    const { costPerCallCents } = await effectiveBudget(ctx.db, ctx.orgId, SEARCH_BUDGET);
    try {
      const { result, chargedCents } = await withSpend(
        ctx.db,
        {
          orgId: ctx.orgId,
          provider: SEARCH_BUDGET,
          operation: "property_search",
          cents: plannedCalls(query) * costPerCallCents,
          requestId: ctx.requestId,
          simulated: provider.name === "sandbox",
          relatedType: "search",
        },
        () => provider.search(query),
        {
          billed: (result) => result.billableCalls * costPerCallCents,
          billedOnFailure: (error) => ((error as { billableCalls?: number }).billableCalls ?? 0) * costPerCallCents,
        },
      );
      await recordProviderOutcome(ctx.db, provider.name);
      return { value: result, costCents: chargedCents };
    } catch (error) {
      if (!(isAppError(error, "CAP_EXCEEDED") || isAppError(error, "KILL_SWITCH_ON"))) {
        await recordProviderOutcome(ctx.db, provider.name, error);
      }
      throw error;
    }
  });

  const result = answer.value;
  const keys = result.properties.map(propertyDedupKey);
  const [existing, budget, run] = await Promise.all([
    ctx.db.lead.findMany({ where: { organizationId: ctx.orgId, dedupKey: { in: keys } }, select: { dedupKey: true } }),
    budgetToday(ctx.db, ctx.orgId, SEARCH_BUDGET, key.timeZone),
    ctx.db.searchRun.create({
      data: {
        organizationId: ctx.orgId,
        userId: ctx.userId,
        provider: provider.name,
        query,
        page: query.page,
        resultCount: result.properties.length,
        total: result.total,
        costCents: answer.costCents,
        cacheHit: answer.cacheHit,
        requestId: ctx.requestId,
      },
      select: { id: true },
    }),
  ]);
  const leadKeys = new Set(existing.map((lead) => lead.dedupKey));
  return {
    provider: provider.name,
    simulatedCost: provider.name === "sandbox",
    costCents: answer.costCents,
    cacheHit: answer.cacheHit,
    searchRunId: run.id,
    rows: result.properties.map((property, i) => {
      const score = scoreProperty(property);
      return { ...property, score: score.score, temperature: score.temperature, scoreFactors: score.factors, alreadyLead: leadKeys.has(keys[i]!) };
    }),
    total: result.total,
    page: result.page,
    pageSize: result.pageSize,
    budget,
  };
}

export async function searchContext(ctx: Ctx, provider: PropertySearchProvider = propertySearchProvider()) {
  const [budget, killSwitchEngaged] = await Promise.all([
    budgetToday(ctx.db, ctx.orgId, SEARCH_BUDGET),
    assertSwitchOff(ctx.db, ctx.orgId, "search").then(
      () => false,
      () => true,
    ),
  ]);
  return { provider: provider.name, supportsCityCounty: provider.name === "sandbox", killSwitchEngaged, budget };
}

/** Adds rows of an already-paid-for result page to leads; never calls the provider. */
export async function addSearchResultsToLeads(
  ctx: Ctx,
  input: { query: PropertySearchQuery; externalIds?: string[] },
  provider: PropertySearchProvider = propertySearchProvider(),
) {
  const result = await peek<PropertySearchResult>(ctx.db, await cacheKeyFor(ctx, provider, input.query));
  if (!result) {
    throw new AppError("NOT_FOUND", "Those search results were not found (results are kept for the day). Run the search again.");
  }
  const wanted = input.externalIds ? new Set(input.externalIds) : null;
  const rows = wanted ? result.properties.filter((property) => wanted.has(property.externalId)) : result.properties;
  if (wanted && rows.length !== wanted.size) {
    throw new AppError("BAD_REQUEST", "Some selected properties are not on this result page. Refresh the search and select again.");
  }
  const source = provider.name === "attom" ? "attom" : "sandbox";
  const created = await ctx.db.$transaction(async (tx) => {
    const leads = await tx.lead.createManyAndReturn({
      data: rows.map((row) => leadDataFromProperty(row, { orgId: ctx.orgId, userId: ctx.userId, source })),
      skipDuplicates: true,
      select: { id: true },
    });
    await recordActivities(
      tx,
      leads.map((lead) => ({ orgId: ctx.orgId, leadId: lead.id, actorId: ctx.userId, kind: "created" as const, details: { source: "search", provider: provider.name } })),
    );
    return leads.length;
  });
  return { added: created, alreadyInLeads: rows.length - created, requested: rows.length };
}

export async function searchHistory(ctx: Pick<Ctx, "db" | "orgId">, limit: number) {
  return ctx.db.searchRun.findMany({
    where: { organizationId: ctx.orgId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, provider: true, query: true, page: true, resultCount: true, total: true, costCents: true, cacheHit: true, createdAt: true },
  });
}
