"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useHydrated } from "@/components/shared/time";
import { Button } from "@/components/ui/button";
import { Card, Skeleton } from "@/components/ui/card";
import { csvOf } from "@/lib/analytics";
import { formatCents } from "@/lib/money";
import { api, type RouterOutputs } from "@/trpc/react";

type Usage = RouterOutputs["analytics"]["usage"];

const dollars = (cents: number) => (cents / 100).toFixed(2);

/** The month's usage as CSV rows (amounts in dollars with cents, counts as numbers). */
export function usageCsv(usage: Usage): string {
  return csvOf([
    ["month", "provider", "unit", "billed_calls", "spend_usd", "daily_cap_usd", "month_cap_usd", "days_at_cap", "today_spend_usd", "today_remaining_usd"],
    ...usage.providers.map((p) => [usage.month, p.name, p.unit, p.monthCalls, dollars(p.monthCents), dollars(p.dailyCapCents), dollars(p.monthCapCents), p.daysAtCap, dollars(p.todaySpentCents), dollars(p.todayRemainingCents)]),
    [usage.month, "All providers", "", usage.providers.reduce((sum, p) => sum + p.monthCalls, 0), dollars(usage.totalCents), "", "", "", "", ""],
    [],
    ["month", "count", "value"],
    [usage.month, "leads_added", usage.counts.leadsAdded],
    [usage.month, "skip_traces", usage.counts.skipTraces],
    [usage.month, "skip_trace_matches", usage.counts.skipTraceMatches],
    [usage.month, "campaign_texts", usage.counts.campaignMessages],
  ]);
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** This month's counts and spend per provider against the caps, with a CSV export. */
export function UsagePanel() {
  const [usage] = api.analytics.usage.useSuspenseQuery();
  const hydrated = useHydrated();
  return (
    <Card
      title={`Usage this month (${usage.from} to ${usage.to})`}
      description={`Billed calls and spend per provider, in ${usage.timeZone}; the month's cap is today's daily cap times the days so far.`}
      actions={
        <Button variant="secondary" size="sm" onClick={() => download(`leadflow-usage-${usage.month}.csv`, usageCsv(usage))}>
          Export CSV
        </Button>
      }
    >
      <div className="h-56 w-full" role="img" aria-label="Bar chart of this month's spend per provider against the month's cap. The table below has the same numbers." data-testid="analytics-chart">
        {hydrated ? (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={usage.providers.map((p) => ({ name: p.name, spend: p.monthCents, cap: p.monthCapCents }))} accessibilityLayer={false}>
              <CartesianGrid vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="name" tick={{ fontSize: 12, fill: "#64748b" }} tickLine={false} />
              <YAxis tickFormatter={(cents: number) => formatCents(cents).replace(/\.00$/, "")} width={64} axisLine={false} tick={{ fontSize: 12, fill: "#64748b" }} tickLine={false} />
              <Tooltip formatter={(value, name) => [formatCents(Number(value)), name === "spend" ? "Spent" : "Month's cap"]} />
              <Legend formatter={(value: string) => <span className="text-sm text-slate-700">{value === "spend" ? "Spent this month" : "Month's cap so far"}</span>} iconType="square" />
              <Bar dataKey="spend" fill="#2563eb" maxBarSize={48} isAnimationActive={false} />
              <Bar dataKey="cap" fill="#cbd5e1" maxBarSize={48} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        ) : (
          <Skeleton className="h-full w-full" />
        )}
      </div>
      <div className="mt-4 overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">This month&apos;s usage per provider</caption>
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              {["Provider", "Billed calls", "Spend", "Daily cap", "Days at the cap", "Today", "Left today"].map((h, i) => (
                <th key={h} scope="col" className={`py-2 pr-4 font-medium ${i > 0 ? "text-right" : ""}`}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {usage.providers.map((p) => (
              <tr key={p.provider}>
                <th scope="row" className="py-2 pr-4 text-left font-normal">
                  {p.name} <span className="text-xs text-slate-500">({p.unit})</span>
                </th>
                <td className="py-2 pr-4 text-right">{p.monthCalls.toLocaleString("en-US")}</td>
                <td className="py-2 pr-4 text-right">{formatCents(p.monthCents)}</td>
                <td className="py-2 pr-4 text-right">{formatCents(p.dailyCapCents)}</td>
                <td className="py-2 pr-4 text-right">{p.daysAtCap}</td>
                <td className="py-2 pr-4 text-right">{formatCents(p.todaySpentCents)}</td>
                <td className="py-2 pr-4 text-right">{formatCents(p.todayRemainingCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot className="border-t border-slate-200 font-semibold tabular-nums">
            <tr>
              <th scope="row" className="py-2 pr-4 text-left">All providers</th>
              <td className="py-2 pr-4 text-right">{usage.providers.reduce((sum, p) => sum + p.monthCalls, 0).toLocaleString("en-US")}</td>
              <td className="py-2 pr-4 text-right">{formatCents(usage.totalCents)}</td>
              <td colSpan={4} />
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="mt-3 text-sm text-slate-600">
        This month: {usage.counts.leadsAdded.toLocaleString("en-US")} leads added, {usage.counts.skipTraces.toLocaleString("en-US")} skip traces ({usage.counts.skipTraceMatches.toLocaleString("en-US")} matched),{" "}
        {usage.counts.campaignMessages.toLocaleString("en-US")} campaign texts.
      </p>
    </Card>
  );
}
