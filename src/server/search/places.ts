import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { ServiceContext } from "../context";
import type { Db } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { assertSwitchOffIn, budgetIn, type BillingContext } from "../budget/context";
import { release, reserve, settle } from "../budget/ledger";
import { billingOfFailure } from "../providers/billing";
import { placeCandidateSchema, placeNameKey, placeOf, placeQueryLabel, type PlaceCandidate, type PlaceQuery, type PlaceResolver } from "../providers/place-resolver";
import { geoIdOf, isRadiusLocation, type PropertySearchQuery } from "../providers/property-search";
import { SEARCH_BUDGET } from "./pages";

/**
 * City and county → the provider's place ids, resolved once and shared: the resolutions are kept
 * in Postgres for every organization (a place id is not licensed data) for 30 days (places do
 * not move). A lookup the provider bills is paid like any search call — reserved under the
 * organization's ATTOM cap first, then settled or released — under its own operation name.
 */
export const PLACE_LOOKUP_OPERATION = "place_lookup";
export const RESOLUTION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const LEASE_MS = 30_000;
const POLL_MS = 50;

type Ctx = Pick<ServiceContext, "db" | "orgId" | "requestId">;

export type PlaceResolutionOutcome = { candidates: PlaceCandidate[]; costCents: number; cacheHit: boolean };

const keyOf = (resolver: Pick<PlaceResolver, "name">, place: PlaceQuery) => ({
  provider: resolver.name,
  kind: place.kind,
  state: place.state,
  nameKey: placeNameKey(place.kind, place.name),
});

const candidatesOf = (json: unknown): PlaceCandidate[] => placeCandidateSchema.array().parse(json);

/** A resolution younger than 30 days, without paying; null when there is none. */
export async function peekResolution(db: Db, resolver: Pick<PlaceResolver, "name">, place: PlaceQuery, now = new Date()): Promise<PlaceCandidate[] | null> {
  const row = await db.placeResolution.findUnique({
    where: { provider_kind_state_nameKey: keyOf(resolver, place) },
    select: { status: true, candidates: true, resolvedAt: true },
  });
  if (row?.status !== "ready" || !row.resolvedAt || row.resolvedAt.getTime() < now.getTime() - RESOLUTION_TTL_MS) return null;
  return candidatesOf(row.candidates);
}

/**
 * The right to pay for one place's lookup, exactly once across processes and organizations: a
 * pending row. A stale resolution, or a lease whose holder died, is taken over.
 */
async function acquireLease(db: Db, resolver: Pick<PlaceResolver, "name">, place: PlaceQuery): Promise<string | null> {
  const key = keyOf(resolver, place);
  const leaseUntil = new Date(Date.now() + LEASE_MS);
  const created = await db.placeResolution.create({ data: { ...key, leaseUntil }, select: { id: true } }).catch((error: unknown) => {
    if (isUniqueViolation(error)) return null;
    throw error;
  });
  if (created) return created.id;
  const existing = await db.placeResolution.findUnique({ where: { provider_kind_state_nameKey: key }, select: { id: true } });
  if (!existing) return null;
  const now = new Date();
  const taken = await db.placeResolution.updateMany({
    where: {
      id: existing.id,
      OR: [
        { status: "pending", leaseUntil: { lt: now } },
        { status: "ready", resolvedAt: { lt: new Date(now.getTime() - RESOLUTION_TTL_MS) } },
      ],
    },
    data: { status: "pending", leaseUntil },
  });
  return taken.count === 1 ? existing.id : null;
}

/**
 * The places a city or county name resolves to: from the shared cache (free), else one lookup
 * paid under this organization's cap. Identical concurrent lookups wait for the one paying.
 */
export async function resolvePlace(ctx: Ctx, billing: BillingContext, resolver: PlaceResolver, place: PlaceQuery): Promise<PlaceResolutionOutcome> {
  const waitUntil = Date.now() + LEASE_MS * 2;
  for (;;) {
    const cached = await peekResolution(ctx.db, resolver, place);
    if (cached) return { candidates: cached, costCents: 0, cacheHit: true };
    const lease = await acquireLease(ctx.db, resolver, place);
    if (lease) return payForLookup(ctx, billing, resolver, place, lease);
    if (Date.now() > waitUntil) throw new AppError("PROVIDER_TIMEOUT", `Timed out waiting for the lookup of ${placeQueryLabel(place)} to finish. Try again.`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function payForLookup(ctx: Ctx, billing: BillingContext, resolver: PlaceResolver, place: PlaceQuery, lease: string): Promise<PlaceResolutionOutcome> {
  const abandon = () => ctx.db.placeResolution.deleteMany({ where: { id: lease, status: "pending", resolvedAt: null } }).then(() =>
    // A stale resolution that was being refreshed keeps its row (and its old answer) for the next try.
    ctx.db.placeResolution.updateMany({ where: { id: lease, status: "pending" }, data: { status: "ready", leaseUntil: null } }),
  );
  const { unitCents } = budgetIn(billing, SEARCH_BUDGET);
  let reservation;
  try {
    assertSwitchOffIn(billing, "search");
    reservation = await reserve(ctx.db, { orgId: ctx.orgId, provider: SEARCH_BUDGET, operation: PLACE_LOOKUP_OPERATION, cents: unitCents, requestId: ctx.requestId }, billing);
  } catch (error) {
    await abandon();
    throw error;
  }

  let units = 0;
  let unconfirmed = 0;
  try {
    const answer = await resolver.resolve(place);
    units = answer.billing.units;
    await ctx.db.placeResolution.update({
      where: { id: lease },
      data: { status: "ready", leaseUntil: null, candidates: answer.value as Prisma.InputJsonValue, resolvedAt: new Date() },
    });
    return { candidates: answer.value, costCents: Math.min(units * unitCents, reservation.cents), cacheHit: false };
  } catch (error) {
    const billed = billingOfFailure(error);
    units = billed.units;
    if (billed.possiblyBilled) unconfirmed = billed.units;
    await abandon();
    throw error;
  } finally {
    const cents = Math.min(units * unitCents, reservation.cents);
    if (cents > 0) {
      await settle(
        ctx.db,
        reservation,
        { cents, unconfirmedCents: Math.min(unconfirmed * unitCents, cents), operation: PLACE_LOOKUP_OPERATION, simulated: resolver.simulated, relatedType: "place", requestId: ctx.requestId },
        billing,
      );
    } else {
      await release(ctx.db, reservation, billing);
    }
  }
}

/**
 * The one place a search means: the only candidate, or the user's choice among several. Unknown
 * places and unmade choices are refused with a message that says what to do.
 */
export function choosePlace(place: PlaceQuery, candidates: readonly PlaceCandidate[], chosen: string | undefined): PlaceCandidate {
  const label = placeQueryLabel(place);
  if (candidates.length === 0) {
    throw new AppError("NOT_FOUND", `${label} was not found as a ${place.kind}. Check the spelling, or search its ZIP codes instead.`, { place: label, status: "unresolved" });
  }
  if (chosen) {
    const match = candidates.find((candidate) => candidate.geoIdV4 === chosen);
    if (!match) throw new AppError("BAD_REQUEST", `That place id is not one of the places named ${label}. Search again and choose from the list.`);
    return match;
  }
  if (candidates.length > 1) {
    throw new AppError(
      "CONFLICT",
      `${label} matches ${candidates.length} places (${candidates.map((candidate) => candidate.label).join("; ")}): choose one.`,
      { place: label, status: "ambiguous", candidates: candidates.map((candidate) => ({ geoIdV4: candidate.geoIdV4, label: candidate.label })) },
    );
  }
  return candidates[0]!;
}

export type ResolvedQuery = { query: PropertySearchQuery; place: PlaceCandidate | null; lookup: PlaceResolutionOutcome | null };

/** A city or county query with its place resolved (paying for the lookup if no one has); ZIP queries pass through. */
export async function resolveQuery(ctx: Ctx, billing: BillingContext, resolver: PlaceResolver, query: PropertySearchQuery): Promise<ResolvedQuery> {
  const place = placeOf(query.location);
  if (!place) return { query, place: null, lookup: null };
  const lookup = await resolvePlace(ctx, billing, resolver, place);
  const chosen = choosePlace(place, lookup.candidates, geoIdOf(query.location));
  return { query: withGeoId(query, chosen.geoIdV4), place: chosen, lookup };
}

/** The same, from the cache alone (never pays): for reading pages already paid for. */
export async function resolveQueryFromCache(db: Db, resolver: Pick<PlaceResolver, "name">, query: PropertySearchQuery): Promise<PropertySearchQuery> {
  const place = placeOf(query.location);
  if (!place || geoIdOf(query.location)) return query;
  const candidates = await peekResolution(db, resolver, place);
  if (!candidates || candidates.length !== 1) return query;
  return withGeoId(query, candidates[0]!.geoIdV4);
}

function withGeoId(query: PropertySearchQuery, geoIdV4: string): PropertySearchQuery {
  if ("zips" in query.location || isRadiusLocation(query.location)) return query;
  return { ...query, location: { ...query.location, geoIdV4 } };
}
