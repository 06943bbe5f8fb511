"use client";

import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { api, type RouterOutputs } from "@/trpc/react";
import { Time, useHydrated } from "@/components/shared/time";

type Status = RouterOutputs["providers"]["status"];
type Circuit = Status["providers"][number]["circuit"];

const REFRESH_MS = 10_000;

const CIRCUIT: Record<Circuit, { tone: "green" | "amber" | "red"; label: string; help: string }> = {
  closed: { tone: "green", label: "Healthy", help: "Calls go through normally." },
  half_open: { tone: "amber", label: "Probing", help: "After repeated failures, a trial call is checking whether the provider has recovered." },
  open: { tone: "red", label: "Open — failing fast", help: "Repeated failures: calls are refused immediately, without being billed, until a probe succeeds." },
};

export function ProviderStatusView() {
  const [status, query] = api.providers.status.useSuspenseQuery(undefined, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false });
  const hydrated = useHydrated();

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-500" aria-live="off">
        Refreshes every {REFRESH_MS / 1000} s
        {hydrated && query.dataUpdatedAt > 0 && (
          <>
            {" "}
            · last checked <Time value={new Date(query.dataUpdatedAt)} timeOnly />
          </>
        )}
        {query.isFetching && <span className="ml-2 inline-block size-2 animate-pulse rounded-full bg-brand-500 align-middle" aria-hidden />}
      </p>
      {query.isError && <Alert tone="warning">Couldn&apos;t refresh: {describeError(query.error).message} Showing the last known status.</Alert>}

      <Card title="Providers" description="Mode, circuit breaker and the latest result of each external provider.">
        {status.providers.length === 0 ? (
          <p className="text-sm text-slate-500">No providers are registered.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">Provider</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Mode</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Circuit</th>
                  <th scope="col" className="whitespace-nowrap py-2 pr-4 text-right font-medium">
                    <abbr title="Consecutive failed calls" className="no-underline">Failures</abbr>
                  </th>
                  <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">Last error</th>
                  <th scope="col" className="whitespace-nowrap py-2 font-medium">Last success</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {status.providers.map((row) => {
                  const circuit = CIRCUIT[row.circuit];
                  return (
                    <tr key={row.provider} data-testid={`provider-${row.provider}`}>
                      <th scope="row" className="whitespace-nowrap py-3 pr-4 text-left font-medium text-slate-900">{row.label}</th>
                      <td className="min-w-48 py-3 pr-4">
                        <Badge tone={row.mode === "configured" ? "blue" : "slate"}>{row.mode === "configured" ? "Live API" : "Sandbox"}</Badge>
                        {row.modeDescription && row.modeDescription !== "Live API" && (
                          <p className="mt-1 text-xs text-slate-500">{row.modeDescription}</p>
                        )}
                      </td>
                      <td className="whitespace-nowrap py-3 pr-4">
                        <span title={circuit.help}>
                          <Badge tone={circuit.tone}>{circuit.label}</Badge>
                        </span>
                        <span className="sr-only">: {circuit.help}</span>
                      </td>
                      <td className={row.consecutiveFailures > 0 ? "py-3 pr-4 text-right font-medium tabular-nums text-red-700" : "py-3 pr-4 text-right tabular-nums text-slate-500"}>
                        {row.consecutiveFailures}
                      </td>
                      <td className="w-full min-w-48 max-w-0 py-3 pr-4">
                        {row.lastError ? (
                          <>
                            <p className="truncate text-slate-800" title={row.lastError}>
                              {row.lastError}
                            </p>
                            {row.lastErrorAt && (
                              <p className="text-xs text-slate-500">
                                <Time value={row.lastErrorAt} relative />
                              </p>
                            )}
                          </>
                        ) : (
                          <span className="text-slate-400">None</span>
                        )}
                      </td>
                      <td className="whitespace-nowrap py-3 text-slate-600">
                        {row.lastSuccessAt ? <Time value={row.lastSuccessAt} relative /> : <span className="text-slate-400">Not yet</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <p className="mt-3 text-xs text-slate-500">
          Failures counts consecutive failed calls. Circuit: <strong className="font-medium text-slate-700">Healthy</strong> — calls go through; <strong className="font-medium text-slate-700">Probing</strong> — a
          trial call tests recovery; <strong className="font-medium text-slate-700">Open</strong> — calls fail fast without being billed.
        </p>
      </Card>

      <SearchCacheCard cache={status.searchCache} />
    </div>
  );
}

function SearchCacheCard({ cache }: { cache: Status["searchCache"] }) {
  const days = `${cache.windowDays} ${cache.windowDays === 1 ? "day" : "days"}`;
  return (
    <Card title="Search cache" description={`Property searches in the last ${days}. A cached answer costs nothing.`}>
      {cache.searches === 0 || cache.hitRate === null ? (
        <p className="text-sm text-slate-500">No property searches in the last {days}, so there is no hit rate yet.</p>
      ) : (
        <div className="space-y-2">
          <p className="text-sm text-slate-700" data-testid="cache-hit-rate">
            <span className="text-2xl font-semibold tabular-nums text-slate-900">{Math.round(cache.hitRate * 100)} %</span> of{" "}
            {cache.searches.toLocaleString("en-US")} {cache.searches === 1 ? "search" : "searches"} answered from cache, free
            <span className="text-slate-500"> ({cache.hits.toLocaleString("en-US")} cached, {(cache.searches - cache.hits).toLocaleString("en-US")} paid or sandbox)</span>
          </p>
          <div
            role="meter"
            aria-label="Search cache hit rate"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(cache.hitRate * 100)}
            className="h-2 w-full max-w-md overflow-hidden rounded-full bg-slate-100"
          >
            <div className="h-full bg-emerald-500" style={{ width: `${Math.round(cache.hitRate * 100)}%` }} />
          </div>
        </div>
      )}
    </Card>
  );
}

export function ProviderStatusSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading provider status">
      <Skeleton className="h-4 w-48" />
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <Skeleton className="h-5 w-32" />
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-8 w-full" />
        ))}
      </div>
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <Skeleton className="h-5 w-32" />
        <Skeleton className="h-6 w-2/3" />
      </div>
    </div>
  );
}
