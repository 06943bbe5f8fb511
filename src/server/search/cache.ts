import "server-only";
import { stableStringify } from "@/lib/stable-json";
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { isUniqueViolation } from "../errors";
import { env } from "../env";

/** How long a process may hold the right to call the provider for one cache key. */
const LEASE_MS = 30_000;
const POLL_MS = 50;

export type CacheKey = { orgId: string; provider: string; cacheKey: string; day: string };

const globalForCache = globalThis as unknown as { leadflowSearchLru?: LRUCache<string, { value: unknown }> };
const lru = (globalForCache.leadflowSearchLru ??= new LRUCache<string, { value: unknown }>({
  max: 1000,
  ttl: env.CACHE_TTL_SECONDS * 1000,
}));

export function clearInProcessCache() {
  lru.clear();
}

/** A stable key for a canonical query: same provider + normalized filters + page → same key. */
export function hashQuery(query: unknown): string {
  return createHash("sha256").update(stableStringify(query)).digest("hex").slice(0, 40);
}


const lruKey = (key: CacheKey) => `${key.orgId}|${key.provider}|${key.day}|${key.cacheKey}`;
const where = (key: CacheKey) => ({
  organizationId_provider_cacheKey_day: {
    organizationId: key.orgId,
    provider: key.provider,
    cacheKey: key.cacheKey,
    day: new Date(`${key.day}T00:00:00Z`),
  },
});

/** Reads without paying: the in-process LRU, then the persisted cache. */
export async function peek<T>(db: Db, key: CacheKey): Promise<T | null> {
  const local = lru.get(lruKey(key));
  if (local) return local.value as T;
  const row = await db.providerCacheEntry.findUnique({ where: where(key), select: { status: true, response: true } });
  if (row?.status !== "ready") return null;
  lru.set(lruKey(key), { value: row.response });
  return row.response as T;
}

/**
 * Reads many keys without paying: the in-process LRU, then one query for the rest. Returns the
 * answers found, by index into `keys`.
 */
export async function peekMany<T>(db: Db, keys: readonly CacheKey[]): Promise<Map<number, T>> {
  const found = new Map<number, T>();
  const remote: number[] = [];
  keys.forEach((key, index) => {
    const local = lru.get(lruKey(key));
    if (local) found.set(index, local.value as T);
    else remote.push(index);
  });
  if (remote.length === 0) return found;
  const rows = await db.providerCacheEntry.findMany({
    where: { OR: remote.map((index) => where(keys[index]!).organizationId_provider_cacheKey_day) },
    select: { organizationId: true, provider: true, cacheKey: true, day: true, status: true, response: true },
  });
  for (const index of remote) {
    const key = keys[index]!;
    const row = rows.find((r) => r.organizationId === key.orgId && r.provider === key.provider && r.cacheKey === key.cacheKey && r.day.toISOString().slice(0, 10) === key.day);
    if (row?.status !== "ready") continue;
    lru.set(lruKey(key), { value: row.response });
    found.set(index, row.response as T);
  }
  return found;
}

/** How long to wait for an identical search another request is paying for. */
export const LEASE_WAIT_MS = LEASE_MS * 2;
export const LEASE_POLL_MS = POLL_MS;

/** Stores what the lease holder paid for; every waiting caller (any process) reads it from here on. */
export async function fulfilLease<T>(db: Db, key: CacheKey, lease: string, value: T, costCents: number): Promise<void> {
  await db.providerCacheEntry.update({
    where: { id: lease },
    data: { status: "ready", leaseUntil: null, response: value as Prisma.InputJsonValue, costCents },
  });
  lru.set(lruKey(key), { value });
}

/** Gives a lease up (the call failed or never ran) so the next caller may try. */
export async function abandonLease(db: Db, lease: string): Promise<void> {
  await db.providerCacheEntry.deleteMany({ where: { id: lease, status: "pending" } });
}

/**
 * The right to call the provider for one key, exactly once across every process: the first
 * caller creates a pending row; identical concurrent callers get null and wait for its answer.
 * A lease whose holder died is taken over once it runs out.
 */
export async function acquireLease(db: Db, key: CacheKey): Promise<string | null> {
  const leaseUntil = new Date(Date.now() + LEASE_MS);
  const created = await db.providerCacheEntry
    .create({
      data: { organizationId: key.orgId, provider: key.provider, cacheKey: key.cacheKey, day: new Date(`${key.day}T00:00:00Z`), leaseUntil },
      select: { id: true },
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) return null;
      throw error;
    });
  if (created) return created.id;
  // Take over a lease whose holder died.
  const existing = await db.providerCacheEntry.findUnique({ where: where(key), select: { id: true, status: true, leaseUntil: true } });
  if (!existing || existing.status !== "pending") return null;
  const taken = await db.providerCacheEntry.updateMany({
    where: { id: existing.id, status: "pending", leaseUntil: { lt: new Date() } },
    data: { leaseUntil },
  });
  return taken.count === 1 ? existing.id : null;
}

const EXPIRY_BATCH = 1000;

/**
 * Deletes persisted answers of past days. Each organization's "today" is within one calendar
 * day of UTC's, so rows dated before yesterday (UTC) are past for every organization.
 */
export async function deleteExpiredCacheEntries(db: Db, now = new Date()): Promise<number> {
  const before = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1)).toISOString().slice(0, 10);
  let deleted = 0;
  for (;;) {
    const count = await db.$executeRaw`
      DELETE FROM "ProviderCacheEntry" WHERE "id" IN (
        SELECT "id" FROM "ProviderCacheEntry" WHERE "day" < ${before}::date LIMIT ${EXPIRY_BATCH})`;
    deleted += count;
    if (count < EXPIRY_BATCH) return deleted;
  }
}
