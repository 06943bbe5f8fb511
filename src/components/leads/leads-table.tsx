"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef } from "react";
import { temperaturePill, TemperaturePill } from "@/components/search/temperature-pill";
import { useHydrated } from "@/components/shared/time";
import { useNarrowScreen } from "@/components/shared/use-narrow-screen";
import { Badge, badge, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { LeadColumnId } from "@/lib/lead-columns";
import { contactablePill, dateText, statusBadge, StatusBadge } from "./bits";
import { OptionalHeaders, optionalCells, shownColumns } from "./column-picker";
import type { LeadListItem } from "./labels";
import type { SortDirection, SortField } from "./list-url";

type Sort = { field: SortField; direction: SortDirection };

export function LeadsTable({ rows, columns, sort, onSort, selected, allMatching, onToggle, onToggleAll, busy }: {
  rows: LeadListItem[];
  sort: Sort;
  onSort: (field: SortField) => void;
  selected: Set<string>;
  allMatching: boolean;
  onToggle: (id: string, index: number, range: boolean) => void;
  onToggleAll: () => void;
  busy: boolean;
  /** The optional columns this user shows (column-picker.tsx). */
  columns: readonly LeadColumnId[];
}) {
  const selectedOnPage = allMatching ? rows.length : rows.filter((row) => selected.has(row.id)).length;
  const allOnPage = rows.length > 0 && selectedOnPage === rows.length;
  const headerBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (headerBox.current) headerBox.current.indeterminate = selectedOnPage > 0 && !allOnPage;
  }, [selectedOnPage, allOnPage]);
  const narrow = useNarrowScreen();
  const hydrated = useHydrated();
  const shown = useMemo(() => shownColumns(columns), [columns]);
  if (narrow) return <LeadCards rows={rows} selected={selected} allMatching={allMatching} onToggle={onToggle} busy={busy} />;

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
      {/* Every body cell's padding and alignment, and the address links' look, set once here (issue 15: a class string on each of ~550 cells was 40 % of the page). */}
      <table className="w-full text-left text-sm [&_td]:px-3 [&_td]:py-2 [&_td]:align-top [&_td>a]:font-medium [&_td>a]:text-slate-900 [&_td>a]:hover:text-brand-700 [&_td>a]:hover:underline">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="w-8 px-3 py-2">
              <input ref={headerBox} type="checkbox" aria-label="Select all leads on this page" checked={allOnPage} disabled={rows.length === 0} onChange={onToggleAll} />
            </th>
            {header("addressLine1", "Address")}
            {header("ownerName", "Owner")}
            {header("status", "Status")}
            {header("score", "Score")}
            <OptionalHeaders columns={columns} />
            {header("createdAt", "Created")}
            {header("updatedAt", "Updated")}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row, index) => {
            const isSelected = allMatching || selected.has(row.id);
            // Plain elements and function calls, not a component per cell: this runs for every row of every page render.
            return (
              <tr key={row.id} className={isSelected ? "bg-brand-50 hover:bg-brand-50" : "hover:bg-slate-50"} data-testid="lead-row">
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${row.addressLine1}`}
                    checked={isSelected}
                    disabled={allMatching}
                    onChange={(event) => onToggle(row.id, index, (event.nativeEvent as MouseEvent).shiftKey === true)}
                  />
                </td>
                <td>
                  <Link href={`/leads/${row.id}`}>{row.addressLine1}</Link>
                  <div className="text-xs text-slate-500">{`${row.city}, ${row.state} ${row.zip}`}</div>
                  {row.archivedAt && <div className="mt-0.5">{badge("Archived", "amber")}</div>}
                </td>
                <td>
                  <div className={row.ownerName ? undefined : "text-slate-400"}>{row.ownerName ?? "Unknown owner"}</div>
                  {(row.textable || row.absentee || row.ownerIsCorporate) && (
                    <div className="mt-0.5 flex flex-wrap gap-1">
                      {row.textable && contactablePill}
                      {row.absentee && badge("Absentee", "amber")}
                      {row.ownerIsCorporate && badge("Company/Trust")}
                    </div>
                  )}
                </td>
                <td>{statusBadge(row.status)}</td>
                <td className="whitespace-nowrap">{temperaturePill(row.temperature, row.score)}</td>
                {optionalCells(row, shown)}
                <td className={dateCell}>{dateText(row.createdAt, hydrated)}</td>
                <td className={dateCell}>{dateText(row.updatedAt, hydrated)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const dateCell = "whitespace-nowrap tabular-nums text-slate-600";

/**
 * The list on a phone (issue 14 item 13): one card per lead with what decides the next move —
 * address, owner, temperature, status, textable — instead of a table wider than the screen. The
 * whole card opens the lead; the checkbox still selects it for the bulk actions.
 */
function LeadCards({ rows, selected, allMatching, onToggle, busy }: {
  rows: LeadListItem[];
  selected: Set<string>;
  allMatching: boolean;
  onToggle: (id: string, index: number, range: boolean) => void;
  busy: boolean;
}) {
  return (
    <ul className={cn("divide-y divide-slate-100 transition-opacity", busy && "opacity-60")} aria-busy={busy} aria-label="Leads" data-testid="lead-cards">
      {rows.map((row, index) => {
        const isSelected = allMatching || selected.has(row.id);
        return (
          <li key={row.id} className={cn("relative flex gap-3 px-4 py-3", isSelected && "bg-brand-50")} data-testid="lead-card">
            <input
              type="checkbox"
              aria-label={`Select ${row.addressLine1}`}
              checked={isSelected}
              disabled={allMatching}
              onChange={() => onToggle(row.id, index, false)}
              className="relative z-10 mt-1 size-5 shrink-0"
            />
            <div className="min-w-0 flex-1">
              {/* The link's box covers the card (after:absolute): a thumb anywhere on it opens the lead. */}
              <Link href={`/leads/${row.id}`} className="block truncate font-medium text-slate-900 after:absolute after:inset-0">
                {row.addressLine1}
              </Link>
              <p className="truncate text-xs text-slate-500">
                {row.city}, {row.state} {row.zip}
              </p>
              <p className={cn("mt-1 truncate text-sm", row.ownerName ? "text-slate-700" : "text-slate-400")}>{row.ownerName ?? "Unknown owner"}</p>
              <div className="mt-2 flex flex-wrap items-center gap-1.5">
                <TemperaturePill temperature={row.temperature} score={row.score} />
                <StatusBadge status={row.status} />
                <span data-testid="lead-textable" className={cn("whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium", row.textable ? "bg-emerald-100 text-emerald-800" : "bg-slate-100 text-slate-500")}>
                  {row.textable ? "Textable" : "Not textable"}
                </span>
                {row.ownerIsCorporate && <Badge>Company/Trust</Badge>}
                {row.archivedAt && <Badge tone="amber">Archived</Badge>}
              </div>
            </div>
          </li>
        );
      })}
    </ul>
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
