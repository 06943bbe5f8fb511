"use client";

import { useState } from "react";
import { describeAuditAction, describeAuditDetails } from "@/lib/audit-describe";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, Skeleton } from "@/components/ui/card";
import { api } from "@/trpc/react";

type Filters = { action: string; actorId: string; requestId: string; from: string; to: string };
const NO_FILTERS: Filters = { action: "", actorId: "", requestId: "", from: "", to: "" };

const selectClass = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/** A calendar day typed in the filter, as the instant it starts (the browser's zone). */
function dayStart(day: string, plusDays = 0): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, date + plusDays);
}

export function AuditLogTable() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const facets = api.audit.facets.useQuery();
  const organization = api.organization.get.useQuery();
  const timeZone = organization.data?.timeZone ?? "UTC";
  const query = api.audit.list.useInfiniteQuery(
    {
      limit: 50,
      action: filters.action || undefined,
      actorId: filters.actorId || undefined,
      requestId: filters.requestId.trim() || undefined,
      from: dayStart(filters.from),
      to: dayStart(filters.to, 1),
    },
    { getNextPageParam: (page) => page.nextCursor },
  );
  const set = (key: keyof Filters) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setFilters((current) => ({ ...current, [key]: event.target.value }));
  const active = Object.values(filters).filter(Boolean).length;
  const entries = query.data?.pages.flatMap((page) => page.entries) ?? [];
  const families = [...new Set((facets.data?.actions ?? []).map((row) => row.action.split(".")[0]!))];

  return (
    <Card>
      <form className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the audit log" onSubmit={(event) => event.preventDefault()}>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          Action
          <select className={selectClass} value={filters.action} onChange={set("action")} aria-label="Action">
            <option value="">Any action</option>
            {families.map((family) => (
              <optgroup key={family} label={family.replace(/_/g, " ")}>
                <option value={`${family}.`}>All {family.replace(/_/g, " ")} actions</option>
                {(facets.data?.actions ?? [])
                  .filter((row) => row.action.startsWith(`${family}.`))
                  .map((row) => (
                    <option key={row.action} value={row.action}>
                      {describeAuditAction(row.action)} ({row.count})
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          Who
          <select className={selectClass} value={filters.actorId} onChange={set("actorId")} aria-label="Who">
            <option value="">Anyone</option>
            {(facets.data?.actors ?? []).map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.name ? `${actor.name} (${actor.email})` : actor.email}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          From
          <input type="date" className={selectClass} value={filters.from} onChange={set("from")} aria-label="From" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          To
          <input type="date" className={selectClass} value={filters.to} onChange={set("to")} aria-label="To" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          Request id
          <input className={`${selectClass} w-56 font-mono`} value={filters.requestId} onChange={set("requestId")} aria-label="Request id" placeholder="from an error message" />
        </label>
        {active > 0 && (
          <Button type="button" variant="secondary" onClick={() => setFilters(NO_FILTERS)}>
            Clear {active === 1 ? "the filter" : `${active} filters`}
          </Button>
        )}
      </form>

      {query.isPending ? (
        <div className="space-y-2" aria-busy="true">{Array.from({ length: 5 }, (_, i) => <Skeleton key={i} className="h-6 w-full" />)}</div>
      ) : query.isError ? (
        <Alert tone="error">{query.error.message}</Alert>
      ) : entries.length === 0 ? (
        <p className="text-sm text-slate-500">{active > 0 ? "Nothing matches these filters." : "Nothing has been recorded yet."}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="audit-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">When</th>
                <th scope="col" className="py-2 pr-4 font-medium">Who</th>
                <th scope="col" className="py-2 pr-4 font-medium">What</th>
                <th scope="col" className="py-2 pr-4 font-medium">Details</th>
                <th scope="col" className="py-2 pr-4 font-medium">Request id</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((entry) => {
                const details = describeAuditDetails(entry.details, timeZone);
                return (
                  <tr key={entry.id} className="align-top" data-testid="audit-row">
                    <td className="whitespace-nowrap py-2 pr-4 text-slate-500">
                      {entry.createdAt.toLocaleString("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" })}
                    </td>
                    <td className="py-2 pr-4">{entry.actorName ?? entry.actor ?? "LeadFlow"}</td>
                    <td className="py-2 pr-4">
                      <span>{describeAuditAction(entry.action)}</span>
                      <span className="block font-mono text-xs text-slate-400" data-testid="audit-action">{entry.action}</span>
                    </td>
                    <td className="max-w-md py-2 pr-4 text-xs text-slate-600">
                      {details.length === 0 ? (
                        "—"
                      ) : (
                        <dl className="grid grid-cols-[auto_1fr] gap-x-2">
                          {details.map((detail) => (
                            <div key={detail.label} className="contents">
                              <dt className="text-slate-400">{detail.label}</dt>
                              <dd className="break-words">{detail.value}</dd>
                            </div>
                          ))}
                        </dl>
                      )}
                    </td>
                    <td className="py-2 pr-4">
                      {entry.requestId ? (
                        <button
                          type="button"
                          className="font-mono text-xs text-brand-600 hover:underline"
                          title="Show everything this request recorded"
                          onClick={() => setFilters({ ...NO_FILTERS, requestId: entry.requestId! })}
                        >
                          {entry.requestId.slice(0, 12)}
                        </button>
                      ) : (
                        <span className="text-xs text-slate-400">—</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <div className="mt-4">
          <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </Card>
  );
}
