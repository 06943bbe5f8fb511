"use client";

import Link from "next/link";
import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { formatCents } from "@/lib/money";
import { api, type RouterOutputs } from "@/trpc/react";
import { Ago, DateText } from "@/components/leads/bits";
import { formatPhone } from "@/components/shared/format";
import { OUTCOME_LABELS, OUTCOME_TONES, providerLabel, readPerson, type TracedPerson } from "./skip-trace-labels";

type HistoryRecord = RouterOutputs["skipTrace"]["history"][number];

/** Enrichment lineage: every skip-trace run of this lead, newest first. */
export function SkipTraceHistory({ leadId, canManage }: { leadId: string; canManage: boolean }) {
  const history = api.skipTrace.history.useQuery({ leadId });
  return (
    <Card title="Skip-trace history" description="Each lookup of this lead, what it found and what it cost.">
      <div data-testid="skip-trace-history">
        {history.isPending ? (
          <div className="space-y-2" aria-busy="true" aria-label="Loading skip-trace history">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        ) : history.error ? (
          <Alert tone="error">
            Couldn&apos;t load the history: {describeError(history.error).message}{" "}
            <button type="button" className="font-medium underline" onClick={() => void history.refetch()}>
              Try again
            </button>
          </Alert>
        ) : history.data.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="skip-trace-history-empty">
            Not skip traced yet.{canManage ? " Use “Skip trace” above to look up the owner's phones." : ""}
          </p>
        ) : (
          <ol className="-mx-5 divide-y divide-slate-100">
            {history.data.map((record) => (
              <HistoryItem key={record.id} record={record} />
            ))}
          </ol>
        )}
      </div>
    </Card>
  );
}

function HistoryItem({ record }: { record: HistoryRecord }) {
  const [open, setOpen] = useState(false);
  const persons = record.persons.map(readPerson);
  const panelId = `trace-${record.id}`;
  return (
    <li className="px-5 py-3 text-sm" data-testid="skip-trace-record">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={OUTCOME_TONES[record.outcome]}>{OUTCOME_LABELS[record.outcome]}</Badge>
          <span className="font-medium text-slate-900">{providerLabel(record.provider)}</span>
          <span className="text-slate-500">
            <DateText value={record.createdAt} /> · <Ago value={record.createdAt} />
          </span>
          {record.jobId && (
            <Link href={`/leads/skip-trace?job=${record.jobId}`} className="text-xs text-brand-700 hover:underline">
              bulk run
            </Link>
          )}
        </div>
        <div className="flex items-center gap-2">
          <span className="tabular-nums text-slate-700" data-testid="skip-trace-record-cost">
            {formatCents(record.costCents)}
          </span>
          {record.simulated && <Badge>Simulated</Badge>}
        </div>
      </div>
      <p className="mt-1 text-xs text-slate-500">
        {persons.length === 0 ? "No persons found" : `${persons.length} ${persons.length === 1 ? "person" : "persons"} found`}
        {record.confidence !== null && <> · confidence {Math.round(record.confidence)}%</>}
      </p>
      {record.error && <p className="mt-1 text-sm text-red-700">{record.error}</p>}
      {persons.length > 0 && (
        <>
          <Button variant="ghost" size="sm" className="-ml-2.5 mt-1 text-brand-700" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((v) => !v)}>
            {open ? "Hide persons" : "Show persons"}
          </Button>
          {open && (
            <ul id={panelId} className="mt-2 space-y-3">
              {persons.map((person, i) => (
                <PersonItem key={i} person={person} />
              ))}
            </ul>
          )}
        </>
      )}
    </li>
  );
}

function PersonItem({ person }: { person: TracedPerson }) {
  return (
    <li className="rounded-md border border-slate-200 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-900">{person.name}</span>
        {person.litigator && <Badge tone="red">TCPA litigator</Badge>}
        {person.deceased && <Badge tone="amber">Deceased</Badge>}
        {person.bankruptcy && <Badge tone="amber">Bankruptcy</Badge>}
      </div>
      {person.phones.length > 0 && (
        <ul className="mt-2 space-y-1">
          {person.phones.map((phone, i) => (
            <li key={`${phone.number}-${i}`} className="flex flex-wrap items-center gap-2 text-slate-700">
              <span className="tabular-nums">{formatPhone(phone.number)}</span>
              <span className="text-xs text-slate-500">
                {phone.type}
                {phone.carrier && ` · ${phone.carrier}`}
                {phone.score !== null && ` · score ${phone.score}`}
              </span>
              {phone.dnc && <Badge tone="red">DNC</Badge>}
              {phone.tcpa && <Badge tone="red">TCPA</Badge>}
            </li>
          ))}
        </ul>
      )}
      {person.emails.length > 0 && <p className="mt-1 text-xs text-slate-500">{person.emails.join(", ")}</p>}
    </li>
  );
}
