"use client";

import Link from "next/link";
import { describeActivity } from "@/components/leads/activity";
import { STATUS_LABELS, STATUS_STYLES, personName } from "@/components/leads/labels";
import { PIPELINE_STATUSES } from "@/components/pipeline/pipeline-state";
import { percentOfCap } from "@/components/shared/format";
import { Time } from "@/components/shared/time";
import { Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCents } from "@/lib/money";
import { api } from "@/trpc/react";
import { MyTasks } from "./my-tasks";

const CAMPAIGN_STATUS_LABELS = { running: "Sending", scheduled: "Scheduled", paused: "Paused", halted: "Halted" } as const;

/** Home (issue 13 item 7): today at a glance, each figure linking to its page. Everything is prefetched by the page in one round. */
export function HomeDashboard({ isAdmin }: { isAdmin: boolean }) {
  const [home] = api.dashboard.home.useSuspenseQuery();
  const [counts] = api.leads.counts.useSuspenseQuery({ filters: {} });
  const [people] = api.leads.assignees.useSuspenseQuery();
  const [tags] = api.tags.list.useSuspenseQuery();
  const lookups = { people: new Map(people.map((p) => [p.id, personName(p) ?? p.email])), tags: new Map(tags.map((t) => [t.id, t.name])) };
  const openLeads = PIPELINE_STATUSES.filter((s) => s !== "closed" && s !== "dead").reduce((sum, s) => sum + (counts.byStatus[s] ?? 0), 0);

  return (
    <div className="grid gap-4 lg:grid-cols-3" data-testid="home-dashboard">
      <MyTasks />

      <Card title="Today's spend" description={`Against each daily cap (${home.timeZone.replace(/_/g, " ")}).`}>
        <ul className="space-y-3" data-testid="home-spend">
          {home.spend.map((row) => {
            const used = row.spentCents + row.reservedCents;
            const percent = percentOfCap(used, row.dailyCapCents);
            return (
              <li key={row.provider}>
                <div className="flex justify-between gap-2 text-sm">
                  <span className="text-slate-700">{row.name}</span>
                  <span className="tabular-nums text-slate-900">
                    {formatCents(row.spentCents)} <span className="text-slate-400">/ {formatCents(row.dailyCapCents)}</span>
                  </span>
                </div>
                <div className="mt-1 h-1.5 rounded-full bg-slate-100" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={`${row.name}: ${percent}% of today's cap`}>
                  <div className={cn("h-1.5 rounded-full", percent >= 90 ? "bg-red-500" : percent >= 70 ? "bg-amber-500" : "bg-emerald-500")} style={{ width: `${Math.min(100, percent)}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
        {isAdmin && (
          <Link href="/settings/budgets" className="mt-3 inline-block text-sm font-medium text-brand-600 hover:underline">
            Budgets →
          </Link>
        )}
      </Card>

      <Card title="New leads">
        <Link href="/leads" className="group block" data-testid="home-new-leads">
          <p className="text-3xl font-semibold tabular-nums text-slate-900 group-hover:text-brand-700">{home.newLeads.today.toLocaleString()}</p>
          <p className="text-sm text-slate-500">today · {home.newLeads.last7Days.toLocaleString()} in the last 7 days</p>
        </Link>
      </Card>

      <Card title="Replies waiting">
        <Link href="/inbox" className="group block" data-testid="home-replies">
          <p className="text-3xl font-semibold tabular-nums text-slate-900 group-hover:text-brand-700">{home.replies.waiting.toLocaleString()}</p>
          <p className="text-sm text-slate-500">
            {home.replies.waiting === 0 ? "Nobody is waiting for an answer." : `conversation${home.replies.waiting === 1 ? "" : "s"} waiting for a reply`} · {home.replies.unreadThreads.toLocaleString()} unread
          </p>
        </Link>
      </Card>

      <Card title="Pipeline" description={`${openLeads.toLocaleString()} open leads`}>
        <ul className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm" data-testid="home-pipeline">
          {PIPELINE_STATUSES.map((status) => (
            <li key={status}>
              <Link href="/pipeline" className="flex items-center justify-between gap-2 rounded px-1 hover:bg-slate-50">
                <span className="text-slate-700">{STATUS_LABELS[status]}</span>
                <span className={cn("rounded-full px-2 text-xs font-semibold tabular-nums", STATUS_STYLES[status])}>{(counts.byStatus[status] ?? 0).toLocaleString()}</span>
              </Link>
            </li>
          ))}
        </ul>
      </Card>

      <Card title="Campaigns" description="Sending, scheduled, paused or halted.">
        {home.campaigns.length === 0 ? (
          <p className="text-sm text-slate-500">
            No campaign is running. <Link href="/campaigns" className="font-medium text-brand-600 hover:underline">Campaigns →</Link>
          </p>
        ) : (
          <ul className="space-y-3" data-testid="home-campaigns">
            {home.campaigns.map((campaign) => {
              const percent = campaign.recipients > 0 ? Math.round((campaign.processed / campaign.recipients) * 100) : 0;
              return (
                <li key={campaign.id}>
                  <div className="flex justify-between gap-2 text-sm">
                    <Link href={`/campaigns/${campaign.id}`} className="truncate font-medium text-brand-700 hover:underline">{campaign.name}</Link>
                    <span className="shrink-0 text-xs text-slate-500">{CAMPAIGN_STATUS_LABELS[campaign.status]}</span>
                  </div>
                  <div className="mt-1 h-1.5 rounded-full bg-slate-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={`${campaign.name}: ${percent}% processed`}>
                    <div className="h-1.5 rounded-full bg-brand-500" style={{ width: `${percent}%` }} />
                  </div>
                  <p className="mt-0.5 text-xs tabular-nums text-slate-500">
                    {campaign.sent.toLocaleString()} sent · {campaign.failed.toLocaleString()} failed · {campaign.processed.toLocaleString()} of {campaign.recipients.toLocaleString()}
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </Card>

      <Card title="Recent activity" className="lg:col-span-3">
        {home.activity.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing yet. Add leads from a search or an import to get started.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="home-activity">
            {home.activity.map((event) => (
              <li key={event.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-1.5 text-sm">
                <span className="min-w-0">
                  <Link href={`/leads/${event.lead.id}`} className="font-medium text-brand-700 hover:underline">{event.lead.addressLine1}</Link>
                  <span className="text-slate-700"> · {describeActivity(event, lookups).text}</span>
                  {event.actor && <span className="text-slate-500"> · {personName(event.actor)}</span>}
                </span>
                <span className="shrink-0 text-xs text-slate-500"><Time value={event.createdAt} relative /></span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

export function HomeDashboardSkeleton() {
  return (
    <div className="grid gap-4 lg:grid-cols-3" aria-busy="true" aria-label="Loading today's figures">
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <div key={i} className={cn("space-y-3 rounded-lg border border-slate-200 bg-white p-5", i === 0 && "lg:col-span-2")}>
          <Skeleton className="h-5 w-1/3" />
          <Skeleton className="h-8 w-1/2" />
          <Skeleton className="h-4 w-2/3" />
        </div>
      ))}
    </div>
  );
}
