"use client";

import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useLiveRefresh } from "@/components/shared/live-events";
import { useHydrated, useNow } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Card, Skeleton } from "@/components/ui/card";
import { JobProgressBar, type JobTone } from "@/components/ui/job-progress";
import { cn } from "@/components/ui/cn";
import { formatCents } from "@/lib/money";
import { api } from "@/trpc/react";
import { followsReceipts, formatRate, progressOf, type Campaign, type CampaignStats } from "./labels";
import { TimeInZone } from "./time-in-zone";

type Counter = { key: keyof CampaignStats; label: string; tone?: string; hint?: string };

const COUNTERS: Counter[] = [
  { key: "recipients", label: "Recipients" },
  { key: "pending", label: "Waiting" },
  { key: "sent", label: "Sent", tone: "text-brand-700" },
  { key: "delivered", label: "Delivered", tone: "text-emerald-700" },
  { key: "undelivered", label: "Undelivered", tone: "text-amber-700" },
  { key: "filtered", label: "Filtered (30007)", tone: "text-amber-700", hint: "Undelivered because the carrier filtered it as spam (error 30007)" },
  { key: "failed", label: "Failed", tone: "text-red-700" },
  { key: "skipped", label: "Skipped", tone: "text-slate-600", hint: "Blocked by the check right before the send (an opt-out, DNC or kill switch that arrived during the campaign)" },
  { key: "replied", label: "Replied", tone: "text-brand-700" },
  { key: "optedOut", label: "Opted out", tone: "text-red-700" },
];

const RATES = [
  { key: "delivery", label: "Delivery", color: "#059669" },
  { key: "filtered", label: "Filtered", color: "#d97706" },
  { key: "failure", label: "Failure", color: "#dc2626" },
  { key: "reply", label: "Reply", color: "#2563eb" },
  { key: "optOut", label: "Opt-out", color: "#7c3aed" },
] as const;

function toneOf(status: Campaign["status"]): JobTone {
  if (status === "completed") return "done";
  if (status === "halted" || status === "paused") return "stopped";
  if (status === "cancelled") return "stopped";
  if (status === "scheduled") return "pending";
  return "active";
}

/**
 * Live counters of a launched campaign: re-read when the campaign's live progress event says
 * something moved (sends, delivery receipts, replies).
 */
export function CampaignStatsPanel({ campaign, campaignReadAt, live }: {
  campaign: Campaign;
  /** When `campaign` (which carries counters too) was read: whichever of the two is newer is shown. */
  campaignReadAt: number;
  live: boolean;
}) {
  const now = useNow();
  const following = followsReceipts(campaign, now);
  const stats = api.campaigns.stats.useQuery({ id: campaign.id }, { staleTime: 0 });
  // Sends, delivery receipts and replies raise the campaign's progress event (at most once a second).
  useLiveRefresh("campaign", () => stats.refetch(), campaign.id);
  const data = stats.data && stats.dataUpdatedAt >= campaignReadAt ? stats.data : campaign.stats;
  const progress = progressOf(data);
  return (
    <Card
      title="Progress"
      description={live ? "Updates live while the campaign is sending." : following ? "Delivery receipts update live." : undefined}
      actions={
        <span className="text-right text-sm">
          <span className="block text-xs uppercase text-slate-500">Cost so far</span>
          <span className="text-lg font-semibold tabular-nums text-slate-900" data-testid="stat-cost">
            {formatCents(data.costCents)}
          </span>
        </span>
      }
    >
      <div className="space-y-5">
        {stats.isError && <Alert tone="error">Couldn&apos;t refresh the counters: {describeError(stats.error).message}</Alert>}
        <JobProgressBar id={campaign.id} label="Handled" done={progress.done} total={progress.total} unit={["recipient", "recipients"]} tone={toneOf(campaign.status)} testId="campaign-handled" />
        {data.nextDueAt && data.pending > 0 && (
          <p className="text-sm text-slate-600" data-testid="next-due">
            The next waiting recipients are due at <TimeInZone value={data.nextDueAt} zone={campaign.timeZone} /> (their allowed hours).
          </p>
        )}
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" aria-live="polite" aria-label="Campaign counters">
          {COUNTERS.map((counter) => (
            <div key={counter.key} className="rounded-md border border-slate-200 px-3 py-2" title={counter.hint}>
              <dt className="text-xs font-medium uppercase text-slate-500">{counter.label}</dt>
              <dd className={cn("text-2xl font-semibold tabular-nums", counter.tone ?? "text-slate-800")} data-testid={`stat-${counter.key}`}>
                {(data[counter.key] as number).toLocaleString("en-US")}
              </dd>
              {counter.key === "pending" && data.sending > 0 && (
                <dd className="text-xs text-slate-500" data-testid="stat-sending">
                  +{data.sending.toLocaleString("en-US")} being sent
                </dd>
              )}
            </div>
          ))}
        </dl>
        <RatesChart rates={data.rates} sent={data.sent} />
      </div>
    </Card>
  );
}

function RatesChart({ rates, sent }: { rates: CampaignStats["rates"]; sent: number }) {
  const hydrated = useHydrated();
  const rows = RATES.map((rate) => ({ ...rate, value: rates[rate.key] === null ? 0 : Math.round(rates[rate.key]! * 1000) / 10, text: formatRate(rates[rate.key]) }));
  return (
    <section aria-labelledby="rates-title" className="grid gap-4 lg:grid-cols-[16rem_minmax(0,1fr)]">
      <div>
        <h3 id="rates-title" className="text-sm font-semibold text-slate-900">
          Rates
        </h3>
        <p className="text-xs text-slate-500">Of the {sent.toLocaleString("en-US")} texts sent.</p>
        <dl className="mt-2 grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
          {rows.map((row) => (
            <div key={row.key} className="contents">
              <dt className="flex items-center gap-2 text-slate-600">
                <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ background: row.color }} />
                {row.label}
              </dt>
              <dd className="text-right font-medium tabular-nums" data-testid={`rate-${row.key}`}>
                {row.text}
              </dd>
            </div>
          ))}
        </dl>
      </div>
      <div className="h-48" aria-hidden>
        {!hydrated ? (
          <Skeleton className="h-full w-full" />
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 16, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#64748b" }} tickLine={false} axisLine={false} />
              <YAxis domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} />
              <Tooltip formatter={(value) => [`${String(value)}%`, "Rate"]} cursor={{ fill: "#f1f5f9" }} />
              <Bar dataKey="value" radius={[4, 4, 0, 0]} isAnimationActive={false}>
                {rows.map((row) => (
                  <Cell key={row.key} fill={row.color} />
                ))}
                <LabelList dataKey="text" position="top" style={{ fontSize: 11, fill: "#334155" }} />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
    </section>
  );
}
