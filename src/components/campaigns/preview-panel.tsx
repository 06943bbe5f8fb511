"use client";

import Link from "next/link";
import { formatPhone } from "@/components/shared/format";
import { Alert } from "@/components/ui/alert";
import { Badge, Skeleton } from "@/components/ui/card";
import { type PreviewOutput } from "./labels";
import { plural } from "@/components/shared/format";

/**
 * The template rendered for real leads of the audience: each sample's text as it would be sent,
 * its encoding, characters and segments, and the fields that came out empty without a fallback.
 */
export function PreviewPanel({ preview, pending, error, stale, waitingFor }: {
  preview: PreviewOutput | null;
  pending: boolean;
  error: string | null;
  /** The preview shown is for an earlier version of the template or audience. */
  stale: boolean;
  /** Why nothing can be previewed yet ("Write the message."), or null. */
  waitingFor: string | null;
}) {
  return (
    <section aria-labelledby="campaign-preview-title" aria-busy={pending || undefined} className="space-y-3">
      <div className="flex items-baseline justify-between gap-2">
        <h3 id="campaign-preview-title" className="text-sm font-semibold text-slate-900">
          Preview
        </h3>
        <span className="text-xs text-slate-500" role="status">
          {pending ? "Updating…" : preview ? `${plural(preview.audienceLeads, "lead")} in the audience` : ""}
        </span>
      </div>
      {waitingFor ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-6 text-center text-sm text-slate-500">{waitingFor}</p>
      ) : error ? (
        <Alert tone="error">Couldn&apos;t render the preview: {error}</Alert>
      ) : !preview ? (
        <div className="space-y-2" aria-label="Loading the preview">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-20 w-full" />
          ))}
        </div>
      ) : preview.samples.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-6 text-center text-sm text-slate-500" data-testid="preview-empty">
          This audience has no leads. Pick another saved filter, or change it on the{" "}
          <Link href="/leads" className="font-medium text-brand-700 underline">
            leads page
          </Link>
          .
        </p>
      ) : (
        <ol className={stale ? "space-y-3 opacity-60 transition-opacity" : "space-y-3 transition-opacity"} data-testid="preview-samples">
          {preview.samples.map((sample) => (
            <li key={`${sample.leadId}-${sample.phone ?? "none"}`} className="rounded-md border border-slate-200 p-3" data-testid="preview-sample">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-xs text-slate-500">
                <span>
                  <span className="font-medium text-slate-700">{sample.ownerName ?? "Unknown owner"}</span> · {sample.address}
                </span>
                <span className="font-mono">{sample.phone ? formatPhone(sample.phone) : "no textable phone"}</span>
              </div>
              <p className="mt-2 whitespace-pre-wrap rounded-lg rounded-tl-none bg-brand-50 px-3 py-2 text-sm text-slate-900" data-testid="preview-body">
                {sample.body}
              </p>
              <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                <Badge tone={sample.encoding === "GSM-7" ? "slate" : "amber"}>{sample.encoding}</Badge>
                <span className="tabular-nums">{plural(sample.characters, "character")}</span>
                <span className="tabular-nums" data-testid="preview-segments">
                  {plural(sample.segments, "segment")}
                </span>
                {sample.nonGsmCharacters.length > 0 && <span className="text-amber-800">UCS-2: {sample.nonGsmCharacters.join(" ")}</span>}
                {sample.emptyFields.length > 0 && (
                  <span className="text-red-700" data-testid="preview-empty-fields">
                    Empty without a fallback: {sample.emptyFields.map((field) => `{{${field}}}`).join(", ")}
                  </span>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      {preview && preview.unknownFields.length > 0 && !waitingFor && (
        <Alert tone="error">
          Unknown {preview.unknownFields.length === 1 ? "field" : "fields"}: {preview.unknownFields.map((field) => `{{${field}}}`).join(", ")}.
        </Alert>
      )}
    </section>
  );
}
