"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatCents } from "@/lib/money";
import type { RouterOutputs } from "@/trpc/react";

type Resolution = RouterOutputs["search"]["resolvePlace"];

/** Several places carry the name the user typed: they choose one (never guessed). */
export function PlaceChooser({ resolution, onChoose }: { resolution: Resolution; onChoose: (geoIdV4: string) => void }) {
  return (
    <section className="space-y-3 rounded-lg border border-amber-200 bg-amber-50 p-5" aria-label="Choose a place" data-testid="place-chooser">
      <p className="text-sm text-slate-800">
        <strong>{resolution.place}</strong> matches {resolution.candidates.length} places. Which one do you mean? Nothing is searched until you choose.
      </p>
      <ul className="flex flex-col gap-2">
        {resolution.candidates.map((candidate) => (
          <li key={candidate.geoIdV4}>
            <Button type="button" variant="secondary" onClick={() => onChoose(candidate.geoIdV4)}>
              {candidate.label}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The place could not be resolved: say so, naming it, and offer its ZIPs from the ZIP dataset.
 * The user picks ZIPs; the estimate (one paid call per ZIP) is shown before anything is spent.
 */
export function ZipFallback({ resolution, onSearchZips }: { resolution: Resolution; onSearchZips: (zips: string[]) => void }) {
  const fallback = resolution.fallback;
  const [selected, setSelected] = useState<string[]>([]);
  if (!fallback) return null;
  const max = fallback.maxZipsPerSearch;
  const toggle = (zip: string) => setSelected((current) => (current.includes(zip) ? current.filter((z) => z !== zip) : current.length < max ? [...current, zip] : current));
  const estimate = selected.length * fallback.costPerZipCents;
  const simulated = resolution.simulatedCost ? " (simulated)" : "";

  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-5" aria-label="Search by ZIP instead" data-testid="zip-fallback">
      <Alert tone="warning">
        {resolution.provider === "attom" ? "ATTOM" : "The sandbox"} could not find <strong>{resolution.place}</strong> as a {resolution.kind}. Check the spelling, or search its ZIP codes instead.
      </Alert>
      {fallback.zips.length === 0 ? (
        <p className="text-sm text-slate-600">The ZIP dataset has no ZIP codes for {resolution.place} either.</p>
      ) : (
        <>
          <p className="text-sm text-slate-700">
            ZIP codes of {resolution.place} ({fallback.zips.length}). Choose up to {max}; each ZIP is one paid search call of {formatCents(fallback.costPerZipCents)}
            {simulated}, and ZIPs already searched today are free.
          </p>
          <fieldset className="grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-4 md:grid-cols-6">
            <legend className="sr-only">ZIP codes</legend>
            {fallback.zips.map((zip) => (
              <label key={zip.zip} className="flex items-center gap-2 text-sm" title={`${zip.city}, ${zip.county} County`}>
                <input
                  type="checkbox"
                  checked={selected.includes(zip.zip)}
                  disabled={!selected.includes(zip.zip) && selected.length >= max}
                  onChange={() => toggle(zip.zip)}
                  aria-label={`ZIP ${zip.zip} (${zip.city})`}
                />
                {zip.zip}
              </label>
            ))}
          </fieldset>
          <div className="flex flex-wrap items-center gap-3">
            <Button type="button" disabled={selected.length === 0} onClick={() => onSearchZips(selected)}>
              Search {selected.length} ZIP{selected.length === 1 ? "" : "s"}
            </Button>
            <span className="text-sm text-slate-700" data-testid="zip-estimate">
              Estimated cost: up to {formatCents(estimate)}{simulated} ({selected.length} × {formatCents(fallback.costPerZipCents)}) · {formatCents(resolution.budget.remainingCents)} left today
            </span>
          </div>
          <p className="text-xs text-slate-500">ZIP codes from {fallback.dataset}.</p>
        </>
      )}
    </section>
  );
}
