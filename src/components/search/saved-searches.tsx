"use client";

import { useId, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/field";
import { describeSearchFilters, describeSearchLocation } from "@/lib/search-describe";
import { api, type RouterInputs } from "@/trpc/react";

type Query = RouterInputs["search"]["run"];

/** A search's location and filters in words: what a saved or recent search shows. */
export function SearchSummary({ query }: { query: unknown }) {
  const filters = describeSearchFilters(query);
  return (
    <span className="block">
      <span className="font-medium text-slate-900">{describeSearchLocation(query)}</span>
      <span className="block text-xs text-slate-500">{filters.length ? filters.join(" · ") : "No filters"}</span>
    </span>
  );
}

/**
 * The organization's saved searches (issue 14 item 6): a click runs one again from page 1 (an
 * ordinary search: free from today's cache when it was already run today).
 */
export function SavedSearches({ onRun }: { onRun: (query: Query) => void }) {
  const utils = api.useUtils();
  const saved = api.search.saved.useQuery();
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = api.search.deleteSaved.useMutation({
    onSuccess: async () => {
      setConfirming(null);
      await utils.search.saved.invalidate();
    },
  });
  if (!saved.data || saved.data.length === 0) return null;
  return (
    <Card title="Saved searches" description="Run one again with a click. A search already run today comes from cache, free.">
      <ul className="divide-y divide-slate-100" aria-label="Saved searches">
        {saved.data.map((search) => (
          <li key={search.id} className="flex flex-wrap items-center gap-3 py-2" data-testid="saved-search">
            <button
              type="button"
              className="min-w-0 flex-1 rounded px-1 py-0.5 text-left text-sm hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
              aria-label={`Run saved search ${search.name}`}
              onClick={() => onRun(search.query)}
            >
              <span className="block font-medium text-brand-700">{search.name}</span>
              <SearchSummary query={search.query} />
            </button>
            {confirming === search.id ? (
              <span className="flex items-center gap-2 text-sm">
                Delete “{search.name}”?
                <Button size="sm" variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: search.id })}>Delete</Button>
                <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>Keep</Button>
              </span>
            ) : (
              <Button size="sm" variant="ghost" aria-label={`Delete saved search ${search.name}`} onClick={() => (remove.reset(), setConfirming(search.id))}>
                Delete
              </Button>
            )}
          </li>
        ))}
      </ul>
      {remove.error && <p className="mt-2 text-sm text-red-600">{describeError(remove.error).message}</p>}
    </Card>
  );
}

/** "Save search": names the search shown (its location and filters; the page is not saved). */
export function SaveSearchButton({ query }: { query: Query }) {
  const utils = api.useUtils();
  const saved = api.search.saved.useQuery();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [savedName, setSavedName] = useState<string | null>(null);
  const inputId = useId();
  const save = api.search.save.useMutation({
    onSuccess: async (search) => {
      setOpen(false);
      setName("");
      setSavedName(search.name);
      await utils.search.saved.invalidate();
    },
  });
  const failure = save.error ? describeError(save.error) : null;
  const message = failure ? (failure.fieldErrors.name?.[0] ?? failure.message) : null;
  const replaces = saved.data?.some((search) => search.name === name.trim()) ?? false;

  if (!open) {
    return (
      <span className="inline-flex items-center gap-2">
        <Button size="sm" variant="secondary" onClick={() => (save.reset(), setSavedName(null), setOpen(true))}>Save search</Button>
        {savedName && <span className="text-sm text-emerald-700" role="status">Saved “{savedName}”.</span>}
      </span>
    );
  }
  return (
    <form
      className="flex flex-wrap items-start gap-2"
      aria-label="Save this search"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ name, query });
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") setOpen(false);
      }}
    >
      <div>
        <label htmlFor={inputId} className="sr-only">Name of the saved search</label>
        <Input
          id={inputId}
          autoFocus
          className="w-56 py-1"
          maxLength={80}
          placeholder="Name, e.g. Austin absentee 3 bd"
          value={name}
          onChange={(event) => (save.reset(), setName(event.target.value))}
          aria-invalid={message ? true : undefined}
          aria-describedby={message || replaces ? `${inputId}-note` : undefined}
        />
        {(message || replaces) && (
          <p id={`${inputId}-note`} className={message ? "mt-1 text-xs text-red-600" : "mt-1 text-xs text-amber-700"}>
            {message ?? "A saved search has this name: saving replaces it."}
          </p>
        )}
      </div>
      <Button type="submit" size="sm" pending={save.isPending} disabled={name.trim() === ""}>Save</Button>
      <Button type="button" size="sm" variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
    </form>
  );
}
