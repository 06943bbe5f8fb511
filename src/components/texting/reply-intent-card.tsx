"use client";

import { useId, useMemo, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { inputClass, Input } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { REPLY_INTENT_LABELS, replyIntentRuleSetSchema, type ReplyIntent, type ReplyIntentMode, type ReplyIntentRuleSet } from "@/lib/reply-intent";
import { api } from "@/trpc/react";
import type { SmsSettings } from "./texting-settings";

const MODES: { value: ReplyIntentMode; label: string; help: string }[] = [
  {
    value: "suggest",
    label: "Suggest",
    help: "The lead's timeline shows what the reply meant and the status it suggests; a person moves the lead.",
  },
  {
    value: "apply",
    label: "Apply",
    help: "An interested reply moves the lead to Interested, a clear no to Dead — only leads still New, Contacted or Replied. Opt-outs and wrong numbers move nothing.",
  },
];

const INTENT_TONE: Record<ReplyIntent, "slate" | "green" | "amber" | "red" | "blue"> = {
  interested: "green",
  not_interested: "red",
  wrong_number: "amber",
  opt_out: "red",
  question: "blue",
  unknown: "slate",
};

/** What the JSON draft says: a rule set, or the problems (each naming its rule and field). */
export function parseIntentRulesDraft(text: string): { ok: true; ruleSet: ReplyIntentRuleSet } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`The rules are not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = replyIntentRuleSetSchema.safeParse(json);
  if (parsed.success) return { ok: true, ruleSet: parsed.data };
  const ruleIds = (json as { rules?: { id?: unknown }[] } | null)?.rules;
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const [first, index, ...rest] = issue.path;
      if (first === "rules" && typeof index === "number") {
        const id = typeof ruleIds?.[index]?.id === "string" ? `"${ruleIds[index]!.id as string}"` : `#${index + 1}`;
        return `Rule ${id}${rest.length ? `, ${rest.join(".")}` : ""}: ${issue.message}`;
      }
      return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
    }),
  };
}

const pretty = (ruleSet: ReplyIntentRuleSet) => JSON.stringify(ruleSet, null, 2);

/**
 * Settings → Texting → Reply intent: suggest or apply, and the intent rules as editable data
 * (validated with the same schema the server uses), with a box to try a reply against the draft.
 */
export function ReplyIntentCard({ settings }: { settings: SmsSettings }) {
  const utils = api.useUtils();
  const intent = settings.replyIntent;
  const [mode, setMode] = useState<ReplyIntentMode>(intent.mode);
  const [rulesText, setRulesText] = useState(() => pretty(intent.rules));
  const [notice, setNotice] = useState<string | null>(null);
  const [sample, setSample] = useState("");
  const rulesId = useId();
  const draft = useMemo(() => parseIntentRulesDraft(rulesText), [rulesText]);
  const rulesDirty = draft.ok ? JSON.stringify(draft.ruleSet) !== JSON.stringify(intent.rules) : true;
  const dirty = mode !== intent.mode || rulesDirty;

  const update = api.smsSettings.updateReplyIntent.useMutation({
    onSuccess: (next, input) => {
      utils.smsSettings.get.setData(undefined, next);
      setMode(next.replyIntent.mode);
      setRulesText(pretty(next.replyIntent.rules));
      setNotice(input.ruleSet === null ? "Reset to LeadFlow's default intent rules." : "Saved. New replies are read with these settings.");
    },
  });
  const tryIt = api.smsSettings.tryRules.useMutation();
  const failure = update.error ? describeError(update.error) : null;

  const save = (ruleSet: ReplyIntentRuleSet | null) => {
    setNotice(null);
    update.mutate({ mode, ruleSet });
  };

  return (
    <Card
      title="Reply intent"
      description="What a reply means for the deal — interested, not interested, wrong number, opt-out, question or unknown — read by plain phrase rules. Every reading says which phrase decided it, and feeds the lead's score."
      actions={intent.customisedRules ? <Badge tone="blue">Custom rules</Badge> : <Badge>Default rules</Badge>}
    >
      <div className="space-y-5">
        <fieldset disabled={!settings.canEdit}>
          <legend className="text-sm font-medium text-slate-700">When a reply is read</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {MODES.map((option) => (
              <label
                key={option.value}
                className={cn(
                  "flex cursor-pointer gap-3 rounded-md border p-3 text-sm focus-within:ring-2 focus-within:ring-brand-500",
                  mode === option.value ? "border-brand-500 bg-brand-50" : "border-slate-200",
                )}
              >
                <input
                  type="radio"
                  name="replyIntentMode"
                  value={option.value}
                  checked={mode === option.value}
                  onChange={() => (setNotice(null), setMode(option.value))}
                  className="mt-0.5"
                  data-testid={`reply-intent-mode-${option.value}`}
                />
                <span>
                  <span className="block font-medium text-slate-900">{option.label}</span>
                  <span className="block text-slate-600">{option.help}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <details className="text-sm">
          <summary className="cursor-pointer font-medium text-slate-700">Intent rules ({intent.rules.rules.length})</summary>
          <p className="mt-2 text-slate-600">
            Each rule has an id, an intent ({["interested", "not_interested", "wrong_number", "question"].join(", ")}), a match (whole_body or
            contains), phrases, optional unless phrases that negate an overlapping phrase (&ldquo;not * interested&rdquo;), and an explanation.
            Opt-outs come from the reply rules above. The strongest intent wins: wrong number, then not interested, then interested, then
            question.
          </p>
          <label htmlFor={rulesId} className="mt-3 block text-sm font-medium text-slate-700">
            Rules (JSON)
          </label>
          <textarea
            id={rulesId}
            className={cn(inputClass, "mt-1 h-72 font-mono text-xs")}
            value={rulesText}
            spellCheck={false}
            readOnly={!settings.canEdit}
            aria-invalid={!draft.ok || undefined}
            onChange={(event) => (setNotice(null), setRulesText(event.target.value))}
            data-testid="reply-intent-rules"
          />
          {!draft.ok && (
            <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-red-600" role="alert">
              {draft.problems.slice(0, 10).map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
        </details>

        {failure && <Alert tone="error">{failure.message}</Alert>}
        {notice && !dirty && (
          <p className="text-sm text-emerald-700" role="status">
            {notice}
          </p>
        )}
        {settings.canEdit && (
          <div className="flex flex-wrap items-center gap-3">
            <Button type="button" pending={update.isPending} disabled={!dirty || !draft.ok} onClick={() => draft.ok && save(draft.ruleSet)}>
              Save reply intent
            </Button>
            {intent.customisedRules && (
              <Button type="button" variant="secondary" disabled={update.isPending} onClick={() => save(null)}>
                Reset rules to defaults
              </Button>
            )}
          </div>
        )}

        <form
          className="space-y-2 border-t border-slate-100 pt-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (!sample.trim()) return;
            tryIt.mutate({ body: sample, intentRuleSet: draft.ok ? draft.ruleSet : undefined });
          }}
        >
          <label className="block text-sm font-medium text-slate-700" htmlFor={`${rulesId}-try`}>
            Try a reply
          </label>
          <div className="flex gap-2">
            <Input id={`${rulesId}-try`} value={sample} maxLength={1600} placeholder="maybe, what's your offer?" onChange={(e) => setSample(e.target.value)} />
            <Button type="submit" variant="secondary" pending={tryIt.isPending} disabled={!sample.trim()}>
              Read it
            </Button>
          </div>
          {tryIt.error && <Alert tone="error">{describeError(tryIt.error).message}</Alert>}
          {tryIt.data && (
            <p className="text-sm text-slate-700" role="status" data-testid="reply-intent-result">
              <Badge tone={INTENT_TONE[tryIt.data.intent.intent]}>{REPLY_INTENT_LABELS[tryIt.data.intent.intent]}</Badge>{" "}
              {tryIt.data.intent.reason}
              {tryIt.data.intent.ruleId ? <span className="text-slate-500"> (rule {tryIt.data.intent.ruleId})</span> : null}
            </p>
          )}
        </form>
      </div>
    </Card>
  );
}
