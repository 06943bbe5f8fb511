"use client";

import { CountTiles, JobProgressBar } from "@/components/ui/job-progress";

import Link from "next/link";
import { useEffect } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCents } from "@/lib/money";
import { api } from "@/trpc/react";
import { Ago } from "@/components/leads/bits";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { useLiveRefresh } from "@/components/shared/live-events";
import { isActiveJob, JOB_STATUS_LABELS, JOB_STATUS_TONES, type SkipTraceJob } from "./skip-trace-labels";
import { plural } from "@/components/shared/format";

/** A bulk skip trace while it runs (live), then its report. */
export function SkipTraceJobView({ id }: { id: string }) {
  const utils = api.useUtils();
  const job = api.skipTrace.job.useQuery({ id }, { staleTime: 0 });
  useLiveRefresh("job", () => job.refetch(), id);
  const cancel = api.skipTrace.cancel.useMutation({
    onSuccess: (cancelled) => utils.skipTrace.job.setData({ id }, cancelled),
    onSettled: () => utils.skipTrace.jobs.invalidate(),
  });

  // Every poll also updates this job's row in the recent jobs, so both always agree.
  const data = job.data;
  useEffect(() => {
    if (!data) return;
    utils.skipTrace.jobs.setData(undefined, (list) => list?.map((item) => (item.id === data.id ? data : item)));
  }, [data, utils]);
  // Once it has stopped, cached leads (phones, "contactable") are out of date.
  const finished = data !== undefined && !isActiveJob(data.status);
  useEffect(() => {
    if (!finished) return;
    void utils.leads.invalidate();
    void utils.skipTrace.jobs.invalidate();
  }, [finished, utils]);

  if (job.isPending) return <JobSkeleton />;
  if (!data) {
    const notFound = job.error?.data?.code === "NOT_FOUND";
    return (
      <Alert tone="error">
        <p>{notFound ? "That bulk skip trace was not found. It may belong to another organization." : `Couldn't load this skip trace: ${describeError(job.error).message}`}</p>
        {!notFound && (
          <Button size="sm" variant="secondary" className="mt-2" onClick={() => void job.refetch()}>
            Try again
          </Button>
        )}
      </Alert>
    );
  }
  const active = isActiveJob(data.status);

  return (
    <Card
      title={
        <span className="flex flex-wrap items-center gap-2">
          Bulk skip trace of {plural(data.total, "lead", "leads")}
          <Badge tone={JOB_STATUS_TONES[data.status]}>
            <span data-testid="job-status">{JOB_STATUS_LABELS[data.status]}</span>
          </Badge>
        </span>
      }
      description={
        <>
          Started <Ago value={data.createdAt} />
          {data.force && " · recently traced leads traced again"}
        </>
      }
      actions={
        active ? (
          <Button variant="secondary" size="sm" pending={cancel.isPending} onClick={() => cancel.mutate({ id })}>
            Cancel
          </Button>
        ) : undefined
      }
    >
      <div className="space-y-5" data-testid="skip-trace-job">
        {job.error && <Alert tone="warning">Couldn&apos;t refresh the progress ({describeError(job.error).message}); retrying.</Alert>}
        {cancel.error && <Alert tone="error">Couldn&apos;t cancel: {describeError(cancel.error).message}</Alert>}
        <JobOutcome job={data} />
        <JobProgress job={data} />
        <JobCounts job={data} />
        {!active && (
          <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-4">
            <Link href="/leads" className={secondaryLinkClass}>
              Back to leads
            </Link>
          </div>
        )}
      </div>
    </Card>
  );
}

function JobOutcome({ job }: { job: SkipTraceJob }) {
  const summary = `${plural(job.matched, "match", "matches")} for ${formatCents(job.costCents)}`;
  switch (job.status) {
    case "pending":
      return <p className="text-sm text-slate-600">Queued; starting… Bulk skip traces run in the background job worker.</p>;
    case "running":
      return null;
    case "completed":
      return (
        <Alert tone="success">
          <p className="font-medium" data-testid="job-summary">
            Skip trace finished: {summary}.
          </p>
          {job.skippedRecent + job.skippedNoAddress > 0 && (
            <p className="mt-1">
              {job.skippedRecent > 0 && `${plural(job.skippedRecent, "lead was", "leads were")} traced recently and skipped. `}
              {job.skippedNoAddress > 0 && `${plural(job.skippedNoAddress, "lead has", "leads have")} no usable address and ${job.skippedNoAddress === 1 ? "was" : "were"} skipped.`}
            </p>
          )}
        </Alert>
      );
    case "stopped_cap":
    case "cancelled":
      return (
        <Alert tone="warning">
          <p className="text-base font-semibold" data-testid="job-stop-reason">
            {job.status === "stopped_cap" ? "Stopped at the daily budget cap" : "Cancelled"}: {job.stopReason ?? "no reason given"}
          </p>
          <p className="mt-1" data-testid="job-summary">
            {job.processed.toLocaleString("en-US")} of {plural(job.total, "lead", "leads")} processed before it stopped: {summary}. What was found stays on the leads.
          </p>
        </Alert>
      );
    case "failed":
      return (
        <Alert tone="error">
          <p className="text-base font-semibold" data-testid="job-stop-reason">
            The skip trace failed{job.stopReason ? `: ${job.stopReason}` : "."}
          </p>
          <p className="mt-1" data-testid="job-summary">
            Before it stopped: {summary}.
          </p>
        </Alert>
      );
  }
}

function JobProgress({ job }: { job: SkipTraceJob }) {
  const tone =
    job.status === "failed" ? "failed" : job.status === "cancelled" || job.status === "stopped_cap" ? "stopped" : job.status === "completed" ? "done" : job.status === "pending" ? "pending" : "active";
  return (
    <JobProgressBar
      id={job.id}
      label={isActiveJob(job.status) ? "Tracing leads" : "Leads processed"}
      done={job.processed}
      total={job.total}
      unit={["lead", "leads"]}
      tone={tone}
      testId="job-progress-text"
    />
  );
}

function JobCounts({ job }: { job: SkipTraceJob }) {
  return (
    <div className="space-y-3">
      <CountTiles
        className="grid-cols-2 sm:grid-cols-3 lg:grid-cols-5"
        tiles={[
          { label: "Matched", value: job.matched, tone: "text-emerald-700", testId: "count-matched" },
          { label: "No match", value: job.noMatch, testId: "count-no-match" },
          { label: "Failed", value: job.failed, tone: job.failed > 0 ? "text-red-700" : undefined, testId: "count-failed" },
          { label: "Skipped: recent", value: job.skippedRecent, testId: "count-skipped-recent" },
          { label: "Skipped: no address", value: job.skippedNoAddress, testId: "count-skipped-no-address" },
        ]}
      />
      <p className="text-sm text-slate-700">
        {isActiveJob(job.status) ? "Cost so far" : "Total cost"}: <span className="font-semibold tabular-nums" data-testid="job-cost">{formatCents(job.costCents)}</span>
        <span className="text-slate-500"> (billed per match only)</span>
      </p>
    </div>
  );
}

function JobSkeleton() {
  return (
    <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-busy="true" aria-label="Loading the skip trace">
      <Skeleton className="h-5 w-1/3" />
      <Skeleton className="h-2.5 w-full" />
      <div className="grid grid-cols-5 gap-3">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} className="h-16" />
        ))}
      </div>
    </div>
  );
}

/** The organization's recent bulk skip traces, newest first. */
export function SkipTraceJobsList({ currentId }: { currentId: string | null }) {
  const jobs = api.skipTrace.jobs.useQuery();
  useLiveRefresh("job", () => jobs.refetch(), (event) => event.data.kind === "skip_trace");
  return (
    <Card title="Recent bulk skip traces">
      {jobs.isPending ? (
        <div className="space-y-2" aria-busy="true" aria-label="Loading recent skip traces">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : jobs.error ? (
        <Alert tone="error">
          Couldn&apos;t load recent skip traces: {describeError(jobs.error).message}{" "}
          <button type="button" className="font-medium underline" onClick={() => void jobs.refetch()}>
            Try again
          </button>
        </Alert>
      ) : jobs.data.length === 0 ? (
        <p className="text-sm text-slate-500">
          No bulk skip traces yet. Select leads in the <Link href="/leads" className="text-brand-700 underline">leads list</Link> and choose “Skip trace…”.
        </p>
      ) : (
        <div className="-mx-5 -my-4 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="skip-trace-jobs">
            <thead className="bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">Started</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Leads</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Matched</th>
                <th scope="col" className="px-5 py-2 text-right font-medium">Cost</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {jobs.data.map((job) => (
                <tr key={job.id} className={cn(job.id === currentId && "bg-brand-50")}>
                  <td className="px-5 py-2">
                    <Link href={`/leads/skip-trace?job=${encodeURIComponent(job.id)}`} className="text-brand-700 hover:underline" aria-current={job.id === currentId ? "page" : undefined}>
                      <Ago value={job.createdAt} />
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={JOB_STATUS_TONES[job.status]}>{JOB_STATUS_LABELS[job.status]}</Badge>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {job.processed.toLocaleString("en-US")} / {job.total.toLocaleString("en-US")}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{job.matched.toLocaleString("en-US")}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{formatCents(job.costCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
