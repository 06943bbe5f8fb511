"use client";

import { PagedList } from "@/components/shared/paged-list";
import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { RemoveWithReasonDialog } from "./remove-with-reason-dialog";
import { DNC_PAGE_SIZE, DNC_STATE_LABELS, dncExportUrl, person, type DncEntryRow } from "./dnc-labels";

type State = keyof typeof DNC_STATE_LABELS;

function AddDncForm({ onAdded }: { onAdded: () => void }) {
  const [phone, setPhone] = useState("");
  const [reason, setReason] = useState("");
  const add = api.dnc.add.useMutation({
    onSuccess: (result) => {
      if (result.created) {
        setPhone("");
        setReason("");
      }
      onAdded();
    },
  });
  const failure = add.error ? describeError(add.error) : null;
  const result = add.data;
  return (
    <form
      className="grid gap-3 md:grid-cols-[14rem_1fr_auto] md:items-start"
      aria-label="Add a number to the do-not-contact list"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ phone, reason });
      }}
    >
      <Field label="Phone number" error={failure?.fieldErrors.phone}>
        {(p) => <Input {...p} name="dnc-phone" type="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="(512) 555-0142" />}
      </Field>
      <Field label="Reason" error={failure?.fieldErrors.reason} hint="Who asked, how and when — kept with the number.">
        {(p) => <Input {...p} name="dnc-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Owner called Nov 3: never contact again" />}
      </Field>
      <div className="md:pt-6">
        <Button type="submit" pending={add.isPending}>Add to list</Button>
      </div>
      <div className="md:col-span-3" aria-live="polite">
        {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
        {result && !add.isPending && !add.error && (
          <Alert tone={result.created ? "success" : "info"}>
            {result.created
              ? `${formatPhone(result.entry.phone)} is on the do-not-contact list. Nothing will be sent to it.`
              : `${formatPhone(result.entry.phone)} was already on the list (${result.entry.reason}). Nothing changed.`}
          </Alert>
        )}
      </div>
    </form>
  );
}

function RemoveDncDialog({ row, onClose, onRemoved }: { row: DncEntryRow; onClose: () => void; onRemoved: () => void }) {
  const remove = api.dnc.remove.useMutation({ onSuccess: onRemoved });
  return (
    <RemoveWithReasonDialog
      testId="remove-dnc-dialog"
      title={`Remove ${formatPhone(row.phone)} from the do-not-contact list`}
      description={`Added for: ${row.reason}. Once removed the number can be contacted again (other DNC sources still apply). Your name, the time and the reason are recorded.`}
      confirmLabel="Remove from list"
      reasonLabel="Reason for removal"
      reasonHint="Why this number may be contacted again, with the evidence (form, recording, date)."
      placeholder="Signed consent form dated Nov 20, saved in the deal folder"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={(reason) => remove.mutate({ id: row.id, reason })}
      onClose={onClose}
    />
  );
}

function DncTable({ rows, canRemove, onRemove }: { rows: DncEntryRow[]; canRemove: boolean; onRemove: (row: DncEntryRow) => void }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="dnc-table">
        <caption className="sr-only">Internal do-not-contact list, newest first</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Phone</th>
            <th scope="col" className="py-2 pr-4 font-medium">Reason</th>
            <th scope="col" className="py-2 pr-4 font-medium">Added</th>
            <th scope="col" className="py-2 pr-4 font-medium">Status</th>
            <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid={`dnc-${row.phone}`} className="align-top">
              <th scope="row" className="whitespace-nowrap py-2 pr-4 font-medium text-slate-900">{formatPhone(row.phone)}</th>
              <td className="max-w-sm whitespace-pre-line break-words py-2 pr-4 text-slate-700">{row.reason}</td>
              <td className="whitespace-nowrap py-2 pr-4 text-slate-500">
                <Time value={row.createdAt} />
                <div className="text-xs">by {person(row.addedBy)}</div>
              </td>
              <td className="max-w-sm py-2 pr-4">
                {row.removed ? (
                  <div className="space-y-1">
                    <Badge tone="green">Removed</Badge>
                    <p className="text-xs text-slate-600"><Time value={row.removed.at} /> by {person(row.removed.by)}</p>
                    <p className="whitespace-pre-line break-words text-xs text-slate-600">{row.removed.reason}</p>
                  </div>
                ) : (
                  <Badge tone="red">Do not contact</Badge>
                )}
              </td>
              <td className="py-2 text-right">
                {canRemove && !row.removed && (
                  <Button size="sm" variant="secondary" onClick={() => onRemove(row)} aria-label={`Remove ${formatPhone(row.phone)} from the do-not-contact list`}>
                    Remove…
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The internal list: managers add, admins remove with a reason; filters by phone and status. */
export function DncInternalList({ canRemove }: { canRemove: boolean }) {
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [state, setState] = useState<State>("live");
  const [removing, setRemoving] = useState<DncEntryRow | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);
  const filters = { state, ...(q ? { q } : {}) };
  const list = api.dnc.list.useInfiniteQuery({ filters, limit: DNC_PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData });
  const utils = api.useUtils();
  const refresh = () => utils.dnc.list.invalidate();
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(q || state !== "live");

  return (
    <Card
      title="Internal do-not-contact list"
      description="Numbers your organization never contacts, whatever the registry says. Removing one needs a reason and is recorded."
      actions={
        <a href={dncExportUrl(filters)} className={secondaryLinkClass} data-testid="dnc-export" download>
          Export CSV
        </a>
      }
    >
      <AddDncForm onAdded={refresh} />
      <form className="mb-4 mt-6 flex flex-wrap items-end gap-3" role="search" aria-label="Filter the do-not-contact list" onSubmit={(event) => event.preventDefault()}>
        <div className="w-56">
          <Field label="Phone contains" error={list.error ? describeError(list.error).fieldErrors["filters.q"] : undefined}>
            {(p) => <Input {...p} type="search" inputMode="tel" placeholder="512 555" value={search} onChange={(e) => setSearch(e.target.value)} />}
          </Field>
        </div>
        <div className="w-56">
          <Field label="Status">
            {(p) => (
              <Select {...p} value={state} onChange={(e) => setState(e.target.value as State)}>
                {(Object.keys(DNC_STATE_LABELS) as State[]).map((value) => (
                  <option key={value} value={value}>{DNC_STATE_LABELS[value]}</option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        {filtered && (
          <Button type="button" variant="ghost" onClick={() => { setSearch(""); setQ(""); setState("live"); }}>Clear filters</Button>
        )}
      </form>
      <PagedList list={list} count={rows.length} what="the do-not-contact list" emptyTestId="dnc-empty" empty={filtered ? "No numbers match these filters." : "No numbers yet. Add one when someone asks never to be contacted."}>
        <DncTable rows={rows} canRemove={canRemove} onRemove={setRemoving} />
      </PagedList>
      {removing && (
        <RemoveDncDialog
          row={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            void refresh();
          }}
        />
      )}
    </Card>
  );
}
