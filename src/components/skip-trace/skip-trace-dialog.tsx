"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Skeleton } from "@/components/ui/card";
import { formatCents } from "@/lib/money";
import { api, type RouterOutputs } from "@/trpc/react";
import { DateText } from "@/components/leads/bits";
import { formatPhone } from "@/components/shared/format";
import { newIdempotencyKey } from "@/components/shared/idempotency-key";
import { Modal } from "./skip-trace-modal";
import { formatUnitCost, OUTCOME_LABELS, OUTCOME_TONES, providerLabel } from "./skip-trace-labels";
import { useLeadCache } from "@/components/leads/use-lead";

type Estimate = RouterOutputs["skipTrace"]["estimate"];
type RunResult = RouterOutputs["skipTrace"]["run"];

/** The lead page's "Skip trace" button (managers): estimate first, then trace, then the result. */
export function SkipTraceButton({ leadId }: { leadId: string }) {
  const [open, setOpen] = useState(false);
  // A new dialog body per opening, so each starts from a fresh estimate and a fresh key.
  const [round, setRound] = useState(0);
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        className="mb-0.5"
        onClick={() => {
          setRound((n) => n + 1);
          setOpen(true);
        }}
      >
        Skip trace
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} title="Skip trace this lead" description="Look up the owner's phones and emails." testId="skip-trace-dialog">
        <SkipTraceDialogBody key={round} leadId={leadId} onClose={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function SkipTraceDialogBody({ leadId, onClose }: { leadId: string; onClose: () => void }) {
  const utils = api.useUtils();
  const cache = useLeadCache(leadId);
  const estimate = api.skipTrace.estimate.useQuery({ leadId }, { staleTime: 0, gcTime: 0, refetchOnWindowFocus: false });
  const [force, setForce] = useState(false);
  /** One key per Confirm click; "Try again" after an error reuses it, so a retry never pays twice. */
  const [attemptKey, setAttemptKey] = useState<string | null>(null);
  const run = api.skipTrace.run.useMutation({
    onSettled: () =>
      Promise.all([cache.refresh(), utils.skipTrace.history.invalidate({ leadId }), utils.skipTrace.estimate.invalidate({ leadId }), cache.listsChanged()]),
  });

  function confirm(key: string) {
    setAttemptKey(key);
    run.mutate({ leadId, force, idempotencyKey: key });
  }

  if (run.data) return <RunResultView result={run.data} onClose={onClose} />;

  if (estimate.isPending) {
    return (
      <div className="space-y-3" aria-busy="true" aria-label="Loading the estimate">
        <Skeleton className="h-4 w-2/3" />
        <Skeleton className="h-4 w-1/2" />
        <Skeleton className="h-4 w-3/4" />
      </div>
    );
  }
  if (!estimate.data) {
    return (
      <>
        <Alert tone="error">Couldn&apos;t load the estimate: {describeError(estimate.error).message}</Alert>
        <DialogActions>
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
          <Button onClick={() => void estimate.refetch()} pending={estimate.isFetching}>
            Try again
          </Button>
        </DialogActions>
      </>
    );
  }

  const data = estimate.data;
  const blocked = data.killSwitch !== null || data.addressProblem !== null;
  const overBudget = data.budget.remainingCents < data.costIfMatchedCents;
  const needsForce = data.tracedRecently && !force;
  const runError = run.error ? describeError(run.error).message : null;
  const alreadyRunning = run.error?.data?.code === "CONFLICT";

  return (
    <>
      <EstimateFacts estimate={data} />
      {data.killSwitch && (
        <Alert tone="error">
          <p className="font-medium">Skip tracing is switched off.</p>
          <p className="mt-1">{data.killSwitch}</p>
        </Alert>
      )}
      {data.addressProblem && (
        <Alert tone="warning">
          <p className="font-medium">This lead has no usable address.</p>
          <p className="mt-1">{data.addressProblem}. Fix the address, then trace it.</p>
        </Alert>
      )}
      {!blocked && overBudget && (
        <Alert tone="warning">
          Only {formatCents(data.budget.remainingCents)} of today&apos;s {data.budget.name} budget is left, less than one lookup. An admin can raise the
          daily cap under Settings.
        </Alert>
      )}
      {!blocked && data.tracedRecently && data.lastTracedAt && (
        <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="traced-recently">
          <p className="font-medium">
            Traced recently, on <DateText value={data.lastTracedAt} />.
          </p>
          <p className="mt-1">Leads are not traced again within {data.recencyDays} days unless you insist; a new lookup is billed again if it matches.</p>
          <label className="mt-2 flex items-center gap-2 font-medium">
            <input type="checkbox" className="size-4 rounded border-slate-300" checked={force} onChange={(event) => setForce(event.target.checked)} />
            Trace again anyway
          </label>
        </div>
      )}
      {runError && (
        <Alert tone={alreadyRunning ? "warning" : "error"}>
          {alreadyRunning ? runError : <>The trace didn&apos;t go through: {runError}</>}
        </Alert>
      )}
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        {runError && attemptKey && !alreadyRunning ? (
          <Button pending={run.isPending} onClick={() => confirm(attemptKey)}>
            Try again
          </Button>
        ) : (
          <Button disabled={blocked || needsForce || alreadyRunning} pending={run.isPending} onClick={() => confirm(newIdempotencyKey())}>
            {run.isPending ? "Tracing…" : `Skip trace (${formatUnitCost(data.costIfMatchedCents)} if matched)`}
          </Button>
        )}
      </DialogActions>
    </>
  );
}

function EstimateFacts({ estimate }: { estimate: Estimate }) {
  const { budget } = estimate;
  const sandbox = estimate.provider === "sandbox";
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="skip-trace-estimate">
      <dt className="text-slate-500">Provider</dt>
      <dd className="font-medium text-slate-900">
        {providerLabel(estimate.provider)}
        {sandbox && <span className="ml-1 font-normal text-slate-500">(test data; no real charge)</span>}
      </dd>
      <dt className="text-slate-500">Cost</dt>
      <dd className="text-slate-900" data-testid="skip-trace-cost">
        <span className="font-medium">{formatUnitCost(estimate.costIfMatchedCents)}</span>, billed only if a match is found
      </dd>
      <dt className="text-slate-500">Today</dt>
      <dd className="text-slate-900" data-testid="skip-trace-budget">
        {formatCents(budget.spentCents)} spent on {budget.name} of a {formatCents(budget.dailyCapCents)} daily cap ·{" "}
        <span className="font-medium">{formatCents(budget.remainingCents)} left</span>
      </dd>
    </dl>
  );
}

function RunResultView({ result, onClose }: { result: RunResult; onClose: () => void }) {
  const tone = result.outcome === "matched" ? "success" : result.outcome === "failed" ? "error" : result.outcome === "no_match" ? "info" : "warning";
  return (
    <>
      <div data-testid="skip-trace-result" className="space-y-3">
        <div className="flex items-center gap-2">
          <Badge tone={OUTCOME_TONES[result.outcome]}>{OUTCOME_LABELS[result.outcome]}</Badge>
        </div>
        <Alert tone={tone}>{result.message}</Alert>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-slate-500">Charged</dt>
          <dd className="font-medium text-slate-900" data-testid="skip-trace-charged">
            {formatCents(result.costCents ?? 0)}
          </dd>
          {result.outcome === "matched" && (
            <>
              <dt className="text-slate-500">Best phone</dt>
              <dd className="text-slate-900">
                {result.bestPhone ? (
                  <>
                    <span className="font-medium tabular-nums" data-testid="skip-trace-best-phone">
                      <span className="mr-1 text-amber-500" aria-hidden>
                        ★
                      </span>
                      {formatPhone(result.bestPhone)}
                    </span>
                    {result.bestPhoneReason && !result.message.includes(result.bestPhoneReason) && <p className="mt-0.5 text-xs text-slate-500">{result.bestPhoneReason}</p>}
                  </>
                ) : (
                  <span className="text-slate-500">{result.bestPhoneReason ?? "No phone is safe to text."}</span>
                )}
              </dd>
            </>
          )}
        </dl>
      </div>
      <DialogActions>
        <Button onClick={onClose} autoFocus>
          Done
        </Button>
      </DialogActions>
    </>
  );
}

function DialogActions({ children }: { children: React.ReactNode }) {
  return <div className="-mx-5 -mb-4 flex flex-wrap justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3">{children}</div>;
}
