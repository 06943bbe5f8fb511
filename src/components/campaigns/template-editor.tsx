"use client";

import { useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { countSmsSegments, SMS_MAX_BODY_CHARACTERS } from "@/lib/sms-segments";
import { MERGE_FIELDS, unknownMergeFields } from "@/lib/sms-template";
import type { PreviewOutput } from "./labels";

/**
 * The message template: a textarea with merge-field buttons (inserted at the caret), the count of
 * the text as typed (GSM-7 or UCS-2, characters, segments), unknown fields, and the first-message
 * check with its one-click fix (from the server's preview of this very template).
 */
export function TemplateEditor({ value, onChange, error, preview, previewFor }: {
  value: string;
  onChange: (next: string) => void;
  error?: string | null;
  /** The latest preview, and the template it was computed for (the fix applies only to that one). */
  preview: PreviewOutput | null;
  previewFor: string | null;
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const counted = countSmsSegments(value);
  const unknown = unknownMergeFields(value);
  const current = preview !== null && previewFor === value;

  function insert(field: string) {
    const element = textarea.current;
    const token = `{{${field}}}`;
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    const next = value.slice(0, start) + token + value.slice(end);
    onChange(next);
    // Put the caret after the inserted field once React has rendered the new value.
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  const errorId = "campaign-template-error";
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <label htmlFor="campaign-template" className="block text-sm font-medium text-slate-700">
          Message
        </label>
        <span className="text-xs text-slate-500">
          Fallback for an empty value: <code className="rounded bg-slate-100 px-1">{"{{owner_first_name|there}}"}</code>
        </span>
      </div>
      <div role="group" aria-label="Insert a merge field" className="flex flex-wrap gap-1.5">
        {MERGE_FIELDS.map((field) => (
          <button
            key={field.name}
            type="button"
            onClick={() => insert(field.name)}
            title={`${field.label}, e.g. “${field.example}”`}
            aria-label={`Insert ${field.label}`}
            className="rounded-full border border-slate-300 bg-white px-2.5 py-0.5 font-mono text-xs text-slate-700 hover:border-brand-500 hover:bg-brand-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          >
            {`{{${field.name}}}`}
          </button>
        ))}
      </div>
      <textarea
        ref={textarea}
        id="campaign-template"
        name="template"
        rows={5}
        value={value}
        maxLength={SMS_MAX_BODY_CHARACTERS}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${error ? `${errorId} ` : ""}campaign-template-count`}
        placeholder="Hi {{owner_first_name|there}}, this is Sam with {{brand}}. Would you consider an offer on {{property_address}}? Reply STOP to opt out."
        className={cn(inputClass, "font-mono leading-relaxed")}
      />
      {error && (
        <p id={errorId} className="text-sm text-red-600">
          {error}
        </p>
      )}
      <p id="campaign-template-count" className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600" data-testid="template-count" aria-live="polite">
        <span>As typed (fields not filled in):</span>
        <Badge tone={counted.encoding === "GSM-7" ? "slate" : "amber"}>{counted.encoding}</Badge>
        <span className="tabular-nums">
          {counted.characters.toLocaleString("en-US")} {counted.characters === 1 ? "character" : "characters"}
        </span>
        <span className="tabular-nums" data-testid="template-segments">
          {counted.segments} {counted.segments === 1 ? "segment" : "segments"}
        </span>
        {counted.nonGsmCharacters.length > 0 && (
          <span className="text-amber-800">
            UCS-2 because of {counted.nonGsmCharacters.map((c) => `“${c}”`).join(" ")}: each segment holds 70 characters instead of 160.
          </span>
        )}
      </p>
      {unknown.length > 0 && (
        <Alert tone="error">
          Unknown {unknown.length === 1 ? "field" : "fields"} {unknown.map((field) => `{{${field}}}`).join(", ")}: it would be texted as is. Use one of the
          fields above.
        </Alert>
      )}
      <FirstMessageCheck template={value} preview={current ? preview : null} checking={value.trim() !== "" && !current} onFix={(fixed) => onChange(fixed)} />
    </div>
  );
}

function FirstMessageCheck({ template, preview, checking, onFix }: { template: string; preview: PreviewOutput | null; checking: boolean; onFix: (fixed: string) => void }) {
  if (!preview) {
    return checking ? (
      <p className="text-xs text-slate-500" role="status">
        Checking the first-message requirements…
      </p>
    ) : null;
  }
  if (preview.firstMessageProblems.length === 0) {
    return (
      <p className="text-sm text-emerald-700" data-testid="first-message-ok">
        ✓ Names the sender ({preview.brand}) and says how to opt out.
      </p>
    );
  }
  return (
    <Alert tone="warning" className="space-y-2">
      <div data-testid="first-message-problems">
        <p className="font-medium">Carriers filter first messages that don&apos;t say who is texting and how to stop:</p>
        <ul className="mt-1 list-disc pl-5">
          {preview.firstMessageProblems.map((problem) => (
            <li key={problem.code}>{problem.message}</li>
          ))}
        </ul>
      </div>
      {preview.fixedTemplate !== null && (
        <div className="flex flex-wrap items-center gap-2">
          <Button type="button" size="sm" variant="secondary" onClick={() => onFix(preview.fixedTemplate!)}>
            Fix
          </Button>
          <span className="text-xs">
            Adds <q className="font-mono">{addedText(template, preview.fixedTemplate)}</q>
          </span>
        </div>
      )}
    </Alert>
  );
}

/** What the fix appends to the template (the whole fixed text if it changed more than the end). */
function addedText(template: string, fixed: string): string {
  const base = template.trimEnd();
  return fixed.startsWith(base) ? fixed.slice(base.length).trim() : fixed;
}
