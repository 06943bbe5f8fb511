"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Badge, Skeleton } from "@/components/ui/card";
import { formStateFromParams, paramsFromFormState, queryFromFormState, searchFormErrorsFromServer, type SearchFormState } from "@/lib/search-url";
import { formatCents } from "@/lib/money";
import { formStateFromQuery } from "@/lib/search-describe";
import { api, type RouterInputs, type RouterOutputs } from "@/trpc/react";
import { PlaceChooser, ZipFallback } from "./place-resolution";
import { SearchForm } from "./search-form";
import { SavedSearches } from "./saved-searches";
import { SearchHistory } from "./search-history";
import { SearchResults } from "./search-results";

export function SearchWorkspace() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const paramString = params.toString();
  const formState = useMemo(() => formStateFromParams(new URLSearchParams(paramString)), [paramString]);
  const query = useMemo(() => queryFromFormState(formState) as RouterInputs["search"]["run"] | null, [formState]);
  const [context] = api.search.context.useSuspenseQuery();
  const utils = api.useUtils();
  const [lastResult, setLastResult] = useState<RouterOutputs["search"]["run"] | null>(null);
  // What the URL's city or county resolved to (the choices, or its ZIPs), and the query actually run.
  const [resolution, setResolution] = useState<RouterOutputs["search"]["resolvePlace"] | null>(null);
  const [ranQuery, setRanQuery] = useState<RouterInputs["search"]["run"] | null>(null);
  const search = api.search.run.useMutation({
    onSuccess: (result) => setLastResult(result),
    onError: () => setLastResult(null),
    onSettled: () => Promise.all([utils.search.context.invalidate(), utils.search.history.invalidate()]),
  });
  const resolvePlace = api.search.resolvePlace.useMutation({
    onError: () => setLastResult(null),
    onSettled: () => utils.search.context.invalidate(),
  });
  const [formKey, setFormKey] = useState(0);

  const { mutate } = search;
  const { mutate: resolve } = resolvePlace;
  const run = useCallback(
    (q: RouterInputs["search"]["run"]) => {
      const location = q.location;
      if ("zips" in location || "radiusMiles" in location || location.geoIdV4) {
        setResolution(null);
        setRanQuery(q);
        mutate(q);
        return;
      }
      // A city or county is resolved first (free once anyone has): one place is searched at once;
      // several wait for the user's choice; none offers the place's ZIPs.
      resolve(
        { location },
        {
          onSuccess: (answer) => {
            setResolution(answer);
            const only = answer.status === "resolved" ? answer.candidates[0] : undefined;
            if (!only) {
              setLastResult(null);
              return;
            }
            const resolved = { ...q, location: { ...location, geoIdV4: only.geoIdV4 } };
            setRanQuery(resolved);
            mutate(resolved);
          },
        },
      );
    },
    [mutate, resolve],
  );
  // Run each URL's search once (Strict Mode mounts effects twice; the second run would show a
  // cache hit for a search the user just paid for). Explicit re-runs go through navigate().
  const lastRun = useRef<string | null>(null);
  useEffect(() => {
    const key = query ? JSON.stringify(query) : null;
    if (!query || key === lastRun.current) return;
    lastRun.current = key;
    run(query);
  }, [query, run]);

  function navigate(state: SearchFormState) {
    const next = paramsFromFormState(state).toString();
    if (next === paramString && query) run(query);
    router.push(next ? `${pathname}?${next}` : pathname);
  }

  const failure = search.error ? describeError(search.error) : resolvePlace.error ? describeError(resolvePlace.error) : null;
  // A refused search names its fields by schema path ("location.zips.0"): shown next to them.
  const refused = useMemo(() => searchFormErrorsFromServer(failure?.fieldErrors ?? {}, formState.mode), [failure?.fieldErrors, formState.mode]);
  const awaitingChoice = resolution && resolution.status !== "resolved" ? resolution : null;
  const budget = lastResult?.budget ?? context.budget;
  const queryKey = useMemo(() => JSON.stringify(query), [query]);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm text-slate-600" data-testid="search-budget">
        <span>
          Provider: <Badge tone={context.provider === "attom" ? "blue" : "slate"}>{context.provider === "attom" ? "ATTOM" : "Sandbox"}</Badge>
        </span>
        <span>{formatCents(budget.costPerCallCents)} per {budget.unit}{context.provider === "sandbox" && " (simulated)"}</span>
        <span>
          Today: {formatCents(budget.spentCents)} of {formatCents(budget.dailyCapCents)} · {formatCents(budget.remainingCents)} left
        </span>
      </div>
      {context.killSwitchEngaged && (
        <Alert tone="warning">Paid search is switched off for your organization. Searches already run today still answer from cache.</Alert>
      )}
      <SearchForm
        key={`${paramString}-${formKey}`}
        initial={formState}
        supportsCityCounty={context.supportsCityCounty}
        pending={search.isPending}
        serverErrors={refused.fields}
        onSearch={(state) => { setFormKey((k) => k + 1); navigate(state); }}
      />

      {failure && (
        <Alert tone="error">
          {failure.message}
          {refused.rest.map((message) => (
            <span key={message} className="block">{message}</span>
          ))}
        </Alert>
      )}

      {awaitingChoice?.status === "ambiguous" && (
        <PlaceChooser key={queryKey} resolution={awaitingChoice} onChoose={(geoId) => navigate({ ...formState, geoId, page: "1" })} />
      )}
      {awaitingChoice?.status === "unresolved" && (
        <ZipFallback
          key={queryKey}
          resolution={awaitingChoice}
          onSearchZips={(zips) => navigate({ ...formState, mode: "zip", zips: zips.join(", "), geoId: "", page: "1" })}
        />
      )}
      {(search.isPending || resolvePlace.isPending) && !lastResult && <ResultsSkeleton />}
      {lastResult && query && !awaitingChoice && (
        <SearchResults
          key={queryKey}
          refreshing={search.isPending || resolvePlace.isPending}
          result={lastResult}
          query={ranQuery ?? query}
          placeLookup={resolution?.status === "resolved" ? { costCents: resolution.costCents, cacheHit: resolution.cacheHit } : null}
          onPage={(page) => navigate({ ...formState, page: String(page) })}
          onRetry={() => run(query)}
        />
      )}
      {!query && !lastResult && (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-500">
          Enter ZIP codes (or a city, a county, or a radius around a point on the map) and press Search. You will see what the query cost before adding anything to leads.
        </p>
      )}
      <SavedSearches onRun={(saved) => navigate(formStateFromQuery(saved))} />
      <SearchHistory onRun={(recent) => navigate(formStateFromQuery(recent))} />
    </div>
  );
}

function ResultsSkeleton() {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-5" aria-busy="true" aria-label="Loading results">
      {Array.from({ length: 8 }, (_, i) => <Skeleton key={i} className="h-8 w-full" />)}
    </div>
  );
}
