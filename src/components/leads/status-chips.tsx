"use client";

import { useDeferredValue, useMemo } from "react";
import { cn } from "@/components/ui/cn";
import { api, type RouterInputs } from "@/trpc/react";
import { LEAD_STATUSES, STATUS_LABELS } from "./labels";
import type { LeadListState } from "./list-url";
import type { LeadStatus } from "./labels";
import { formatCount } from "@/components/shared/format";

type Counts = { total: number; byStatus: Partial<Record<string, number>> };
/**
 * `onToggle` gets the chip clicked (null for "All"), not the new selection: while new counts load
 * inside a transition React keeps showing the chips as they were, so a selection computed from
 * their `state` could be stale (and drop a search typed meanwhile); the workspace applies the
 * toggle to the filters in the address bar at the moment of the click.
 */
type Props = { state: LeadListState; onToggle: (status: LeadStatus | null) => void };

/**
 * The status chips with their counts, read with suspense: the /leads page does not wait for the
 * counts (its prefetch streams), this boundary's HTML follows when they arrive, and until then
 * the chips show "…" (StatusChipsPending, the Suspense fallback). On a filter change the chips
 * keep the previous counts until the new ones are in (deferred input), instead of falling back.
 */
export function StatusChipsWithCounts({ filters, ...props }: Props & { filters: RouterInputs["leads"]["counts"]["filters"] }) {
  const key = useDeferredValue(JSON.stringify(filters));
  const input = useMemo(() => ({ filters: JSON.parse(key) as typeof filters }), [key]);
  const [counts] = api.leads.counts.useSuspenseQuery(input);
  return <StatusChips {...props} counts={counts} />;
}

export function StatusChipsPending(props: Props) {
  return <StatusChips {...props} counts={undefined} />;
}

function StatusChips({ state, counts, onToggle }: Props & { counts: Counts | undefined }) {
  const chip = "inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm font-medium transition-colors";
  const on = "border-brand-600 bg-brand-600 text-white";
  const off = "border-slate-300 bg-white text-slate-700 hover:bg-slate-50";
  const count = (n: number | undefined) => (
    <span className="rounded-full bg-black/10 px-1.5 text-xs tabular-nums">{n === undefined ? "…" : formatCount(n)}</span>
  );
  return (
    <div role="group" aria-label="Status" className="flex flex-wrap gap-2">
      <button type="button" aria-pressed={state.status.length === 0} className={cn(chip, state.status.length === 0 ? on : off)} onClick={() => onToggle(null)}>
        All {count(counts?.total)}
      </button>
      {LEAD_STATUSES.map((status) => {
        const pressed = state.status.includes(status);
        return (
          <button key={status} type="button" aria-pressed={pressed} className={cn(chip, pressed ? on : off)} onClick={() => onToggle(status)}>
            {STATUS_LABELS[status]} {count(counts?.byStatus[status])}
          </button>
        );
      })}
    </div>
  );
}
