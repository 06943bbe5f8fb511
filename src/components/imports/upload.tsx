"use client";

import { useId, useState } from "react";
import { useHydrated } from "@/components/shared/time";
import { Alert } from "@/components/ui/alert";
import { cn } from "@/components/ui/cn";
import type { UploadProgress } from "./file-upload";
import { formatBytes } from "./labels";

/**
 * Step 1: a file input inside a drop zone. The input itself stays in the tab order (visually
 * hidden, the zone shows its focus ring), so the keyboard path is Tab → Enter/Space → file dialog.
 */
export function ImportUpload({ onFile, busy: busyWith, error, maxLabel }: {
  onFile: (file: File) => void;
  /** The file being uploaded (with how much of it was sent) or previewed (progress null), if any. */
  busy: { name: string; progress: UploadProgress | null } | null;
  error: React.ReactNode | null;
  maxLabel: string;
}) {
  const id = useId();
  const [dragging, setDragging] = useState(false);
  // Until React is in charge, a chosen file would go nowhere: the input waits for hydration.
  const ready = useHydrated();
  const busy = busyWith !== null;
  const progress = busyWith?.progress ?? null;
  const percent = progress && progress.total > 0 ? Math.min(100, Math.floor((progress.loaded / progress.total) * 100)) : null;

  function take(files: FileList | null) {
    const file = files?.[0];
    if (file && !busy) onFile(file);
  }

  return (
    <div className="space-y-3">
      {error && <Alert tone="error">{error}</Alert>}
      <div
        data-testid="import-dropzone"
        onDragEnter={(event) => {
          event.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = busy ? "none" : "copy";
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          take(event.dataTransfer.files);
        }}
        className={cn(
          "relative flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-6 py-12 text-center transition-colors",
          "focus-within:border-brand-500 focus-within:ring-2 focus-within:ring-brand-500 focus-within:ring-offset-2",
          dragging ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-slate-50",
          busy && "opacity-80",
        )}
      >
        <svg aria-hidden viewBox="0 0 24 24" className="size-10 text-slate-400" fill="none" stroke="currentColor" strokeWidth={1.5}>
          <path strokeLinecap="round" strokeLinejoin="round" d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
        {busyWith ? (
          <div className="w-full max-w-sm space-y-2">
            <p className="flex items-center justify-center gap-2 text-sm text-slate-700" role="status">
              <span className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden />
              {progress ? "Uploading" : "Reading"} <span className="font-medium">{busyWith.name}</span>…
              {progress && percent !== null && <span className="tabular-nums text-slate-500">{percent}%</span>}
            </p>
            {progress && (
              <div
                role="progressbar"
                aria-label={`Uploading ${busyWith.name}`}
                aria-valuemin={0}
                aria-valuemax={progress.total}
                aria-valuenow={progress.loaded}
                aria-valuetext={`${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`}
                className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200"
              >
                <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent ?? 0}%` }} />
              </div>
            )}
          </div>
        ) : (
          <p className="text-sm text-slate-700">
            <label htmlFor={id} className="cursor-pointer font-medium text-brand-700 underline-offset-2 hover:underline">
              Choose a CSV file
            </label>{" "}
            or drag it here
          </p>
        )}
        <p className="text-xs text-slate-500">
          Up to {maxLabel}. The first row must name the columns; exports from PropStream, BatchLeads, DealMachine and county records are recognized.
        </p>
        <input
          id={id}
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          className="sr-only"
          disabled={busy || !ready}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            take(event.currentTarget.files);
            // choosing the same file again (after fixing it) must fire change again
            event.currentTarget.value = "";
          }}
        />
        <span id={`${id}-hint`} className="sr-only">
          CSV file up to {maxLabel}
        </span>
      </div>
    </div>
  );
}
