"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { DecisionPreview } from "./decision-preview";
import { parseWindows, windowsText, type RulesData } from "./rules-format";

type Draft = {
  /** The row for every recipient (no state): it cannot be removed. */
  federal: boolean;
  state: string;
  name: string;
  weekdays: string;
  saturday: string;
  sunday: string;
  frequencyCap: string;
  source: string;
  note: string;
};

const toDraft = (rule: RulesData["rules"][number]): Draft => ({
  federal: rule.state === null,
  state: rule.state ?? "",
  name: rule.name,
  weekdays: windowsText(rule.weekdays),
  saturday: windowsText(rule.saturday),
  sunday: windowsText(rule.sunday),
  frequencyCap: rule.frequencyCap === null ? "" : String(rule.frequencyCap),
  source: rule.source,
  note: rule.note ?? "",
});

/** Quiet hours, frequency cap and the state rules table (admins edit, managers read), and the decision preview. */
export function RulesWorkspace() {
  const rules = api.complianceRules.get.useQuery();
  const utils = api.useUtils();
  // Lives here, not in the editor: a save refetches the rules and the editor starts again from them (keyed by their version).
  const update = api.complianceRules.update.useMutation({ onSuccess: () => utils.complianceRules.invalidate() });
  const version = rules.data ? JSON.stringify([rules.data.orgWindow, rules.data.frequencyCap, rules.data.rules.map((r) => [r.state, r.updatedAt])]) : "";
  return (
    <div className="space-y-6">
      {rules.isPending ? (
        <Card title="Rules">
          <div className="space-y-2" role="status" aria-label="Loading the rules">
            {Array.from({ length: 6 }, (_, i) => (
              <Skeleton key={i} className="h-6 w-full" />
            ))}
          </div>
        </Card>
      ) : rules.isError ? (
        <Alert tone="error">
          <p>Couldn&apos;t load the rules: {describeError(rules.error).message}</p>
          <Button size="sm" variant="secondary" className="mt-2" onClick={() => rules.refetch()}>Try again</Button>
        </Alert>
      ) : (
        <RulesEditor key={version} data={rules.data} update={update} />
      )}
      <DecisionPreview />
    </div>
  );
}

type UpdateMutation = ReturnType<typeof api.complianceRules.update.useMutation>;

function RulesEditor({ data, update }: { data: RulesData; update: UpdateMutation }) {
  const [start, setStart] = useState(data.orgWindow.start);
  const [end, setEnd] = useState(data.orgWindow.end);
  const [cap, setCap] = useState(String(data.frequencyCap));
  const [rows, setRows] = useState<Draft[]>(() => data.rules.map(toDraft));
  const [problem, setProblem] = useState<string | null>(null);
  const [edited, setEdited] = useState(false);
  const saved = update.isSuccess && !edited;
  const setSaved = (value: boolean) => setEdited(!value);
  const editable = data.canEdit;
  const set = (index: number, field: Exclude<keyof Draft, "federal">, value: string) => {
    setSaved(false);
    setRows((current) => current.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  };

  function save(event: React.FormEvent) {
    event.preventDefault();
    setProblem(null);
    const parsed = [];
    for (const [index, row] of rows.entries()) {
      const days = { weekdays: parseWindows(row.weekdays), saturday: parseWindows(row.saturday), sunday: parseWindows(row.sunday) };
      const bad = (Object.keys(days) as (keyof typeof days)[]).find((day) => days[day] === null);
      if (bad) {
        setProblem(`Row ${index + 1} (${row.name || "new rule"}): write ${bad} as 08:00–20:00 (several separated by commas), or "none" for no messages.`);
        return;
      }
      const capValue = row.frequencyCap.trim() === "" ? null : Number(row.frequencyCap);
      if (capValue !== null && !Number.isInteger(capValue)) {
        setProblem(`Row ${index + 1} (${row.name}): the cap is a whole number of messages, or empty for none.`);
        return;
      }
      parsed.push({
        state: row.federal ? null : row.state.trim().toUpperCase(),
        name: row.name,
        weekdays: days.weekdays!,
        saturday: days.saturday!,
        sunday: days.sunday!,
        frequencyCap: capValue,
        source: row.source,
        ...(row.note.trim() ? { note: row.note } : {}),
      });
    }
    update.mutate({ orgWindow: { start, end }, frequencyCap: Number(cap), rules: parsed });
  }

  const error = update.error ? describeError(update.error) : null;
  return (
    <form onSubmit={save} className="space-y-6" aria-label="Quiet hours and state rules">
      <Card
        title="Organization defaults"
        description={`Times are the recipient's local time. Recipients with no ZIP or known area code are placed in your organization's zone (${data.timeZone}).`}
      >
        <div className="flex flex-wrap items-end gap-4">
          <div className="w-32">
            <Field label="Texts from">{(p) => <Input {...p} value={start} disabled={!editable} onChange={(e) => { setSaved(false); setStart(e.target.value); }} />}</Field>
          </div>
          <div className="w-32">
            <Field label="Until">{(p) => <Input {...p} value={end} disabled={!editable} onChange={(e) => { setSaved(false); setEnd(e.target.value); }} />}</Field>
          </div>
          <div className="w-56">
            <Field label="Frequency cap (texts per 24 h)" hint="Every text to the number counts, campaigns and inbox alike.">
              {(p) => <Input {...p} type="number" min={1} max={50} value={cap} disabled={!editable} onChange={(e) => { setSaved(false); setCap(e.target.value); }} />}
            </Field>
          </div>
        </div>
      </Card>

      <Card
        title="State rules"
        description="The strictest rule that applies wins: your window, the federal row and the recipient's state row. Each row keeps its source; third-party tables disagree in places, so check them against your counsel's reading."
      >
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="state-rules-table">
            <caption className="sr-only">State quiet-hour rules with their sources</caption>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-2 font-medium">State</th>
                <th scope="col" className="py-2 pr-2 font-medium">Name</th>
                <th scope="col" className="py-2 pr-2 font-medium">Mon–Fri</th>
                <th scope="col" className="py-2 pr-2 font-medium">Saturday</th>
                <th scope="col" className="py-2 pr-2 font-medium">Sunday</th>
                <th scope="col" className="py-2 pr-2 font-medium">Cap / 24 h</th>
                <th scope="col" className="py-2 pr-2 font-medium">Source</th>
                {editable && <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row, index) => {
                const label = row.name || row.state || `row ${index + 1}`;
                const cell = (field: Exclude<keyof Draft, "federal">, width: string, aria: string) =>
                  editable ? (
                    <input
                      className={`w-full rounded border border-slate-300 px-2 py-1 text-sm ${width}`}
                      aria-label={`${label}: ${aria}`}
                      value={row[field]}
                      onChange={(e) => set(index, field, e.target.value)}
                    />
                  ) : (
                    <span>{row[field] || "—"}</span>
                  );
                return (
                  <tr key={index} data-testid={`rule-${row.federal ? "federal" : row.state || `new-${index}`}`} className="align-top">
                    <td className="py-2 pr-2">{row.federal ? <Badge>All</Badge> : cell("state", "w-14", "state")}</td>
                    <td className="py-2 pr-2">{cell("name", "w-32", "name")}</td>
                    <td className="py-2 pr-2">{cell("weekdays", "w-32", "weekdays")}</td>
                    <td className="py-2 pr-2">{cell("saturday", "w-32", "Saturday")}</td>
                    <td className="py-2 pr-2">{cell("sunday", "w-32", "Sunday")}</td>
                    <td className="py-2 pr-2">{cell("frequencyCap", "w-16", "cap")}</td>
                    <td className="min-w-[16rem] py-2 pr-2">
                      {cell("source", "w-full", "source")}
                      {row.note && <p className="mt-1 text-xs text-slate-500">{row.note}</p>}
                    </td>
                    {editable && (
                      <td className="py-2 text-right">
                        {!row.federal && (
                          <Button type="button" size="sm" variant="ghost" aria-label={`Remove the ${label} rule`} onClick={() => setRows((current) => current.filter((_, i) => i !== index))}>
                            Remove
                          </Button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {editable ? (
          <div className="mt-4 flex flex-wrap items-center gap-3">
            <Button
              type="button"
              variant="secondary"
              onClick={() => setRows((current) => [...current, { federal: false, state: "", name: "", weekdays: "08:00–21:00", saturday: "08:00–21:00", sunday: "08:00–21:00", frequencyCap: "", source: "", note: "" }])}
            >
              Add a state rule
            </Button>
            <Button type="submit" pending={update.isPending}>Save rules</Button>
            {saved && !update.isPending && <span role="status" className="text-sm text-green-700">Saved. New decisions use these rules.</span>}
          </div>
        ) : (
          <p className="mt-4 text-sm text-slate-500">Only admins can change these rules.</p>
        )}
        {(problem || error) && (
          <Alert tone="error" className="mt-3">
            {problem ?? error!.message}
          </Alert>
        )}
      </Card>
    </form>
  );
}
