"use client";

import { PagedList } from "@/components/shared/paged-list";
import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Badge, Card } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { api } from "@/trpc/react";
import {
  CONSENT_PAGE_SIZE,
  consentExportUrl,
  dayBound,
  SOURCE_LABELS,
  TYPE_LABELS,
  type ConsentFilters,
  type ConsentLogType,
  type ConsentRow,
} from "./consent-labels";

const person = (p: { name: string | null; email: string } | null) => (p ? (p.name ?? p.email) : null);

function ConsentTable({ rows, onLead }: { rows: ConsentRow[]; onLead: (lead: { id: string; label: string }) => void }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="consent-table">
        <caption className="sr-only">Consent and revocation events, newest first</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">When</th>
            <th scope="col" className="py-2 pr-4 font-medium">Phone</th>
            <th scope="col" className="py-2 pr-4 font-medium">Event</th>
            <th scope="col" className="py-2 pr-4 font-medium">Evidence</th>
            <th scope="col" className="py-2 pr-4 font-medium">Lead</th>
            <th scope="col" className="py-2 font-medium">Recorded</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid={`consent-${row.id}`} className="align-top">
              <td className="whitespace-nowrap py-2 pr-4 text-slate-700">
                <Time value={row.occurredAt} />
              </td>
              <th scope="row" className="whitespace-nowrap py-2 pr-4 font-medium text-slate-900">
                {formatPhone(row.phone)}
              </th>
              <td className="whitespace-nowrap py-2 pr-4">
                <Badge tone={row.type === "revoked" ? "red" : "green"}>{TYPE_LABELS[row.type]}</Badge>
                <div className="mt-1 text-xs text-slate-500">{SOURCE_LABELS[row.source]}</div>
              </td>
              <td className="max-w-sm whitespace-pre-line break-words py-2 pr-4 text-slate-700">
                {row.evidence || <span className="text-slate-400">—</span>}
                {row.documentRef && <div className="mt-1 text-xs text-slate-500">Document: {row.documentRef}</div>}
              </td>
              <td className="max-w-xs py-2 pr-4 text-slate-700">
                {row.lead ? (
                  <button type="button" className="text-left text-brand-700 underline-offset-2 hover:underline" onClick={() => onLead(row.lead!)} title="Show only this lead's events">
                    {row.lead.label}
                    {row.lead.archived && <span className="ml-1 text-xs text-slate-500">(archived)</span>}
                  </button>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </td>
              <td className="whitespace-nowrap py-2 text-xs text-slate-500">
                <Time value={row.recordedAt} />
                <div>{person(row.actor) ?? (row.source === "start_reply" || row.source === "keyword" || row.source === "refusal" ? "Their reply" : "")}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The log with its filters and the CSV export of what it shows. */
/** `canExport`: managers and admins download the whole log (the export route refuses users). */
export function ConsentLog({ canExport }: { canExport: boolean }) {
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [type, setType] = useState<ConsentLogType | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [lead, setLead] = useState<{ id: string; label: string } | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const fromAt = dayBound(from, false);
  const toAt = dayBound(to, true);
  const filters: ConsentFilters = {
    ...(q ? { q } : {}),
    ...(type ? { type } : {}),
    ...(fromAt ? { from: fromAt } : {}),
    ...(toAt ? { to: toAt } : {}),
    ...(lead ? { leadId: lead.id } : {}),
  };
  const list = api.consent.list.useInfiniteQuery({ filters, limit: CONSENT_PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(q || type || fromAt || toAt || lead);
  const fieldErrors = list.error ? describeError(list.error).fieldErrors : {};

  return (
    <Card
      title="Consent log"
      description="Every consent and revocation, newest first: consents recorded here, opt-outs (STOP replies, refusals, carrier opt-outs, added or imported) and START replies. Kept at least 4 years."
      actions={
        canExport ? (
          <a href={consentExportUrl(filters)} className={secondaryLinkClass} data-testid="consent-export" download>
            Export CSV
          </a>
        ) : undefined
      }
    >
      <form className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter the consent log" onSubmit={(event) => event.preventDefault()}>
        <div className="w-48">
          <Field label="Phone contains" error={fieldErrors["filters.q"]}>
            {(p) => <Input {...p} type="search" inputMode="tel" placeholder="512 555" value={search} onChange={(e) => setSearch(e.target.value)} />}
          </Field>
        </div>
        <div className="w-56">
          <Field label="Event">
            {(p) => (
              <Select {...p} value={type} onChange={(e) => setType(e.target.value as ConsentLogType | "")}>
                <option value="">Any event</option>
                {(Object.keys(TYPE_LABELS) as ConsentLogType[]).map((value) => (
                  <option key={value} value={value}>{TYPE_LABELS[value]}</option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <div className="w-40">
          <Field label="From" error={fieldErrors["filters.from"]}>
            {(p) => <Input {...p} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}
          </Field>
        </div>
        <div className="w-40">
          <Field label="To" error={fieldErrors["filters.to"]}>
            {(p) => <Input {...p} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}
          </Field>
        </div>
        {lead && (
          <p className="text-sm text-slate-700">
            Lead: <span className="font-medium">{lead.label}</span>
          </p>
        )}
        {filtered && (
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setSearch("");
              setQ("");
              setType("");
              setFrom("");
              setTo("");
              setLead(null);
            }}
          >
            Clear filters
          </Button>
        )}
      </form>

      <PagedList list={list} count={rows.length} what="the consent log" emptyTestId="consent-empty" empty={filtered ? "No events match these filters." : "Nothing recorded yet. Record a consent above; opt-outs and START replies appear here by themselves."}>
        <ConsentTable rows={rows} onLead={setLead} />
      </PagedList>
    </Card>
  );
}
