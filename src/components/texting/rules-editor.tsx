"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Input, inputClass, Select } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { SMS_REPLY_KINDS, WILDCARD_MAX_WORDS, type SmsReplyKind } from "@/lib/sms-replies";
import { api, type RouterOutputs } from "@/trpc/react";
import {
  fromDrafts,
  KEYWORD_KIND_LIST,
  KIND_LABELS,
  newRuleDraft,
  noProblems,
  problemCount,
  problemsFromFieldErrors,
  toDrafts,
  validateDraft,
  type DraftProblems,
  type RuleDraft,
} from "./rule-draft";
import type { SmsSettings } from "./texting-settings";

export const KIND_TONE: Record<SmsReplyKind | "none", "slate" | "green" | "amber" | "red" | "blue"> = {
  opt_out: "red",
  refusal: "red",
  wrong_number: "amber",
  opt_in: "green",
  help: "blue",
  review: "amber",
  none: "slate",
};

/** The rules editor and the "Try a message" box share the draft: trying shows what the draft would do. */
export function ReplyRulesSection({ settings }: { settings: SmsSettings }) {
  const utils = api.useUtils();
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => toDrafts(settings.rules));
  const [serverProblems, setServerProblems] = useState<DraftProblems>(noProblems);
  const [notice, setNotice] = useState<string | null>(null);
  const [openKeys, setOpenKeys] = useState<Set<string>>(() => new Set());
  const savedJson = useMemo(() => JSON.stringify(settings.rules), [settings.rules]);
  const draftJson = JSON.stringify(fromDrafts(drafts));
  const dirty = draftJson !== savedJson;
  const local = useMemo(() => validateDraft(drafts), [drafts]);

  const update = api.smsSettings.updateRules.useMutation({
    onSuccess: (next, input) => {
      utils.smsSettings.get.setData(undefined, next);
      setDrafts(toDrafts(next.rules));
      setServerProblems(noProblems());
      setNotice(input.ruleSet === null ? "Reset to LeadFlow's default rules." : "Saved. New inbound texts are classified with these rules.");
    },
    onError: (error) => {
      const data = (error as { data?: { zodIssues?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] } | null } }).data;
      const issues = data?.zodIssues;
      const problems = issues ? problemsFromFieldErrors(issues.fieldErrors ?? {}, issues.formErrors ?? []) : { form: [describeError(error).message], rules: {} };
      if (problemCount(problems) === 0) problems.form.push(describeError(error).message);
      setServerProblems(problems);
      // Open every rule the server found fault with, so its message is visible.
      setOpenKeys((current) => new Set([...current, ...Object.keys(problems.rules).map((index) => drafts[Number(index)]?.key ?? "")]));
    },
  });

  const edit = (key: string, patch: Partial<RuleDraft>) => {
    setNotice(null);
    setServerProblems(noProblems());
    setDrafts((current) => current.map((draft) => (draft.key === key ? { ...draft, ...patch } : draft)));
  };

  const problems = serverProblems;
  const count = problemCount(problems);

  return (
    <>
      <Card
        title="Reply rules"
        description="How inbound texts are read. Phrases are plain words (not regular expressions); * stands for up to three words. Whole-message rules match only when the entire text is the phrase."
        actions={<Badge tone={settings.customisedRules ? "blue" : "slate"}>{settings.customisedRules ? "Customised" : "Defaults"}</Badge>}
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setNotice(null);
            update.mutate({ ruleSet: fromDrafts(drafts) });
          }}
          className="space-y-4"
        >
          {count > 0 && (
            <Alert tone="error">
              <p className="font-medium">Not saved: {count === 1 ? "1 problem" : `${count} problems`}.</p>
              {problems.form.length > 0 && (
                <ul className="mt-1 list-disc pl-5">
                  {problems.form.map((message) => (
                    <li key={message}>{message}</li>
                  ))}
                </ul>
              )}
              {Object.keys(problems.rules).length > 0 && <p className="mt-1">The rules at fault are opened below, with each message under its field.</p>}
            </Alert>
          )}
          <ol className="space-y-2" aria-label="Rules">
            {drafts.map((draft, index) => (
              <RuleEditor
                key={draft.key}
                draft={draft}
                index={index}
                open={openKeys.has(draft.key)}
                onToggle={(open) => setOpenKeys((current) => (open ? new Set([...current, draft.key]) : new Set([...current].filter((k) => k !== draft.key))))}
                problems={problems.rules[index] ?? {}}
                onChange={(patch) => edit(draft.key, patch)}
                onRemove={() => {
                  setNotice(null);
                  setServerProblems(noProblems());
                  setDrafts((current) => current.filter((d) => d.key !== draft.key));
                }}
              />
            ))}
          </ol>
          <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                const rule = newRuleDraft(drafts);
                setDrafts((current) => [...current, rule]);
                setOpenKeys((current) => new Set([...current, rule.key]));
                setNotice(null);
              }}
            >
              Add a rule
            </Button>
            <Button type="submit" pending={update.isPending && update.variables?.ruleSet !== null} disabled={!dirty}>
              Save rules
            </Button>
            {dirty && (
              <Button
                type="button"
                variant="ghost"
                onClick={() => {
                  setDrafts(toDrafts(settings.rules));
                  setServerProblems(noProblems());
                }}
              >
                Discard changes
              </Button>
            )}
            {settings.customisedRules && (
              <Button
                type="button"
                variant="ghost"
                pending={update.isPending && update.variables?.ruleSet === null}
                onClick={() => {
                  setNotice(null);
                  update.mutate({ ruleSet: null });
                }}
              >
                Reset to defaults
              </Button>
            )}
            {dirty && <span className="text-sm text-amber-700">Unsaved changes</span>}
            {notice && (
              <span className="text-sm text-emerald-700" role="status">
                {notice}
              </span>
            )}
          </div>
        </form>
      </Card>
      <TryMessageCard draftRuleSet={dirty ? local.ruleSet : null} draftInvalid={dirty && local.ruleSet === null} />
    </>
  );
}

function lineCount(text: string): number {
  return text.split(/\r?\n/).filter((line) => line.trim()).length;
}

function RuleEditor({
  draft,
  index,
  open,
  onToggle,
  problems,
  onChange,
  onRemove,
}: {
  draft: RuleDraft;
  index: number;
  open: boolean;
  onToggle: (open: boolean) => void;
  problems: Partial<Record<keyof RuleDraft, string[]>>;
  onChange: (patch: Partial<RuleDraft>) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const keyword = KEYWORD_KIND_LIST.includes(draft.kind);
  const phraseCount = lineCount(draft.phrases);
  const faulty = Object.keys(problems).length > 0;
  return (
    <li data-testid={`rule-${draft.id || index}`}>
      <details
        open={open}
        onToggle={(event) => {
          const nowOpen = (event.currentTarget as HTMLDetailsElement).open;
          if (nowOpen !== open) onToggle(nowOpen);
        }}
        className={cn("rounded-md border", faulty ? "border-red-300" : "border-slate-200")}
      >
        <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
          <RuleSummary id={draft.id} kind={draft.kind} match={draft.match} phraseCount={phraseCount} />
          {faulty && <Badge tone="red">Needs a fix</Badge>}
        </summary>
        <div className="grid gap-4 border-t border-slate-100 px-3 py-3 md:grid-cols-2">
          <RuleField id={`${id}-id`} label="Rule id" problems={problems.id} hint="Lowercase letters, digits and hyphens; shown in the audit trail.">
            {(p) => <Input {...p} value={draft.id} spellCheck={false} onChange={(e) => onChange({ id: e.target.value })} />}
          </RuleField>
          <div className="grid grid-cols-2 gap-3">
            <RuleField id={`${id}-kind`} label="Kind" problems={problems.kind} hint={KIND_LABELS[draft.kind].help}>
              {(p) => (
                <Select
                  {...p}
                  value={draft.kind}
                  onChange={(e) => {
                    const kind = e.target.value as SmsReplyKind;
                    onChange(KEYWORD_KIND_LIST.includes(kind) ? { kind, match: "whole_body" } : { kind });
                  }}
                >
                  {SMS_REPLY_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {KIND_LABELS[kind].label}
                    </option>
                  ))}
                </Select>
              )}
            </RuleField>
            <RuleField id={`${id}-match`} label="Match" problems={problems.match} hint={keyword ? "Keywords match the whole message only." : undefined}>
              {(p) => (
                <Select {...p} value={draft.match} onChange={(e) => onChange({ match: e.target.value as RuleDraft["match"] })}>
                  <option value="whole_body">Whole message</option>
                  <option value="contains" disabled={keyword}>
                    Anywhere in the message
                  </option>
                </Select>
              )}
            </RuleField>
          </div>
          <RuleField id={`${id}-phrases`} label="Phrases (one per line)" problems={problems.phrases} hint={`Letters, digits, apostrophes, hyphens; * for up to ${WILDCARD_MAX_WORDS} words between two words.`}>
            {(p) => <textarea {...p} rows={Math.min(10, Math.max(3, phraseCount + 1))} value={draft.phrases} spellCheck={false} onChange={(e) => onChange({ phrases: e.target.value })} className={cn(inputClass, "font-mono")} />}
          </RuleField>
          <div className="space-y-4">
            <RuleField id={`${id}-unless`} label="Unless it overlaps (one per line)" problems={problems.unless} hint="Guards such as “dont stop”: a match inside one goes to review instead.">
              {(p) => <textarea {...p} rows={3} value={draft.unless} spellCheck={false} onChange={(e) => onChange({ unless: e.target.value })} className={cn(inputClass, "font-mono")} />}
            </RuleField>
            <RuleField id={`${id}-anywhere`} label="Unless the message also says (one per line)" problems={problems.unlessAnywhere} hint="Anywhere in the message, these set the rule aside (to review).">
              {(p) => <textarea {...p} rows={2} value={draft.unlessAnywhere} spellCheck={false} onChange={(e) => onChange({ unlessAnywhere: e.target.value })} className={cn(inputClass, "font-mono")} />}
            </RuleField>
          </div>
          <div className="md:col-span-2">
            <RuleField id={`${id}-explanation`} label="Explanation" problems={problems.explanation} hint="Why the rule exists; shown in the audit trail and the review queue.">
              {(p) => <Input {...p} value={draft.explanation} maxLength={300} onChange={(e) => onChange({ explanation: e.target.value })} />}
            </RuleField>
          </div>
          <div className="md:col-span-2">
            <Button type="button" size="sm" variant="secondary" onClick={onRemove} aria-label={`Remove rule ${draft.id || index + 1}`}>
              Remove rule
            </Button>
          </div>
        </div>
      </details>
    </li>
  );
}

/** A rule's one-line summary (its id, kind, match and phrase count): the editor's and the read-only view's. */
export function RuleSummary({ id, kind, match, phraseCount }: { id: string; kind: SmsReplyKind; match: RuleDraft["match"]; phraseCount: number }) {
  return (
    <>
      <span className="font-mono text-slate-900">{id || "(no id)"}</span>
      <Badge tone={KIND_TONE[kind]}>{KIND_LABELS[kind].label}</Badge>
      <span className="text-xs text-slate-500">
        {match === "whole_body" ? "whole message" : "anywhere in the message"} · {phraseCount} {phraseCount === 1 ? "phrase" : "phrases"}
      </span>
    </>
  );
}

function RuleField({
  id,
  label,
  problems,
  hint,
  children,
}: {
  id: string;
  label: string;
  problems?: string[];
  hint?: string;
  children: (props: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const message = problems?.[0];
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children({ id, "aria-invalid": message ? true : undefined, "aria-describedby": message || hint ? `${id}-note` : undefined })}
      {message ? (
        <p id={`${id}-note`} className="text-sm text-red-600">
          {problems!.join(" ")}
        </p>
      ) : hint ? (
        <p id={`${id}-note`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type TryResult = RouterOutputs["smsSettings"]["tryRules"];

const OUTCOME_TEXT: Record<TryResult["outcome"], string> = {
  opt_out: "The number is suppressed for your whole organization.",
  refusal: "The number is suppressed for your whole organization; no reply is sent.",
  wrong_number: "The phone is marked wrong and suppressed for this lead.",
  opt_in: "An earlier opt-out is lifted.",
  help: "Answered with the help text.",
  review: "Nothing is suppressed; the message waits in the review queue.",
  none: "An ordinary reply: it goes to the inbox.",
};

/** Type a message and see, as you type, what the draft (or saved) rules would do with it. */
export function TryMessageCard({ draftRuleSet, draftInvalid }: { draftRuleSet: ReturnType<typeof validateDraft>["ruleSet"]; draftInvalid: boolean }) {
  const [body, setBody] = useState("");
  const [last, setLast] = useState<TryResult | null>(null);
  const trial = api.smsSettings.tryRules.useMutation();
  const { mutate } = trial;
  const lastSent = useRef<string>("");
  const inputId = useId();

  useEffect(() => {
    if (body.trim() === "") return;
    const input = { body, ruleSet: draftRuleSet ?? undefined };
    const key = JSON.stringify(input);
    if (key === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = key;
      // Per-call callbacks run for the latest call only: a slow earlier answer never overwrites a newer one.
      mutate(input, { onSuccess: setLast });
    }, 250);
    return () => clearTimeout(timer);
  }, [body, draftRuleSet, mutate]);

  const result = body.trim() === "" ? null : last;
  return (
    <Card title="Try a message" description={draftRuleSet ? "Tried against your unsaved rules." : "Tried against the saved rules."}>
      <div className="space-y-3">
        <div className="space-y-1">
          <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">
            An inbound text
          </label>
          <Input id={inputId} value={body} maxLength={1600} placeholder="e.g. please stop texting me" onChange={(event) => setBody(event.target.value)} autoComplete="off" />
        </div>
        {draftInvalid && <Alert tone="warning">Your unsaved rules have problems, so the saved rules are used until you fix them.</Alert>}
        {trial.error && body.trim() !== "" && <Alert tone="error">{describeError(trial.error).message}</Alert>}
        <div aria-live="polite" data-testid="try-result">
          {result && (
            <div className={cn("space-y-2 rounded-md border border-slate-200 p-3 text-sm", trial.isPending && "opacity-60")}>
              <p className="flex flex-wrap items-center gap-2">
                <span className="text-slate-500">Outcome</span>
                <Badge tone={KIND_TONE[result.outcome]}>{result.outcome.replace("_", " ")}</Badge>
                <span className="text-slate-700">{OUTCOME_TEXT[result.outcome]}</span>
              </p>
              <p className="text-slate-700">
                <span className="text-slate-500">Why: </span>
                {result.reason}
              </p>
              {result.autoReply && (
                <p className="text-slate-700">
                  <span className="text-slate-500">Automatic reply ({result.autoReplySegments === 1 ? "1 segment" : `${result.autoReplySegments} segments`}): </span>
                  {result.autoReply}
                </p>
              )}
              {result.matches.length > 1 && (
                <details>
                  <summary className="cursor-pointer text-slate-600">All {result.matches.length} rules that matched</summary>
                  <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
                    {result.matches.map((match) => (
                      <li key={match.ruleId}>
                        <span className="font-mono">{match.ruleId}</span> ({KIND_LABELS[match.kind].label}): “{match.matchedText}” matches “{match.phrase}”
                        {match.negatedBy && <> — set aside by “{match.negatedBy}”</>}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </div>
          )}
        </div>
      </div>
    </Card>
  );
}
