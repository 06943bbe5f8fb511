"use client";

import { useId, useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { decodeCsvBytes, MAX_IMPORT_FILE_BYTES } from "./opt-outs-filters";

type ImportResult = {
  rows: number;
  added: number;
  /** Numbers already on the list, or repeated within the file. */
  already: number;
  rejectedCount: number;
  rejected: { row: number; value: string; reason: string }[];
  phoneColumn: string;
};
type ImportInput = { fileName: string; csv: string; source: string };
type ImportMutation = { mutate: (input: ImportInput) => void; reset: () => void; isPending: boolean; error: unknown };

/**
 * A CSV of numbers (a phone column, optional notes) imported into one of the compliance lists: the
 * opt-outs or the internal do-not-contact list. The caller owns the mutation and names what
 * "already" means on its list.
 */
export function ImportNumbersCard({ mutation, result, description, alreadyLabel, sourceHint, sourcePlaceholder }: {
  mutation: ImportMutation;
  result: ImportResult | undefined;
  description: string;
  alreadyLabel: string;
  sourceHint: string;
  sourcePlaceholder: string;
}) {
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [source, setSource] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const importList = mutation;
  const failure = importList.error ? describeError(importList.error) : null;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFileError(null);
    importList.reset();
    const file = fileRef.current?.files?.[0];
    if (!file) return setFileError("Choose a CSV file.");
    if (file.size > MAX_IMPORT_FILE_BYTES) {
      return setFileError(`That file is ${(file.size / 1_000_000).toFixed(1)} MB; the limit is 0.9 MB (about 50,000 numbers). Split it and import the parts.`);
    }
    const csv = decodeCsvBytes(await file.arrayBuffer());
    importList.mutate({ fileName: file.name, csv, source });
  }

  return (
    <Card title="Import a list" description={description}>
      <form className="space-y-3" noValidate onSubmit={onSubmit}>
        <div className="space-y-1">
          <label htmlFor={fileId} className="block text-sm font-medium text-slate-700">CSV file</label>
          <input
            id={fileId}
            ref={fileRef}
            name="file"
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${fileId}-error` : undefined}
            className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
            onChange={() => setFileError(null)}
          />
          {fileError && <p id={`${fileId}-error`} className="text-sm text-red-600">{fileError}</p>}
        </div>
        <Field label="Where does this list come from?" error={failure?.fieldErrors.source} hint={sourceHint}>
          {(p) => <Input {...p} name="source" value={source} onChange={(e) => setSource(e.target.value)} placeholder={sourcePlaceholder} />}
        </Field>
        <Button type="submit" pending={importList.isPending}>Import</Button>
        {failure && !failure.fieldErrors.source && (
          <Alert tone="error">{failure.fieldErrors.csv?.[0] ?? failure.fieldErrors.fileName?.[0] ?? failure.message}</Alert>
        )}
      </form>
      {result && (
        <div className="mt-4 space-y-3" data-testid="import-result">
          <Alert tone={result.rejectedCount ? "warning" : "success"}>
            Read {result.rows.toLocaleString()} {result.rows === 1 ? "row" : "rows"} (numbers from the &ldquo;{result.phoneColumn}&rdquo; column):{" "}
            <strong>{result.added.toLocaleString()} added</strong>, {result.already.toLocaleString()} {alreadyLabel},{" "}
            {result.rejectedCount.toLocaleString()} rejected.
          </Alert>
          {result.rejectedCount > 0 && (
            <div className="max-h-64 overflow-auto rounded-md border border-slate-200">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Rejected rows</caption>
                <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-500">
                  <tr>
                    <th scope="col" className="px-3 py-1.5 font-medium">Row</th>
                    <th scope="col" className="px-3 py-1.5 font-medium">Value</th>
                    <th scope="col" className="px-3 py-1.5 font-medium">Why</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {result.rejected.map((reject) => (
                    <tr key={reject.row}>
                      <td className="px-3 py-1.5 tabular-nums">{reject.row}</td>
                      <td className="px-3 py-1.5 font-mono text-xs">{reject.value || "(empty)"}</td>
                      <td className="px-3 py-1.5">{reject.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {result.rejectedCount > result.rejected.length && (
                <p className="px-3 py-2 text-xs text-slate-500">
                  Showing the first {result.rejected.length.toLocaleString()} of {result.rejectedCount.toLocaleString()} rejected rows.
                </p>
              )}
            </div>
          )}
          <p className="text-xs text-slate-500">Row numbers are as your spreadsheet shows them (the header is row 1).</p>
        </div>
      )}
    </Card>
  );
}

/** Managers: a CSV with a phone column (optional evidence/notes and reason columns). */
export function ImportOptOuts({ onImported }: { onImported: () => void }) {
  const importList = api.suppressions.import.useMutation({ onSuccess: onImported });
  const result = importList.data ? { ...importList.data, already: importList.data.alreadySuppressed } : undefined;
  return (
    <ImportNumbersCard
      mutation={importList}
      result={result}
      description="A CSV with a phone column; evidence/notes and reason columns are kept with each number. Importing the same file twice adds nothing."
      alreadyLabel="already opted out"
      sourceHint="Recorded as evidence on every number added."
      sourcePlaceholder="Opt-out export from our previous texting tool, Oct 2026"
    />
  );
}
