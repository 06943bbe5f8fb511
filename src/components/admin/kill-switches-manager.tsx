"use client";

import { useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Skeleton } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { api, type RouterOutputs } from "@/trpc/react";
import { Time } from "@/components/shared/time";

type KillSwitch = RouterOutputs["killSwitches"]["list"][number];
type Kind = KillSwitch["kind"];

const COPY: Record<Kind, { title: string; stops: string; noun: string }> = {
  search: {
    title: "Paid property search",
    noun: "paid property search",
    stops: "New ATTOM property searches are refused. Results already saved as leads stay available.",
  },
  skip_trace: {
    title: "Skip tracing",
    noun: "skip tracing",
    stops: "New BatchData skip traces are refused before any lookup is billed.",
  },
  sms: {
    title: "SMS sending",
    noun: "SMS sending",
    stops: "No text messages go out: running campaigns pause within seconds and nothing new is sent.",
  },
  ai: {
    title: "AI assistance (OpenAI)",
    noun: "AI assistance",
    stops: "No OpenAI requests: lead summaries and suggested replies are refused, and replies the phrase rules cannot read stay unclassified.",
  },
};

export function KillSwitchesManager() {
  const [switches] = api.killSwitches.list.useSuspenseQuery();
  const stopped = switches.filter((s) => s.engaged).length;
  return (
    <div className="space-y-4">
      <Alert tone={stopped > 0 ? "warning" : "info"}>
        A kill switch stops a paid capability for your whole organization, effective from the next call. An <strong>engaged</strong> switch
        means the capability is <strong>stopped</strong>.{" "}
        {stopped === 0 ? "Everything is running." : `${stopped} of ${switches.length} capabilities ${stopped === 1 ? "is" : "are"} stopped.`}
      </Alert>
      <ul className="space-y-4">
        {switches.map((item) => (
          <li key={item.kind}>
            <KillSwitchCard item={item} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export function KillSwitchesSkeleton() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading kill switches">
      <Skeleton className="h-10 w-full" />
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <div className="flex justify-between">
            <Skeleton className="h-5 w-48" />
            <Skeleton className="h-8 w-32" />
          </div>
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
        </div>
      ))}
    </div>
  );
}

function KillSwitchCard({ item }: { item: KillSwitch }) {
  const copy = COPY[item.kind];
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const focusToggle = () => requestAnimationFrame(() => sectionRef.current?.querySelector<HTMLButtonElement>("[data-toggle]")?.focus());
  const headingId = `kill-switch-${item.kind}`;

  return (
    <section
      ref={sectionRef}
      aria-labelledby={headingId}
      data-testid={`kill-switch-${item.kind}`}
      className="rounded-lg border border-slate-200 bg-white shadow-sm"
    >
      <div className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-start sm:justify-between sm:gap-6">
        <div className="min-w-0 flex-1 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id={headingId} className="text-base font-semibold text-slate-900">
              {copy.title}
            </h2>
            {item.engaged ? <Badge tone="red">Off — stopped</Badge> : <Badge tone="green">On — working</Badge>}
            {item.global && (
              <Badge tone="slate">
                <LockIcon /> Locked by operator
              </Badge>
            )}
          </div>
          <p className="text-sm text-slate-500">When stopped: {copy.stops}</p>
          <LastChange item={item} />
        </div>
        {!item.global && !confirming && (
          <Button
            data-toggle
            className="shrink-0 self-start"
            variant={item.engaged ? "primary" : "danger"}
            onClick={() => {
              setDone(null);
              setConfirming(true);
            }}
          >
            {item.engaged ? `Turn ${copy.noun} back on` : `Stop ${copy.noun}`}
          </Button>
        )}
      </div>
      {item.global && (
        <div className="border-t border-slate-100 px-5 py-3 text-sm text-slate-600">
          The LeadFlow operator has stopped {copy.noun} for every organization (for example during a provider outage or billing problem), so it
          can&apos;t be turned back on here. It comes back when the operator lifts the switch.
        </div>
      )}
      {done && (
        <div className="border-t border-slate-100 px-5 py-3">
          <Alert tone="success">{done}</Alert>
        </div>
      )}
      {confirming && !item.global && (
        <ConfirmFlip
          item={item}
          onCancel={() => {
            setConfirming(false);
            focusToggle();
          }}
          onDone={(message) => {
            setConfirming(false);
            setDone(message);
            focusToggle();
          }}
        />
      )}
    </section>
  );
}

function LastChange({ item }: { item: KillSwitch }) {
  if (!item.changedAt && !item.reason) {
    return <p className="text-sm text-slate-500">Never changed.</p>;
  }
  return (
    <p className="text-sm text-slate-600">
      {item.engaged ? "Stopped" : "Turned on"}
      {item.changedBy && (
        <>
          {" "}
          by <span className="font-medium text-slate-800">{item.changedBy}</span>
        </>
      )}
      {item.changedAt && (
        <>
          {" "}
          on <Time value={item.changedAt} />
        </>
      )}
      {item.reason && (
        <>
          : <q className="italic">{item.reason}</q>
        </>
      )}
    </p>
  );
}

function ConfirmFlip({ item, onCancel, onDone }: { item: KillSwitch; onCancel: () => void; onDone: (message: string) => void }) {
  const copy = COPY[item.kind];
  const utils = api.useUtils();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusReason = () => formRef.current?.querySelector<HTMLInputElement>("input[name=reason]")?.focus();
  const engage = !item.engaged;
  const set = api.killSwitches.set.useMutation({
    onSuccess: (list) => {
      utils.killSwitches.list.setData(undefined, list);
      onDone(engage ? `${copy.title} is stopped. The change is in the audit log.` : `${copy.title} is back on. The change is in the audit log.`);
    },
  });
  const failure = set.error ? describeError(set.error) : null;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError("Say why (at least 3 characters); it goes in the audit log.");
      focusReason();
      return;
    }
    setError(null);
    set.mutate({ kind: item.kind, engaged: engage, reason: reason.trim() });
  }

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      noValidate
      className={engage ? "space-y-3 border-t border-red-100 bg-red-50/50 px-5 py-4" : "space-y-3 border-t border-slate-100 bg-slate-50 px-5 py-4"}
      aria-label={engage ? `Confirm stopping ${copy.noun}` : `Confirm turning ${copy.noun} back on`}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
    >
      <p className="text-sm font-medium text-slate-800">
        {engage
          ? `Stop ${copy.noun} for everyone in your organization? ${copy.stops}`
          : `Turn ${copy.noun} back on? Paid calls resume from the next request, within today's budget.`}
      </p>
      <div className="max-w-xl">
        <Field label="Reason (kept in the audit log)" error={error ?? failure?.fieldErrors.reason}>
          {(p) => (
            <Input
              {...p}
              name="reason"
              autoFocus
              required
              minLength={3}
              maxLength={500}
              autoComplete="off"
              placeholder={engage ? "e.g. Unexpected spend spike, investigating" : "e.g. Issue resolved with provider"}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          )}
        </Field>
      </div>
      {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant={engage ? "danger" : "primary"} pending={set.isPending}>
          {engage ? `Yes, stop ${copy.noun}` : `Yes, turn ${copy.noun} on`}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel} disabled={set.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function LockIcon() {
  return (
    <svg viewBox="0 0 16 16" className="mr-1 size-3" fill="currentColor" aria-hidden>
      <path d="M5 7V5a3 3 0 1 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 1 0-3 0v2Z" />
    </svg>
  );
}
