"use client";

import Link from "next/link";
import { useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { PagedList } from "@/components/shared/paged-list";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCents } from "@/lib/money";
import { api } from "@/trpc/react";
import { EXCLUSIONS_PAGE_SIZE, type Campaign, type ExclusionReason, type Preflight } from "./labels";
import { TimeInZone } from "./time-in-zone";
import { plural } from "@/components/shared/format";

/**
 * The pre-flight: what the send decision answers for every recipient at the instant the texts
 * would go — eligible, deferred (and when they go), excluded by reason with a drill-down — and the
 * cost against today's SMS budget and the window the sends fall in. Launch needs a fresh one.
 */
export function PreflightPanel({ campaign, canRun, blockedBy }: {
  campaign: Campaign;
  canRun: boolean;
  /** Why it can't run now (unsaved changes), or null. */
  blockedBy: string | null;
}) {
  const utils = api.useUtils();
  const run = api.campaigns.preflight.useMutation({
    onSuccess: async (result) => {
      utils.campaigns.get.setData({ id: campaign.id }, (current) => (current ? { ...current, preflight: result } : current));
      await utils.campaigns.get.invalidate({ id: campaign.id });
    },
  });
  const preflight = campaign.preflight;
  const zone = preflight?.window.timeZone ?? campaign.timeZone;
  return (
    <Card
      title="Pre-flight"
      description="Who would be texted, who waits for their window and who is left out and why — decided by the same checks as every send, recording nothing."
      actions={
        canRun && (
          <Button type="button" variant={preflight && campaign.preflightFresh ? "secondary" : "primary"} pending={run.isPending} disabled={!!blockedBy} onClick={() => run.mutate({ id: campaign.id })} title={blockedBy ?? undefined}>
            {preflight ? "Run pre-flight again" : "Run pre-flight"}
          </Button>
        )
      }
    >
      <div className="space-y-4" aria-busy={run.isPending || undefined}>
        {blockedBy && <p className="text-sm text-amber-700">{blockedBy}</p>}
        {run.error && <Alert tone="error">Pre-flight failed: {describeError(run.error).message}</Alert>}
        {!preflight ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-500" data-testid="preflight-empty">
            {canRun ? "Run the pre-flight to see who will be texted before you launch." : "No pre-flight has been run for this campaign yet."}
          </p>
        ) : (
          <PreflightResult campaign={campaign} preflight={preflight} zone={zone} />
        )}
      </div>
    </Card>
  );
}

function PreflightResult({ campaign, preflight, zone }: { campaign: Campaign; preflight: Preflight; zone: string }) {
  const { budget } = preflight;
  return (
    <div className="space-y-5" data-testid="preflight-result">
      {campaign.status === "draft" ? (
        <p className={cn("text-sm", campaign.preflightFresh ? "text-slate-500" : "font-medium text-amber-800")} data-testid="preflight-freshness">
          {campaign.preflightFresh ? "Up to date — " : "Out of date: the campaign changed or this is older than 15 minutes. Run it again to launch. — "}
          decided <Time value={preflight.decidedAt} relative />.
        </p>
      ) : (
        <p className="text-sm text-slate-500">
          The last pre-flight before launch, decided <Time value={preflight.decidedAt} />. Every recipient was checked again right before their text.
        </p>
      )}

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Pre-flight counts">
        <Tile label="Audience" value={plural(preflight.audienceLeads, "lead")} sub={plural(preflight.recipients, "phone")} testId="preflight-recipients" />
        <Tile label="Eligible" value={preflight.eligible.toLocaleString("en-US")} tone="text-emerald-700" sub="texted at once" testId="preflight-eligible" />
        <Tile label="Deferred" value={preflight.deferred.toLocaleString("en-US")} tone="text-amber-700" sub="texted when their window opens" testId="preflight-deferred" />
        <Tile label="Excluded" value={preflight.excluded.toLocaleString("en-US")} tone="text-red-700" sub="not texted" testId="preflight-excluded" />
      </dl>

      {preflight.warnings.length > 0 && (
        <Alert tone="warning">
          <ul className="list-disc space-y-1 pl-5" data-testid="preflight-warnings">
            {preflight.warnings.map((warning) => (
              <li key={warning.code}>{warning.message}</li>
            ))}
          </ul>
        </Alert>
      )}

      {preflight.deferrals.length > 0 && (
        <section aria-labelledby="deferrals-title">
          <h3 id="deferrals-title" className="mb-2 text-sm font-semibold text-slate-900">
            Deferred — sent later, not dropped
          </h3>
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="preflight-deferrals">
            {preflight.deferrals.map((deferral) => (
              <li key={deferral.reason} className="flex flex-wrap items-baseline justify-between gap-2 px-3 py-2 text-sm">
                <span>
                  <span className="font-medium text-slate-900">{deferral.label}</span> <span className="text-slate-500">— {deferral.example}</span>
                </span>
                <span className="whitespace-nowrap text-slate-700">
                  <span className="font-semibold tabular-nums">{deferral.count.toLocaleString("en-US")}</span>, first from <TimeInZone value={deferral.firstAt} zone={zone} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="exclusions-title">
        <h3 id="exclusions-title" className="mb-2 text-sm font-semibold text-slate-900">
          Excluded, by reason
        </h3>
        {preflight.exclusions.length === 0 ? (
          <p className="text-sm text-emerald-700" data-testid="preflight-no-exclusions">
            Nobody is excluded.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="preflight-exclusions">
            {preflight.exclusions.map((exclusion) => (
              <ExclusionGroup key={exclusion.reason} campaignId={campaign.id} exclusion={exclusion} />
            ))}
          </ul>
        )}
      </section>

      <div className="grid gap-4 md:grid-cols-2">
        <section aria-labelledby="cost-title" className="rounded-md border border-slate-200 p-3">
          <h3 id="cost-title" className="text-sm font-semibold text-slate-900">
            Segments and cost
          </h3>
          <dl className="mt-2 grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Segments</dt>
            <dd className="text-right tabular-nums" data-testid="preflight-segments">
              {preflight.segments.total.toLocaleString("en-US")} (up to {preflight.segments.maxPerMessage} per text)
            </dd>
            {preflight.segments.ucs2Messages > 0 && (
              <>
                <dt className="text-slate-500">UCS-2 texts</dt>
                <dd className="text-right tabular-nums text-amber-800">{preflight.segments.ucs2Messages.toLocaleString("en-US")}</dd>
              </>
            )}
            <dt className="text-slate-500">Estimated cost</dt>
            <dd className="text-right font-semibold tabular-nums" data-testid="preflight-cost">
              {formatCents(preflight.estimatedCostCents)}
            </dd>
            <dt className="text-slate-500">Today&apos;s SMS budget</dt>
            <dd className="text-right tabular-nums">
              {budget.capCents === null ? "no cap" : `${formatCents(budget.spentCents + budget.reservedCents)} used of ${formatCents(budget.capCents)}`}
            </dd>
            <dt className="text-slate-500">Remaining today</dt>
            <dd className="text-right tabular-nums">{budget.remainingCents === null ? "—" : formatCents(budget.remainingCents)}</dd>
          </dl>
          <p className={cn("mt-2 text-sm font-medium", budget.fits ? "text-emerald-700" : "text-red-700")} data-testid="preflight-budget">
            {budget.fits
              ? "Fits in today's budget."
              : "Doesn't fit in today's budget: sending stops at the cap and resumes the next day, or an admin raises the cap (Settings → Budgets)."}
          </p>
        </section>
        <section aria-labelledby="window-title" className="rounded-md border border-slate-200 p-3">
          <h3 id="window-title" className="text-sm font-semibold text-slate-900">
            When the texts go
          </h3>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="preflight-window">
            <dt className="text-slate-500">First</dt>
            <dd>{preflight.window.firstSendAt ? <TimeInZone value={preflight.window.firstSendAt} zone={zone} /> : "—"}</dd>
            <dt className="text-slate-500">Last (estimate)</dt>
            <dd>{preflight.window.lastSendAt ? <TimeInZone value={preflight.window.lastSendAt} zone={zone} /> : "—"}</dd>
          </dl>
          <p className="mt-2 text-xs text-slate-500">
            At {plural(campaign.ratePerSecond, "message")} per second, inside each recipient&apos;s allowed hours. Times in {zone.replace(/_/g, " ")}.
          </p>
        </section>
      </div>
    </div>
  );
}

function Tile({ label, value, sub, tone, testId }: { label: string; value: string; sub: string; tone?: string; testId: string }) {
  return (
    <div className="rounded-md border border-slate-200 px-3 py-2">
      <dt className="text-xs font-medium uppercase text-slate-500">{label}</dt>
      <dd className={cn("text-2xl font-semibold tabular-nums", tone ?? "text-slate-800")} data-testid={testId}>
        {value}
      </dd>
      <dd className="text-xs text-slate-500">{sub}</dd>
    </div>
  );
}

function ExclusionGroup({ campaignId, exclusion }: { campaignId: string; exclusion: Preflight["exclusions"][number] }) {
  const [open, setOpen] = useState(false);
  const panelId = `exclusions-${exclusion.reason}`;
  return (
    <li data-testid={`exclusion-${exclusion.reason}`}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        className="flex w-full flex-wrap items-baseline justify-between gap-2 px-3 py-2 text-left text-sm hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500"
      >
        <span>
          <span aria-hidden className="mr-1 inline-block w-3 text-slate-400">
            {open ? "▾" : "▸"}
          </span>
          <span className="font-medium text-slate-900">{exclusion.label}</span> <span className="text-slate-500">— {exclusion.example}</span>
        </span>
        <Badge tone="red">{exclusion.count.toLocaleString("en-US")}</Badge>
      </button>
      {open && (
        <div id={panelId} className="border-t border-slate-100 bg-slate-50/60 px-3 py-3">
          <ExclusionList campaignId={campaignId} reason={exclusion.reason} label={exclusion.label} />
        </div>
      )}
    </li>
  );
}

function ExclusionList({ campaignId, reason, label }: { campaignId: string; reason: ExclusionReason; label: string }) {
  const list = api.campaigns.exclusions.useInfiniteQuery(
    { id: campaignId, reason, limit: EXCLUSIONS_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor, initialCursor: 0 },
  );
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  return (
    <PagedList list={list} count={rows.length} what={`the leads excluded for “${label}”`} emptyTestId={`exclusions-empty-${reason}`} empty="No one is excluded for this reason any more. Run the pre-flight again.">
      <table className="w-full text-left text-sm" data-testid={`exclusions-table-${reason}`}>
        <caption className="sr-only">
          Leads excluded: {label}. {rows.length} of {total} shown.
        </caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">Lead</th>
            <th scope="col" className="py-1 pr-3 font-medium">Phone</th>
            <th scope="col" className="py-1 font-medium">Why</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row, index) => (
            <tr key={`${row.leadId}-${row.phone ?? index}`} className="align-top">
              <th scope="row" className="py-1.5 pr-3 font-normal">
                <Link href={`/leads/${row.leadId}`} className="font-medium text-brand-700 hover:underline">
                  {row.ownerName ?? "Unknown owner"}
                </Link>
                <div className="text-xs text-slate-500">{row.address}</div>
              </th>
              <td className="whitespace-nowrap py-1.5 pr-3 font-mono text-xs">{row.phone ? formatPhone(row.phone) : "—"}</td>
              <td className="py-1.5 text-slate-700">{row.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-500">
        {rows.length.toLocaleString("en-US")} of {total.toLocaleString("en-US")} shown
      </p>
    </PagedList>
  );
}
