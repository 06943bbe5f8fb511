"use client";

import Link from "next/link";
import { primaryLinkClass } from "@/components/shared/link-classes";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Skeleton } from "@/components/ui/card";
import { formatCents } from "@/lib/money";
import { useLiveRefresh } from "@/components/shared/live-events";
import { api } from "@/trpc/react";
import { formatRate, STATUS_LABELS, STATUS_TONES, type CampaignSummary } from "./labels";
import { TimeInZone } from "./time-in-zone";
import { plural } from "@/components/shared/format";

/** Every campaign of the organization, newest first, with its progress, rates and cost. */
export function CampaignsList({ canManage }: { canManage: boolean }) {
  const me = api.account.me.useQuery();
  const list = api.campaigns.list.useQuery();
  // While one is sending, its row moves with it.
  useLiveRefresh("campaign", () => list.refetch());
  const zone = me.data?.organization.timeZone ?? "America/New_York";

  if (list.isPending) return <CampaignsListSkeleton />;
  if (list.isError && !list.data) {
    return (
      <Alert tone="error">
        <p>Couldn&apos;t load campaigns: {describeError(list.error).message}</p>
        <Button size="sm" variant="secondary" className="mt-2" onClick={() => void list.refetch()}>
          Try again
        </Button>
      </Alert>
    );
  }
  const campaigns = list.data;
  if (campaigns.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-14 text-center" data-testid="campaigns-empty">
        <h2 className="text-base font-semibold text-slate-900">No campaigns yet</h2>
        {canManage ? (
          <>
            <p className="mx-auto mt-1 max-w-lg text-sm text-slate-500">
              Text a saved list of leads or a selection from the leads page. Every recipient is checked against opt-outs, do-not-contact
              lists and quiet hours before and during the send, and you see why anyone was left out.
            </p>
            <Link href="/campaigns/new" className={`${primaryLinkClass} mt-4`}>
              New campaign
            </Link>
          </>
        ) : (
          <p className="mt-1 text-sm text-slate-500">A manager creates campaigns; you will see their progress and replies here.</p>
        )}
      </div>
    );
  }

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      {list.isError && <Alert tone="error" className="m-3">{describeError(list.error).message}</Alert>}
      <table className="w-full text-left text-sm" data-testid="campaigns-table">
        <caption className="sr-only">Campaigns, newest first. Times in {zone}.</caption>
        <thead className="border-b border-slate-100 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Campaign</th>
            <th scope="col" className="px-4 py-2 font-medium">Status</th>
            <th scope="col" className="px-4 py-2 font-medium">Progress</th>
            <th scope="col" className="px-4 py-2 text-right font-medium" title="Delivered of sent">Delivery</th>
            <th scope="col" className="px-4 py-2 text-right font-medium" title="Replied of sent">Replies</th>
            <th scope="col" className="px-4 py-2 text-right font-medium" title="Opted out of sent">Opt-outs</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Cost</th>
            <th scope="col" className="px-4 py-2 font-medium">Created · launched</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {campaigns.map((campaign) => (
            <CampaignRow key={campaign.id} campaign={campaign} zone={zone} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CampaignRow({ campaign, zone }: { campaign: CampaignSummary; zone: string }) {
  const { stats } = campaign;
  const percent = stats.recipients === 0 ? 0 : Math.min(100, Math.round((stats.sent / stats.recipients) * 100));
  return (
    <tr className="align-top hover:bg-slate-50 focus-within:bg-slate-50" data-testid="campaign-row">
      <th scope="row" className="px-4 py-3 font-medium text-slate-900">
        <Link href={`/campaigns/${campaign.id}`} className="text-brand-700 hover:underline focus-visible:underline focus-visible:outline-none">
          {campaign.name}
        </Link>
        <div className="text-xs font-normal text-slate-500">{campaign.ratePerSecond} msg/s</div>
      </th>
      <td className="whitespace-nowrap px-4 py-3">
        <Badge tone={STATUS_TONES[campaign.status]}>{STATUS_LABELS[campaign.status]}</Badge>
        {campaign.status === "halted" && campaign.haltMessage && <div className="mt-1 max-w-48 text-xs text-red-700">{campaign.haltMessage}</div>}
        {campaign.status === "scheduled" && campaign.scheduledAt && (
          <div className="mt-1 text-xs text-slate-500">
            for <TimeInZone value={campaign.scheduledAt} zone={zone} />
          </div>
        )}
      </td>
      <td className="min-w-44 px-4 py-3">
        {campaign.status === "draft" ? (
          <span className="text-slate-400">Not launched</span>
        ) : (
          <>
            <div className="tabular-nums text-slate-700" data-testid="campaign-progress">
              {stats.sent.toLocaleString("en-US")} sent of {plural(stats.recipients, "recipient")}
            </div>
            <div
              className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-200"
              role="progressbar"
              aria-label={`${campaign.name}: sent`}
              aria-valuemin={0}
              aria-valuemax={stats.recipients}
              aria-valuenow={stats.sent}
            >
              <div className="h-full rounded-full bg-brand-600" style={{ width: `${percent}%` }} />
            </div>
          </>
        )}
      </td>
      <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{formatRate(stats.rates.delivery)}</td>
      <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{formatRate(stats.rates.reply)}</td>
      <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{formatRate(stats.rates.optOut)}</td>
      <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{formatCents(stats.costCents)}</td>
      <td className="whitespace-nowrap px-4 py-3 text-xs text-slate-500">
        <div>
          <TimeInZone value={campaign.createdAt} zone={zone} />
        </div>
        <div className={campaign.launchedAt ? "text-slate-700" : undefined}>
          {campaign.launchedAt ? (
            <>
              Launched <TimeInZone value={campaign.launchedAt} zone={zone} />
            </>
          ) : (
            "Not launched"
          )}
        </div>
      </td>
    </tr>
  );
}

export function CampaignsListSkeleton() {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" role="status" aria-label="Loading campaigns">
      {Array.from({ length: 5 }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
    </div>
  );
}
