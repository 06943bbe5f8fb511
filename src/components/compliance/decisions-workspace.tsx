"use client";

import { PagedList } from "@/components/shared/paged-list";
import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { api } from "@/trpc/react";
import {
  DECISIONS_PAGE_SIZE,
  decisionsExportUrl,
  KIND_LABELS,
  OUTCOME_LABELS,
  REASON_LABELS,
  type DecisionFilters,
  type DecisionKind,
  type DecisionOutcome,
  type DecisionReason,
  type DecisionRow,
} from "./decisions-labels";

const OUTCOME_TONE = { allowed: "green", blocked: "red", deferred: "amber" } as const;

/** "2026-12-01" (a date input, the browser's day) → its start as an instant. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`) : undefined);
const nextDayStart = (day: string) => {
  const start = dayStart(day);
  return start ? new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1) : undefined;
};

/** The decision log with its filters, paging and CSV export (managers and admins). */
export function DecisionsWorkspace() {
  const [outcome, setOutcome] = useState<DecisionOutcome | "">("");
  const [kind, setKind] = useState<DecisionKind | "">("");
  const [reason, setReason] = useState<DecisionReason | "">("");
  const [phoneText, setPhoneText] = useState("");
  const [phone, setPhone] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setPhone(phoneText.trim()), 300);
    return () => clearTimeout(timer);
  }, [phoneText]);

  const filters: DecisionFilters = {
    ...(outcome ? { outcome } : {}),
    ...(kind ? { kind } : {}),
    ...(reason ? { reason } : {}),
    ...(phone ? { phone } : {}),
    ...(from ? { from: dayStart(from) } : {}),
    ...(to ? { to: nextDayStart(to) } : {}),
  };
  const filtered = Object.keys(filters).length > 0;
  const list = api.sendDecisions.list.useInfiniteQuery({ filters, limit: DECISIONS_PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const fieldErrors = list.error ? describeError(list.error).fieldErrors : {};

  return (
    <Card
      title="Decision log"
      description="Every send decision, newest first: allowed, blocked with the reason, or deferred until the window opens, with the rule that decided and its source."
      actions={
        <a href={decisionsExportUrl(filters)} className={secondaryLinkClass} data-testid="decisions-export" download>
          Export CSV
        </a>
      }
    >
      <form className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter decisions" onSubmit={(event) => event.preventDefault()}>
        <div className="w-40">
          <Field label="Outcome">
            {(p) => (
              <Select {...p} value={outcome} onChange={(e) => setOutcome(e.target.value as DecisionOutcome | "")}>
                <option value="">Any outcome</option>
                {(Object.keys(OUTCOME_LABELS) as DecisionOutcome[]).map((value) => <option key={value} value={value}>{OUTCOME_LABELS[value]}</option>)}
              </Select>
            )}
          </Field>
        </div>
        <div className="w-48">
          <Field label="Kind">
            {(p) => (
              <Select {...p} value={kind} onChange={(e) => setKind(e.target.value as DecisionKind | "")}>
                <option value="">Any kind</option>
                {(Object.keys(KIND_LABELS) as DecisionKind[]).map((value) => <option key={value} value={value}>{KIND_LABELS[value]}</option>)}
              </Select>
            )}
          </Field>
        </div>
        <div className="w-48">
          <Field label="Reason">
            {(p) => (
              <Select {...p} value={reason} onChange={(e) => setReason(e.target.value as DecisionReason | "")}>
                <option value="">Any reason</option>
                {(Object.keys(REASON_LABELS) as DecisionReason[]).map((value) => <option key={value} value={value}>{REASON_LABELS[value]}</option>)}
              </Select>
            )}
          </Field>
        </div>
        <div className="w-44">
          <Field label="Phone contains" error={fieldErrors["filters.phone"]}>
            {(p) => <Input {...p} type="search" inputMode="tel" placeholder="305 555" value={phoneText} onChange={(e) => setPhoneText(e.target.value)} />}
          </Field>
        </div>
        <div className="w-40"><Field label="From">{(p) => <Input {...p} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field></div>
        <div className="w-40"><Field label="To">{(p) => <Input {...p} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field></div>
        {filtered && (
          <Button type="button" variant="ghost" onClick={() => { setOutcome(""); setKind(""); setReason(""); setPhoneText(""); setPhone(""); setFrom(""); setTo(""); }}>
            Clear filters
          </Button>
        )}
      </form>

      <PagedList list={list} count={rows.length} what="the decision log" emptyTestId="decisions-empty" empty={filtered ? "No decisions match these filters." : "No texts have been decided yet. Every send — campaigns, inbox replies, auto-replies — will be recorded here."}>
        <DecisionsTable rows={rows} />
      </PagedList>
    </Card>
  );
}

function DecisionsTable({ rows }: { rows: DecisionRow[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="decisions-table">
        <caption className="sr-only">Send decisions, newest first</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Decided</th>
            <th scope="col" className="py-2 pr-4 font-medium">Phone</th>
            <th scope="col" className="py-2 pr-4 font-medium">Kind</th>
            <th scope="col" className="py-2 pr-4 font-medium">Outcome</th>
            <th scope="col" className="py-2 pr-4 font-medium">Why</th>
            <th scope="col" className="py-2 pr-4 font-medium">Rule and source</th>
            <th scope="col" className="py-2 font-medium">By</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} className="align-top" data-testid="decision-row">
              <td className="whitespace-nowrap py-2 pr-4 text-slate-500"><Time value={row.decidedAt} /></td>
              <th scope="row" className="whitespace-nowrap py-2 pr-4 font-medium text-slate-900">
                {formatPhone(row.phone)}
                {row.lead && <div className="text-xs font-normal text-slate-500">{row.lead.label}</div>}
              </th>
              <td className="whitespace-nowrap py-2 pr-4">{KIND_LABELS[row.kind as DecisionKind] ?? row.kind}</td>
              <td className="whitespace-nowrap py-2 pr-4">
                <Badge tone={OUTCOME_TONE[row.outcome as DecisionOutcome] ?? "slate"}>{OUTCOME_LABELS[row.outcome as DecisionOutcome] ?? row.outcome}</Badge>
                {row.deferredUntil && <div className="mt-1 text-xs text-slate-500">until <Time value={row.deferredUntil} /></div>}
              </td>
              <td className="max-w-md py-2 pr-4 text-slate-700">{row.message ?? <span className="text-slate-400">—</span>}</td>
              <td className="max-w-xs py-2 pr-4 text-slate-700">
                {row.ruleName ? (
                  <>
                    <div className="font-medium">{row.ruleName}</div>
                    <div className="text-xs text-slate-500">{row.ruleSource}</div>
                  </>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </td>
              <td className="whitespace-nowrap py-2 text-slate-500">{row.actor ? (row.actor.name ?? row.actor.email) : row.campaignId ? `Campaign ${row.campaignId}` : "Automatic"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
