"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { formatDollarsFromCents } from "@/lib/money";
import { DEFAULT_LEAD_COLUMNS, LEAD_COLUMN_IDS, LEAD_COLUMNS, normalizeLeadColumns, type LeadColumnId } from "@/lib/lead-columns";
import { api } from "@/trpc/react";
import { Ago, TagChip } from "./bits";
import { personName, type LeadListItem } from "./labels";

/**
 * The leads list's optional columns (issue 14 item 9): which ones this user shows, kept on the
 * server per user (preferences.leadColumns), so they follow the user across reloads and browsers.
 * A change shows at once and is saved in the background; a failed save puts back what is saved.
 */
export function useLeadColumns() {
  const utils = api.useUtils();
  const saved = api.preferences.leadColumns.useQuery(undefined, { staleTime: Infinity });
  const save = api.preferences.setLeadColumns.useMutation({
    onMutate: async ({ columns }) => {
      await utils.preferences.leadColumns.cancel();
      const before = utils.preferences.leadColumns.getData();
      utils.preferences.leadColumns.setData(undefined, { columns: normalizeLeadColumns(columns), saved: true });
      return { before };
    },
    onError: (_error, _input, context) => {
      if (context?.before) utils.preferences.leadColumns.setData(undefined, context.before);
    },
    onSuccess: (answer) => utils.preferences.leadColumns.setData(undefined, answer),
  });
  const columns = saved.data?.columns ?? [...DEFAULT_LEAD_COLUMNS];
  return { columns, setColumns: (next: LeadColumnId[]) => save.mutate({ columns: next }), saveError: save.error?.message ?? null };
}

/** "Columns ▾": a panel of checkboxes (Tab, Space; Escape closes and gives focus back). */
export function ColumnPicker({ columns, onChange, error }: { columns: readonly LeadColumnId[]; onChange: (next: LeadColumnId[]) => void; error: string | null }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        root.current?.querySelector<HTMLButtonElement>("button[aria-controls]")?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    // The first checkbox takes the focus, so the keyboard lands in the panel.
    root.current?.querySelector<HTMLInputElement>(`#${CSS.escape(panelId)} input`)?.focus();
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, panelId]);

  const shown = new Set(columns);
  return (
    <div className="relative" ref={root}>
      <Button type="button" size="sm" variant="secondary" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((value) => !value)}>
        Columns <span aria-hidden>▾</span>
      </Button>
      {open && (
        <div id={panelId} className="absolute right-0 z-20 mt-1 w-56 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
          <fieldset>
            <legend className="px-1 pb-1 text-xs font-medium uppercase text-slate-500">Show columns</legend>
            {LEAD_COLUMNS.map((column) => (
              <label key={column.id} className="flex cursor-pointer items-center gap-2 rounded px-1 py-1 text-sm text-slate-800 hover:bg-slate-50">
                <input
                  type="checkbox"
                  checked={shown.has(column.id)}
                  onChange={(event) => {
                    const next = new Set(shown);
                    if (event.target.checked) next.add(column.id);
                    else next.delete(column.id);
                    onChange(normalizeLeadColumns([...next]));
                  }}
                />
                {column.label}
              </label>
            ))}
          </fieldset>
          <p className="px-1 pt-1 text-xs text-slate-500">Address, owner, status and score always show. Saved for you.</p>
          {error && <p className="px-1 pt-1 text-xs text-red-600" role="alert">Couldn&apos;t save: {error}</p>}
        </div>
      )}
    </div>
  );
}

const th = "px-3 py-2 font-medium";
const none = <span className="text-slate-400">—</span>;

/** The chosen optional columns in the table's order (worked out once per table, not per row). */
export function shownColumns(columns: readonly LeadColumnId[]): LeadColumnId[] {
  return LEAD_COLUMN_IDS.filter((id) => columns.includes(id));
}

/** The header cells of the chosen optional columns, in the table's order. */
export function OptionalHeaders({ columns }: { columns: readonly LeadColumnId[] }) {
  return (
    <>
      {LEAD_COLUMNS.filter((column) => columns.includes(column.id)).map((column) => (
        <th key={column.id} scope="col" className={column.id === "equity" || column.id === "value" ? `${th} text-right` : th}>
          {column.label}
        </th>
      ))}
    </>
  );
}

/**
 * A row's cells for the shown optional columns (shownColumns), in the table's order. A plain
 * function, not a component: the list calls it for each of its rows while rendering them. The
 * table sets every cell's padding and alignment (leads-table.tsx).
 */
export function optionalCells(row: LeadListItem, shown: readonly LeadColumnId[]) {
  return shown.map((id) => {
    switch (id) {
      case "phone":
        return (
          <td key="phone" className="whitespace-nowrap" data-testid="lead-has-phone">
            {row.hasPhone ? "Yes" : <span className="text-slate-400">No</span>}
          </td>
        );
      case "textable":
        return (
          <td key="textable" className="whitespace-nowrap" data-testid="lead-textable">
            {row.textable ? <span className="font-medium text-emerald-700">Yes</span> : <span className="text-slate-400">No</span>}
          </td>
        );
      case "equity":
        return (
          <td key="equity" className="whitespace-nowrap text-right tabular-nums" data-testid="lead-equity">
            {row.equityPct === null ? none : `${row.equityPct.toFixed(0)}%`}
          </td>
        );
      case "value":
        return (
          <td key="value" className="whitespace-nowrap text-right tabular-nums" data-testid="lead-value">
            {row.estimatedValueCents === null ? none : formatDollarsFromCents(row.estimatedValueCents)}
          </td>
        );
      case "lastContact":
        return (
          <td key="lastContact" className="whitespace-nowrap text-slate-600" data-testid="lead-last-contact">
            {row.lastContactAt ? <Ago value={row.lastContactAt} /> : <span className="text-slate-400">Never</span>}
          </td>
        );
      case "nextTask":
        return (
          <td key="nextTask" className="text-sm" data-testid="lead-next-task">
            {row.nextTask ? (
              <span className="block max-w-56">
                <span className="block truncate text-slate-800" title={row.nextTask.note}>{row.nextTask.note}</span>
                <span className="block text-xs text-slate-500">
                  Due {row.nextTask.dueOn}
                  {row.nextTask.dueTime && ` ${row.nextTask.dueTime}`}
                </span>
              </span>
            ) : (
              none
            )}
          </td>
        );
      case "tags":
        // No tags: the cell stays empty (an empty wrapper took no room either).
        return (
          <td key="tags">
            {row.tags.length > 0 && (
              <div className="flex max-w-48 flex-wrap gap-1">
                {row.tags.map((tag) => (
                  <TagChip key={tag.id} name={tag.name} color={tag.color} />
                ))}
              </div>
            )}
          </td>
        );
      case "assignee":
        return (
          <td key="assignee" className="whitespace-nowrap">
            {personName(row.assignee) ?? <span className="text-slate-400">Unassigned</span>}
          </td>
        );
    }
  });
}
