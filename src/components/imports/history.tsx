"use client";

import Link from "next/link";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { api } from "@/trpc/react";
import { Ago } from "@/components/leads/bits";
import { IMPORT_STATUS_LABELS, IMPORT_STATUS_TONES } from "./labels";
import { personName } from "@/components/leads/labels";
import { useLiveRefresh } from "@/components/shared/live-events";
import { formatCount } from "@/components/shared/format";

/** The organization's last 50 imports, newest first; refreshed while one of them runs. */
export function ImportHistory({ currentId }: { currentId: string | null }) {
  const list = api.imports.list.useQuery();
  useLiveRefresh("job", () => list.refetch(), (event) => event.data.kind === "import");

  return (
    <Card title="Recent imports" description="The last 50 files imported into this organization.">
      {list.isPending ? (
        <div className="space-y-2" aria-busy="true" aria-label="Loading recent imports">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : list.error && !list.data ? (
        <Alert tone="error">
          Couldn&apos;t load recent imports: {describeError(list.error).message}{" "}
          <button type="button" className="font-medium underline" onClick={() => void list.refetch()}>
            Try again
          </button>
        </Alert>
      ) : list.data.length === 0 ? (
        <p className="py-4 text-center text-sm text-slate-500" data-testid="imports-empty">
          No imports yet. Files you import show here with their results.
        </p>
      ) : (
        <div className="-mx-5 -my-4 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="imports-table">
            <thead className="whitespace-nowrap bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">File</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Rows</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Created</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Already in leads</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Rejected</th>
                <th scope="col" className="px-3 py-2 font-medium">When</th>
                <th scope="col" className="px-5 py-2 font-medium">By</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data.map((job) => (
                <tr key={job.id} className={cn("hover:bg-slate-50", job.id === currentId && "bg-brand-50 hover:bg-brand-50")} data-testid="import-row">
                  <td className="max-w-72 px-5 py-2">
                    <Link
                      href={`/leads/import?job=${job.id}`}
                      aria-current={job.id === currentId ? "page" : undefined}
                      className="block truncate font-medium text-slate-900 hover:text-brand-700 hover:underline"
                      title={`Open the report of ${job.fileName}`}
                    >
                      {job.fileName}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={IMPORT_STATUS_TONES[job.status]}>{IMPORT_STATUS_LABELS[job.status]}</Badge>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums text-slate-600">
                    {job.processedRows < job.totalRows ? `${formatCount(job.processedRows)} / ${formatCount(job.totalRows)}` : formatCount(job.totalRows)}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(job.createdCount)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(job.duplicateCount)}</td>
                  <td className={cn("px-3 py-2 text-right tabular-nums", job.rejectedCount > 0 && "text-red-700")}>{formatCount(job.rejectedCount)}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                    <Ago value={job.createdAt} />
                  </td>
                  <td className="max-w-48 truncate px-5 py-2 text-slate-600">{personName(job.createdBy) ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
