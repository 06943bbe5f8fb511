import "server-only";
import type { ServiceContext } from "../context";
import type { Db } from "../db";
import { AppError, isAppError } from "../errors";
import { log } from "../log";
import { assertSwitchOffIn, budgetIn, type BillingContext } from "../budget/context";
import { release, reserve, settle } from "../budget/ledger";
import { notifyIfCapReached, notifyIfCircuitOpen } from "../notifications/producers";
import { billingOfFailure } from "../providers/billing";
import { geoIdOf, locationLabel, type PropertySearchPage, type PropertySearchProvider, type PropertySearchQuery } from "../providers/property-search";
import { abandonLease, acquireLease, fulfilLease, hashQuery, LEASE_POLL_MS, LEASE_WAIT_MS, peekMany, type CacheKey } from "./cache";

/** The provider slot whose cap and price govern property search, real or simulated. */
export const SEARCH_BUDGET = "attom" as const;

/** Location calls in flight at once (ATTOM allows 200 calls a minute). */
const LOCATION_CONCURRENCY = 4;

/** What happened to one location (one ZIP, a city or a county) of a search. */
export type LocationOutcome =
  | { location: string; ok: true; page: PropertySearchPage; cacheHit: boolean; costCents: number }
  | { location: string; ok: false; error: unknown; costCents: number };

type Ctx = Pick<ServiceContext, "db" | "orgId" | "requestId">;

/**
 * A resolved city or county is keyed on its place id alone: "Saint Louis" and "St. Louis" (one
 * geoIdV4) are one search, paid once.
 */
export function cacheKeyOf(ctx: Pick<Ctx, "orgId">, billing: Pick<BillingContext, "day">, provider: Pick<PropertySearchProvider, "name">, part: PropertySearchQuery): CacheKey {
  const geoIdV4 = geoIdOf(part.location);
  const keyed = geoIdV4 ? { ...part, location: { geoIdV4 } } : part;
  return { orgId: ctx.orgId, provider: provider.name, day: billing.day, cacheKey: hashQuery(keyed) };
}

/**
 * One page per location, each paid for at most once per organization and day: a page in the
 * cache is free; for the rest this request takes a lease per location (identical concurrent
 * searches, in any process, wait for the holder's answer instead of paying again), reserves one
 * call per leased location under the cap, calls the provider, caches each page as it arrives,
 * then settles what the provider billed and releases the rest. A location that failed keeps its
 * error (and what it still cost); the others are answered.
 */
export async function searchPages(ctx: Ctx, billing: BillingContext, provider: PropertySearchProvider, parts: readonly PropertySearchQuery[]): Promise<LocationOutcome[]> {
  const keys = parts.map((part) => cacheKeyOf(ctx, billing, provider, part));
  const outcomes: (LocationOutcome | undefined)[] = parts.map(() => undefined);
  const waitUntil = Date.now() + LEASE_WAIT_MS;

  for (;;) {
    const open = outcomes.flatMap((outcome, index) => (outcome ? [] : [index]));
    if (open.length === 0) return outcomes as LocationOutcome[];

    const hits = await peekMany<PropertySearchPage>(ctx.db, open.map((index) => keys[index]!));
    open.forEach((index, i) => {
      const page = hits.get(i);
      if (page) outcomes[index] = { location: locationLabel(parts[index]!), ok: true, page, cacheHit: true, costCents: 0 };
    });
    const misses = open.filter((index) => !outcomes[index]);
    const leases = new Map<number, string>();
    for (const index of misses) {
      const lease = await acquireLease(ctx.db, keys[index]!);
      if (lease) leases.set(index, lease);
    }
    if (leases.size > 0) await payForLeased(ctx, billing, provider, parts, keys, leases, outcomes);

    if (outcomes.every(Boolean)) return outcomes as LocationOutcome[];
    if (leases.size === 0) {
      if (Date.now() > waitUntil) throw new AppError("PROVIDER_TIMEOUT", "Timed out waiting for an identical search to finish. Try again.");
      await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
    }
  }
}

async function payForLeased(
  ctx: Ctx,
  billing: BillingContext,
  provider: PropertySearchProvider,
  parts: readonly PropertySearchQuery[],
  keys: readonly CacheKey[],
  leases: Map<number, string>,
  outcomes: (LocationOutcome | undefined)[],
) {
  const leased = [...leases.keys()];
  const abandonAll = () => Promise.all([...leases.values()].map((lease) => abandonLease(ctx.db, lease)));
  const { unitCents } = budgetIn(billing, SEARCH_BUDGET);
  let reservation;
  try {
    assertSwitchOffIn(billing, "search");
    reservation = await reserve(
      ctx.db,
      { orgId: ctx.orgId, provider: SEARCH_BUDGET, operation: "property_search", cents: leased.length * unitCents, requestId: ctx.requestId },
      billing,
    );
  } catch (error) {
    await abandonAll();
    await notifyIfCapReached(ctx.db, ctx.orgId, error);
    // Refused before any call (kill switch, cap): those locations fail, cached ones still answer.
    for (const index of leased) outcomes[index] = { location: locationLabel(parts[index]!), ok: false, error, costCents: 0 };
    return;
  }

  let billedUnits = 0;
  let unconfirmedUnits = 0;
  let lastError: unknown = null;
  try {
    await forEachLimited(leased, LOCATION_CONCURRENCY, async (index) => {
      const part = parts[index]!;
      const lease = leases.get(index)!;
      try {
        const answer = await provider.search(part);
        billedUnits += answer.billing.units;
        const costCents = answer.billing.units * unitCents;
        // Cached as it arrives: a later failure elsewhere never makes this page be paid again.
        await fulfilLease(ctx.db, keys[index]!, lease, answer.value, costCents);
        leases.delete(index);
        outcomes[index] = { location: locationLabel(part), ok: true, page: answer.value, cacheHit: false, costCents };
      } catch (error) {
        const { units, possiblyBilled } = billingOfFailure(error);
        billedUnits += units;
        if (possiblyBilled) unconfirmedUnits += units;
        lastError = error;
        outcomes[index] = { location: locationLabel(part), ok: false, error, costCents: units * unitCents };
      }
    });
  } finally {
    await abandonAll();
    const cents = Math.min(billedUnits * unitCents, reservation.cents);
    if (cents > 0) {
      const unconfirmedCents = Math.min(unconfirmedUnits * unitCents, cents);
      await settle(ctx.db, reservation, { cents, unconfirmedCents, operation: "property_search", simulated: provider.simulated, relatedType: "search", requestId: ctx.requestId }, billing);
    } else {
      await release(ctx.db, reservation, billing);
    }
  }
  await recordProviderOutcome(ctx.db, provider.name, lastError ?? undefined);
  if (lastError) await notifyIfCircuitOpen(ctx.db, ctx.orgId, lastError);
}

async function forEachLimited<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function recordProviderOutcome(db: Db, provider: string, error?: unknown) {
  if (error && (isAppError(error, "CAP_EXCEEDED") || isAppError(error, "KILL_SWITCH_ON"))) return;
  const now = new Date();
  const data = error
    ? { lastErrorAt: now, lastErrorMessage: error instanceof Error ? error.message.slice(0, 500) : String(error) }
    : { lastSuccessAt: now };
  await db.providerStatus
    .upsert({ where: { provider }, create: { provider, ...data }, update: data })
    .catch((e: unknown) => log.warn({ err: e, provider }, "could not record provider status"));
}
