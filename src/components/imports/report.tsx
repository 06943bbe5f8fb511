"use client";

import Link from "next/link";
import { useEffect } from "react";
import { useNow } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { CountTiles, JobProgressBar } from "@/components/ui/job-progress";
import { api } from "@/trpc/react";
import { Ago } from "@/components/leads/bits";
import {
  IMPORT_STATUS_LABELS,
  IMPORT_STATUS_TONES,
  IMPORTED_LEADS_HREF,
  importSummary,
  isActiveImport,
  type ImportDetail,
} from "./labels";
import { personName } from "@/components/leads/labels";
import { useLiveRefresh } from "@/components/shared/live-events";
import { primaryLinkClass, secondaryLinkClass } from "@/components/shared/link-classes";
import { formatCount, plural } from "@/components/shared/format";

/** After this long still queued, say that a worker has to pick the job up. */
const SLOW_START_MS = 15_000;

/** Step 3: the job's progress while it runs (live), then its report. */
export function ImportReport({ id }: { id: string }) {
  const utils = api.useUtils();
  const job = api.imports.get.useQuery({ id }, { staleTime: 0 });
  useLiveRefresh("job", () => job.refetch(), id);
  const cancel = api.imports.cancel.useMutation({
    onSuccess: (cancelled) => utils.imports.get.setData({ id }, (current) => (current ? { ...current, ...cancelled } : current)),
    onSettled: () => Promise.all([utils.imports.get.invalidate({ id }), utils.imports.list.invalidate()]),
  });

  // Every poll also updates this job's row in the recent imports, so both always agree.
  const data = job.data;
  useEffect(() => {
    if (!data) return;
    const { rejects: _rejects, ...fields } = data;
    utils.imports.list.setData(undefined, (list) => list?.map((item) => (item.id === fields.id ? fields : item)));
  }, [data, utils]);
  // Once the job has stopped, cached lead lists (and tags it created) are out of date.
  const finished = data !== undefined && !isActiveImport(data.status);
  useEffect(() => {
    if (!finished) return;
    void utils.leads.invalidate();
    void utils.tags.invalidate();
  }, [finished, utils]);

  if (job.isPending) return <ReportSkeleton />;
  if (!data) {
    const notFound = job.error?.data?.code === "NOT_FOUND";
    return (
      <Alert tone="error">
        <p>{notFound ? "That import was not found. It may belong to another organization." : `Couldn't load this import: ${describeError(job.error).message}`}</p>
        <div className="mt-2 flex gap-2">
          {!notFound && (
            <Button size="sm" variant="secondary" onClick={() => void job.refetch()}>
              Try again
            </Button>
          )}
          <Link href="/leads/import" className={secondaryLinkClass}>
            Start a new import
          </Link>
        </div>
      </Alert>
    );
  }
  const active = isActiveImport(data.status);

  return (
    <Card
      title={
        <span className="flex flex-wrap items-center gap-2">
          <span className="break-all">{data.fileName}</span>
          <Badge tone={IMPORT_STATUS_TONES[data.status]}>{IMPORT_STATUS_LABELS[data.status]}</Badge>
        </span>
      }
      description={
        <>
          Started <Ago value={data.createdAt} />
          {data.createdBy && <> by {personName(data.createdBy)}</>} · {plural(data.totalRows, "row", "rows")}
        </>
      }
      actions={
        active ? (
          <Button variant="secondary" size="sm" pending={cancel.isPending} onClick={() => cancel.mutate({ id })}>
            Cancel import
          </Button>
        ) : undefined
      }
    >
      <div className="space-y-5" data-testid="import-report">
        {job.error && (
          <Alert tone="warning">Couldn&apos;t refresh the progress ({describeError(job.error).message}); retrying.</Alert>
        )}
        {cancel.error && <Alert tone="error">Couldn&apos;t cancel: {describeError(cancel.error).message}</Alert>}
        <Outcome job={data} />
        <Progress job={data} />
        <Counts job={data} />
        {!active && <Rejections job={data} />}
        {!active && (
          <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-4">
            {data.createdCount > 0 && (
              <Link href={IMPORTED_LEADS_HREF} className={primaryLinkClass}>
                View imported leads
              </Link>
            )}
            <Link href="/leads/import" className={secondaryLinkClass}>
              Import another file
            </Link>
          </div>
        )}
      </div>
    </Card>
  );
}

function Outcome({ job }: { job: ImportDetail }) {
  const summary = importSummary(job);
  switch (job.status) {
    case "pending":
      return <PendingNotice createdAt={job.createdAt} />;
    case "running":
      return null;
    case "completed":
      return (
        <Alert tone={job.rejectedCount > 0 ? "warning" : "success"}>
          <p className="font-medium" data-testid="import-summary">
            Import finished: {summary}.
          </p>
          {job.duplicateCount > 0 && (
            <p className="mt-1">
              Rows already in your leads (or repeated in the file) were skipped; the same address and owner, however written, is one lead.
            </p>
          )}
        </Alert>
      );
    case "failed":
      return (
        <Alert tone="error">
          <p className="font-medium">The import failed{job.processedRows > 0 ? ` after ${plural(job.processedRows, "row", "rows")}` : ""}.</p>
          {job.error && <p className="mt-1">{job.error}</p>}
          <p className="mt-1" data-testid="import-summary">
            Before it stopped: {summary}. Those rows stay imported; fix the file and import it again (rows already imported are recognized as duplicates).
          </p>
        </Alert>
      );
    case "cancelled":
      return (
        <Alert tone="warning">
          <p className="font-medium">
            Import cancelled after {formatCount(job.processedRows)} of {plural(job.totalRows, "row", "rows")}.
          </p>
          <p className="mt-1" data-testid="import-summary">
            What was imported stays: {summary}.
          </p>
        </Alert>
      );
  }
}

function PendingNotice({ createdAt }: { createdAt: Date }) {
  const now = useNow();
  return now !== null && now - createdAt.getTime() > SLOW_START_MS ? (
    <Alert tone="warning">
      Still queued. Imports run in the background job worker; if this does not start soon, check that the worker is running (<code>npm run worker</code>).
    </Alert>
  ) : (
    <p className="text-sm text-slate-600">Queued; starting…</p>
  );
}

function Progress({ job }: { job: ImportDetail }) {
  const tone = job.status === "failed" ? "failed" : job.status === "cancelled" ? "stopped" : job.status === "completed" ? "done" : job.status === "pending" ? "pending" : "active";
  return (
    <JobProgressBar
      id={job.id}
      label={isActiveImport(job.status) ? "Importing rows" : "Rows processed"}
      done={job.processedRows}
      total={job.totalRows}
      unit={["row", "rows"]}
      tone={tone}
      testId="import-progress-text"
    />
  );
}

function Counts({ job }: { job: ImportDetail }) {
  return (
    <CountTiles
      className="grid-cols-3"
      tiles={[
        { label: "Created", value: job.createdCount, tone: "text-emerald-700", testId: "count-created" },
        { label: "Already in leads", value: job.duplicateCount, testId: "count-duplicates" },
        { label: "Rejected", value: job.rejectedCount, tone: job.rejectedCount > 0 ? "text-red-700" : undefined, testId: "count-rejected" },
      ]}
    />
  );
}

function Rejections({ job }: { job: ImportDetail }) {
  if (job.rejectedCount === 0) return null;
  const more = job.rejectedCount > job.rejects.length;
  return (
    <section aria-labelledby={`rejects-${job.id}`} className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={`rejects-${job.id}`} className="text-sm font-semibold text-slate-900">
          Rejected rows
          <span className="ml-1 font-normal text-slate-500">
            {more ? `(the first ${job.rejects.length} of ${formatCount(job.rejectedCount)})` : `(${formatCount(job.rejectedCount)})`}
          </span>
        </h3>
        <a href={job.rejectsUrl} download className={secondaryLinkClass}>
          Download rejected rows (CSV)
        </a>
      </div>
      <p className="text-xs text-slate-500">The download has every rejected row with its reason and original columns: fix them there and import that file.</p>
      <div className="overflow-x-auto rounded-md border border-slate-200">
        <table className="w-full text-left text-sm" data-testid="rejects-table">
          <thead className="bg-slate-50 text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="w-20 px-3 py-2 font-medium">Row</th>
              <th scope="col" className="px-3 py-2 font-medium">Reason</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {job.rejects.map((reject, i) => (
              <tr key={`${reject.rowNumber}-${i}`}>
                <td className="px-3 py-1.5 tabular-nums text-slate-500">{reject.rowNumber}</td>
                <td className="px-3 py-1.5 text-slate-800">{reject.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ReportSkeleton() {
  return (
    <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-busy="true" aria-label="Loading the import">
      <Skeleton className="h-5 w-1/3" />
      <Skeleton className="h-2.5 w-full" />
      <div className="grid grid-cols-3 gap-3">
        <Skeleton className="h-16" />
        <Skeleton className="h-16" />
        <Skeleton className="h-16" />
      </div>
    </div>
  );
}
