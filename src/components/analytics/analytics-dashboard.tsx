"use client";

import { useState, useTransition } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDay } from "@/components/shared/format";
import { useHydrated } from "@/components/shared/time";
import { Button } from "@/components/ui/button";
import { Card, Skeleton } from "@/components/ui/card";
import { Input } from "@/components/ui/field";
import { addDays } from "@/lib/analytics";
import { formatCents } from "@/lib/money";
import { PAID_PROVIDER_COLORS } from "@/lib/provider-colors";
import { api, type RouterOutputs } from "@/trpc/react";

type Overview = RouterOutputs["analytics"]["overview"];
type Range = { from: string; to: string };

const SOURCE_LABELS = { sandbox: "Sandbox search", attom: "ATTOM search", csv: "CSV import", manual: "Added by hand" } as const;
const SOURCE_COLORS = { sandbox: "#2563eb", attom: "#7c3aed", csv: "#0d9488", manual: "#d97706" } as const;
const SOURCES = ["sandbox", "attom", "csv", "manual"] as const;

const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(1)}%`);
const roiText = (value: number | null) => (value === null ? "—" : `${value.toFixed(2)}×`);
const count = (value: number) => value.toLocaleString("en-US");
const dollarsTick = (cents: number) => formatCents(cents).replace(/\.00$/, "");
const axis = { tick: { fontSize: 12, fill: "#64748b" }, tickLine: false } as const;

/** A chart only once hydrated (recharts measures the DOM); a skeleton in the server's HTML. */
function Chart({ label, children, height = "h-64" }: { label: string; children: React.ReactElement; height?: string }) {
  const hydrated = useHydrated();
  return (
    <div className={`${height} w-full`} role="img" aria-label={`${label} The table below has the same numbers.`} data-testid="analytics-chart">
      {hydrated ? (
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      ) : (
        <Skeleton className="h-full w-full" />
      )}
    </div>
  );
}

function Table({ caption, head, rows, foot }: { caption: string; head: string[]; rows: React.ReactNode[][]; foot?: React.ReactNode[] }) {
  return (
    <div className="mt-4 overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            {head.map((cell, i) => (
              <th key={cell} scope="col" className={`py-2 pr-4 font-medium ${i > 0 ? "text-right" : ""}`}>
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 tabular-nums">
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" className="whitespace-nowrap py-2 pr-4 text-left font-normal">
                    {cell}
                  </th>
                ) : (
                  <td key={i} className="whitespace-nowrap py-2 pr-4 text-right">
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={head.length} className="py-3 text-slate-500">
                Nothing in this range.
              </td>
            </tr>
          )}
        </tbody>
        {foot && (
          <tfoot className="border-t border-slate-200 font-semibold tabular-nums">
            <tr>
              {foot.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" className="py-2 pr-4 text-left">
                    {cell}
                  </th>
                ) : (
                  <td key={i} className="py-2 pr-4 text-right">
                    {cell}
                  </td>
                ),
              )}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-md border border-slate-200 px-4 py-3">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
      {hint && <p className="mt-0.5 text-xs text-slate-500">{hint}</p>}
    </div>
  );
}

function RangePicker({ range, today, pending, onChange }: { range: Range; today: string; pending: boolean; onChange: (range: Range) => void }) {
  const [draft, setDraft] = useState(range);
  const preset = (days: number) => onChange({ from: addDays(today, -(days - 1)), to: today });
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      aria-label="Date range"
      onSubmit={(event) => {
        event.preventDefault();
        if (draft.from && draft.to && draft.from <= draft.to) onChange(draft);
      }}
    >
      <label className="text-sm text-slate-600">
        From
        <Input type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} aria-label="From" />
      </label>
      <label className="text-sm text-slate-600">
        To
        <Input type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} aria-label="To" />
      </label>
      <Button type="submit" variant="secondary" pending={pending}>
        Apply
      </Button>
      {[7, 30, 90].map((days) => (
        <Button key={days} type="button" variant="ghost" onClick={() => { setDraft({ from: addDays(today, -(days - 1)), to: today }); preset(days); }}>
          Last {days} days
        </Button>
      ))}
    </form>
  );
}

export function AnalyticsDashboard() {
  const [range, setRange] = useState<Range | undefined>(undefined);
  const [pending, startTransition] = useTransition();
  const [data] = api.analytics.overview.useSuspenseQuery(range);
  const shown: Range = { from: data.range.from, to: data.range.to };
  return (
    <div className="space-y-6" aria-busy={pending}>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <RangePicker key={`${shown.from}-${shown.to}`} range={shown} today={data.range.today} pending={pending} onChange={(next) => startTransition(() => setRange(next))} />
        <p className="text-xs text-slate-500">
          {formatDay(data.range.from)} – {formatDay(data.range.to)} in {data.range.timeZone}. Figures as of{" "}
          {data.refreshedAt.toLocaleTimeString("en-US", { timeZone: data.range.timeZone, hour: "numeric", minute: "2-digit" })}.
        </p>
      </div>
      <LeadsSection data={data} />
      <SpendSection data={data} />
      <CostPerLeadSection data={data} />
      <FunnelSection data={data} />
      <RevenueSection data={data} />
    </div>
  );
}

function LeadsSection({ data }: { data: Overview }) {
  const { leads, skipTrace } = data;
  return (
    <Card title="Leads added" description="Per day and source; how many have a phone, a textable phone, and how skip tracing went.">
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Leads added" value={count(leads.added)} />
        <Stat label="Has a phone" value={percent(leads.hasPhoneRate)} hint={`${count(leads.hasPhone)} leads`} />
        <Stat label="Textable phone" value={percent(leads.textableRate)} hint={`${count(leads.textable)} leads`} />
        <Stat label="Skip-trace hit rate" value={percent(skipTrace.hitRate)} hint={`${count(skipTrace.matched)} of ${count(skipTrace.matched + skipTrace.noMatch)} traces matched`} />
      </div>
      <Chart label={`Stacked bar chart of leads added per day by source; ${leads.added} in total.`}>
        <BarChart data={leads.perDay.map((row) => ({ day: row.day, ...row.bySource }))} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="day" tickFormatter={(day: string) => formatDay(day)} minTickGap={16} {...axis} />
          <YAxis allowDecimals={false} width={40} axisLine={false} {...axis} />
          <Tooltip labelFormatter={(day) => formatDay(String(day), true)} formatter={(value, name) => [count(Number(value)), SOURCE_LABELS[name as keyof typeof SOURCE_LABELS] ?? String(name)]} />
          <Legend formatter={(value: string) => <span className="text-sm text-slate-700">{SOURCE_LABELS[value as keyof typeof SOURCE_LABELS] ?? value}</span>} iconType="square" />
          {SOURCES.map((source) => (
            <Bar key={source} dataKey={source} stackId="leads" fill={SOURCE_COLORS[source]} maxBarSize={28} isAnimationActive={false} />
          ))}
        </BarChart>
      </Chart>
      <Table
        caption="Leads added by source"
        head={["Source", "Added", "Has a phone", "Textable", "Textable rate"]}
        rows={leads.bySource.filter((row) => row.added > 0).map((row) => [SOURCE_LABELS[row.source], count(row.added), count(row.hasPhone), count(row.textable), percent(row.added > 0 ? row.textable / row.added : null)])}
        foot={["All sources", count(leads.added), count(leads.hasPhone), count(leads.textable), percent(leads.textableRate)]}
      />
      <Table
        caption="Skip tracing"
        head={["Skip traces", "Runs", "Matched", "No match", "Failed", "Hit rate"]}
        rows={[["In this range", count(skipTrace.runs), count(skipTrace.matched), count(skipTrace.noMatch), count(skipTrace.failed), percent(skipTrace.hitRate)]]}
      />
    </Card>
  );
}

function SpendSection({ data }: { data: Overview }) {
  const { spend } = data;
  const names = Object.fromEntries(spend.providers.map((p) => [p.provider, p.name])) as Record<string, string>;
  const peak = Math.max(0, ...spend.perDay.map((row) => row.total));
  return (
    <Card title="Spend by provider" description={`${formatCents(spend.totalCents)} from the spend ledger, per day, against today's caps (combined ${formatCents(spend.combinedDailyCapCents)} a day).`}>
      <Chart label={`Stacked bar chart of spend per provider per day; ${formatCents(spend.totalCents)} in total.`}>
        <BarChart data={spend.perDay.map((row) => ({ day: row.day, ...row.cents }))} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="day" tickFormatter={(day: string) => formatDay(day)} minTickGap={16} {...axis} />
          <YAxis tickFormatter={dollarsTick} width={56} axisLine={false} {...axis} />
          <Tooltip labelFormatter={(day) => formatDay(String(day), true)} formatter={(value, name) => [formatCents(Number(value)), names[String(name)] ?? String(name)]} />
          <Legend formatter={(value: string) => <span className="text-sm text-slate-700">{names[value] ?? value}</span>} iconType="square" />
          {spend.providers.map((p) => (
            <Bar key={p.provider} dataKey={p.provider} stackId="spend" fill={PAID_PROVIDER_COLORS[p.provider]} maxBarSize={28} isAnimationActive={false} />
          ))}
          {peak >= spend.combinedDailyCapCents * 0.5 && spend.combinedDailyCapCents > 0 && (
            <ReferenceLine y={spend.combinedDailyCapCents} stroke="#dc2626" strokeDasharray="6 4" ifOverflow="extendDomain" label={{ value: `Combined cap ${formatCents(spend.combinedDailyCapCents)}`, position: "insideTopLeft", fill: "#b91c1c", fontSize: 12 }} />
          )}
        </BarChart>
      </Chart>
      <Table
        caption="Spend by provider against its daily cap"
        head={["Provider", "Billed calls", "Spend", "Daily cap", "Days at the cap"]}
        rows={spend.providers.map((p) => [p.name, count(p.calls), formatCents(p.cents), formatCents(p.dailyCapCents), count(p.daysAtCap)])}
        foot={["All providers", count(spend.providers.reduce((sum, p) => sum + p.calls, 0)), formatCents(spend.totalCents), formatCents(spend.combinedDailyCapCents), ""]}
      />
    </Card>
  );
}

function CostPerLeadSection({ data }: { data: Overview }) {
  const { costPerLead } = data;
  const perLead = (cents: number | null) => (cents === null ? "—" : formatCents(cents));
  return (
    <Card
      title="Cost per lead"
      description="The range's spend over the leads added, and over the contactable ones (a textable phone: mobile or unknown line, not DNC, not opted out)."
    >
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-3">
        <Stat label="Cost per lead" value={perLead(costPerLead.perLeadCents)} hint={`${formatCents(costPerLead.totalCents)} over ${count(costPerLead.leads)} leads`} />
        <Stat label="Cost per contactable lead" value={perLead(costPerLead.perContactableLeadCents)} hint={`over ${count(costPerLead.contactableLeads)} contactable leads`} />
      </div>
      <Chart label="Bar chart of what one contactable lead cost, per provider operation." height="h-56">
        <BarChart data={costPerLead.breakdown.map((row) => ({ label: row.label, perLead: row.perLeadCents ?? 0, perContactable: row.perContactableLeadCents ?? 0 }))} layout="vertical" accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke="#e2e8f0" />
          <XAxis type="number" tickFormatter={(cents: number) => formatCents(cents)} {...axis} />
          <YAxis type="category" dataKey="label" width={200} {...axis} />
          <Tooltip formatter={(value, name) => [formatCents(Number(value)), name === "perLead" ? "Per lead" : "Per contactable lead"]} />
          <Legend formatter={(value: string) => <span className="text-sm text-slate-700">{value === "perLead" ? "Per lead" : "Per contactable lead"}</span>} iconType="square" />
          <Bar dataKey="perLead" fill="#94a3b8" isAnimationActive={false} />
          <Bar dataKey="perContactable" fill="#2563eb" isAnimationActive={false} />
        </BarChart>
      </Chart>
      <Table
        caption="What cost per lead is made of"
        head={["Made of", "Billed calls", "Spend", "Per lead", "Per contactable lead"]}
        rows={costPerLead.breakdown.map((row) => [row.label, count(row.calls), formatCents(row.cents), perLead(row.perLeadCents), perLead(row.perContactableLeadCents)])}
        foot={["Total", count(costPerLead.breakdown.reduce((sum, row) => sum + row.calls, 0)), formatCents(costPerLead.totalCents), perLead(costPerLead.perLeadCents), perLead(costPerLead.perContactableLeadCents)]}
      />
    </Card>
  );
}

const STAGES = [
  ["sent", "Sent"],
  ["delivered", "Delivered"],
  ["replied", "Replied"],
  ["interested", "Interested"],
  ["underContract", "Under contract"],
  ["closed", "Closed"],
] as const;

function FunnelSection({ data }: { data: Overview }) {
  const { overall, campaigns } = data.funnel;
  const rows = [...campaigns, overall];
  return (
    <Card title="Campaign funnel" description="Campaign texts sent in the range and what came of them (where each texted lead stands now).">
      <Chart label={`Bar chart of the funnel of all campaigns: ${overall.sent} sent, ${overall.replied} replied, ${overall.closed} closed.`}>
        <BarChart data={STAGES.map(([key, label]) => ({ label, value: overall[key] }))} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" {...axis} />
          <YAxis allowDecimals={false} width={48} axisLine={false} {...axis} />
          <Tooltip formatter={(value) => [count(Number(value)), "Texts"]} />
          <Bar dataKey="value" fill="#2563eb" maxBarSize={64} isAnimationActive={false} />
        </BarChart>
      </Chart>
      <Table
        caption="Funnel and rates per campaign"
        head={["Campaign", ...STAGES.map(([, label]) => label), "Reply rate", "Opt-out rate", "Filtered", "Failure rate", "Cost"]}
        rows={rows.map((row) => [row.name, ...STAGES.map(([key]) => count(row[key])), percent(row.rates.reply), percent(row.rates.optOut), percent(row.rates.filtered), percent(row.rates.failure), formatCents(row.costCents)])}
      />
    </Card>
  );
}

function RevenueSection({ data }: { data: Overview }) {
  const { revenue } = data;
  return (
    <Card title="Revenue and ROI" description="Leads won in the range (their won amount) against what was spent: ROI is revenue ÷ spend.">
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Revenue" value={formatCents(revenue.revenueCents)} hint={`${count(revenue.won)} deals won`} />
        <Stat label="Spend" value={formatCents(revenue.spendCents)} />
        <Stat label="ROI" value={roiText(revenue.roi)} />
        <Stat label="Time to close" value={revenue.timeToClose.medianDays === null ? "—" : `${revenue.timeToClose.medianDays} days`} hint={revenue.timeToClose.meanDays === null ? undefined : `median; mean ${revenue.timeToClose.meanDays} days`} />
      </div>
      <Chart label="Bar chart of revenue and cost per campaign.">
        <BarChart data={revenue.byCampaign.map((row) => ({ name: row.name, revenue: row.revenueCents, cost: row.costCents }))} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="name" {...axis} />
          <YAxis tickFormatter={dollarsTick} width={72} axisLine={false} {...axis} />
          <Tooltip formatter={(value, name) => [formatCents(Number(value)), name === "revenue" ? "Revenue" : "Texting cost"]} />
          <Legend formatter={(value: string) => <span className="text-sm text-slate-700">{value === "revenue" ? "Revenue" : "Texting cost"}</span>} iconType="square" />
          <Bar dataKey="revenue" fill="#059669" maxBarSize={48} isAnimationActive={false} />
          <Bar dataKey="cost" fill="#db2777" maxBarSize={48} isAnimationActive={false} />
        </BarChart>
      </Chart>
      <Table
        caption="Revenue and ROI by campaign (the campaign that last texted the won lead)"
        head={["Campaign", "Won", "Revenue", "Texting cost", "ROI"]}
        rows={revenue.byCampaign.map((row) => [row.name, count(row.won), formatCents(row.revenueCents), formatCents(row.costCents), roiText(row.roi)])}
      />
      <Table
        caption="Revenue and ROI by source (spend shared out by each source's part of the leads added)"
        head={["Source", "Won", "Revenue", "Spend (share of leads)", "ROI"]}
        rows={revenue.bySource.map((row) => [SOURCE_LABELS[row.source], count(row.won), formatCents(row.revenueCents), formatCents(row.allocatedSpendCents), roiText(row.roi)])}
        foot={["All", count(revenue.won), formatCents(revenue.revenueCents), formatCents(revenue.spendCents), roiText(revenue.roi)]}
      />
      <p className="mt-2 text-xs text-slate-500">By source, the range&apos;s spend is shared out by each source&apos;s part of the leads added; by campaign, a win counts for the campaign that last texted the lead.</p>
    </Card>
  );
}

export function AnalyticsSkeleton() {
  return (
    <div className="space-y-6">
      {[0, 1, 2].map((i) => (
        <Skeleton key={i} className="h-80 w-full" />
      ))}
    </div>
  );
}
