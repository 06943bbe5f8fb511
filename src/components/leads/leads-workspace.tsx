"use client";

import { keepPreviousData } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { Suspense, useMemo, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { api, type RouterInputs } from "@/trpc/react";
import { BulkBar } from "./bulk-bar";
import { LeadFilters } from "./lead-filters";
import { LeadsTable, LeadsTableSkeleton } from "./leads-table";
import { StatusChipsPending, StatusChipsWithCounts } from "./status-chips";
import { primaryLinkClass, secondaryLinkClass } from "@/components/shared/link-classes";
import {
  bulkSummary,
  clearFilters,
  countFiltersOf,
  exportHref,
  filtersFromListState,
  hasNoFilters,
  LIST_PAGE_SIZE,
  listStateFromParams,
  matchingCount,
  phoneCounts,
  paramsFromListState,
  sortFromListState,
  toggleSort,
  toggleValue,
  type LeadListState,
} from "./list-url";
import type { LeadStatus } from "./labels";
import { SkipTraceBulkButton } from "@/components/skip-trace/skip-trace-bulk";
import { TextLeadsButton } from "@/components/campaigns/text-leads-button";
import { SavedFiltersBar } from "./saved-filters-bar";
import { ColumnPicker, useLeadColumns } from "./column-picker";
import { LeadsMap } from "./leads-map";
import { formatCount } from "@/components/shared/format";

type Role = "admin" | "manager" | "user";
type Selection = { key: string; ids: Set<string>; all: boolean; anchor: number | null };
type BulkInput = RouterInputs["leads"]["bulk"];

const emptySelection = (key: string): Selection => ({ key, ids: new Set(), all: false, anchor: null });

export function LeadsWorkspace({ role }: { role: Role }) {
  const canManage = role !== "user";
  const pathname = usePathname();
  const paramString = useSearchParams().toString();
  const state = useMemo(() => listStateFromParams(new URLSearchParams(paramString)), [paramString]);
  const filters = useMemo(() => filtersFromListState(state), [state]);
  const sort = useMemo(() => sortFromListState(state), [state]);
  const filterKey = JSON.stringify(filters);
  // List or map (issue 14 item 8): in the URL beside the filters, which both views honour.
  const view = new URLSearchParams(paramString).get("view") === "map" ? "map" : "list";

  const list = api.leads.list.useInfiniteQuery(
    { filters, sort, limit: LIST_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData },
  );
  const counts = api.leads.counts.useQuery({ filters: countFiltersOf(filters) }, { placeholderData: keepPreviousData });
  const tags = api.tags.list.useQuery();
  const assignees = api.leads.assignees.useQuery();
  const utils = api.useUtils();
  const leadColumns = useLeadColumns();

  const [selectionState, setSelection] = useState<Selection>(() => emptySelection(filterKey));
  const selection = selectionState.key === filterKey ? selectionState : emptySelection(filterKey);
  const [notice, setNotice] = useState<{ key: string; text: string } | null>(null);
  const [bulkRound, setBulkRound] = useState(0);

  const bulk = api.leads.bulk.useMutation({
    onSuccess: ({ matched, changed }) => {
      setNotice({ key: filterKey, text: bulkSummary(matched, changed) });
      setSelection(emptySelection(filterKey));
      setBulkRound((n) => n + 1);
    },
    onSettled: () => Promise.all([utils.leads.list.invalidate(), utils.leads.counts.invalidate(), utils.tags.list.invalidate(), utils.savedFilters.counts.invalidate()]),
  });

  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const showingStale = list.isPlaceholderData;
  const matching = counts.data ? matchingCount(counts.data, state.status) : null;
  const phones = counts.data ? phoneCounts(counts.data, state.status) : null;
  const selectedCount = selection.all ? (matching ?? 0) : selection.ids.size;
  const allVisibleSelected = rows.length > 0 && (selection.all || rows.every((row) => selection.ids.has(row.id)));

  /**
   * Shallow URL update: the list refetches on the client, the server page isn't re-rendered. A
   * change is applied to the filters in the address bar at that moment, not to `state`: while the
   * counts of a new filter load inside the transition an address-bar update starts, React keeps
   * showing the page as it was (status-chips.tsx), and a change made from that render's `state`
   * would drop what was typed meanwhile. The field a click changes takes the value the click means
   * on the page as shown (a toggle of what is shown), so a second click on a page not yet updated
   * repeats the first instead of undoing it.
   */
  function navigate(change: (current: LeadListState) => LeadListState, mode: "push" | "replace" = "push") {
    const current = new URLSearchParams(window.location.search);
    const params = paramsFromListState(change(listStateFromParams(current)));
    if (current.get("view") === "map") params.set("view", "map");
    const query = params.toString();
    const url = query ? `${pathname}?${query}` : pathname;
    if (mode === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  function showView(next: "list" | "map") {
    const params = new URLSearchParams(window.location.search);
    if (next === "map") params.set("view", "map");
    else params.delete("view");
    const query = params.toString();
    window.history.pushState(null, "", query ? `${pathname}?${query}` : pathname);
  }

  function toggleStatus(status: LeadStatus | null) {
    const next = status === null ? [] : toggleValue(state.status, status);
    navigate((current) => ({ ...current, status: next }));
  }

  function toggle(id: string, index: number, range: boolean) {
    setSelection((current) => {
      const base = current.key === filterKey ? current : emptySelection(filterKey);
      const ids = new Set(base.ids);
      const check = !ids.has(id);
      if (range && base.anchor !== null) {
        const [from, to] = base.anchor < index ? [base.anchor, index] : [index, base.anchor];
        for (const row of rows.slice(from, to + 1)) {
          if (check) ids.add(row.id);
          else ids.delete(row.id);
        }
      } else if (check) ids.add(id);
      else ids.delete(id);
      return { key: filterKey, ids, all: false, anchor: index };
    });
  }

  function toggleAllVisible() {
    setSelection(allVisibleSelected ? emptySelection(filterKey) : { key: filterKey, ids: new Set(rows.map((row) => row.id)), all: false, anchor: null });
  }

  function applyBulk(action: BulkInput["action"]) {
    const target: BulkInput["target"] = selection.all ? { filters } : { ids: [...selection.ids] };
    bulk.mutate({ target, action });
  }

  const noLeadsAtAll = !showingStale && list.isSuccess && rows.length === 0 && hasNoFilters(state);

  return (
    <div className="space-y-4">
      <LeadFilters state={state} tags={tags.data} assignees={assignees.data} onChange={navigate} />
      <SavedFiltersBar state={state} onApply={(next) => navigate(() => next)} />

      {/* The counts stream: the page does not wait for them (see status-chips.tsx). */}
      <Suspense fallback={<StatusChipsPending state={state} onToggle={toggleStatus} />}>
        <StatusChipsWithCounts filters={countFiltersOf(filters)} state={state} onToggle={toggleStatus} />
      </Suspense>

      <section aria-label="Leads" className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3">
          <p className="text-sm text-slate-600" data-testid="lead-count" aria-live="polite">
            {selectedCount > 0 ? (
              <span className="font-medium text-slate-900">{formatCount(selectedCount)} selected</span>
            ) : matching === null ? (
              "Counting…"
            ) : (
              <>
                Showing <span className="font-medium text-slate-900">{formatCount(rows.length)}</span> of{" "}
                <span className="font-medium text-slate-900">{formatCount(matching)}</span> {matching === 1 ? "lead" : "leads"}
              </>
            )}
          </p>
          {phones && (
            <p className="text-sm text-slate-600" data-testid="phone-counts">
              <button type="button" className="hover:underline" onClick={() => navigate((current) => ({ ...current, hasPhone: "yes", textable: "" }))}>
                With a phone <span className="font-medium text-slate-900" data-testid="count-with-phone">{formatCount(phones.withPhone)}</span>
              </button>
              <span aria-hidden> · </span>
              <button type="button" className="hover:underline" onClick={() => navigate((current) => ({ ...current, textable: "yes" }))} title="A mobile or unknown-type number that is not DNC, TCPA-flagged, opted out, marked wrong or do-not-call, or invalid">
                Textable <span className="font-medium text-slate-900" data-testid="count-textable">{formatCount(phones.textable)}</span>
              </button>
            </p>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <div role="radiogroup" aria-label="View" className="inline-flex rounded-md border border-slate-200 p-0.5">
              {(["list", "map"] as const).map((option) => (
                <button
                  key={option}
                  type="button"
                  role="radio"
                  aria-checked={view === option}
                  onClick={() => showView(option)}
                  className={view === option ? "rounded bg-brand-600 px-3 py-1 text-sm font-medium text-white" : "rounded px-3 py-1 text-sm font-medium text-slate-600 hover:bg-slate-100"}
                >
                  {option === "list" ? "List" : "Map"}
                </button>
              ))}
            </div>
            <BulkBar key={bulkRound} count={selectedCount} canManage={canManage} tags={tags.data} assignees={assignees.data} pending={bulk.isPending} onApply={applyBulk} />
            {canManage && (
              <SkipTraceBulkButton
                count={selectedCount}
                target={selection.all ? { filters } : { ids: [...selection.ids] }}
                sampleLeadId={selection.all ? (rows[0]?.id ?? null) : ([...selection.ids][0] ?? null)}
              />
            )}
            {canManage && <TextLeadsButton ids={selection.all ? null : [...selection.ids]} count={selectedCount} />}
            {canManage && matching !== 0 && (
              <a href={exportHref(filters, sort)} download className={secondaryLinkClass} title="Download every lead matching these filters as CSV">
                Export CSV
              </a>
            )}
            <ColumnPicker columns={leadColumns.columns} onChange={leadColumns.setColumns} error={leadColumns.saveError} />
          </div>
        </header>

        {(allVisibleSelected || selection.all) && matching !== null && matching > rows.length && (
          <div className="border-b border-brand-100 bg-brand-50 px-4 py-2 text-center text-sm text-slate-700" data-testid="select-all-banner">
            {selection.all ? (
              <>
                All <strong>{formatCount(matching)}</strong> leads matching this filter are selected.{" "}
                <button type="button" className="font-medium text-brand-700 underline" onClick={() => setSelection(emptySelection(filterKey))}>
                  Clear selection
                </button>
              </>
            ) : (
              <>
                All {formatCount(rows.length)} leads on this page are selected.{" "}
                <button type="button" className="font-medium text-brand-700 underline" onClick={() => setSelection({ key: filterKey, ids: new Set(), all: true, anchor: null })}>
                  Select all {formatCount(matching)} matching this filter
                </button>
              </>
            )}
          </div>
        )}

        {notice?.key === filterKey && (
          <Alert tone="success" className="mx-4 mt-3">
            {notice.text}
          </Alert>
        )}
        {bulk.error && (
          <Alert tone="error" className="mx-4 mt-3">
            {describeError(bulk.error).message}
          </Alert>
        )}
        {list.error && (
          <Alert tone="error" className="mx-4 mt-3">
            Couldn&apos;t load leads: {describeError(list.error).message}{" "}
            <button type="button" className="font-medium underline" onClick={() => void list.refetch()}>
              Try again
            </button>
          </Alert>
        )}

        {view === "map" ? (
          <LeadsMap filters={filters} />
        ) : list.isPending ? (
          <LeadsTableSkeleton />
        ) : noLeadsAtAll ? (
          <EmptyState canManage={canManage} />
        ) : rows.length === 0 && list.isSuccess ? (
          <div className="px-5 py-12 text-center text-sm text-slate-500" data-testid="no-match">
            <p>No leads match these filters.</p>
            <Button size="sm" variant="secondary" className="mt-3" onClick={() => navigate(clearFilters)}>
              Clear filters
            </Button>
          </div>
        ) : rows.length > 0 ? (
          <LeadsTable
            rows={rows}
            columns={leadColumns.columns}
            sort={sort}
            onSort={(field) => {
              const { sort, dir } = toggleSort(state, field);
              navigate((current) => ({ ...current, sort, dir }));
            }}
            selected={selection.ids}
            allMatching={selection.all}
            onToggle={toggle}
            onToggleAll={toggleAllVisible}
            busy={showingStale || (list.isFetching && !list.isFetchingNextPage)}
          />
        ) : null}

        {view === "list" && list.hasNextPage && !showingStale && (
          <footer className="flex justify-center border-t border-slate-100 px-4 py-3">
            <Button size="sm" variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              Load more
            </Button>
          </footer>
        )}
      </section>
    </div>
  );
}

function EmptyState({ canManage }: { canManage: boolean }) {
  return (
    <div className="px-5 py-12 text-center" data-testid="leads-empty">
      <h2 className="text-base font-semibold text-slate-900">No leads yet</h2>
      {canManage ? (
        <>
          <p className="mt-1 text-sm text-slate-500">Find properties and add them as leads, bring in a CSV, or add one by hand.</p>
          <div className="mt-4 flex flex-wrap justify-center gap-2">
            <Link href="/search" className={primaryLinkClass}>
              Search properties
            </Link>
            <Link href="/leads/import" className={secondaryLinkClass}>
              Import a CSV
            </Link>
            <Link href="/leads/new" className={secondaryLinkClass}>
              Add a lead
            </Link>
          </div>
        </>
      ) : (
        <p className="mt-1 text-sm text-slate-500">A manager adds leads from a property search or a CSV import; they will show up here.</p>
      )}
    </div>
  );
}
