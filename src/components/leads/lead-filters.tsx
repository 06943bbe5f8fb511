"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, Select } from "@/components/ui/field";
import type { RouterOutputs } from "@/trpc/react";
import { DebouncedInput } from "./debounced-input";
import { LEAD_SOURCES, SOURCE_LABELS, TEMPERATURE_LABELS, TEMPERATURES, personName, type LeadSource } from "./labels";
import { clearFilters, filtersFromListState, hasNoFilters, isValidZip, parseScore, toggleValue, type LeadListState, type YesNo } from "./list-url";

type Tags = RouterOutputs["tags"]["list"];
type Assignees = RouterOutputs["leads"]["assignees"];

const TEMPERATURE_CHIP: Record<string, string> = {
  COLD: "aria-pressed:bg-slate-600 aria-pressed:text-white aria-pressed:border-slate-600",
  WARM: "aria-pressed:bg-amber-500 aria-pressed:text-white aria-pressed:border-amber-500",
  HOT: "aria-pressed:bg-orange-600 aria-pressed:text-white aria-pressed:border-orange-600",
  ON_FIRE: "aria-pressed:bg-red-600 aria-pressed:text-white aria-pressed:border-red-600",
};

export function LeadFilters({ state, tags, assignees, onChange }: {
  state: LeadListState;
  tags: Tags | undefined;
  assignees: Assignees | undefined;
  /**
   * A change to the filters as they are when it applies (the workspace reads them from the address
   * bar; see its navigate); the field changed takes the value the control shows it will. `replace`
   * for typing, so each keystroke pause doesn't become a history entry.
   */
  onChange: (change: (current: LeadListState) => LeadListState, mode?: "push" | "replace") => void;
}) {
  const set = <K extends keyof LeadListState>(key: K, value: LeadListState[K], mode: "push" | "replace" = "push") => onChange((current) => ({ ...current, [key]: value }), mode);
  const zipError = isValidZip(state.zip) ? null : "Enter a 5-digit ZIP";
  const scoreError =
    (state.scoreMin.trim() && parseScore(state.scoreMin) === undefined) || (state.scoreMax.trim() && parseScore(state.scoreMax) === undefined)
      ? "Scores are whole numbers 0–100"
      : null;
  const sourceValue = state.source.length === 1 ? state.source[0]! : state.source.length === 0 ? "" : "multiple";
  // Narrow screens (issue 14 item 13): the search box stays, the rest folds behind a button that
  // says how many of them are set (the status chips and the search text are not behind it).
  const [expanded, setExpanded] = useState(false);
  const folded = Object.keys(filtersFromListState({ ...state, status: [], q: "" })).length;

  return (
    <section aria-label="Filters" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 md:min-w-64">
          <Field label="Search address or owner">
            {(p) => (
              <DebouncedInput {...p} type="search" name="q" placeholder="e.g. 123 Oak or Smith" value={state.q} maxLength={200} onCommit={(q) => set("q", q, "replace")} />
            )}
          </Field>
        </div>
        <Button
          size="sm"
          variant="secondary"
          className="md:hidden"
          aria-expanded={expanded}
          aria-controls="lead-filters-more"
          onClick={() => setExpanded((open) => !open)}
          data-testid="filters-toggle"
        >
          Filters{folded > 0 && <span className="ml-1 rounded-full bg-brand-600 px-1.5 text-xs text-white" data-testid="filters-active-count">{folded}</span>}
        </Button>
        <div role="group" aria-label="Temperature" className={cn(expanded ? "flex" : "hidden", "flex-wrap items-center gap-1.5 md:flex")}>
          <span className="mr-1 text-sm font-medium text-slate-700">Temperature</span>
          {TEMPERATURES.map((temperature) => (
            <button
              key={temperature}
              type="button"
              aria-pressed={state.temperature.includes(temperature)}
              onClick={() => set("temperature", toggleValue(state.temperature, temperature))}
              className={cn("rounded-full border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50", TEMPERATURE_CHIP[temperature])}
            >
              {TEMPERATURE_LABELS[temperature]}
            </button>
          ))}
        </div>
      </div>

      <div id="lead-filters-more" className={cn(expanded ? "grid" : "hidden", "grid-cols-2 gap-3 md:grid md:grid-cols-4")}>
        <Field label="Tag">
          {(p) => (
            <Select {...p} value={state.tag} onChange={(e) => set("tag", e.target.value)}>
              <option value="">Any tag</option>
              {state.tag && !tags?.some((t) => t.id === state.tag) && <option value={state.tag}>Unknown tag</option>}
              {tags?.map((tag) => (
                <option key={tag.id} value={tag.id}>
                  {tag.name} ({tag.leadCount})
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Assignee">
          {(p) => (
            <Select {...p} value={state.assignee} onChange={(e) => set("assignee", e.target.value)}>
              <option value="">Anyone</option>
              <option value="unassigned">Unassigned</option>
              {state.assignee && state.assignee !== "unassigned" && !assignees?.some((a) => a.id === state.assignee) && <option value={state.assignee}>Former teammate</option>}
              {assignees?.map((person) => (
                <option key={person.id} value={person.id}>
                  {personName(person)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Source">
          {(p) => (
            <Select {...p} value={sourceValue} onChange={(e) => set("source", e.target.value ? [e.target.value as LeadSource] : [])}>
              <option value="">Any source</option>
              {sourceValue === "multiple" && <option value="multiple" disabled>{state.source.map((s) => SOURCE_LABELS[s]).join(", ")}</option>}
              {LEAD_SOURCES.map((source) => (
                <option key={source} value={source}>
                  {SOURCE_LABELS[source]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Has phone">
          {(p) => (
            <Select {...p} value={state.hasPhone} onChange={(e) => set("hasPhone", e.target.value as YesNo)}>
              <option value="">Any</option>
              <option value="yes">With a phone</option>
              <option value="no">No phone</option>
            </Select>
          )}
        </Field>
        <Field label="Textable">
          {(p) => (
            <Select {...p} value={state.textable} onChange={(e) => set("textable", e.target.value as YesNo)} title="A mobile or unknown-type number that is not DNC, TCPA-flagged, opted out, marked wrong or do-not-call, or invalid">
              <option value="">Any</option>
              <option value="yes">Textable</option>
              <option value="no">Not textable</option>
            </Select>
          )}
        </Field>
        <Field label="Skip traced">
          {(p) => (
            <Select {...p} value={state.skipTraced} onChange={(e) => set("skipTraced", e.target.value as YesNo)}>
              <option value="">Any</option>
              <option value="yes">Skip traced</option>
              <option value="no">Not yet</option>
            </Select>
          )}
        </Field>
        <Field label="ZIP" error={zipError}>
          {(p) => <DebouncedInput {...p} name="zip" inputMode="numeric" placeholder="78701" maxLength={5} value={state.zip} onCommit={(zip) => set("zip", zip, "replace")} />}
        </Field>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-700">Score</legend>
          <div className="flex items-center gap-1">
            <DebouncedInput aria-label="Score from" aria-invalid={scoreError ? true : undefined} inputMode="numeric" placeholder="0" maxLength={3} className="px-2" value={state.scoreMin} onCommit={(v) => set("scoreMin", v, "replace")} />
            <span className="text-slate-400">–</span>
            <DebouncedInput aria-label="Score to" aria-invalid={scoreError ? true : undefined} inputMode="numeric" placeholder="100" maxLength={3} className="px-2" value={state.scoreMax} onCommit={(v) => set("scoreMax", v, "replace")} />
          </div>
          {scoreError && <p className="text-sm text-red-600">{scoreError}</p>}
        </fieldset>
        <Field label="Archived">
          {(p) => (
            <Select {...p} value={state.archived} onChange={(e) => set("archived", e.target.value as LeadListState["archived"])}>
              <option value="exclude">Hide archived</option>
              <option value="include">Include archived</option>
              <option value="only">Archived only</option>
            </Select>
          )}
        </Field>
      </div>
      {!hasNoFilters(state) && (
        <div className="flex justify-end">
          <Button size="sm" variant="ghost" onClick={() => onChange(clearFilters)}>
            Clear all filters
          </Button>
        </div>
      )}
    </section>
  );
}
