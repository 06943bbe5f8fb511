"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { useLiveEvent } from "@/components/shared/live-events";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { api } from "@/trpc/react";
import { messagesPerSecondLabel } from "@/components/texting/texting-read-only";
import { CampaignActions } from "./campaign-actions";
import { CampaignForm } from "./campaign-form";
import { CampaignStatsPanel } from "./campaign-stats";
import { isLive, STATUS_LABELS, STATUS_TONES, type Campaign } from "./labels";
import { PreflightPanel } from "./preflight-panel";
import { RecipientsTable } from "./recipients-table";
import { TestSend } from "./test-send";
import { TimeInZone, useZoneLabel } from "./time-in-zone";

/**
 * One campaign: a draft is edited, pre-flighted and launched here; a launched one shows its live
 * counters, rates and recipients. Members read; managers act.
 */
export function CampaignView({ id, canManage }: { id: string; canManage: boolean }) {
  const [campaign, campaignQuery] = api.campaigns.get.useSuspenseQuery({ id });
  // Status changes (launched, completed, halted, resumed, pre-flighted) come with the campaign itself.
  useLiveEvent("campaign", (event) => event.topic === "resync" || event.data.kind === "status" ? void campaignQuery.refetch() : undefined, id);
  const [dirty, setDirty] = useState(false);
  const live = isLive(campaign);
  const utils = api.useUtils();
  // When sending stops (completed, paused, cancelled), read the counters and recipients once more.
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live) void Promise.all([utils.campaigns.stats.invalidate({ id }), utils.campaigns.recipients.invalidate({ id })]);
    wasLive.current = live;
  }, [live, id, utils]);
  const editable = canManage && campaign.canEdit && campaign.status === "draft";
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="text-sm">
            <Link href="/campaigns" className="text-slate-500 hover:text-slate-900">
              ← Campaigns
            </Link>
          </p>
          <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight text-slate-900">
            <span className="break-words">{campaign.name}</span>
            <span data-testid="campaign-status">
              <Badge tone={STATUS_TONES[campaign.status]}>{STATUS_LABELS[campaign.status]}</Badge>
            </span>
          </h1>
          <CampaignFacts campaign={campaign} />
        </div>
        {canManage && <CampaignActions campaign={campaign} dirty={dirty} />}
      </header>

      <StatusBanner campaign={campaign} />

      {campaign.status === "draft" ? (
        <>
          {editable ? (
            <CampaignForm zone={campaign.timeZone} campaign={campaign} onDirtyChange={setDirty} />
          ) : (
            <ReadOnlyDraft campaign={campaign} />
          )}
          <PreflightPanel campaign={campaign} canRun={canManage} blockedBy={dirty ? "Save your changes before running the pre-flight." : null} />
          {canManage && <TestSend campaignId={campaign.id} />}
        </>
      ) : (
        <>
          <CampaignStatsPanel campaign={campaign} campaignReadAt={campaignQuery.dataUpdatedAt} live={live} />
          <RecipientsTable campaignId={campaign.id} zone={campaign.timeZone} />
          <details className="rounded-lg border border-slate-200 bg-white px-5 py-3 shadow-sm">
            <summary className="cursor-pointer text-sm font-medium text-slate-700">Message and pre-flight at launch</summary>
            <div className="mt-3 space-y-4">
              <p className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-sm text-slate-800" data-testid="campaign-template">
                {campaign.template}
              </p>
              {campaign.preflight && <PreflightPanel campaign={campaign} canRun={false} blockedBy={null} />}
            </div>
          </details>
          {canManage && campaign.status !== "completed" && campaign.status !== "cancelled" && <TestSend campaignId={campaign.id} />}
        </>
      )}
    </div>
  );
}

function CampaignFacts({ campaign }: { campaign: Campaign }) {
  const zone = campaign.timeZone;
  const zoneName = useZoneLabel(zone);
  return (
    <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-600">
      <div>
        <dt className="sr-only">Audience</dt>
        <dd data-testid="campaign-audience">{campaign.audienceLabel}</dd>
      </div>
      <div>
        <dt className="inline text-slate-400">From </dt>
        <dd className="inline">
          {campaign.senderIdentity ? `${campaign.senderIdentity.kind === "phone_number" ? formatPhone(campaign.senderIdentity.value) : campaign.senderIdentity.value}` : "the first sender"}
        </dd>
      </div>
      <div>
        <dt className="inline text-slate-400">Throttle </dt>
        <dd className="inline">{messagesPerSecondLabel(campaign.ratePerSecond)}</dd>
      </div>
      {campaign.scheduledAt && (
        <div>
          <dt className="inline text-slate-400">Starts </dt>
          <dd className="inline">
            <TimeInZone value={campaign.scheduledAt} zone={zone} />
          </dd>
        </div>
      )}
      {campaign.launchedAt && (
        <div>
          <dt className="inline text-slate-400">Launched </dt>
          <dd className="inline">
            <TimeInZone value={campaign.launchedAt} zone={zone} />
          </dd>
        </div>
      )}
      {campaign.completedAt && (
        <div>
          <dt className="inline text-slate-400">{campaign.status === "cancelled" ? "Cancelled " : "Finished "}</dt>
          <dd className="inline">
            <TimeInZone value={campaign.completedAt} zone={zone} />
          </dd>
        </div>
      )}
      <div className="text-slate-400" title="Times on this page are in your organization's time zone">
        {zoneName}
      </div>
    </dl>
  );
}

function StatusBanner({ campaign }: { campaign: Campaign }) {
  if (campaign.status === "halted") {
    return (
      <Alert tone="error" className="px-4 py-3">
        <p className="text-base font-semibold" data-testid="halt-message">
          {campaign.haltMessage ?? "Sending is halted."}
        </p>
        {campaign.resumeAt ? (
          <p className="mt-1">
            Sending resumes automatically at <TimeInZone value={campaign.resumeAt} zone={campaign.timeZone} />.
          </p>
        ) : (
          <p className="mt-1">Nothing more is sent until the cause is cleared and the campaign is resumed.</p>
        )}
      </Alert>
    );
  }
  if (campaign.status === "paused") return <Alert tone="warning">Paused: nothing is sent until you resume. Recipients keep their place.</Alert>;
  if (campaign.status === "scheduled" && campaign.scheduledAt) {
    return (
      <Alert tone="info">
        Scheduled: the first texts go at <TimeInZone value={campaign.scheduledAt} zone={campaign.timeZone} />, inside each recipient&apos;s allowed hours.
      </Alert>
    );
  }
  if (campaign.status === "completed") return <Alert tone="success">Finished: every recipient has been handled. Replies keep arriving in the inbox.</Alert>;
  if (campaign.status === "cancelled") return <Alert>Cancelled: recipients not texted before the cancel were not texted.</Alert>;
  return null;
}

function ReadOnlyDraft({ campaign }: { campaign: Campaign }) {
  return (
    <Card title="Message" description="A draft: a manager edits and launches it.">
      <p className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-sm text-slate-800" data-testid="campaign-template">
        {campaign.template}
      </p>
    </Card>
  );
}

export function CampaignViewSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading the campaign">
      <Skeleton className="h-8 w-72" />
      <Skeleton className="h-4 w-96" />
      {[6, 4].map((rows, card) => (
        <div key={card} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          {Array.from({ length: rows }, (_, i) => (
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </div>
      ))}
    </div>
  );
}
