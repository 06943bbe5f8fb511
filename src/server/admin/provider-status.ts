import "server-only";
import type { Db } from "../db";
import { env } from "../env";
import { providerHealth, type ProviderName } from "../providers/http";

const PROVIDERS: { provider: ProviderName; label: string; configured: () => boolean; sandbox: string }[] = [
  { provider: "attom", label: "ATTOM property data", configured: () => !!env.ATTOM_API_KEY, sandbox: "Sandbox search (deterministic sample data)" },
  { provider: "batchdata", label: "BatchData skip tracing", configured: () => !!env.BATCHDATA_API_TOKEN, sandbox: "Sandbox skip trace (fictional 555-01xx phones)" },
  { provider: "twilio", label: "Twilio SMS", configured: () => !!(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN), sandbox: "Simulated SMS" },
  { provider: "twilio_lookup", label: "Twilio Lookup", configured: () => !!(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN), sandbox: "Simulated line-type lookup" },
  { provider: "openai", label: "OpenAI lead summaries", configured: () => !!env.OPENAI_API_KEY, sandbox: "Off (optional)" },
];

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
    providers: PROVIDERS.map(({ provider, label, configured, sandbox }) => {
      const health = providerHealth(provider);
      const shared = persisted.find((row) => row.provider === provider || (provider === "attom" && row.provider === "sandbox"));
      return {
        provider,
        label,
        mode: configured() ? ("configured" as const) : ("sandbox" as const),
        modeDescription: configured() ? "Live API" : sandbox,
        circuit: health.circuit,
        consecutiveFailures: health.consecutiveFailures,
        lastError: health.lastError ?? shared?.lastErrorMessage ?? null,
        lastErrorAt: health.lastErrorAt ?? shared?.lastErrorAt ?? null,
        lastSuccessAt: health.lastSuccessAt ?? shared?.lastSuccessAt ?? null,
      };
    }),
  };
}
