"use client";

import { useEffect, useId, useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { filtersFromListState, hasNoFilters, type LeadListState } from "./list-url";
import { listStateFromFilters, sameFilters } from "./saved-filter-state";
import { formatCount } from "@/components/shared/format";

/**
 * Saved filters on the leads list: save the current filters by name (shared with the organization,
 * and usable as a campaign's audience), and a menu to apply or delete one.
 */
export function SavedFiltersBar({ state, onApply }: { state: LeadListState; onApply: (next: LeadListState) => void }) {
  const saved = api.savedFilters.list.useQuery();
  // Each saved list's live count (what opening it shows now), refreshed while the page is open.
  const counts = useSavedFilterCounts();
  const filters = filtersFromListState(state);
  const current = saved.data?.find((filter) => sameFilters(filter.filters, filters)) ?? null;
  const currentCount = current ? counts.get(current.id) : undefined;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="saved-filters">
      <SavedFiltersMenu state={state} onApply={onApply} currentId={current?.id ?? null} />
      {current ? (
        <span className="text-sm text-slate-600" data-testid="saved-filter-current">
          Showing saved filter <strong className="font-medium text-slate-900">{current.name}</strong>
          {currentCount !== undefined && (
            <span data-testid="saved-filter-count">
              {" "}· {formatCount(currentCount)} {currentCount === 1 ? "lead" : "leads"}
            </span>
          )}
        </span>
      ) : (
        <SaveFilterForm state={state} existing={saved.data?.map((filter) => filter.name) ?? []} />
      )}
    </div>
  );
}

function SaveFilterForm({ state, existing }: { state: LeadListState; existing: string[] }) {
  const utils = api.useUtils();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [savedName, setSavedName] = useState<string | null>(null);
  const inputId = useId();
  const save = api.savedFilters.save.useMutation({
    onSuccess: async (filter) => {
      setOpen(false);
      setName("");
      setSavedName(filter.name);
      await Promise.all([utils.savedFilters.list.invalidate(), utils.savedFilters.counts.invalidate()]);
    },
  });
  const failure = save.error ? describeError(save.error) : null;
  const message = failure ? (failure.fieldErrors.name?.[0] ?? failure.message) : null;
  const replaces = existing.includes(name.trim());

  if (!open) {
    return (
      <>
        <Button type="button" size="sm" variant="secondary" onClick={() => (save.reset(), setSavedName(null), setOpen(true))} disabled={hasNoFilters(state)} title={hasNoFilters(state) ? "Filter the list first" : undefined}>
          Save filter
        </Button>
        {savedName && (
          <span className="text-sm text-emerald-700" role="status">
            Saved “{savedName}”.
          </span>
        )}
      </>
    );
  }
  return (
    <form
      className="flex flex-wrap items-start gap-2"
      aria-label="Save these filters"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ name, filters: filtersFromListState(state) });
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") setOpen(false);
      }}
    >
      <div>
        <label htmlFor={inputId} className="sr-only">
          Name of the saved filter
        </label>
        <Input
          id={inputId}
          autoFocus
          className="w-56 py-1"
          maxLength={80}
          placeholder="Name, e.g. Hot leads with phones"
          value={name}
          onChange={(event) => (save.reset(), setName(event.target.value))}
          aria-invalid={message ? true : undefined}
          aria-describedby={message || replaces ? `${inputId}-note` : undefined}
        />
        {(message || replaces) && (
          <p id={`${inputId}-note`} className={message ? "mt-1 text-xs text-red-600" : "mt-1 text-xs text-amber-700"}>
            {message ?? "A saved filter has this name: saving replaces its filters."}
          </p>
        )}
      </div>
      <Button type="submit" size="sm" pending={save.isPending} disabled={name.trim() === ""}>
        Save
      </Button>
      <Button type="button" size="sm" variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
    </form>
  );
}

function SavedFiltersMenu({ state, onApply, currentId }: { state: LeadListState; onApply: (next: LeadListState) => void; currentId: string | null }) {
  const utils = api.useUtils();
  const saved = api.savedFilters.list.useQuery();
  const counts = useSavedFilterCounts();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const remove = api.savedFilters.delete.useMutation({
    onSuccess: async () => {
      setConfirming(null);
      await Promise.all([utils.savedFilters.list.invalidate(), utils.savedFilters.counts.invalidate()]);
    },
  });

  // Close on a click outside or Escape, and give focus back to the toggle.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        root.current?.querySelector<HTMLButtonElement>("button[aria-controls]")?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const filters = saved.data ?? [];
  return (
    <div className="relative" ref={root}>
      <Button type="button" size="sm" variant="secondary" aria-expanded={open} aria-controls={menuId} onClick={() => (remove.reset(), setConfirming(null), setOpen((value) => !value))}>
        Saved filters{saved.data ? ` (${filters.length})` : ""} <span aria-hidden>▾</span>
      </Button>
      {open && (
        <div id={menuId} className="absolute left-0 z-20 mt-1 w-80 rounded-md border border-slate-200 bg-white p-1 shadow-lg" role="region" aria-label="Saved filters">
          {saved.isPending ? (
            <p className="px-3 py-2 text-sm text-slate-500">Loading…</p>
          ) : saved.isError ? (
            <p className="px-3 py-2 text-sm text-red-600">Couldn&apos;t load saved filters: {describeError(saved.error).message}</p>
          ) : filters.length === 0 ? (
            <p className="px-3 py-2 text-sm text-slate-500" data-testid="saved-filters-empty">
              No saved filters yet. Filter the list, then “Save filter”.
            </p>
          ) : (
            <ul className="max-h-72 overflow-y-auto">
              {filters.map((filter) => (
                <li key={filter.id} className="flex items-center gap-1 rounded px-1 hover:bg-slate-50" data-testid="saved-filter-item">
                  {confirming === filter.id ? (
                    <div className="flex w-full flex-wrap items-center gap-2 px-2 py-1.5 text-sm">
                      <span className="flex-1">Delete “{filter.name}”? Campaigns already launched keep their recipients.</span>
                      <Button type="button" size="sm" variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: filter.id })}>
                        Delete
                      </Button>
                      <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(null)}>
                        Keep
                      </Button>
                    </div>
                  ) : (
                    <>
                      <button
                        type="button"
                        className="flex-1 truncate rounded px-2 py-1.5 text-left text-sm text-slate-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
                        aria-current={filter.id === currentId ? "true" : undefined}
                        onClick={() => {
                          onApply(listStateFromFilters(filter.filters, state));
                          setOpen(false);
                        }}
                      >
                        {filter.id === currentId && <span aria-hidden>✓ </span>}
                        {filter.name}
                        {counts.has(filter.id) && <span className="ml-1 text-xs tabular-nums text-slate-500" data-testid="saved-filter-item-count">({formatCount(counts.get(filter.id)!)})</span>}
                      </button>
                      <Button type="button" size="sm" variant="ghost" aria-label={`Delete saved filter ${filter.name}`} onClick={() => (remove.reset(), setConfirming(filter.id))}>
                        Delete
                      </Button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {remove.error && <p className="px-3 py-2 text-sm text-red-600">{describeError(remove.error).message}</p>}
        </div>
      )}
    </div>
  );
}

/** Saved lists' live counts by id (savedFilters.counts), polled while the leads page is open. */
function useSavedFilterCounts(): Map<string, number> {
  const counts = api.savedFilters.counts.useQuery(undefined, { refetchInterval: 30_000 });
  return new Map((counts.data ?? []).map((row) => [row.id, row.count]));
}
