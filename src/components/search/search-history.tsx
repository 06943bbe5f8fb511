"use client";

import { Badge, Card } from "@/components/ui/card";
import { formatCents } from "@/lib/money";
import { api } from "@/trpc/react";

function describeQuery(query: unknown): string {
  const location = (query as { location?: { zips?: string[]; city?: string; county?: string; state?: string } }).location ?? {};
  if (location.zips) return `ZIP ${location.zips.join(", ")}`;
  if (location.city) return `${location.city}, ${location.state}`;
  if (location.county) return `${location.county} County, ${location.state}`;
  return "—";
}

/** The organization's recent searches: what each cost and whether the cache answered. */
export function SearchHistory() {
  const history = api.search.history.useQuery({ limit: 10 });
  if (!history.data || history.data.length === 0) return null;
  return (
    <Card title="Recent searches" description="Repeating one today is free: it comes from cache.">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">When</th>
            <th className="py-1 pr-3 font-medium">Where</th>
            <th className="py-1 pr-3 font-medium">Page</th>
            <th className="py-1 pr-3 text-right font-medium">Results</th>
            <th className="py-1 pr-3 text-right font-medium">Cost</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {history.data.map((run) => (
            <tr key={run.id}>
              <td className="whitespace-nowrap py-1.5 pr-3 text-slate-500">{run.createdAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</td>
              <td className="py-1.5 pr-3">{describeQuery(run.query)}</td>
              <td className="py-1.5 pr-3 tabular-nums">{run.page}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums">{run.total.toLocaleString()}</td>
              <td className="py-1.5 pr-3 text-right">{run.cacheHit ? <Badge tone="green">cache · $0.00</Badge> : <span className="tabular-nums">{formatCents(run.costCents)}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
