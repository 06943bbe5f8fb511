"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, Input } from "@/components/ui/field";
import { formatCents } from "@/lib/money";
import { api, type RouterOutputs } from "@/trpc/react";
import { centsToDollarInput, formatDay, formatRelative, formatUnitPrice, parseDollarsToCents, parseWholeCents, percentOfCap } from "@/components/shared/format";
import { SpendHistory } from "./spend-history";
import { useNow } from "@/components/shared/time";

type Overview = RouterOutputs["budgets"]["overview"];
type ProviderBudget = Overview["providers"][number];

export function BudgetsManager() {
  const [overview] = api.budgets.overview.useSuspenseQuery();
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        Today is <span className="font-medium text-slate-900">{formatDay(overview.today, true)}</span> in {overview.timeZone}. Spending counters reset at{" "}
        <ResetsAt resetsAt={overview.resetsAt} timeZone={overview.timeZone} relative />. The cost of each call is reserved before the call is made,
        and a call that would go over the cap is refused before any money is spent.
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        {overview.providers.map((budget) => (
          <BudgetCard key={budget.provider} budget={budget} resetsAt={overview.resetsAt} timeZone={overview.timeZone} />
        ))}
      </div>
      <SpendHistory history={overview.history} providers={overview.providers} today={overview.today} />
    </div>
  );
}

export function BudgetsSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading budgets">
      <Skeleton className="h-4 w-2/3" />
      <div className="grid gap-6 lg:grid-cols-2">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <Skeleton className="h-5 w-40" />
            <Skeleton className="h-3 w-full" />
            <Skeleton className="h-4 w-3/4" />
            <div className="flex gap-3">
              <Skeleton className="h-9 flex-1" />
              <Skeleton className="h-9 flex-1" />
            </div>
          </div>
        ))}
      </div>
      <Skeleton className="h-72 w-full" />
    </div>
  );
}

/** "12:00 AM EST (in 5 h)" in the viewer's clock, naming the org's midnight when the zones differ. */
function ResetsAt({ resetsAt, timeZone, relative = false }: { resetsAt: Date; timeZone: string; relative?: boolean }) {
  const now = useNow();
  if (now === null) return <time dateTime={resetsAt.toISOString()}>midnight ({timeZone})</time>;
  const local = resetsAt.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit", timeZoneName: "short" });
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <>
      <time dateTime={resetsAt.toISOString()} className="font-medium text-slate-700">
        {local}
      </time>
      {viewerZone !== timeZone && <> (midnight in {timeZone})</>}
      {relative && <>, {formatRelative(resetsAt, now)}</>}
    </>
  );
}

function BudgetCard({ budget, resetsAt, timeZone }: { budget: ProviderBudget; resetsAt: Date; timeZone: string }) {
  return (
    <Card
      title={budget.name}
      description={`${formatUnitPrice(budget.costPerCallCents)} per ${budget.unit}`}
      className="flex flex-col"
    >
      <div data-testid={`budget-${budget.provider}`} className="space-y-5">
        <SpendBar budget={budget} />
        <p className="text-xs text-slate-500">
          Resets at <ResetsAt resetsAt={resetsAt} timeZone={timeZone} />.
        </p>
        <BudgetForm budget={budget} />
      </div>
    </Card>
  );
}

function SpendBar({ budget }: { budget: ProviderBudget }) {
  const { spentCents, reservedCents, dailyCapCents, remainingCents } = budget;
  const committed = spentCents + reservedCents;
  const used = percentOfCap(committed, dailyCapCents);
  const spentShare = dailyCapCents > 0 ? percentOfCap(spentCents, dailyCapCents) : 0;
  const reservedShare = dailyCapCents > 0 ? Math.max(0, used - spentShare) : 0;
  const level = used >= 100 ? "full" : used >= 80 ? "high" : "ok";
  const label = [
    `${formatCents(spentCents)} of ${formatCents(dailyCapCents)} today`,
    reservedCents > 0 ? `${formatCents(reservedCents)} reserved` : null,
    `${formatCents(remainingCents)} left`,
  ]
    .filter(Boolean)
    .join(" · ");

  return (
    <div className="space-y-2">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="text-slate-700">
          <span className="font-semibold text-slate-900">{formatCents(spentCents)}</span> of {formatCents(dailyCapCents)} today
          {reservedCents > 0 && <> · {formatCents(reservedCents)} reserved</>} · {formatCents(remainingCents)} left
          {budget.unconfirmedCents > 0 && (
            <span className="ml-1 text-amber-700" title="Calls the provider never answered (timed out). They count against the cap because the provider may have billed them; check its invoice.">
              · {formatCents(budget.unconfirmedCents)} of it unconfirmed
            </span>
          )}
        </span>
        <span className={cn("shrink-0 text-xs font-medium tabular-nums", level === "full" ? "text-red-700" : level === "high" ? "text-amber-700" : "text-slate-500")}>
          {Math.floor(used)} %
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={`${budget.name}: spend today`}
        aria-valuemin={0}
        aria-valuemax={dailyCapCents}
        aria-valuenow={Math.min(spentCents, dailyCapCents)}
        aria-valuetext={label}
        className="flex h-3 w-full overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={cn("h-full transition-[width]", level === "full" ? "bg-red-500" : level === "high" ? "bg-amber-500" : "bg-brand-500")}
          style={{ width: `${dailyCapCents > 0 ? spentShare : 100}%` }}
        />
        {reservedShare > 0 && (
          <div
            className={cn("h-full opacity-40", level === "full" ? "bg-red-500" : level === "high" ? "bg-amber-500" : "bg-brand-500")}
            style={{ width: `${reservedShare}%` }}
            title={`${formatCents(reservedCents)} reserved for calls in flight`}
          />
        )}
      </div>
      {level === "full" ? (
        <p className="text-sm text-red-700">
          {dailyCapCents === 0 ? "The cap is $0.00: no paid calls are allowed." : "Cap reached: new calls are refused until the reset."} Raise the cap below to allow more today.
        </p>
      ) : level === "high" ? (
        <p className="text-sm text-amber-800">Over 80 % of today&apos;s cap is used or reserved.</p>
      ) : null}
    </div>
  );
}

function BudgetForm({ budget }: { budget: ProviderBudget }) {
  const utils = api.useUtils();
  const [cap, setCap] = useState(() => centsToDollarInput(budget.dailyCapCents));
  const [cost, setCost] = useState(() => String(budget.costPerCallCents));
  const [errors, setErrors] = useState<{ cap?: string; cost?: string }>({});
  const [saved, setSaved] = useState<string | null>(null);
  const update = api.budgets.update.useMutation({
    onSuccess: (overview) => utils.budgets.overview.setData(undefined, overview),
  });
  const reset = api.budgets.resetToDefaults.useMutation({
    onSuccess: (overview) => utils.budgets.overview.setData(undefined, overview),
  });
  const failure = update.error ? describeError(update.error) : reset.error ? describeError(reset.error) : null;
  const dirty = cap !== centsToDollarInput(budget.dailyCapCents) || cost !== String(budget.costPerCallCents);
  const isDefault = budget.dailyCapCents === budget.defaultCapCents && budget.costPerCallCents === budget.defaultCostPerCallCents;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    update.reset();
    const capCents = parseDollarsToCents(cap);
    const costCents = parseWholeCents(cost);
    const next = { cap: capCents.ok ? undefined : capCents.error, cost: costCents.ok ? undefined : costCents.error };
    setErrors(next);
    if (!capCents.ok || !costCents.ok) return;
    update.mutate(
      { provider: budget.provider, dailyCapCents: capCents.cents, costPerCallCents: costCents.cents },
      {
        onSuccess: () => {
          setCap(centsToDollarInput(capCents.cents));
          setCost(String(costCents.cents));
          setSaved(`Saved. The cap is now ${formatCents(capCents.cents)} a day at ${formatUnitPrice(costCents.cents)} per ${budget.unit}.`);
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3 border-t border-slate-100 pt-4" aria-label={`${budget.name} budget`}>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Daily cap (US dollars)" error={errors.cap ?? failure?.fieldErrors.dailyCapCents} hint={`default: ${formatCents(budget.defaultCapCents)}`}>
          {(p) => (
            <div className="relative">
              <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500" aria-hidden>
                $
              </span>
              <Input
                {...p}
                name="dailyCap"
                inputMode="decimal"
                autoComplete="off"
                className="pl-7 tabular-nums"
                value={cap}
                onChange={(event) => {
                  setCap(event.target.value);
                  setSaved(null);
                }}
              />
            </div>
          )}
        </Field>
        <Field
          label="Unit price (cents)"
          error={errors.cost ?? failure?.fieldErrors.costPerCallCents}
          hint={`per ${budget.unit} · default: ${formatUnitPrice(budget.defaultCostPerCallCents)}`}
        >
          {(p) => (
            <div className="relative">
              <Input
                {...p}
                name="costPerCall"
                inputMode="numeric"
                autoComplete="off"
                className="pr-8 tabular-nums"
                value={cost}
                onChange={(event) => {
                  setCost(event.target.value);
                  setSaved(null);
                }}
              />
              <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-sm text-slate-500" aria-hidden>
                ¢
              </span>
            </div>
          )}
        </Field>
      </div>
      {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
      {saved && <Alert tone="success">{saved}</Alert>}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" pending={update.isPending} disabled={!dirty}>
          Save
        </Button>
        {dirty && (
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setCap(centsToDollarInput(budget.dailyCapCents));
              setCost(String(budget.costPerCallCents));
              setErrors({});
              update.reset();
            }}
          >
            Cancel
          </Button>
        )}
        {!isDefault && (
          // Applies and saves at once (it used to only refill the inputs, which looked applied).
          <Button
            type="button"
            variant="ghost"
            pending={reset.isPending}
            title={`Save the default cap (${formatCents(budget.defaultCapCents)} a day) and unit price (${formatUnitPrice(budget.defaultCostPerCallCents)}) now`}
            onClick={() => {
              setSaved(null);
              setErrors({});
              update.reset();
              reset.mutate(
                { provider: budget.provider },
                {
                  onSuccess: () => {
                    setCap(centsToDollarInput(budget.defaultCapCents));
                    setCost(String(budget.defaultCostPerCallCents));
                    setSaved(
                      `Saved. Back to the defaults: ${formatCents(budget.defaultCapCents)} a day at ${formatUnitPrice(budget.defaultCostPerCallCents)} per ${budget.unit}.`,
                    );
                  },
                },
              );
            }}
          >
            Reset to defaults and save
          </Button>
        )}
      </div>
    </form>
  );
}
