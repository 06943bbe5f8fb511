"use client";

import { describeError } from "@/components/shared/trpc-error";
import { Card, Skeleton } from "@/components/ui/card";
import { formatCents } from "@/lib/money";
import type { RouterOutputs } from "@/trpc/react";
import { STATUS_LABELS } from "@/components/leads/labels";

type Summary = RouterOutputs["pipeline"]["summary"];
type SummaryQuery = { data?: Summary; isPending: boolean; isError: boolean; error: unknown };

const dollars = (cents: number) => formatCents(cents).replace(/\.00$/, "");

/** Open pipeline value by stage, weighted by how likely each stage is to close (issue 13 item 2). */
export function PipelineForecast({ summary }: { summary: SummaryQuery }) {
  return (
    <Card title="Forecast" description="Open deal value by stage, weighted by how often deals at that stage close. Set a deal value and expected close date on a lead's page.">
      {summary.isPending ? (
        <div className="space-y-2" aria-hidden>
          {[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-5 w-full" />)}
        </div>
      ) : summary.isError || !summary.data ? (
        <p role="alert" className="text-sm text-red-700">Couldn&apos;t load the forecast: {describeError(summary.error).message}</p>
      ) : (
        <ForecastTable data={summary.data} />
      )}
    </Card>
  );
}

function ForecastTable({ data }: { data: Summary }) {
  const { forecast } = data;
  const anyValue = forecast.stages.some((stage) => stage.leadsWithValue > 0);
  return (
    <div className="space-y-3" data-testid="pipeline-forecast">
      {!anyValue && <p className="text-sm text-slate-500">No open deal has a value yet. Add one on a lead under contract to see the forecast.</p>}
      <div className="overflow-x-auto">
        <table className="w-full min-w-[32rem] text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="py-1.5 pr-3 font-medium">Stage</th>
              <th scope="col" className="py-1.5 pr-3 text-right font-medium">Deals with a value</th>
              <th scope="col" className="py-1.5 pr-3 text-right font-medium">Value</th>
              <th scope="col" className="py-1.5 pr-3 text-right font-medium">Weight</th>
              <th scope="col" className="py-1.5 text-right font-medium">Weighted</th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {forecast.stages.map((stage) => (
              <tr key={stage.status} className="border-b border-slate-100" data-testid={`forecast-${stage.status}`}>
                <th scope="row" className="py-1.5 pr-3 text-left font-medium text-slate-800">{STATUS_LABELS[stage.status]}</th>
                <td className="py-1.5 pr-3 text-right">{stage.leadsWithValue.toLocaleString()}</td>
                <td className="py-1.5 pr-3 text-right">{dollars(stage.valueCents)}</td>
                <td className="py-1.5 pr-3 text-right text-slate-500">{stage.weightPercent}%</td>
                <td className="py-1.5 text-right">{dollars(stage.weightedCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot className="tabular-nums">
            <tr className="font-semibold text-slate-900">
              <th scope="row" className="py-1.5 pr-3 text-left">Open pipeline</th>
              <td className="py-1.5 pr-3 text-right">{forecast.stages.reduce((sum, s) => sum + s.leadsWithValue, 0).toLocaleString()}</td>
              <td className="py-1.5 pr-3 text-right" data-testid="forecast-open-value">{dollars(forecast.openValueCents)}</td>
              <td />
              <td className="py-1.5 text-right" data-testid="forecast-weighted">{dollars(forecast.weightedCents)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600">
        <div>
          <dt className="inline">Expected to close in the next 30 days: </dt>
          <dd className="inline font-medium text-slate-900">
            {forecast.closingSoonCount.toLocaleString()} {forecast.closingSoonCount === 1 ? "deal" : "deals"}, {dollars(forecast.closingSoonCents)}
          </dd>
        </div>
        {forecast.pastCloseCount > 0 && (
          <div>
            <dt className="inline">Past their expected close: </dt>
            <dd className="inline font-medium text-amber-700">{forecast.pastCloseCount.toLocaleString()}</dd>
          </div>
        )}
        <div>
          <dt className="inline">Won ({STATUS_LABELS.closed}): </dt>
          <dd className="inline font-medium text-emerald-700">{dollars(forecast.wonValueCents)}</dd>
        </div>
      </dl>
    </div>
  );
}
