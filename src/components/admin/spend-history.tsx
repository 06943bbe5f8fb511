"use client";

import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCents } from "@/lib/money";
import { PAID_PROVIDER_COLORS, PAID_PROVIDER_KEYS, type PaidProviderKey } from "@/lib/provider-colors";
import type { RouterOutputs } from "@/trpc/react";
import { formatDay } from "@/components/shared/format";
import { useHydrated } from "@/components/shared/time";

type Overview = RouterOutputs["budgets"]["overview"];
type PaidProvider = PaidProviderKey;

const PROVIDERS = PAID_PROVIDER_KEYS;
const COLORS = PAID_PROVIDER_COLORS;

const spentOn = (row: Overview["history"][number], provider: PaidProvider) => row.spentCents[provider] ?? 0;
const totalOf = (row: Overview["history"][number]) => PROVIDERS.reduce((sum, provider) => sum + spentOn(row, provider), 0);

/** 30-day spend: stacked bars per provider and, underneath, the same numbers as a table. */
export function SpendHistory({ history, providers, today }: { history: Overview["history"]; providers: Overview["providers"]; today: string }) {
  const hydrated = useHydrated();
  const [showAllDays, setShowAllDays] = useState(false);
  const captionId = useId();
  const names = Object.fromEntries(providers.map((p) => [p.provider, p.name])) as Record<string, string>;
  const totalCapCents = providers.reduce((sum, p) => sum + p.dailyCapCents, 0);
  const totals = history.map(totalOf);
  const grandTotal = totals.reduce((a, b) => a + b, 0);
  const daysWithSpend = totals.filter((t) => t > 0).length;
  const peak = Math.max(0, ...totals);
  const rows = history.map((row, i) => ({ ...row, total: totals[i]! })).reverse();
  const visibleRows = showAllDays ? rows : rows.filter((row) => row.total > 0);
  const chartData = history.map((row, i) => ({
    day: row.day,
    ...Object.fromEntries(PROVIDERS.map((p) => [p, spentOn(row, p)])),
    total: totals[i]!,
  }));
  // The cap line only helps when spending gets near it; otherwise it squashes the bars flat.
  const showCapLine = totalCapCents > 0 && peak >= totalCapCents * 0.5;

  if (grandTotal === 0) {
    return (
      <Card title="Last 30 days" description="Spend per provider and day.">
        <div className="rounded-md border border-dashed border-slate-300 px-4 py-10 text-center">
          <p className="text-sm font-medium text-slate-700">No paid calls in the last 30 days.</p>
          <p className="mt-1 text-sm text-slate-500">Spending shows up here as soon as a search, skip trace, lookup or text message is billed.</p>
        </div>
      </Card>
    );
  }

  return (
    <Card
      title="Last 30 days"
      description={`${formatCents(grandTotal)} spent on ${daysWithSpend} ${daysWithSpend === 1 ? "day" : "days"}; today's combined cap is ${formatCents(totalCapCents)}.`}
    >
      <figure className="space-y-2">
        <div className="h-72 w-full" role="img" aria-label={`Stacked bar chart of daily spend per provider for the last 30 days; ${formatCents(grandTotal)} in total. The table below has the same numbers.`}>
          {hydrated ? (
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={chartData} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} accessibilityLayer={false}>
                <CartesianGrid vertical={false} stroke="#e2e8f0" />
                <XAxis
                  dataKey="day"
                  tickFormatter={(day: string) => formatDay(day)}
                  tick={{ fontSize: 12, fill: "#64748b" }}
                  tickLine={false}
                  axisLine={{ stroke: "#cbd5e1" }}
                  minTickGap={16}
                />
                <YAxis
                  tickFormatter={(cents: number) => formatCents(cents).replace(/\.00$/, "")}
                  tick={{ fontSize: 12, fill: "#64748b" }}
                  tickLine={false}
                  axisLine={false}
                  width={56}
                  allowDecimals={false}
                />
                <Tooltip
                  cursor={{ fill: "#f1f5f9" }}
                  labelFormatter={(day) => formatDay(String(day), true)}
                  formatter={(value, name) => [formatCents(Number(value)), names[String(name)] ?? String(name)]}
                  contentStyle={{ borderRadius: 6, borderColor: "#e2e8f0", fontSize: 13 }}
                />
                <Legend formatter={(value: string) => <span className="text-sm text-slate-700">{names[value] ?? value}</span>} iconType="square" />
                {PROVIDERS.map((provider) => (
                  <Bar key={provider} dataKey={provider} name={provider} stackId="spend" fill={COLORS[provider]} maxBarSize={28} isAnimationActive={false} />
                ))}
                {showCapLine && (
                  <ReferenceLine
                    y={totalCapCents}
                    stroke="#dc2626"
                    strokeDasharray="6 4"
                    ifOverflow="extendDomain"
                    label={{ value: `Combined cap today ${formatCents(totalCapCents)}`, position: "insideTopLeft", fill: "#b91c1c", fontSize: 12 }}
                  />
                )}
              </BarChart>
            </ResponsiveContainer>
          ) : (
            <Skeleton className="h-full w-full" />
          )}
        </div>
        <figcaption id={captionId} className="text-xs text-slate-500">
          Daily spend in your organization&apos;s time zone, stacked by provider.
        </figcaption>
      </figure>

      <div className="mt-6 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-900">Daily spend</h3>
        <label className="flex items-center gap-2 text-sm text-slate-600">
          <input
            type="checkbox"
            className="size-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
            checked={showAllDays}
            onChange={(event) => setShowAllDays(event.target.checked)}
          />
          Show days without spend
        </label>
      </div>
      <div className="relative mt-2 overflow-x-auto">
        <table className="w-full text-left text-sm" aria-describedby={captionId}>
          <caption className="sr-only">Spend per provider per day, newest first</caption>
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">Day</th>
              {PROVIDERS.map((provider) => (
                <th key={provider} scope="col" className="py-2 pr-4 text-right font-medium">
                  <span className="inline-flex items-center gap-1.5">
                    <span className="size-2 rounded-sm" style={{ backgroundColor: COLORS[provider] }} aria-hidden />
                    {names[provider] ?? provider}
                  </span>
                </th>
              ))}
              <th scope="col" className="py-2 text-right font-medium">Total</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {visibleRows.map((row) => (
              <tr key={row.day} className={cn(row.total === 0 && "text-slate-400")}>
                <th scope="row" className="whitespace-nowrap py-2 pr-4 text-left font-normal">
                  {formatDay(row.day, true)}
                  {row.day === today && <span className="ml-1 text-xs text-slate-500">(today)</span>}
                </th>
                {PROVIDERS.map((provider) => {
                  const cents = spentOn(row, provider);
                  return (
                    <td key={provider} className={cn("py-2 pr-4 text-right", cents === 0 && "text-slate-400")}>
                      {formatCents(cents)}
                    </td>
                  );
                })}
                <td className="py-2 text-right font-medium">{formatCents(row.total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot className="border-t border-slate-200 tabular-nums">
            <tr>
              <th scope="row" className="py-2 pr-4 text-left font-semibold">30 days</th>
              {PROVIDERS.map((provider) => (
                <td key={provider} className="py-2 pr-4 text-right font-semibold">
                  {formatCents(history.reduce((sum, row) => sum + spentOn(row, provider), 0))}
                </td>
              ))}
              <td className="py-2 text-right font-semibold">{formatCents(grandTotal)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </Card>
  );
}
