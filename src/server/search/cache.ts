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
export type CachedAnswer<T> = { value: T; cacheHit: boolean; costCents: number };

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
 * Answers from cache, or runs `fetch` exactly once across every process: the first caller
 * takes a lease (a pending row); identical concurrent callers wait for its answer. A failed
 * fetch gives the lease up so the next caller may try.
 */
export async function cached<T>(db: Db, key: CacheKey, fetch: () => Promise<{ value: T; costCents: number }>): Promise<CachedAnswer<T>> {
  const deadline = Date.now() + LEASE_MS * 2;
  for (;;) {
    const hit = await peek<T>(db, key);
    if (hit !== null) return { value: hit, cacheHit: true, costCents: 0 };

    const lease = await acquireLease(db, key);
    if (lease) {
      try {
        const fetched = await fetch();
        await db.providerCacheEntry.update({
          where: { id: lease },
          data: { status: "ready", leaseUntil: null, response: fetched.value as Prisma.InputJsonValue, costCents: fetched.costCents },
        });
        lru.set(lruKey(key), { value: fetched.value });
        return { value: fetched.value, cacheHit: false, costCents: fetched.costCents };
      } catch (error) {
        await db.providerCacheEntry.deleteMany({ where: { id: lease, status: "pending" } });
        throw error;
      }
    }
    if (Date.now() > deadline) throw new Error("Timed out waiting for an identical search to finish.");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function acquireLease(db: Db, key: CacheKey): Promise<string | null> {
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
