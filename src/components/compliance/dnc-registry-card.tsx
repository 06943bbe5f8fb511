"use client";

import { useRef, useState } from "react";
import { areaCodeFromFileName, REGISTRY_STALE_AFTER_DAYS } from "@/lib/dnc-registry";
import { formatIsoDay, localToday } from "@/components/shared/format";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { postFile, UploadFailed, type UploadProgress } from "@/components/shared/upload-file";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { useLiveRefresh } from "@/components/shared/live-events";
import { api } from "@/trpc/react";
import { person, type DncRegistry } from "./dnc-labels";
import { RemoveWithReasonDialog } from "./remove-with-reason-dialog";

type UploadResult = { upload: DncRegistry["uploads"][number]; rejects: { line: number; value: string; reason: string }[]; seconds: number; numbersPerSecond: number };

const count = (n: number) => n.toLocaleString("en-US");
const counted = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The banner the page shows above everything: stale or missing registry data. */
export function RegistryFreshnessBanner({ freshness }: { freshness: DncRegistry["freshness"] }) {
  if (freshness.status === "stale") {
    const stale = freshness.areaCodes.filter((a) => a.stale);
    return (
      <Alert tone="error" className="text-base">
        <p className="font-semibold" data-testid="dnc-stale-warning">
          National DNC Registry data is stale for area code{stale.length > 1 ? "s" : ""} {stale.map((a) => a.areaCode).join(", ")}.
        </p>
        <p className="mt-1">
          {stale.map((a) => `${a.areaCode}: extract of ${formatIsoDay(a.extractDate)}, ${a.ageDays} days old`).join("; ")}. A scrub must use a copy no older than{" "}
          {freshness.staleAfterDays} days: download fresh extracts from the registry and upload them here. Campaign pre-flight warns until you do.
        </p>
      </Alert>
    );
  }
  if (freshness.status === "none") {
    return (
      <Alert tone="warning" data-testid="dnc-registry-missing">
        No National DNC Registry extract is loaded: numbers are checked against your internal list and skip-trace flags only. An admin can upload your area codes below.
      </Alert>
    );
  }
  return null;
}

function UploadForm({ onLoaded }: { onLoaded: () => void }) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [areaCode, setAreaCode] = useState("");
  const [extractDate, setExtractDate] = useState(localToday());
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<UploadResult | null>(null);

  const submit = async () => {
    setError(null);
    setResult(null);
    if (!file) return setError("Choose the extract file to upload.");
    if (!/^[2-9][0-9]{2}$/.test(areaCode)) return setError("Enter the file's 3-digit area code.");
    setPending(true);
    setProgress({ loaded: 0, total: file.size });
    try {
      const query = new URLSearchParams({ areaCode, extractDate, fileName: file.name });
      const loaded = await postFile<UploadResult>(`/api/compliance/dnc/registry?${query}`, file, { contentType: "text/plain", onProgress: setProgress });
      setResult(loaded);
      setFile(null);
      if (fileRef.current) fileRef.current.value = "";
      onLoaded();
    } catch (failure) {
      setError(failure instanceof UploadFailed ? failure.message : "The upload failed. Try again.");
      onLoaded();
    } finally {
      setPending(false);
      setProgress(null);
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <form
      className="space-y-3"
      aria-label="Upload a registry extract"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="grid gap-3 md:grid-cols-3">
        <Field label="Extract file" hint="One 10-digit number per line, one area code per file.">
          {(p) => (
            <input
              {...p}
              ref={fileRef}
              type="file"
              name="registry-file"
              accept=".txt,.csv,text/plain,text/csv"
              className="block w-full text-sm"
              onChange={(e) => {
                const chosen = e.target.files?.[0] ?? null;
                setFile(chosen);
                const guessed = chosen ? areaCodeFromFileName(chosen.name) : null;
                if (guessed && !areaCode) setAreaCode(String(guessed));
              }}
            />
          )}
        </Field>
        <Field label="Area code">
          {(p) => <Input {...p} name="registry-area-code" inputMode="numeric" maxLength={3} value={areaCode} onChange={(e) => setAreaCode(e.target.value.replace(/\D/g, ""))} placeholder="512" />}
        </Field>
        <Field label="Extract date" hint={`The day you downloaded it; stale after ${REGISTRY_STALE_AFTER_DAYS} days.`}>
          {(p) => <Input {...p} name="registry-extract-date" type="date" value={extractDate} max={localToday()} onChange={(e) => setExtractDate(e.target.value)} />}
        </Field>
      </div>
      <Button type="submit" pending={pending}>Upload and replace this area code</Button>
      {progress && (
        <div role="status" aria-live="polite" data-testid="dnc-upload-progress">
          <div className="h-2 w-full overflow-hidden rounded bg-slate-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Upload progress">
            <div className="h-2 bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-xs text-slate-600">
            {percent < 100 ? `Loading numbers… ${percent}% (${megabytes(progress.loaded)} of ${megabytes(progress.total)})` : "Switching the area code to the new extract…"}
          </p>
        </div>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {result && (
        <Alert tone="success">
          <p data-testid="dnc-upload-result">
            Area code {result.upload.areaCode}: {counted(result.upload.numberCount, "number", "numbers")} loaded in {result.seconds.toFixed(1)} s ({count(result.numbersPerSecond)}/s), extract of {formatIsoDay(result.upload.extractDate)}.
            {result.upload.duplicateCount > 0 && ` ${counted(result.upload.duplicateCount, "repeated line", "repeated lines")} counted once.`}
          </p>
          {result.upload.rejectedCount > 0 && (
            <>
              <p className="mt-1">{counted(result.upload.rejectedCount, "line was", "lines were")} not a number of this area code and skipped{result.rejects.length < result.upload.rejectedCount ? "; the first:" : ":"}</p>
              <ul className="mt-1 list-disc pl-5 text-xs">
                {result.rejects.map((r) => (
                  <li key={r.line}>Line {r.line}: “{r.value}” — {r.reason}</li>
                ))}
              </ul>
            </>
          )}
        </Alert>
      )}
    </form>
  );
}

const STATUS_TONES = { loading: "blue", current: "green", replaced: "slate", failed: "red", removed: "amber" } as const;
const STATUS_LABELS = { loading: "Loading", current: "Current", replaced: "Replaced", failed: "Failed", removed: "Removed" } as const;

type AreaCodeRow = DncRegistry["freshness"]["areaCodes"][number];

/** Admins: take an area code's registry data out, with a reason (audited). */
function RemoveAreaCodeDialog({ row, onClose, onRemoved }: { row: AreaCodeRow; onClose: () => void; onRemoved: () => void }) {
  const remove = api.dnc.removeAreaCode.useMutation({ onSuccess: onRemoved });
  return (
    <RemoveWithReasonDialog
      testId="remove-area-code-dialog"
      title={`Remove area code ${row.areaCode} from the registry data`}
      description={`${counted(row.numberCount, "number", "numbers")} from the extract of ${formatIsoDay(row.extractDate)}. Numbers in ${row.areaCode} are then no longer checked against the registry. Your name, the time and the reason are recorded.`}
      confirmLabel="Remove area code"
      reasonLabel="Reason"
      placeholder="Our subscription no longer includes this area code"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={(reason) => remove.mutate({ areaCode: row.areaCode, reason })}
      onClose={onClose}
    />
  );
}

/** The registry: freshness per area code, uploads (admins), and the latest uploads with their progress. */
export function DncRegistryCard({ canUpload }: { canUpload: boolean }) {
  const registry = api.dnc.registry.useQuery();
  // Another admin's upload in progress: follow its count live.
  useLiveRefresh("job", () => registry.refetch(), (event) => event.data.kind === "dnc_registry");
  const utils = api.useUtils();
  const data = registry.data;
  const [removing, setRemoving] = useState<AreaCodeRow | null>(null);

  return (
    <Card
      title="National DNC Registry"
      description={`Extracts your organization downloaded with its own Subscription Account Number, one file per area code. Re-uploading an area code replaces it in one step. A copy older than ${REGISTRY_STALE_AFTER_DAYS} days is stale.`}
    >
      {canUpload && (
        <div className="mb-6">
          <UploadForm onLoaded={() => void utils.dnc.registry.invalidate()} />
        </div>
      )}
      {registry.isPending ? (
        <div className="space-y-2" aria-label="Loading the registry" role="status">
          {Array.from({ length: 3 }, (_, i) => <Skeleton key={i} className="h-6 w-full" />)}
        </div>
      ) : registry.isError ? (
        <Alert tone="error">
          <p>Couldn&apos;t load the registry: {describeError(registry.error).message}</p>
          <Button size="sm" variant="secondary" className="mt-2" onClick={() => registry.refetch()}>Try again</Button>
        </Alert>
      ) : data!.freshness.areaCodes.length === 0 ? (
        <p className="py-4 text-center text-sm text-slate-500" data-testid="dnc-registry-empty">No area codes loaded yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="dnc-area-codes">
            <caption className="sr-only">Area codes loaded, with their extract dates</caption>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">Area code</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">Numbers</th>
                <th scope="col" className="py-2 pr-4 font-medium">Extract date</th>
                <th scope="col" className="py-2 pr-4 font-medium">Freshness</th>
                <th scope="col" className="py-2 pr-4 font-medium">File</th>
                {canUpload && <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data!.freshness.areaCodes.map((a) => (
                <tr key={a.areaCode} data-testid={`dnc-area-${a.areaCode}`}>
                  <th scope="row" className="py-2 pr-4 font-medium text-slate-900">{a.areaCode}</th>
                  <td className="py-2 pr-4 text-right tabular-nums">{count(a.numberCount)}</td>
                  <td className="whitespace-nowrap py-2 pr-4">{formatIsoDay(a.extractDate)}</td>
                  <td className="whitespace-nowrap py-2 pr-4">
                    {a.stale ? <Badge tone="red">Stale · {a.ageDays} days</Badge> : <Badge tone="green">Fresh · {a.ageDays} days</Badge>}
                  </td>
                  <td className="py-2 pr-4 text-slate-600">
                    {a.fileName} <span className="text-xs">(<Time value={a.loadedAt} />, {person(a.loadedBy)})</span>
                  </td>
                  {canUpload && (
                    <td className="py-2 text-right">
                      <Button size="sm" variant="ghost" onClick={() => setRemoving(a)} aria-label={`Remove area code ${a.areaCode} from the registry data`}>
                        Remove…
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-xs text-slate-500">{counted(data!.freshness.numberCount, "number", "numbers")} in {counted(data!.freshness.areaCodeCount, "area code", "area codes")}.</p>
        </div>
      )}
      {data && data.uploads.length > 0 && (
        <details className="mt-4">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">Latest uploads</summary>
          <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="dnc-uploads">
            {data.uploads.map((u) => (
              <li key={u.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                <Badge tone={STATUS_TONES[u.status]}>{STATUS_LABELS[u.status]}</Badge>
                <span className="font-medium">{u.areaCode}</span>
                <span className="text-slate-600">{u.fileName}</span>
                <span className="text-slate-600">{counted(u.numberCount, "number", "numbers")}{u.status === "loading" ? " so far" : ""}</span>
                <span className="text-xs text-slate-500">extract {formatIsoDay(u.extractDate)} · <Time value={u.startedAt} /> · {person(u.uploadedBy)}</span>
                {u.error && <span className="w-full text-xs text-red-700">{u.error}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      {removing && (
        <RemoveAreaCodeDialog
          row={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            void utils.dnc.registry.invalidate();
          }}
        />
      )}
    </Card>
  );
}
