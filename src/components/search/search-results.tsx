"use client";

import { useCallback, useMemo, useState } from "react";
import { PropertyMap, type MapMarker } from "@/components/shared/property-map";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { formatCents, formatDollarsFromCents } from "@/lib/money";
import { searchedCircle } from "@/lib/map-style";
import { api, type RouterInputs, type RouterOutputs } from "@/trpc/react";
import { AddAllButton } from "./add-all";
import { SaveSearchButton } from "./saved-searches";
import { TemperaturePill } from "./temperature-pill";

type SearchResult = RouterOutputs["search"]["run"];
type Query = RouterInputs["search"]["run"];

const TYPE_LABELS: Record<string, string> = { sfr: "Single family", condo: "Condo", multi_family: "Multi-family", apartment: "Apartment", land: "Land", other: "Other" };

export function SearchResults({ result, query, refreshing, placeLookup, onPage, onRetry }: {
  result: SearchResult;
  /** The place lookup this search made just before it (search.resolvePlace), counted in its cost. */
  placeLookup?: { costCents: number; cacheHit: boolean } | null;
  refreshing: boolean;
  query: Query;
  onPage: (page: number) => void;
  /** Runs the same search again: answered ZIPs come from cache, only failed ones are paid for. */
  onRetry: () => void;
}) {
  const utils = api.useUtils();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Fresh "In leads" flags for this result, read after adding (never by re-running the paid search).
  const [inLeads, setInLeads] = useState<{ searchRunId: string; externalIds: Set<string> } | null>(null);
  const addToLeads = api.search.addToLeads.useMutation({
    onSuccess: async () => {
      setSelected(new Set());
      const fresh = await utils.search.inLeads.fetch({ query }, { staleTime: 0 });
      setInLeads({ searchRunId: result.searchRunId, externalIds: new Set(fresh.externalIds) });
    },
  });
  // After "add all" finished: the page's "In leads" flags read again (free, from the cached page).
  const refreshFlags = useCallback(() => {
    void utils.search.inLeads.fetch({ query }, { staleTime: 0 }).then((fresh) => setInLeads({ searchRunId: result.searchRunId, externalIds: new Set(fresh.externalIds) }));
  }, [utils, query, result.searchRunId]);
  const leadFlags = inLeads?.searchRunId === result.searchRunId ? inLeads.externalIds : null;
  const isLead = (row: SearchResult["rows"][number]) => leadFlags?.has(row.externalId) ?? row.alreadyLead;
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  // A lookup paid by the resolution step is part of what this search cost.
  const lookup = placeLookup ?? { costCents: result.place?.lookupCostCents ?? 0, cacheHit: result.place?.lookupCacheHit ?? true };
  const costCents = result.costCents + (placeLookup?.costCents ?? 0);
  const cacheHit = result.cacheHit && lookup.cacheHit;
  const selectable = result.rows.filter((row) => !isLead(row));
  // Table or map (issue 14 item 8); a radius search opens on the map, with its circle.
  const location = query.location;
  // Drawn as searched (rounded like the server's query), not as typed.
  const circle = useMemo(() => ("radiusMiles" in location ? searchedCircle({ latitude: location.latitude, longitude: location.longitude, miles: location.radiusMiles }) : null), [location]);
  const [view, setView] = useState<"table" | "map">(circle ? "map" : "table");
  const [mapSelected, setMapSelected] = useState<string | null>(null);
  const markers = useMemo<MapMarker[]>(
    () =>
      result.rows.flatMap((row) =>
        row.latitude === null || row.longitude === null ? [] : [{ id: row.externalId, latitude: row.latitude, longitude: row.longitude, temperature: row.temperature, label: `${row.address.line1}, ${row.address.city}` }],
      ),
    [result.rows],
  );
  const mapRow = result.rows.find((row) => row.externalId === mapSelected) ?? null;
  const allSelected = selectable.length > 0 && selectable.every((row) => selected.has(row.externalId));

  function toggle(id: string) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  return (
    <section className={`rounded-lg border border-slate-200 bg-white shadow-sm transition-opacity ${refreshing ? "opacity-60" : ""}`} aria-label="Search results" aria-busy={refreshing}>
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-3" data-testid="result-header">
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span className="font-medium">{result.total.toLocaleString()} properties</span>
          <Badge tone={result.provider === "attom" ? "blue" : "slate"}>{result.provider === "attom" ? "ATTOM" : "Sandbox"}</Badge>
          {result.place && (
            <span className="text-slate-700" data-testid="resolved-place" title={`Place id (geoIdV4) ${result.place.geoIdV4}`}>
              {result.place.kind === "city" ? "City" : "County"}: <strong>{result.place.label}</strong>
              {lookup.cacheHit ? " (place from cache)" : ` (place lookup ${formatCents(lookup.costCents)}${result.simulatedCost ? " simulated" : ""})`}
            </span>
          )}
          {cacheHit ? (
            <Badge tone="green">Cache hit · cost $0.00</Badge>
          ) : (
            <Badge tone="amber">Cache miss · cost {formatCents(costCents)}{result.simulatedCost ? " (simulated)" : ""}</Badge>
          )}
          <span className="text-slate-500">
            Today {formatCents(result.budget.spentCents)} of {formatCents(result.budget.dailyCapCents)} · {formatCents(result.budget.remainingCents)} left
          </span>
        </div>
        <div className="flex flex-wrap items-center justify-end gap-2">
          <div role="radiogroup" aria-label="View" className="inline-flex rounded-md border border-slate-200 p-0.5">
            {(["table", "map"] as const).map((option) => (
              <button
                key={option}
                type="button"
                role="radio"
                aria-checked={view === option}
                onClick={() => setView(option)}
                className={view === option ? "rounded bg-brand-600 px-3 py-1 text-sm font-medium text-white" : "rounded px-3 py-1 text-sm font-medium text-slate-600 hover:bg-slate-100"}
              >
                {option === "table" ? "Table" : "Map"}
              </button>
            ))}
          </div>
          <SaveSearchButton query={query} />
          <AddAllButton query={query} total={result.total} disabled={refreshing} onFinished={refreshFlags} />
          <Button size="sm" variant="secondary" disabled={selected.size === 0 || refreshing} pending={addToLeads.isPending && !!addToLeads.variables?.externalIds}
            onClick={() => addToLeads.mutate({ query, externalIds: [...selected] })}>
            Add selected ({selected.size})
          </Button>
          <Button size="sm" disabled={result.rows.length === 0 || refreshing} pending={addToLeads.isPending && !addToLeads.variables?.externalIds}
            onClick={() => addToLeads.mutate({ query })}>
            Add page to leads
          </Button>
        </div>
      </header>

      {addToLeads.data && (
        <Alert tone="success" className="mx-5 mt-3">
          {addToLeads.data.added} added, {addToLeads.data.alreadyInLeads} already in leads
        </Alert>
      )}
      {addToLeads.error && <Alert tone="error" className="mx-5 mt-3">{describeError(addToLeads.error).message}</Alert>}

      <LocationOutcomes result={result} refreshing={refreshing} onRetry={onRetry} />

      {view === "map" ? (
        <div className="space-y-2 p-4" data-testid="results-map">
          <p className="text-sm text-slate-600" data-testid="map-count">
            {markers.length.toLocaleString()} of the {result.rows.length.toLocaleString()} properties on this page have coordinates and are on the map.
          </p>
          <PropertyMap
            label={`Map of ${markers.length} search results`}
            markers={markers}
            selectedId={mapRow?.externalId ?? null}
            onSelect={setMapSelected}
            circle={circle}
            card={
              mapRow && (
                <section aria-label="Selected property" className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg" data-testid="map-card">
                  <div className="flex items-start justify-between gap-2">
                    <div>
                      <p className="font-medium text-slate-900">{mapRow.address.line1}</p>
                      <p className="text-slate-500">{mapRow.address.city}, {mapRow.address.state} {mapRow.address.zip}</p>
                    </div>
                    <button type="button" className="text-slate-400 hover:text-slate-700" aria-label="Close the card" onClick={() => setMapSelected(null)}>✕</button>
                  </div>
                  <p className="text-slate-700">
                    {mapRow.ownerName ?? "Owner unknown"} {mapRow.ownerIsCorporate && <Badge>Company/Trust</Badge>} {mapRow.absentee && <Badge tone="amber">Absentee</Badge>}
                  </p>
                  <TemperaturePill temperature={mapRow.temperature} score={mapRow.score} factors={mapRow.scoreFactors} />
                  <p className="text-slate-600">
                    Value {formatDollarsFromCents(mapRow.estimatedValueCents)} · Equity {mapRow.equityPct === null ? "unknown" : `${mapRow.equityPct.toFixed(0)}%`}
                  </p>
                  {isLead(mapRow) ? (
                    <Badge tone="green">In leads</Badge>
                  ) : (
                    <Button size="sm" disabled={refreshing} pending={addToLeads.isPending} onClick={() => addToLeads.mutate({ query, externalIds: [mapRow.externalId] })}>
                      Add to leads
                    </Button>
                  )}
                </section>
              )
            }
          />
        </div>
      ) : result.rows.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-500">No properties match these filters here. Widen a range or try another location{result.cacheHit ? "" : "; an empty answer is not billed by ATTOM"}.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-3 py-2">
                  <input type="checkbox" aria-label="Select all on this page" checked={allSelected} disabled={selectable.length === 0}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(selectable.map((row) => row.externalId)))} />
                </th>
                <th className="px-3 py-2 font-medium">Address</th>
                <th className="px-3 py-2 font-medium">Owner</th>
                <th className="px-3 py-2 font-medium">Type</th>
                <th className="px-3 py-2 font-medium">Bd/Ba · sq ft</th>
                <th className="px-3 py-2 font-medium">Built</th>
                <th className="px-3 py-2 text-right font-medium">Est. value</th>
                <th className="px-3 py-2 text-right font-medium">Equity</th>
                <th className="px-3 py-2 font-medium">Last sale</th>
                <th className="px-3 py-2 font-medium">Score</th>
                <th className="px-3 py-2 font-medium"><span className="sr-only">Status</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.rows.map((row) => (
                <tr key={row.externalId} className={selected.has(row.externalId) ? "bg-brand-50" : undefined} data-testid="result-row">
                  <td className="px-3 py-2">
                    <input type="checkbox" aria-label={`Select ${row.address.line1}`} checked={selected.has(row.externalId)} disabled={isLead(row)} onChange={() => toggle(row.externalId)} />
                  </td>
                  <td className="px-3 py-2">
                    <div className="font-medium">{row.address.line1}</div>
                    <div className="text-xs text-slate-500">{row.address.city}, {row.address.state} {row.address.zip}</div>
                  </td>
                  <td className="px-3 py-2">
                    <div>{row.ownerName ?? "—"}</div>
                    <div className="flex gap-1 text-xs">
                      {row.absentee && <Badge tone="amber">Absentee</Badge>}
                      {row.ownerIsCorporate && <Badge>Company/Trust</Badge>}
                    </div>
                  </td>
                  <td className="px-3 py-2">{TYPE_LABELS[row.propertyType] ?? row.propertyType}</td>
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">{row.beds ?? "—"}/{row.baths ?? "—"} · {row.sizeSqft?.toLocaleString() ?? "—"}</td>
                  <td className="px-3 py-2 tabular-nums">{row.yearBuilt ?? "—"}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatDollarsFromCents(row.estimatedValueCents)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.equityPct === null ? "—" : `${row.equityPct.toFixed(0)}%`}</td>
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                    {row.lastSaleDate ?? "—"}
                    {row.lastSalePriceCents !== null && <div className="text-xs text-slate-500">{formatDollarsFromCents(row.lastSalePriceCents)}</div>}
                  </td>
                  <td className="px-3 py-2"><TemperaturePill temperature={row.temperature} score={row.score} factors={row.scoreFactors} /></td>
                  <td className="px-3 py-2">{isLead(row) && <Badge tone="green">In leads</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <footer className="flex items-center justify-between border-t border-slate-100 px-5 py-3 text-sm">
        <span className="text-slate-500">Page {result.page} of {pages}</span>
        <div className="flex gap-2">
          <Button size="sm" variant="secondary" disabled={result.page <= 1} onClick={() => onPage(result.page - 1)}>Previous</Button>
          <Button size="sm" variant="secondary" disabled={result.page >= pages} onClick={() => onPage(result.page + 1)}>Next</Button>
        </div>
      </footer>
    </section>
  );
}

const placeName = (location: string) => (/^\d{5}$/.test(location) ? `ZIP ${location}` : location);

/**
 * Per-ZIP outcomes of a multi-ZIP search: what each cost, and for a ZIP that failed, why and a way
 * to retry it (the answered ZIPs are cached, so a retry pays only for the failed one).
 */
function LocationOutcomes({ result, refreshing, onRetry }: { result: SearchResult; refreshing: boolean; onRetry: () => void }) {
  const failed = result.locations.filter((location) => !location.ok);
  if (result.locations.length < 2 && failed.length === 0) return null;
  return (
    <div className="mx-5 mt-3 space-y-2" data-testid="search-locations">
      {failed.map((location) => (
        <Alert key={location.location} tone="error">
          <div className="flex flex-wrap items-center justify-between gap-2" data-testid="location-error">
            <span>
              <span className="font-medium">{placeName(location.location)} failed:</span> {location.error?.message}
              {location.costCents > 0 && ` (${formatCents(location.costCents)} counted as possibly billed)`}
            </span>
            <Button size="sm" variant="secondary" disabled={refreshing} onClick={onRetry}>
              Retry {placeName(location.location)}
            </Button>
          </div>
          {result.locations.length > 1 && (
            <span className="mt-1 block text-xs">The other ZIPs are shown below and answer from cache on a retry; only this one is paid for again.</span>
          )}
        </Alert>
      ))}
      {result.locations.length > 1 && (
        <ul className="flex flex-wrap gap-2 text-xs text-slate-600" aria-label="Cost per ZIP">
          {result.locations.map((location) => (
            <li key={location.location}>
              <Badge tone={location.ok ? (location.cacheHit ? "green" : "amber") : "red"}>
                {location.location} · {location.ok ? `${location.resultCount} rows · ${location.cacheHit ? "cache hit" : formatCents(location.costCents)}` : "failed"}
              </Badge>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
