import "server-only";
import type { Db } from "../db";
import { providerHealth } from "../providers/http";
import { PROVIDER_LIST } from "../providers/registry";

const WINDOW_DAYS = 7;

export async function providerStatus(db: Db, orgId: string) {
  const since = new Date(Date.now() - WINDOW_DAYS * 86_400_000);
  const [persisted, runs, hits] = await Promise.all([
    db.providerStatus.findMany(),
    db.searchRun.count({ where: { organizationId: orgId, createdAt: { gte: since } } }),
    db.searchRun.count({ where: { organizationId: orgId, createdAt: { gte: since }, cacheHit: true } }),
  ]);
  return {
    searchCache: { windowDays: WINDOW_DAYS, searches: runs, hits, hitRate: runs === 0 ? null : hits / runs },
    providers: PROVIDER_LIST.map(({ name: provider, label, live, sandboxDescription }) => {
      const health = providerHealth(provider);
      const shared = persisted.find((row) => row.provider === provider || (provider === "attom" && row.provider === "sandbox"));
      return {
        provider,
        label,
        mode: live() ? ("configured" as const) : ("sandbox" as const),
        modeDescription: live() ? "Live API" : sandboxDescription,
        circuit: health.circuit,
        consecutiveFailures: health.consecutiveFailures,
        lastError: health.lastError ?? shared?.lastErrorMessage ?? null,
        lastErrorAt: health.lastErrorAt ?? shared?.lastErrorAt ?? null,
        lastSuccessAt: health.lastSuccessAt ?? shared?.lastSuccessAt ?? null,
      };
    }),
  };
}
