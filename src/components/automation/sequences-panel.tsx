"use client";

import { useEffect, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, inputClass, Select } from "@/components/ui/field";
import { describeStep } from "@/lib/automation";
import { api, type RouterInputs, type RouterOutputs } from "@/trpc/react";
import { exitReasonLabel, LEAD_STATUS_LABELS, LEAD_STATUS_VALUES } from "./labels";

type Sequence = RouterOutputs["automation"]["sequences"]["sequences"][number];
type Options = RouterOutputs["automation"]["options"];
type SequenceInput = RouterInputs["automation"]["createSequence"];
type Step = SequenceInput["steps"][number];
type ExitStatus = SequenceInput["exitStatuses"][number];

const NEW_STEP: Step = { delayDays: 2, sendAt: "10:00", template: "Hi {{owner_first_name|there}}, just following up about {{property_address}}. Any interest in an offer? - {{brand}}" };
const EMPTY: SequenceInput = { name: "", campaignId: null, steps: [NEW_STEP], exitStatuses: ["interested", "dead"], enabled: true };

/** Follow-up sequences: the list with per-sequence counts, the steps editor, and the start on a selection of leads. */
export function SequencesPanel() {
  const [{ sequences, canEdit }] = api.automation.sequences.useSuspenseQuery();
  const [options] = api.automation.options.useSuspenseQuery();
  const [editing, setEditing] = useState<{ id: string | null; value: SequenceInput } | null>(null);
  const [starting, setStarting] = useState<Sequence | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Card
      title="Follow-up sequences"
      description={`Texts that follow a campaign's first message (or start on leads you pick), each after a delay in days at a set time on the recipient's clock (their area, else ${options.timeZone}). A recipient leaves when they reply, opt out, or their lead moves to an exit status. Every step is sent by the campaign dispatcher and passes the compliance checks right before it goes.`}
      actions={
        canEdit && !editing ? (
          <Button type="button" size="sm" onClick={() => (setNotice(null), setEditing({ id: null, value: EMPTY }))} data-testid="sequence-new">
            New sequence
          </Button>
        ) : null
      }
    >
      <div className="space-y-4">
        {!canEdit && <Alert>Managers and admins edit and start sequences.</Alert>}
        {notice && (
          <p className="text-sm text-emerald-700" role="status">
            {notice}
          </p>
        )}
        {editing && (
          <SequenceForm
            key={editing.id ?? "new"}
            id={editing.id}
            initial={editing.value}
            options={options}
            onCancel={() => setEditing(null)}
            onSaved={(name) => (setEditing(null), setNotice(`Saved “${name}”.`))}
          />
        )}
        {starting && <StartForm sequence={starting} options={options} onDone={(message) => (setStarting(null), setNotice(message))} onCancel={() => setStarting(null)} />}
        {sequences.length === 0 ? (
          <p className="py-4 text-center text-sm text-slate-500" data-testid="sequences-empty">
            No sequences yet.{canEdit ? " Create one to follow up on a campaign's recipients who have not answered." : ""}
          </p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="sequences-list">
            {sequences.map((sequence) => (
              <SequenceRow
                key={sequence.id}
                sequence={sequence}
                canEdit={canEdit}
                onEdit={() => (setNotice(null), setEditing({ id: sequence.id, value: { name: sequence.name, campaignId: sequence.campaignId, steps: sequence.steps, exitStatuses: sequence.exitStatuses, enabled: sequence.enabled } }))}
                onStart={() => (setNotice(null), setStarting(sequence))}
              />
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

function SequenceRow({ sequence, canEdit, onEdit, onStart }: { sequence: Sequence; canEdit: boolean; onEdit: () => void; onStart: () => void }) {
  const utils = api.useUtils();
  const [confirming, setConfirming] = useState(false);
  const refresh = () => utils.automation.sequences.invalidate();
  const toggle = api.automation.setSequenceEnabled.useMutation({ onSuccess: refresh });
  const remove = api.automation.deleteSequence.useMutation({ onSuccess: refresh });
  const error = toggle.error ?? remove.error;
  const { counts } = sequence;
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid="sequence">
      <div className="min-w-0 space-y-1">
        <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
          {sequence.name}
          <Badge tone={sequence.enabled ? "green" : "slate"}>{sequence.enabled ? "On" : "Off"}</Badge>
          <Badge tone="blue">{sequence.campaignName ? `After “${sequence.campaignName}”` : "Started on selections"}</Badge>
        </p>
        <ol className="list-decimal space-y-0.5 pl-5 text-sm text-slate-700">
          {sequence.steps.map((step, i) => (
            <li key={i}>
              <span className="text-slate-500">{describeStep(step)}:</span> {step.template}
            </li>
          ))}
        </ol>
        {sequence.exitStatuses.length > 0 && <p className="text-xs text-slate-500">Leaves when the lead moves to {sequence.exitStatuses.map((s) => LEAD_STATUS_LABELS[s]).join(", ")}.</p>}
        <p className="text-xs text-slate-600" data-testid="sequence-counts">
          {counts.active} active · {counts.completed} completed · {counts.exited} exited
          {counts.exited > 0 && ` (${Object.entries(counts.exitedBy).map(([reason, n]) => `${n} ${exitReasonLabel(reason)}`).join(", ")})`}
        </p>
        {error && <Alert tone="error">{describeError(error).message}</Alert>}
      </div>
      {canEdit && (
        <div className="flex shrink-0 flex-wrap gap-1">
          <Button type="button" size="sm" variant="secondary" onClick={onStart} aria-label={`Start ${sequence.name} on leads`}>
            Start on leads…
          </Button>
          <Button type="button" size="sm" variant="secondary" pending={toggle.isPending} onClick={() => toggle.mutate({ id: sequence.id, enabled: !sequence.enabled })} aria-label={`${sequence.enabled ? "Turn off" : "Turn on"} ${sequence.name}`}>
            {sequence.enabled ? "Turn off" : "Turn on"}
          </Button>
          <Button type="button" size="sm" variant="secondary" onClick={onEdit} aria-label={`Edit ${sequence.name}`}>
            Edit
          </Button>
          {confirming ? (
            <>
              <Button type="button" size="sm" variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: sequence.id })} aria-label={`Confirm delete ${sequence.name}`}>
                Delete
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>
                Keep
              </Button>
            </>
          ) : (
            <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(true)} aria-label={`Delete ${sequence.name}`}>
              Delete…
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

function SequenceForm({ id, initial, options, onCancel, onSaved }: { id: string | null; initial: SequenceInput; options: Options; onCancel: () => void; onSaved: (name: string) => void }) {
  const utils = api.useUtils();
  const [value, setValue] = useState<SequenceInput>(initial);
  const done = async () => {
    await utils.automation.sequences.invalidate();
    onSaved(value.name.trim());
  };
  const create = api.automation.createSequence.useMutation({ onSuccess: done });
  const update = api.automation.updateSequence.useMutation({ onSuccess: done });
  const failure = create.error ?? update.error;
  const errors = failure ? describeError(failure).fieldErrors : {};
  const setStep = (index: number, next: Partial<Step>) => setValue((v) => ({ ...v, steps: v.steps.map((s, i) => (i === index ? { ...s, ...next } : s)) }));
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (id) update.mutate({ ...value, id });
    else create.mutate(value);
  };
  return (
    <form onSubmit={submit} className="space-y-4 rounded-md border border-slate-200 bg-slate-50 p-4" aria-label={id ? "Edit sequence" : "New sequence"} data-testid="sequence-form">
      <Field label="Name" error={errors.name}>
        {(props) => <Input {...props} value={value.name} onChange={(e) => setValue({ ...value, name: e.target.value })} maxLength={80} required autoFocus />}
      </Field>
      <Field label="Follow up on" error={errors.campaignId} hint="A campaign's recipients enter once its first message to them is sent. Without a campaign, start it on leads from the list.">
        {(props) => (
          <Select {...props} value={value.campaignId ?? ""} onChange={(e) => setValue({ ...value, campaignId: e.target.value || null })}>
            <option value="">No campaign (start on selections)</option>
            {options.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.status})
              </option>
            ))}
          </Select>
        )}
      </Field>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-700">Steps</legend>
        {value.steps.map((step, index) => (
          <div key={index} className="space-y-2 rounded border border-slate-200 bg-white p-3" data-testid="sequence-step">
            <div className="flex flex-wrap items-end gap-3">
              <Field label={`Step ${index + 1}: days after the previous text`}>
                {(props) => <Input {...props} type="number" min={0} max={90} className="w-24" value={step.delayDays} onChange={(e) => setStep(index, { delayDays: Math.max(0, Number(e.target.value) || 0) })} />}
              </Field>
              <label className="flex items-center gap-1.5 pb-2 text-sm text-slate-700">
                <input type="checkbox" checked={step.sendAt !== null} onChange={(e) => setStep(index, { sendAt: e.target.checked ? "10:00" : null })} />
                at a set time
              </label>
              {step.sendAt !== null && (
                <Field label="Their local time">
                  {(props) => <Input {...props} type="time" className="w-32" value={step.sendAt ?? ""} onChange={(e) => setStep(index, { sendAt: e.target.value || null })} />}
                </Field>
              )}
              <Button type="button" size="sm" variant="ghost" disabled={value.steps.length === 1} onClick={() => setValue({ ...value, steps: value.steps.filter((_, i) => i !== index) })} aria-label={`Remove step ${index + 1}`}>
                Remove
              </Button>
            </div>
            <p className="text-xs text-slate-500">{describeStep(step)}</p>
            <Field label={`Step ${index + 1} message`} error={errors[`steps.${index}.template`]}>
              {(props) => <textarea {...props} className={inputClass} rows={2} maxLength={1600} value={step.template} onChange={(e) => setStep(index, { template: e.target.value })} />}
            </Field>
          </div>
        ))}
        {value.steps.length < 10 && (
          <Button type="button" size="sm" variant="secondary" onClick={() => setValue({ ...value, steps: [...value.steps, NEW_STEP] })}>
            Add a step
          </Button>
        )}
        {errors.steps && <p className="text-sm text-red-600">{errors.steps[0]}</p>}
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">Leave the sequence when the lead moves to</legend>
        <div className="flex flex-wrap gap-3">
          {LEAD_STATUS_VALUES.map((status) => (
            <label key={status} className="flex items-center gap-1.5 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={value.exitStatuses.includes(status as ExitStatus)}
                onChange={(e) =>
                  setValue({ ...value, exitStatuses: e.target.checked ? [...value.exitStatuses, status as ExitStatus] : value.exitStatuses.filter((s) => s !== status) })
                }
              />
              {LEAD_STATUS_LABELS[status]}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={value.enabled} onChange={(e) => setValue({ ...value, enabled: e.target.checked })} />
        On (new recipients enter)
      </label>
      {failure && Object.keys(errors).length === 0 && <Alert tone="error">{describeError(failure).message}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" pending={create.isPending || update.isPending} data-testid="sequence-save">
          {id ? "Save sequence" : "Create sequence"}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** Start a sequence on leads picked here (searched by address or owner; only leads with a phone). */
function StartForm({ sequence, options, onDone, onCancel }: { sequence: Sequence; options: Options; onDone: (message: string) => void; onCancel: () => void }) {
  const utils = api.useUtils();
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [senderId, setSenderId] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 300);
    return () => clearTimeout(timer);
  }, [q]);
  const leads = api.leads.list.useQuery({ filters: { textable: true, ...(debounced ? { q: debounced } : {}) }, limit: 20 });
  const start = api.automation.startSequence.useMutation({
    onSuccess: async (result) => {
      await Promise.all([utils.automation.sequences.invalidate(), utils.automation.options.invalidate()]);
      onDone(`Started “${sequence.name}” on ${result.enrolled} ${result.enrolled === 1 ? "lead" : "leads"}${result.skipped.length ? ` (${result.skipped.length} skipped: no textable phone or a duplicate)` : ""}. Its texts go out as the campaign “${sequence.name} (follow-up)”.`);
    },
  });
  const toggle = (id: string, label: string) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(id)) next.delete(id);
      else next.set(id, label);
      return next;
    });
  return (
    <section aria-label={`Start ${sequence.name} on leads`} className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-4" data-testid="sequence-start">
      <h3 className="text-sm font-semibold text-slate-800">Start “{sequence.name}” on leads</h3>
      <Field label="Find leads (address or owner)">
        {(props) => <Input {...props} value={q} onChange={(e) => setQ(e.target.value)} placeholder="Oak St" autoFocus />}
      </Field>
      {leads.isPending ? (
        <p className="text-sm text-slate-500">Loading leads…</p>
      ) : leads.error ? (
        <Alert tone="error">{describeError(leads.error).message}</Alert>
      ) : leads.data.items.length === 0 ? (
        <p className="text-sm text-slate-500">No leads with a phone match.</p>
      ) : (
        <ul className="max-h-56 space-y-1 overflow-y-auto">
          {leads.data.items.map((lead) => {
            const label = `${lead.addressLine1}${lead.ownerName ? ` — ${lead.ownerName}` : ""}`;
            return (
              <li key={lead.id}>
                <label className="flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" checked={selected.has(lead.id)} onChange={() => toggle(lead.id, label)} />
                  {label}
                </label>
              </li>
            );
          })}
        </ul>
      )}
      <Field label="Send from">
        {(props) => (
          <Select {...props} value={senderId ?? ""} onChange={(e) => setSenderId(e.target.value || null)}>
            <option value="">The organization&apos;s default sender</option>
            {options.senders.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {start.error && <Alert tone="error">{describeError(start.error).message}</Alert>}
      <div className="flex gap-2">
        <Button type="button" disabled={selected.size === 0} pending={start.isPending} onClick={() => start.mutate({ id: sequence.id, leadIds: [...selected.keys()], senderIdentityId: senderId })}>
          Start on {selected.size} {selected.size === 1 ? "lead" : "leads"}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </section>
  );
}
