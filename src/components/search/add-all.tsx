"use client";

import { useEffect } from "react";
import { useLiveConnected, useLiveRefresh } from "@/components/shared/live-events";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatCents } from "@/lib/money";
import { api, type RouterInputs, type RouterOutputs } from "@/trpc/react";

type Query = RouterInputs["search"]["run"];
type Job = RouterOutputs["search"]["addAllJob"];

const RUNNING = new Set<Job["status"]>(["pending", "running"]);

/**
 * "Add all N results to leads" (issue 14 item 7): queues a background job that walks every page
 * of this search under the daily search cap (pages already paid today come from cache), then
 * follows its progress and shows the outcome: added, already in leads, what it cost.
 */
export function AddAllButton({ query, total, disabled, onFinished }: { query: Query; total: number; disabled: boolean; onFinished: () => void }) {
  const start = api.search.addAll.useMutation();
  const jobId = start.data?.id ?? null;
  const live = useLiveConnected();
  // Each page the job walks, and its end, arrive as live events of the job; without the live stream
  // (a proxy that buffers it, a dropped connection) the report still moves, every few seconds.
  const job = api.search.addAllJob.useQuery(
    { id: jobId ?? "" },
    { enabled: jobId !== null, refetchInterval: (q) => (live || (q.state.data && !RUNNING.has(q.state.data.status)) ? false : 5_000) },
  );
  useLiveRefresh("job", () => job.refetch(), (event) => jobId !== null && event.subjectId === jobId);
  const current = job.data ?? start.data ?? null;
  const finished = current !== null && !RUNNING.has(current.status);
  useEffect(() => {
    if (finished) onFinished();
  }, [finished, onFinished]);

  return (
    <>
      <Button size="sm" variant="secondary" disabled={disabled || total === 0 || (current !== null && !finished)} pending={start.isPending}
        onClick={() => start.mutate({ query })}>
        Add all {total.toLocaleString()} to leads
      </Button>
      {(current || start.error) && (
        <div className="basis-full" data-testid="add-all-status">
          {start.error ? <Alert tone="error">{describeError(start.error).message}</Alert> : current && <AddAllReport job={current} />}
        </div>
      )}
    </>
  );
}

function AddAllReport({ job }: { job: Job }) {
  const counts = `${job.added.toLocaleString()} added · ${job.alreadyInLeads.toLocaleString()} already in leads · ${formatCents(job.costCents)} spent`;
  if (RUNNING.has(job.status)) {
    const done = job.added + job.alreadyInLeads;
    return (
      <div className="space-y-1 text-sm text-slate-700" role="status">
        <div>{job.status === "pending" ? "Queued: adding all results…" : `Adding all results: ${done.toLocaleString()} of about ${job.total.toLocaleString()} (page ${job.pagesDone + 1})…`}</div>
        <progress className="h-2 w-full" max={Math.max(job.total, 1)} value={Math.min(done, job.total)} aria-label="Added so far" />
        <div className="text-xs text-slate-500">{counts}</div>
      </div>
    );
  }
  const tone = job.status === "completed" ? "success" : job.status === "failed" ? "error" : "warning";
  return (
    <Alert tone={tone}>
      <span className="font-medium">{job.status === "completed" ? "All results added." : "Stopped before the end."}</span> {counts}.
      {job.stopReason && <span className="block">{job.stopReason}</span>}
    </Alert>
  );
}
