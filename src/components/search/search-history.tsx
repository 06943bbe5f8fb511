"use client";

import { Badge, Card } from "@/components/ui/card";
import { formatCents } from "@/lib/money";
import { api, type RouterInputs } from "@/trpc/react";
import { SearchSummary } from "./saved-searches";

type Query = RouterInputs["search"]["run"];

/**
 * The organization's recent searches, one row per search (its pages and repeats are one row): where
 * and with which filters, what it cost, and a click runs it again (from cache when run today).
 */
export function SearchHistory({ onRun }: { onRun: (query: Query) => void }) {
  const history = api.search.history.useQuery({ limit: 10 });
  if (!history.data || history.data.length === 0) return null;
  return (
    <Card title="Recent searches" description="Click one to run it again. Repeating one today is free: it comes from cache.">
      {/* Scrolls in its own box on a phone rather than widening the page. */}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-medium">When</th>
              <th className="py-1 pr-3 font-medium">Search</th>
              <th className="py-1 pr-3 text-right font-medium">Results</th>
              <th className="py-1 pr-3 text-right font-medium">Runs</th>
              <th className="py-1 pr-3 text-right font-medium">Cost</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {history.data.map((run) => (
              <tr key={run.id} data-testid="recent-search">
                <td className="whitespace-nowrap py-1.5 pr-3 align-top text-slate-500">{run.createdAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</td>
                <td className="py-1.5 pr-3 align-top">
                  <button
                    type="button"
                    className="w-full rounded px-1 py-0.5 text-left hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
                    title="Run this search again"
                    onClick={() => onRun(run.query as Query)}
                  >
                    <SearchSummary query={run.query} />
                  </button>
                </td>
                <td className="py-1.5 pr-3 text-right align-top tabular-nums">{run.total.toLocaleString()}</td>
                <td className="py-1.5 pr-3 text-right align-top tabular-nums">{run.runs}</td>
                <td className="py-1.5 pr-3 text-right align-top">
                  {run.totalCostCents === 0 ? <Badge tone="green">cache · $0.00</Badge> : <span className="tabular-nums">{formatCents(run.totalCostCents)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
