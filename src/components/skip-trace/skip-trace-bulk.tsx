"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/card";
import { formatCents } from "@/lib/money";
import { api, type RouterInputs } from "@/trpc/react";
import { Modal } from "./skip-trace-modal";
import { formatUnitCost, providerLabel } from "./skip-trace-labels";
import { plural } from "@/components/shared/format";

type Target = RouterInputs["skipTrace"]["startBulk"]["target"];

/** The leads list's bulk "Skip trace" (managers): a confirm dialog with the most it can cost, then the job page. */
export function SkipTraceBulkButton({ count, target, sampleLeadId }: {
  /** How many leads the trace will consider. */
  count: number;
  target: Target;
  /** A lead of the selection, to read the price and today's budget from. */
  sampleLeadId: string | null;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" size="sm" className="shrink-0 whitespace-nowrap" disabled={count === 0} onClick={() => setOpen(true)}>
        Skip trace…
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} title={`Skip trace ${plural(count, "lead", "leads")}`} testId="bulk-skip-trace-dialog">
        <BulkConfirm count={count} target={target} sampleLeadId={sampleLeadId} onClose={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function BulkConfirm({ count, target, sampleLeadId, onClose }: { count: number; target: Target; sampleLeadId: string | null; onClose: () => void }) {
  const router = useRouter();
  const utils = api.useUtils();
  const [force, setForce] = useState(false);
  const estimate = api.skipTrace.estimate.useQuery({ leadId: sampleLeadId ?? "" }, { enabled: sampleLeadId !== null, staleTime: 0, refetchOnWindowFocus: false });
  const start = api.skipTrace.startBulk.useMutation({
    onSuccess: (job) => {
      utils.skipTrace.job.setData({ id: job.id }, job);
      void utils.skipTrace.jobs.invalidate();
      router.push(`/leads/skip-trace?job=${encodeURIComponent(job.id)}`);
    },
  });

  const data = estimate.data;
  const unit = data?.costIfMatchedCents ?? null;
  const maxCents = unit === null ? null : unit * count;
  const killSwitch = data?.killSwitch ?? null;
  const done = start.isSuccess;

  return (
    <>
      <div className="space-y-3 text-sm text-slate-700" data-testid="bulk-skip-trace-estimate">
        {estimate.isLoading ? (
          <div className="space-y-2" aria-busy="true" aria-label="Loading the estimate">
            <Skeleton className="h-4 w-2/3" />
            <Skeleton className="h-4 w-1/2" />
          </div>
        ) : data ? (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="text-slate-500">Provider</dt>
            <dd className="font-medium text-slate-900">
              {providerLabel(data.provider)}
              {data.provider === "sandbox" && <span className="ml-1 font-normal text-slate-500">(test data; no real charge)</span>}
            </dd>
            <dt className="text-slate-500">At most</dt>
            <dd className="text-slate-900" data-testid="bulk-max-cost">
              <span className="font-medium">{formatCents(maxCents ?? 0)}</span> ({count.toLocaleString("en-US")} × {formatUnitCost(data.costIfMatchedCents)}), billed only for
              matches
            </dd>
            <dt className="text-slate-500">Today</dt>
            <dd className="text-slate-900">
              {formatCents(data.budget.spentCents)} spent on {data.budget.name} of a {formatCents(data.budget.dailyCapCents)} daily cap ·{" "}
              <span className="font-medium">{formatCents(data.budget.remainingCents)} left</span>
            </dd>
          </dl>
        ) : (
          <p data-testid="bulk-max-cost">Each matched lead is billed once (the price per match is set under Settings); leads with no match cost nothing.</p>
        )}
        {estimate.error && <Alert tone="warning">Couldn&apos;t load the price and budget ({describeError(estimate.error).message}); the trace still checks them.</Alert>}
        <ul className="list-disc space-y-1 pl-5">
          <li>
            Leads traced in the last {data ? `${data.recencyDays} days` : "few months"} are skipped{force ? " — unless you trace them again below" : ""}.
          </li>
          <li>Leads without a usable address are skipped.</li>
          <li>The run stops by itself if today&apos;s budget runs out; what it found so far stays.</li>
        </ul>
        {data && maxCents !== null && maxCents > data.budget.remainingCents && (
          <Alert tone="warning">
            Today&apos;s remaining budget ({formatCents(data.budget.remainingCents)}) may not cover every match; the run stops at the cap.
          </Alert>
        )}
        <label className="flex items-center gap-2 font-medium text-slate-700">
          <input type="checkbox" className="size-4 rounded border-slate-300" checked={force} onChange={(event) => setForce(event.target.checked)} />
          Also trace leads traced recently (billed again if they match)
        </label>
        {killSwitch && (
          <Alert tone="error">
            <p className="font-medium">Skip tracing is switched off.</p>
            <p className="mt-1">{killSwitch}</p>
          </Alert>
        )}
        {start.error && <Alert tone="error">Couldn&apos;t start the skip trace: {describeError(start.error).message}</Alert>}
      </div>
      <div className="-mx-5 -mb-4 flex flex-wrap justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button disabled={killSwitch !== null || count === 0} pending={start.isPending || done} onClick={() => start.mutate({ target, force })}>
          Start skip trace
        </Button>
      </div>
    </>
  );
}
