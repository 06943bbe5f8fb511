"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { ImportHistory } from "./history";
import { formatBytes } from "./labels";
import { ImportMappingForm } from "./mapping";
import { ImportPreviewTable } from "./preview-table";
import { ImportReport } from "./report";
import { uploadImportFile, type UploadProgress } from "./file-upload";
import { ImportUpload } from "./upload";
import {
  mappingProblem,
  mapSampleRows,
  MAX_UPLOAD_BYTES,
  parseFixedTags,
  sameMapping,
  SAMPLE_SIZE,
  sharedColumns,
  type ImportMapping,
  type ImportPreview,
} from "./sample";
import { plural } from "@/components/shared/format";

const MAX_LABEL = `${Math.round(MAX_UPLOAD_BYTES / (1024 * 1024))} MB`;
const PREVIEW_DEBOUNCE_MS = 250;

/** /leads/import: the upload → map → import wizard, or one import's report (?job=), and the recent imports. */
export function ImportWorkspace({ jobId }: { jobId: string | null }) {
  return (
    <div className="space-y-6">
      {jobId ? (
        <>
          <ImportSteps current={3} />
          <ImportReport key={jobId} id={jobId} />
        </>
      ) : (
        <ImportWizard />
      )}
      <ImportHistory currentId={jobId} />
    </div>
  );
}

const STEPS = ["Upload", "Map & preview", "Import"] as const;

function ImportSteps({ current }: { current: 1 | 2 | 3 }) {
  return (
    <nav aria-label="Import steps">
      <ol className="flex flex-wrap items-center gap-2 text-sm">
        {STEPS.map((label, i) => {
          const step = i + 1;
          const state = step < current ? "done" : step === current ? "current" : "todo";
          return (
            <li key={label} className="flex items-center gap-2" aria-current={state === "current" ? "step" : undefined}>
              {i > 0 && <span aria-hidden className="hidden h-px w-6 bg-slate-300 sm:block" />}
              <span
                aria-hidden
                className={cn(
                  "flex size-6 items-center justify-center rounded-full text-xs font-semibold",
                  state === "done" && "bg-brand-100 text-brand-700",
                  state === "current" && "bg-brand-600 text-white",
                  state === "todo" && "bg-slate-200 text-slate-600",
                )}
              >
                {state === "done" ? "✓" : step}
              </span>
              <span className={cn(state === "current" ? "font-semibold text-slate-900" : "text-slate-600")}>
                {label}
                {state === "done" && <span className="sr-only"> (done)</span>}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/** A readable message from a failed call; a zod message about one field says what is wrong. */
function errorMessage(error: unknown): string {
  const { message, fieldErrors } = describeError(error);
  return Object.values(fieldErrors).flat()[0] ?? message;
}

type LoadedFile = {
  name: string;
  size: number;
  preview: ImportPreview;
};

type Busy = { name: string; progress: UploadProgress | null };

function ImportWizard() {
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [uploadError, setUploadError] = useState<React.ReactNode | null>(null);
  const attempt = useRef(0);
  const inFlight = useRef<AbortController | null>(null);
  const preview = api.imports.preview.useMutation();

  useEffect(() => () => inFlight.current?.abort(), []);

  async function onFile(picked: File) {
    const current = ++attempt.current;
    inFlight.current?.abort();
    const name = picked.name.slice(0, 255) || "import.csv";
    setUploadError(null);
    if (picked.size === 0) {
      setUploadError(<><strong>{name}</strong> is empty. Choose the exported CSV file.</>);
      return;
    }
    if (picked.size > MAX_UPLOAD_BYTES) {
      setUploadError(
        <>
          <strong>{name}</strong> is {formatBytes(picked.size)}, over the {MAX_LABEL} limit. Split it into smaller files and import each one.
        </>,
      );
      return;
    }
    const abort = new AbortController();
    inFlight.current = abort;
    setBusy({ name, progress: { loaded: 0, total: picked.size } });
    try {
      const upload = await uploadImportFile(picked, {
        fileName: name,
        signal: abort.signal,
        onProgress: (progress) => {
          if (current === attempt.current) setBusy({ name, progress });
        },
      });
      if (current !== attempt.current) return;
      setBusy({ name, progress: null });
      const result = upload.problem ? null : await preview.mutateAsync({ uploadId: upload.id });
      if (current !== attempt.current) return;
      const problem = upload.problem ?? result?.error;
      if (problem || !result) {
        setUploadError(
          <>
            <strong>Couldn&apos;t import {name}.</strong> {problem}
          </>,
        );
        return;
      }
      setFile({ name, size: picked.size, preview: result });
    } catch (error) {
      if (current === attempt.current && !abort.signal.aborted) {
        setUploadError(
          <>
            <strong>Couldn&apos;t upload {name}.</strong> {errorMessage(error)}
          </>,
        );
      }
    } finally {
      if (current === attempt.current) {
        setBusy(null);
        inFlight.current = null;
      }
    }
  }

  if (file) {
    return (
      <>
        <ImportSteps current={2} />
        <MapStep
          file={file}
          onBack={() => {
            attempt.current++;
            setFile(null);
          }}
        />
      </>
    );
  }
  return (
    <>
      <ImportSteps current={1} />
      <Card title="Upload a CSV file" description="A list from a data provider, a county export or your own spreadsheet saved as CSV. You choose how its columns map before anything is imported.">
        <ImportUpload onFile={(picked) => void onFile(picked)} busy={busy} error={uploadError} maxLabel={MAX_LABEL} />
      </Card>
    </>
  );
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

function MapStep({ file, onBack }: { file: LoadedFile; onBack: () => void }) {
  const router = useRouter();
  const utils = api.useUtils();
  const tagsId = useId();
  const { headers, rowCount, sampleRows, sampleRecords } = file.preview;
  const detected = file.preview.mapping;
  const [mapping, setMapping] = useState<ImportMapping>(detected);
  const [tagsText, setTagsText] = useState("");

  // The preview follows the mapping once the user pauses (a burst of checkbox clicks maps once).
  const previewMapping = useDebounced(mapping, PREVIEW_DEBOUNCE_MS);
  const updating = previewMapping !== mapping;
  const rows = useMemo(() => {
    if (sameMapping(previewMapping, detected)) return sampleRows;
    return mapSampleRows(sampleRecords, previewMapping, headers);
  }, [previewMapping, detected, sampleRows, sampleRecords, headers]);

  const problem = mappingProblem(mapping, headers.length);
  const shared = sharedColumns(mapping, headers);
  const fixed = parseFixedTags(tagsText);

  const create = api.imports.create.useMutation({
    onSuccess: (job) => {
      utils.imports.get.setData({ id: job.id }, { ...job, rejects: [] });
      void utils.imports.list.invalidate();
      router.push(`/leads/import?job=${job.id}`);
    },
  });
  const blocked = problem !== null || fixed.error !== null;

  function startImport() {
    if (blocked || create.isPending || create.isSuccess) return;
    create.mutate({ uploadId: file.preview.uploadId, mapping: { ...mapping, fixedTags: fixed.tags } });
  }

  const shown = Math.min(rowCount, SAMPLE_SIZE);

  return (
    <div className="space-y-6">
      <section aria-label="File" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white px-5 py-3 shadow-sm">
        <p className="text-sm text-slate-700">
          <span className="font-medium text-slate-900">{file.name}</span>
          <span className="text-slate-500">
            {" "}
            · <span data-testid="import-row-count">{plural(rowCount, "row", "rows")}</span> · {plural(headers.length, "column", "columns")} ·{" "}
            {formatBytes(file.size)}
          </span>
        </p>
        <Button variant="secondary" size="sm" onClick={onBack} disabled={create.isPending || create.isSuccess}>
          Choose a different file
        </Button>
      </section>

      {file.preview.encoding === "windows-1252" && (
        <Alert tone="info">This file is not UTF-8; it was read as Windows-1252 (what Excel saves). Check accented names in the preview.</Alert>
      )}

      <Card title="Match columns" description="Columns we recognized are filled in. Each lead needs a property address, and a ZIP code or the city and state.">
        <div className="space-y-4">
          {problem && (
            <Alert tone="warning">
              <span data-testid="mapping-problem">{problem}</span>
            </Alert>
          )}
          {shared.length > 0 && (
            <Alert tone="info">
              {shared.map((column) => (
                <p key={column.header}>
                  Column “{column.header}” feeds {column.fields.join(" and ")}.
                </p>
              ))}
            </Alert>
          )}
          <ImportMappingForm headers={headers} records={sampleRecords} mapping={mapping} onChange={setMapping} />
          <div className="max-w-xl space-y-1 border-t border-slate-100 pt-4">
            <label htmlFor={tagsId} className="block text-sm font-medium text-slate-700">
              Tags for every imported lead
            </label>
            <Input
              id={tagsId}
              value={tagsText}
              onChange={(event) => setTagsText(event.target.value)}
              placeholder="e.g. Probate list, March 2025"
              aria-invalid={fixed.error ? true : undefined}
              aria-describedby={`${tagsId}-hint`}
            />
            <p id={`${tagsId}-hint`} className={cn("text-xs", fixed.error ? "text-red-600" : "text-slate-500")}>
              {fixed.error ?? "Separate tags with commas. Up to 10, added to every lead this file creates."}
            </p>
          </div>
        </div>
      </Card>

      <Card
        title="Preview"
        description={`The first ${plural(shown, "row", "rows")} of ${plural(rowCount, "row", "rows")}, as they will be imported.`}
        actions={
          <span className="text-xs text-slate-500" role="status" aria-live="polite">
            {updating ? "Updating preview…" : ""}
          </span>
        }
      >
        <div className="-mx-5 -my-4">
          <ImportPreviewTable rows={rows} fixedTags={fixed.tags} busy={updating} />
        </div>
      </Card>

      <div className="sticky bottom-0 z-10 -mx-4 flex flex-wrap items-center justify-end gap-3 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-lg sm:border">
        {create.error && (
          <Alert tone="error" className="mr-auto">
            Couldn&apos;t start the import: {errorMessage(create.error)}
          </Alert>
        )}
        {!create.error && blocked && <p className="mr-auto text-sm text-amber-800">{problem ?? fixed.error}</p>}
        {!create.error && !blocked && (
          <p className="mr-auto text-sm text-slate-600">
            Leads you already have are skipped; bad rows are set aside with their reason.
          </p>
        )}
        <Button onClick={startImport} disabled={blocked || create.isSuccess} pending={create.isPending}>
          Import {plural(rowCount, "row", "rows")}
        </Button>
      </div>
    </div>
  );
}
