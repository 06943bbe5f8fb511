"use client";

import { useEffect, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, inputClass, Select } from "@/components/ui/field";
import { RULE_REPLY_INTENTS } from "@/lib/automation";
import { MERGE_FIELDS } from "@/lib/sms-template";
import { api, type RouterInputs, type RouterOutputs } from "@/trpc/react";
import { FIRING_LABELS, intentLabel, LEAD_STATUS_LABELS, LEAD_STATUS_VALUES } from "./labels";

type Rule = RouterOutputs["automation"]["rules"]["rules"][number];
type Options = RouterOutputs["automation"]["options"];
type RuleInput = RouterInputs["automation"]["createRule"];

const EMPTY: RuleInput = { name: "", intents: [], phrases: [], campaignId: null, replyTemplate: "", setStatus: null, assignUserId: null, tagId: null, enabled: true };

/** Auto-responder rules: the list (first match fires), the editor, and the "what would fire" box. */
export function RulesPanel() {
  const [{ rules, canEdit }] = api.automation.rules.useSuspenseQuery();
  const [options] = api.automation.options.useSuspenseQuery();
  const [editing, setEditing] = useState<{ id: string | null; value: RuleInput } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Card
      title="Auto-responders"
      description="When a reply is classified a certain way or contains a phrase, reply with a template and/or update the lead. Rules are tried top to bottom; the first that matches fires, at most once per conversation in 24 hours, never after an opt-out. Every reply passes the same compliance checks as a campaign text."
      actions={
        canEdit && !editing ? (
          <Button type="button" size="sm" onClick={() => (setNotice(null), setEditing({ id: null, value: EMPTY }))} data-testid="rule-new">
            New rule
          </Button>
        ) : null
      }
    >
      <div className="space-y-4">
        {!canEdit && <Alert>Managers and admins edit auto-responders; you can see them and try the test box.</Alert>}
        {notice && (
          <p className="text-sm text-emerald-700" role="status">
            {notice}
          </p>
        )}
        {editing && (
          <RuleForm
            key={editing.id ?? "new"}
            id={editing.id}
            initial={editing.value}
            options={options}
            onCancel={() => setEditing(null)}
            onSaved={(name) => (setEditing(null), setNotice(`Saved “${name}”.`))}
          />
        )}
        {rules.length === 0 ? (
          <p className="py-4 text-center text-sm text-slate-500" data-testid="rules-empty">
            No auto-responders yet.{canEdit ? " Create one, e.g. reply to “interested” with a call-back question and move the lead to Interested." : ""}
          </p>
        ) : (
          <ol className="divide-y divide-slate-100" data-testid="rules-list">
            {rules.map((rule, index) => (
              <RuleRow
                key={rule.id}
                rule={rule}
                first={index === 0}
                last={index === rules.length - 1}
                canEdit={canEdit}
                options={options}
                onEdit={() => (setNotice(null), setEditing({ id: rule.id, value: toInput(rule) }))}
              />
            ))}
          </ol>
        )}
        <TestBox campaigns={options.campaigns} />
      </div>
    </Card>
  );
}

function toInput(rule: Rule): RuleInput {
  return {
    name: rule.name,
    intents: rule.intents as RuleInput["intents"],
    phrases: rule.phrases,
    campaignId: rule.campaignId,
    replyTemplate: rule.replyTemplate ?? "",
    setStatus: rule.setStatus,
    assignUserId: rule.assignUserId,
    tagId: rule.tagId,
    enabled: rule.enabled,
  };
}

function RuleRow({ rule, first, last, canEdit, options, onEdit }: { rule: Rule; first: boolean; last: boolean; canEdit: boolean; options: Options; onEdit: () => void }) {
  const utils = api.useUtils();
  const [confirming, setConfirming] = useState(false);
  const [history, setHistory] = useState(false);
  const refresh = () => utils.automation.rules.invalidate();
  const toggle = api.automation.setRuleEnabled.useMutation({ onSuccess: refresh });
  const move = api.automation.moveRule.useMutation({ onSuccess: refresh });
  const remove = api.automation.deleteRule.useMutation({ onSuccess: refresh });
  const error = toggle.error ?? move.error ?? remove.error;
  const when = [...rule.intents.map((i) => `reads as ${intentLabel(i).toLowerCase()}`), ...rule.phrases.map((p) => `contains “${p}”`)].join(" or ");
  const actions = [
    rule.replyTemplate ? `reply “${rule.replyTemplate}”` : null,
    rule.setStatus ? `set status ${LEAD_STATUS_LABELS[rule.setStatus]}` : null,
    rule.assignUserId ? `assign ${options.members.find((m) => m.id === rule.assignUserId)?.name ?? "a teammate"}` : null,
    rule.tagId ? `tag ${options.tags.find((t) => t.id === rule.tagId)?.name ?? "a tag"}` : null,
  ].filter(Boolean);
  const fired = Object.entries(rule.firings7d);
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid="rule">
      <div className="min-w-0 space-y-1">
        <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
          {rule.name}
          <Badge tone={rule.enabled ? "green" : "slate"}>{rule.enabled ? "On" : "Off"}</Badge>
          {rule.campaignName && <Badge tone="blue">{rule.campaignName}</Badge>}
        </p>
        <p className="text-sm text-slate-700">
          When the reply {when}
          {rule.campaignName ? ` on “${rule.campaignName}”` : " on any conversation"}: {actions.join(", ")}.
        </p>
        <p className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
          Last 7 days: {fired.length ? fired.map(([status, n]) => `${n} ${FIRING_LABELS[status] ?? status}`).join(" · ") : "never fired"}
          {rule.lastFiredAt && (
            <button type="button" className="text-brand-700 underline" aria-expanded={history} onClick={() => setHistory((h) => !h)}>
              {history ? "Hide history" : "History"}
            </button>
          )}
        </p>
        {history && <FiringHistory ruleId={rule.id} />}
        {error && <Alert tone="error">{describeError(error).message}</Alert>}
      </div>
      {canEdit && (
        <div className="flex shrink-0 flex-wrap gap-1">
          <Button type="button" size="sm" variant="ghost" disabled={first} pending={move.isPending && move.variables?.direction === "up"} onClick={() => move.mutate({ id: rule.id, direction: "up" })} aria-label={`Move ${rule.name} up`}>
            ↑
          </Button>
          <Button type="button" size="sm" variant="ghost" disabled={last} pending={move.isPending && move.variables?.direction === "down"} onClick={() => move.mutate({ id: rule.id, direction: "down" })} aria-label={`Move ${rule.name} down`}>
            ↓
          </Button>
          <Button type="button" size="sm" variant="secondary" pending={toggle.isPending} onClick={() => toggle.mutate({ id: rule.id, enabled: !rule.enabled })} aria-label={`${rule.enabled ? "Turn off" : "Turn on"} ${rule.name}`}>
            {rule.enabled ? "Turn off" : "Turn on"}
          </Button>
          <Button type="button" size="sm" variant="secondary" onClick={onEdit} aria-label={`Edit ${rule.name}`}>
            Edit
          </Button>
          {confirming ? (
            <>
              <Button type="button" size="sm" variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: rule.id })} aria-label={`Confirm delete ${rule.name}`}>
                Delete
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>
                Keep
              </Button>
            </>
          ) : (
            <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(true)} aria-label={`Delete ${rule.name}`}>
              Delete…
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** The rule's last 50 firings: what happened each time and why (a compliance block names its reason). */
function FiringHistory({ ruleId }: { ruleId: string }) {
  const firings = api.automation.ruleFirings.useQuery({ id: ruleId });
  if (firings.isPending) return <p className="text-xs text-slate-500">Loading…</p>;
  if (firings.error) return <Alert tone="error">{describeError(firings.error).message}</Alert>;
  return (
    <ul className="space-y-0.5 text-xs text-slate-600" data-testid="rule-history">
      {firings.data.firings.map((f) => (
        <li key={f.id}>
          <time dateTime={f.createdAt.toISOString()}>{f.createdAt.toLocaleString()}</time> — {FIRING_LABELS[f.status] ?? f.status}: {f.reasonMessage ?? f.matchReason}
        </li>
      ))}
    </ul>
  );
}

function RuleForm({ id, initial, options, onCancel, onSaved }: { id: string | null; initial: RuleInput; options: Options; onCancel: () => void; onSaved: (name: string) => void }) {
  const utils = api.useUtils();
  const [value, setValue] = useState<RuleInput>(initial);
  const [phrases, setPhrases] = useState(initial.phrases.join("\n"));
  const done = async () => {
    await utils.automation.rules.invalidate();
    onSaved(value.name.trim());
  };
  const create = api.automation.createRule.useMutation({ onSuccess: done });
  const update = api.automation.updateRule.useMutation({ onSuccess: done });
  const failure = create.error ?? update.error;
  const errors = failure ? describeError(failure).fieldErrors : {};
  const set = <K extends keyof RuleInput>(key: K, next: RuleInput[K]) => setValue((v) => ({ ...v, [key]: next }));
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const input = { ...value, phrases: phrases.split("\n").map((p) => p.trim()).filter(Boolean), replyTemplate: value.replyTemplate?.trim() || null };
    if (id) update.mutate({ ...input, id });
    else create.mutate(input);
  };
  return (
    <form onSubmit={submit} className="space-y-4 rounded-md border border-slate-200 bg-slate-50 p-4" aria-label={id ? "Edit rule" : "New rule"} data-testid="rule-form">
      <Field label="Name" error={errors.name}>
        {(props) => <Input {...props} value={value.name} onChange={(e) => set("name", e.target.value)} maxLength={80} required autoFocus />}
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">When the reply reads as</legend>
        <div className="flex flex-wrap gap-3">
          {RULE_REPLY_INTENTS.map((intent) => (
            <label key={intent} className="flex items-center gap-1.5 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={value.intents.includes(intent)}
                onChange={(e) => set("intents", e.target.checked ? [...value.intents, intent] : value.intents.filter((i) => i !== intent))}
              />
              {intentLabel(intent)}
            </label>
          ))}
        </div>
        {errors.intents && <p className="text-sm text-red-600">{errors.intents[0]}</p>}
      </fieldset>
      <Field label="…or contains one of these phrases (one per line, whole words, any case)" error={errors.phrases}>
        {(props) => <textarea {...props} className={inputClass} rows={3} value={phrases} onChange={(e) => setPhrases(e.target.value)} placeholder={"how much\ncall me"} />}
      </Field>
      <Field label="On" hint="A campaign's rule only answers replies in conversations whose last campaign text was that campaign's.">
        {(props) => (
          <Select {...props} value={value.campaignId ?? ""} onChange={(e) => set("campaignId", e.target.value || null)}>
            <option value="">Any conversation</option>
            {options.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Reply with (optional)" error={errors.replyTemplate} hint={`Merge fields: ${MERGE_FIELDS.map((f) => `{{${f.name}}}`).join(" ")} — add a fallback with {{owner_first_name|there}}.`}>
        {(props) => <textarea {...props} className={inputClass} rows={3} maxLength={1600} value={value.replyTemplate ?? ""} onChange={(e) => set("replyTemplate", e.target.value)} />}
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Set the lead's status">
          {(props) => (
            <Select {...props} value={value.setStatus ?? ""} onChange={(e) => set("setStatus", (e.target.value || null) as RuleInput["setStatus"])}>
              <option value="">Leave as is</option>
              {LEAD_STATUS_VALUES.map((s) => (
                <option key={s} value={s}>
                  {LEAD_STATUS_LABELS[s]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Assign to">
          {(props) => (
            <Select {...props} value={value.assignUserId ?? ""} onChange={(e) => set("assignUserId", e.target.value || null)}>
              <option value="">Nobody new</option>
              {options.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Tag with">
          {(props) => (
            <Select {...props} value={value.tagId ?? ""} onChange={(e) => set("tagId", e.target.value || null)}>
              <option value="">No tag</option>
              {options.tags.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={value.enabled} onChange={(e) => set("enabled", e.target.checked)} />
        On
      </label>
      {failure && Object.keys(errors).length === 0 && <Alert tone="error">{describeError(failure).message}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" pending={create.isPending || update.isPending} data-testid="rule-save">
          {id ? "Save rule" : "Create rule"}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** "What would fire": type a reply, see its intent and each rule's answer (nothing is sent). */
function TestBox({ campaigns }: { campaigns: Options["campaigns"] }) {
  const [body, setBody] = useState("");
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(body.trim()), 300);
    return () => clearTimeout(timer);
  }, [body]);
  const test = api.automation.testRules.useQuery({ body: debounced, campaignId }, { enabled: debounced.length > 0 });
  return (
    <section aria-labelledby="rule-test-title" className="space-y-3 rounded-md border border-dashed border-slate-300 p-4" data-testid="rule-test">
      <h3 id="rule-test-title" className="text-sm font-semibold text-slate-800">
        What would fire?
      </h3>
      <div className="grid gap-3 sm:grid-cols-[2fr_1fr]">
        <Field label="A reply">
          {(props) => <Input {...props} value={body} onChange={(e) => setBody(e.target.value)} placeholder="Yes I might sell, how much?" maxLength={1600} />}
        </Field>
        <Field label="In a conversation of">
          {(props) => (
            <Select {...props} value={campaignId ?? ""} onChange={(e) => setCampaignId(e.target.value || null)}>
              <option value="">No campaign</option>
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <div aria-live="polite">
        {!debounced ? (
          <p className="text-sm text-slate-500">Type a reply to see which rule would answer it and why.</p>
        ) : test.isPending ? (
          <p className="text-sm text-slate-500">Checking…</p>
        ) : test.error ? (
          <Alert tone="error">{describeError(test.error).message}</Alert>
        ) : test.data ? (
          <div className="space-y-2 text-sm" data-testid="rule-test-result">
            <p>
              Reads as <strong>{intentLabel(test.data.intent)}</strong>: {test.data.intentReason}
            </p>
            {test.data.blockedReason ? (
              <Alert tone="warning">{test.data.blockedReason}</Alert>
            ) : test.data.match ? (
              <p className="text-emerald-800">
                <strong>{test.data.match.ruleName}</strong> fires: {test.data.match.reason}
                {test.data.match.reply && <span className="mt-1 block rounded bg-white p-2 text-slate-800">“{test.data.match.reply}”</span>}
              </p>
            ) : (
              <p className="text-slate-600">No rule fires.</p>
            )}
            {test.data.verdicts.length > 0 && (
              <ul className="space-y-0.5 text-xs text-slate-600">
                {test.data.verdicts.map((v) => (
                  <li key={v.ruleId}>
                    {v.matched ? "✓" : "–"} {v.ruleName}: {v.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ) : null}
      </div>
    </section>
  );
}
