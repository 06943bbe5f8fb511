"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { smsReplyTextsSchema, type SmsReplyTexts } from "@/lib/sms-replies";
import { countSmsSegments } from "@/lib/sms-segments";
import { api } from "@/trpc/react";
import type { SmsSettings } from "./texting-settings";

export const REPLY_TEXTS: { key: keyof SmsReplyTexts; label: string; when: string }[] = [
  { key: "help", label: "Help reply", when: "Sent when someone texts HELP or INFO. Must include {brand} and {contact}." },
  { key: "optOut", label: "Opt-out confirmation", when: "The one text allowed after STOP: no marketing. Must include {brand}." },
  { key: "optIn", label: "Opt-in confirmation", when: "Sent when an opted-out number texts START. Must include {brand}." },
];

/** The text as it will be sent: {brand} and {contact} filled. */
export function fillReply(template: string, identity: { brand: string; contact: string }): string {
  return template.replace(/\{([^}]*)\}/g, (whole, name: string) => (name === "brand" ? identity.brand : name === "contact" ? identity.contact : whole)).trim();
}

function localProblems(texts: SmsReplyTexts): Partial<Record<keyof SmsReplyTexts, string>> {
  const parsed = smsReplyTextsSchema.safeParse(texts);
  if (parsed.success) return {};
  const problems: Partial<Record<keyof SmsReplyTexts, string>> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof SmsReplyTexts;
    problems[key] ??= issue.message;
  }
  return problems;
}

/** The text as it will be sent, and its length in characters and segments (the editor and the read-only view). */
export function ReplyPreview({ id, textKey, preview }: { id: string; textKey: keyof SmsReplyTexts; preview: string }) {
  const count = countSmsSegments(preview || " ");
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium text-slate-700" id={`${id}-preview-label`}>
        Preview
      </p>
      <div
        className="rounded-2xl rounded-bl-sm bg-slate-100 px-3 py-2 text-sm whitespace-pre-wrap text-slate-900"
        aria-labelledby={`${id}-preview-label`}
        data-testid={`preview-${textKey}`}
      >
        {preview || <span className="text-slate-400">(empty)</span>}
      </div>
      <p className="text-xs text-slate-500" data-testid={`segments-${textKey}`}>
        {count.characters} characters · {count.segments} {count.segments === 1 ? "segment" : "segments"} · {count.encoding}
        {count.nonGsmCharacters.length > 0 && <> (because of {count.nonGsmCharacters.slice(0, 5).join(" ")})</>}
      </p>
    </div>
  );
}

export function ReplyTextsCard({ settings }: { settings: SmsSettings }) {
  const utils = api.useUtils();
  const [texts, setTexts] = useState<SmsReplyTexts>(settings.texts);
  const [notice, setNotice] = useState<string | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  const update = api.smsSettings.updateTexts.useMutation({
    onSuccess: (next, input) => {
      utils.smsSettings.get.setData(undefined, next);
      setTexts(next.texts);
      setShowProblems(false);
      setNotice(input.texts === null ? "Reset to LeadFlow's default texts." : "Saved. New replies use these texts.");
    },
  });
  const failure = update.error ? describeError(update.error) : null;
  const local = localProblems(texts);
  const dirty = (Object.keys(texts) as (keyof SmsReplyTexts)[]).some((key) => texts[key] !== settings.texts[key]);
  const atDefaults = (Object.keys(texts) as (keyof SmsReplyTexts)[]).every((key) => texts[key] === settings.defaults.texts[key]);
  const problemFor = (key: keyof SmsReplyTexts) => failure?.fieldErrors[`texts.${key}`]?.[0] ?? (showProblems || texts[key] !== settings.texts[key] ? local[key] : undefined);

  return (
    <Card
      title="Keyword replies"
      description={
        <>
          What LeadFlow answers to HELP, STOP and START. {"{brand}"} becomes “{settings.identity.brand}” and {"{contact}"} becomes “{settings.identity.contact}”.
        </>
      }
      actions={<Badge tone={settings.customisedTexts ? "blue" : "slate"}>{settings.customisedTexts ? "Customised" : "Defaults"}</Badge>}
    >
      <form
        className="space-y-5"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setNotice(null);
          setShowProblems(true);
          if (Object.keys(local).length === 0) update.mutate({ texts });
        }}
      >
        {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
        {REPLY_TEXTS.map(({ key, label, when }) => {
          const id = `reply-text-${key}`;
          const problem = problemFor(key);
          const preview = fillReply(texts[key], settings.identity);
          return (
            <div key={key} className="grid gap-3 lg:grid-cols-2">
              <div className="space-y-1">
                <label htmlFor={id} className="block text-sm font-medium text-slate-700">
                  {label}
                </label>
                <textarea
                  id={id}
                  name={key}
                  rows={3}
                  value={texts[key]}
                  maxLength={320}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={`${id}-help`}
                  onChange={(event) => {
                    setNotice(null);
                    setTexts((current) => ({ ...current, [key]: event.target.value }));
                  }}
                  className={cn(inputClass, "font-mono")}
                />
                <p id={`${id}-help`} className={problem ? "text-sm text-red-600" : "text-xs text-slate-500"}>
                  {problem ?? when}
                </p>
              </div>
              <ReplyPreview id={id} textKey={key} preview={preview} />
            </div>
          );
        })}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" pending={update.isPending && update.variables?.texts !== null} disabled={!dirty}>
            Save replies
          </Button>
          {dirty && (
            <Button type="button" variant="secondary" onClick={() => (setTexts(settings.texts), setShowProblems(false), update.reset())}>
              Discard changes
            </Button>
          )}
          {(settings.customisedTexts || !atDefaults) && (
            <Button
              type="button"
              variant="ghost"
              pending={update.isPending && update.variables?.texts === null}
              onClick={() => {
                setNotice(null);
                update.mutate({ texts: null });
              }}
            >
              Reset to defaults
            </Button>
          )}
          {notice && (
            <span className="text-sm text-emerald-700" role="status">
              {notice}
            </span>
          )}
        </div>
      </form>
    </Card>
  );
}
