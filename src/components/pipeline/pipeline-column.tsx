"use client";

import { useDroppable } from "@dnd-kit/core";
import { describeError } from "@/components/shared/trpc-error";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { api } from "@/trpc/react";
import { STATUS_LABELS, STATUS_STYLES, type LeadListItem, type LeadStatus } from "@/components/leads/labels";
import { formatCompactCents } from "./money";
import { PipelineCard } from "./pipeline-card";
import { columnInput, type BoardFilters } from "./pipeline-state";

export function PipelineColumn({ status, filters, count, countLoading, valueCents, today, filtered, focusId, onFocused, onMove }: {
  status: LeadStatus;
  /** The stage's total deal value (undefined while it loads). */
  valueCents: number | undefined;
  today: string | undefined;
  filters: BoardFilters;
  count: number | undefined;
  countLoading: boolean;
  filtered: boolean;
  focusId: string | null;
  onFocused: () => void;
  onMove: (lead: LeadListItem, to: LeadStatus) => void;
}) {
  const { setNodeRef, isOver, active } = useDroppable({ id: status });
  const list = api.leads.list.useInfiniteQuery(columnInput(filters, status), { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const headingId = `pipeline-column-${status}`;
  const draggingFromHere = active?.data.current?.lead?.status === status;

  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      aria-busy={list.isPending || undefined}
      data-testid={`column-${status}`}
      className={cn(
        "flex min-w-0 flex-col rounded-lg border bg-slate-50 transition-colors",
        isOver && !draggingFromHere ? "border-brand-500 bg-brand-50 ring-2 ring-brand-100" : "border-slate-200",
        status === "dead" && !isOver && "bg-slate-100/70",
      )}
    >
      <header className="flex flex-wrap items-center justify-between gap-x-1 gap-y-0.5 border-b border-slate-200 px-2 py-2">
        <h2 id={headingId} className="flex min-w-0 items-center gap-1.5 text-sm font-semibold leading-tight text-slate-800">
          <span className={cn("size-2 shrink-0 rounded-full", STATUS_DOT[status])} aria-hidden />
          <span className="truncate" title={STATUS_LABELS[status]}>{STATUS_LABELS[status]}</span>
        </h2>
        {countLoading && count === undefined ? (
          <Skeleton className="h-5 w-7 rounded-full" />
        ) : (
          <span className={cn("rounded-full px-2 py-0.5 text-xs font-semibold tabular-nums", STATUS_STYLES[status])} data-testid="column-count" aria-label={`${count ?? 0} leads`}>
            {(count ?? 0).toLocaleString()}
          </span>
        )}
        <p className="w-full text-xs tabular-nums text-slate-500" data-testid="column-value" title="Total deal value in this stage">
          {valueCents === undefined ? <span className="invisible">$0</span> : valueCents > 0 ? <span className="font-medium text-emerald-700">{formatCompactCents(valueCents)}</span> : "$0"}
        </p>
      </header>

      <div className="relative flex max-h-[calc(100dvh-21rem)] min-h-48 flex-1 flex-col gap-2 overflow-y-auto p-1.5">
        {list.isPending ? (
          <ColumnSkeleton />
        ) : list.isError && items.length === 0 ? (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-xs text-red-800">
            <p>Couldn&apos;t load this column: {describeError(list.error).message}</p>
            <Button size="sm" variant="secondary" className="mt-2" onClick={() => void list.refetch()}>
              Try again
            </Button>
          </div>
        ) : items.length === 0 ? (
          <p className="flex flex-1 items-center justify-center rounded-md border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-500">
            {filtered ? "No leads match the filters." : "No leads here yet. Drag a card here to move it."}
          </p>
        ) : (
          <ul className="flex flex-col gap-2" aria-label={`${STATUS_LABELS[status]} leads`}>
            {items.map((lead) => (
              <li key={lead.id}>
                <PipelineCard lead={lead} today={today} onMove={onMove} autoFocus={focusId === lead.id} onFocused={onFocused} />
              </li>
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <Button
            size="sm"
            variant="secondary"
            className="w-full shrink-0"
            pending={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            Load more{count !== undefined && count > items.length ? ` (${(count - items.length).toLocaleString()} more)` : ""}
          </Button>
        )}
        {list.isFetchNextPageError && <p role="alert" className="text-xs text-red-700">Couldn&apos;t load more: {describeError(list.error).message}</p>}
      </div>
    </section>
  );
}

const STATUS_DOT: Record<LeadStatus, string> = {
  new: "bg-slate-400",
  contacted: "bg-sky-500",
  replied: "bg-indigo-500",
  interested: "bg-violet-500",
  negotiating: "bg-amber-500",
  under_contract: "bg-teal-500",
  closed: "bg-emerald-500",
  dead: "bg-red-400",
};

function ColumnSkeleton() {
  return (
    <div className="flex flex-col gap-2" aria-hidden data-testid="column-skeleton">
      {[0, 1, 2].map((i) => (
        <div key={i} className="space-y-2 rounded-md border border-slate-200 bg-white p-2.5">
          <Skeleton className="h-4 w-3/4" />
          <Skeleton className="h-3 w-1/2" />
          <Skeleton className="h-3 w-2/3" />
          <div className="flex gap-1 pt-1">
            <Skeleton className="h-4 w-14 rounded-full" />
            <Skeleton className="h-4 w-16 rounded-full" />
          </div>
        </div>
      ))}
    </div>
  );
}
