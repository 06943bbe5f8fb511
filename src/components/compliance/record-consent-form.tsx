"use client";

import { useEffect, useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, inputClass, Select } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { TYPE_HINTS, TYPE_LABELS, type RecordedConsentType } from "./consent-labels";

type PickedLead = { id: string; label: string };

/** Finds a lead by address or owner (archived ones too) to attach the consent to; optional. */
function LeadPicker({ value, onChange, error }: { value: PickedLead | null; onChange: (lead: PickedLead | null) => void; error?: string[] }) {
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);
  const found = api.leads.list.useQuery({ filters: { q, archived: "include" }, limit: 6 }, { enabled: q.length >= 2 && !value });

  if (value) {
    return (
      <div className="space-y-1">
        <span className="block text-sm font-medium text-slate-700">Lead</span>
        <div className="flex items-center gap-2 text-sm">
          <span data-testid="consent-lead">{value.label}</span>
          <Button type="button" size="sm" variant="ghost" onClick={() => onChange(null)} aria-label={`Remove the lead ${value.label}`}>
            Change
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div>
      <Field label="Lead (optional)" error={error} hint="Search by address or owner; the consent covers the number either way.">
        {(p) => <Input {...p} type="search" autoComplete="off" placeholder="12 Oak St or Dana Park" value={search} onChange={(e) => setSearch(e.target.value)} />}
      </Field>
      {q.length >= 2 && (
        <div className="mt-1 text-sm" aria-live="polite">
          {found.isFetching && !found.data ? (
            <p className="text-slate-500">Searching…</p>
          ) : found.isError ? (
            <p className="text-red-700">{describeError(found.error).message}</p>
          ) : found.data && found.data.items.length === 0 ? (
            <p className="text-slate-500">No lead matches.</p>
          ) : (
            <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Matching leads">
              {found.data?.items.map((lead) => {
                const label = `${lead.addressLine1}, ${lead.city}${lead.ownerName ? ` — ${lead.ownerName}` : ""}`;
                return (
                  <li key={lead.id}>
                    <button
                      type="button"
                      className="w-full px-3 py-1.5 text-left hover:bg-slate-50 focus:bg-slate-50 focus:outline-none"
                      onClick={() => {
                        onChange({ id: lead.id, label });
                        setSearch("");
                      }}
                    >
                      {label}
                      {lead.archivedAt && <span className="ml-2 text-xs text-slate-500">(archived)</span>}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** Managers and admins: a consent someone gave, with its evidence. */
export function RecordConsentForm({ onRecorded }: { onRecorded: () => void }) {
  const [lead, setLead] = useState<PickedLead | null>(null);
  const [phone, setPhone] = useState("");
  const [type, setType] = useState<RecordedConsentType>("express_written");
  const [evidence, setEvidence] = useState("");
  const [documentRef, setDocumentRef] = useState("");
  const [occurredAt, setOccurredAt] = useState("");
  const record = api.consent.record.useMutation({
    onSuccess: () => {
      setPhone("");
      setEvidence("");
      setDocumentRef("");
      setOccurredAt("");
      setLead(null);
      onRecorded();
    },
  });
  const failure = record.error ? describeError(record.error) : null;
  const shownFieldErrors = ["phone", "evidence", "documentRef", "occurredAt", "type"];
  const otherFailure = failure && !shownFieldErrors.some((f) => failure.fieldErrors[f]) ? failure.message : null;

  return (
    <Card title="Record a consent" description="Who agreed to receive texts, how, and the proof. Kept at least 4 years, even after the lead is archived.">
      <form
        className="space-y-3"
        noValidate
        aria-label="Record a consent"
        onSubmit={(event) => {
          event.preventDefault();
          const at = occurredAt ? new Date(occurredAt) : undefined;
          record.mutate({
            phone,
            type,
            evidence,
            leadId: lead?.id ?? null,
            ...(documentRef.trim() ? { documentRef } : {}),
            ...(at && !Number.isNaN(at.getTime()) ? { occurredAt: at } : {}),
          });
        }}
      >
        <LeadPicker value={lead} onChange={setLead} error={failure?.fieldErrors.leadId} />
        <Field label="Phone number" error={failure?.fieldErrors.phone} hint="US or Canadian; any format, e.g. (512) 555-0142.">
          {(p) => <Input {...p} name="phone" type="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} required />}
        </Field>
        <Field label="Type of consent" error={failure?.fieldErrors.type} hint={TYPE_HINTS[type]}>
          {(p) => (
            <Select {...p} name="type" value={type} onChange={(e) => setType(e.target.value as RecordedConsentType)}>
              {(Object.keys(TYPE_HINTS) as RecordedConsentType[]).map((value) => (
                <option key={value} value={value}>{TYPE_LABELS[value]}</option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Evidence" error={failure?.fieldErrors.evidence} hint="What they agreed to, how and where — the record a lawyer will read.">
          {(p) => (
            <textarea
              {...p}
              name="evidence"
              rows={3}
              className={inputClass}
              value={evidence}
              onChange={(e) => setEvidence(e.target.value)}
              placeholder="Checked 'I agree to receive texts about my property' on the seller form"
              required
            />
          )}
        </Field>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Document reference (optional)" error={failure?.fieldErrors.documentRef} hint="A file name, a signed form's link, a call recording id.">
            {(p) => <Input {...p} name="documentRef" autoComplete="off" value={documentRef} onChange={(e) => setDocumentRef(e.target.value)} />}
          </Field>
          <Field label="When it was given" error={failure?.fieldErrors.occurredAt} hint="Your local time; now when left empty.">
            {(p) => <Input {...p} name="occurredAt" type="datetime-local" value={occurredAt} onChange={(e) => setOccurredAt(e.target.value)} />}
          </Field>
        </div>
        <Button type="submit" pending={record.isPending}>Record consent</Button>
        {otherFailure && <Alert tone="error">{otherFailure}</Alert>}
        {record.data && !record.isPending && !record.error && (
          <Alert tone="success">
            {TYPE_LABELS[record.data.event.type]} recorded for {formatPhone(record.data.event.phone)}.
          </Alert>
        )}
      </form>
    </Card>
  );
}
