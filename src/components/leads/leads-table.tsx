"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { TemperaturePill } from "@/components/search/temperature-pill";
import { Badge, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ContactablePill, DateText, StatusBadge, TagChip } from "./bits";
import { personName, type LeadListItem } from "./labels";
import type { SortDirection, SortField } from "./list-url";

type Sort = { field: SortField; direction: SortDirection };

export function LeadsTable({ rows, sort, onSort, selected, allMatching, onToggle, onToggleAll, busy }: {
  rows: LeadListItem[];
  sort: Sort;
  onSort: (field: SortField) => void;
  selected: Set<string>;
  allMatching: boolean;
  onToggle: (id: string, index: number, range: boolean) => void;
  onToggleAll: () => void;
  busy: boolean;
}) {
  const selectedOnPage = allMatching ? rows.length : rows.filter((row) => selected.has(row.id)).length;
  const allOnPage = rows.length > 0 && selectedOnPage === rows.length;
  const headerBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (headerBox.current) headerBox.current.indeterminate = selectedOnPage > 0 && !allOnPage;
  }, [selectedOnPage, allOnPage]);

  const header = (field: SortField, label: string, className?: string) => {
    const active = sort.field === field;
    return (
      <th scope="col" className={cn("px-3 py-2 font-medium", className)} aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}>
        <button type="button" onClick={() => onSort(field)} className={cn("inline-flex items-center gap-1 rounded uppercase hover:text-slate-900", active && "text-slate-900")}>
          {label}
          <span aria-hidden className={cn("text-[10px]", !active && "opacity-0")}>{active && sort.direction === "asc" ? "▲" : "▼"}</span>
        </button>
      </th>
    );
  };

  return (
    <div className={cn("overflow-x-auto transition-opacity", busy && "opacity-60")} aria-busy={busy}>
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="w-8 px-3 py-2">
              <input ref={headerBox} type="checkbox" aria-label="Select all leads on this page" checked={allOnPage} disabled={rows.length === 0} onChange={onToggleAll} />
            </th>
            {header("addressLine1", "Address")}
            {header("ownerName", "Owner")}
            {header("status", "Status")}
            {header("score", "Score")}
            <th scope="col" className="px-3 py-2 font-medium">Phone</th>
            <th scope="col" className="px-3 py-2 font-medium">Textable</th>
            <th scope="col" className="px-3 py-2 font-medium">Tags</th>
            <th scope="col" className="px-3 py-2 font-medium">Assignee</th>
            {header("createdAt", "Created")}
            {header("updatedAt", "Updated")}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row, index) => {
            const isSelected = allMatching || selected.has(row.id);
            return (
              <tr key={row.id} className={cn("hover:bg-slate-50", isSelected && "bg-brand-50 hover:bg-brand-50")} data-testid="lead-row">
                <td className="px-3 py-2 align-top">
                  <input
                    type="checkbox"
                    aria-label={`Select ${row.addressLine1}`}
                    checked={isSelected}
                    disabled={allMatching}
                    onChange={(event) => onToggle(row.id, index, (event.nativeEvent as MouseEvent).shiftKey === true)}
                  />
                </td>
                <td className="px-3 py-2 align-top">
                  <Link href={`/leads/${row.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                    {row.addressLine1}
                  </Link>
                  <div className="text-xs text-slate-500">
                    {row.city}, {row.state} {row.zip}
                  </div>
                  {row.archivedAt && (
                    <div className="mt-0.5">
                      <Badge tone="amber">Archived</Badge>
                    </div>
                  )}
                </td>
                <td className="px-3 py-2 align-top">
                  <div className={row.ownerName ? undefined : "text-slate-400"}>{row.ownerName ?? "Unknown owner"}</div>
                  {(row.textable || row.absentee) && (
                    <div className="mt-0.5 flex flex-wrap gap-1">
                      {row.textable && <ContactablePill />}
                      {row.absentee && <Badge tone="amber">Absentee</Badge>}
                    </div>
                  )}
                </td>
                <td className="px-3 py-2 align-top">
                  <StatusBadge status={row.status} />
                </td>
                <td className="whitespace-nowrap px-3 py-2 align-top">
                  <TemperaturePill temperature={row.temperature} score={row.score} />
                </td>
                <td className="whitespace-nowrap px-3 py-2 align-top" data-testid="lead-has-phone">
                  {row.hasPhone ? "Yes" : <span className="text-slate-400">No</span>}
                </td>
                <td className="whitespace-nowrap px-3 py-2 align-top" data-testid="lead-textable">
                  {row.textable ? <span className="font-medium text-emerald-700">Yes</span> : <span className="text-slate-400">No</span>}
                </td>
                <td className="px-3 py-2 align-top">
                  <div className="flex max-w-48 flex-wrap gap-1">
                    {row.tags.map((tag) => (
                      <TagChip key={tag.id} name={tag.name} color={tag.color} />
                    ))}
                  </div>
                </td>
                <td className="whitespace-nowrap px-3 py-2 align-top">{personName(row.assignee) ?? <span className="text-slate-400">Unassigned</span>}</td>
                <td className="whitespace-nowrap px-3 py-2 align-top tabular-nums text-slate-600">
                  <DateText value={row.createdAt} />
                </td>
                <td className="whitespace-nowrap px-3 py-2 align-top tabular-nums text-slate-600">
                  <DateText value={row.updatedAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function LeadsTableSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div className="space-y-2 p-5" aria-busy="true" aria-label="Loading leads">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-9 w-full" />
      ))}
    </div>
  );
}
