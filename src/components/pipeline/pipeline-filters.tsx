"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { TEMPERATURE_LABELS, TEMPERATURES, type Temperature } from "@/components/leads/labels";
import { hasBoardFilters, type BoardFilters } from "./pipeline-state";

/** Free text, temperature and assignee; the board keeps them in the URL. */
export function PipelineFilters({ filters, onChange }: { filters: BoardFilters; onChange: (filters: BoardFilters) => void }) {
  const assignees = api.leads.assignees.useQuery(undefined, { staleTime: 5 * 60_000 });
  const [q, setQ] = useState(filters.q ?? "");
  const urlQ = filters.q ?? "";
  const [syncedQ, setSyncedQ] = useState(urlQ);
  const [pushedQ, setPushedQ] = useState(urlQ);

  // The URL changed under us (back button, "Clear filters"): show its text. Our own debounced
  // update is not echoed back, so nothing typed since is lost.
  if (urlQ !== syncedQ) {
    setSyncedQ(urlQ);
    if (urlQ !== pushedQ) {
      setPushedQ(urlQ);
      setQ(urlQ);
    }
  }

  // Typing updates the URL once the user pauses.
  useEffect(() => {
    const next = q.trim();
    if (next === urlQ) return;
    const timer = setTimeout(() => {
      setPushedQ(next);
      onChange({ ...filters, q: next || undefined });
    }, 300);
    return () => clearTimeout(timer);
  }, [q, urlQ, filters, onChange]);

  const temperature = filters.temperature?.join(",") ?? "";
  return (
    <form role="search" aria-label="Filter the board" className="flex flex-wrap items-end gap-3" onSubmit={(event) => {
      event.preventDefault();
      setPushedQ(q.trim());
      onChange({ ...filters, q: q.trim() || undefined });
    }}>
      <div className="w-full space-y-1 sm:w-64">
        <label htmlFor="pipeline-q" className="block text-xs font-medium text-slate-600">Search</label>
        <Input id="pipeline-q" type="search" placeholder="Address or owner" value={q} maxLength={200} onChange={(event) => setQ(event.target.value)} />
      </div>
      <div className="min-w-0 flex-1 space-y-1 sm:w-44 sm:flex-none">
        <label htmlFor="pipeline-temperature" className="block text-xs font-medium text-slate-600">Temperature</label>
        <Select
          id="pipeline-temperature"
          value={temperature}
          onChange={(event) => onChange({ ...filters, temperature: event.target.value ? (event.target.value.split(",") as Temperature[]) : undefined })}
        >
          <option value="">Any temperature</option>
          {/* A link may carry several temperatures; show them rather than pretend "Any". */}
          {filters.temperature && filters.temperature.length > 1 && (
            <option value={temperature}>{filters.temperature.map((t) => TEMPERATURE_LABELS[t]).join(", ")}</option>
          )}
          {TEMPERATURES.map((t) => (
            <option key={t} value={t}>{TEMPERATURE_LABELS[t]}</option>
          ))}
        </Select>
      </div>
      <div className="min-w-0 flex-1 space-y-1 sm:w-48 sm:flex-none">
        <label htmlFor="pipeline-assignee" className="block text-xs font-medium text-slate-600">Assignee</label>
        <Select
          id="pipeline-assignee"
          value={filters.assigneeId ?? ""}
          onChange={(event) => onChange({ ...filters, assigneeId: event.target.value || undefined })}
        >
          <option value="">Anyone</option>
          <option value="unassigned">Unassigned</option>
          {filters.assigneeId && filters.assigneeId !== "unassigned" && !assignees.data?.some((a) => a.id === filters.assigneeId) && (
            <option value={filters.assigneeId}>{assignees.isPending ? "Loading…" : "Unknown teammate"}</option>
          )}
          {assignees.data?.map((person) => (
            <option key={person.id} value={person.id}>{person.name ?? person.email}</option>
          ))}
        </Select>
      </div>
      {hasBoardFilters(filters) && (
        <Button type="button" variant="ghost" size="sm" className="mb-1" onClick={() => onChange({})}>
          Clear filters
        </Button>
      )}
    </form>
  );
}
