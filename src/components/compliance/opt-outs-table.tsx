"use client";

import { formatPhone } from "@/components/shared/format";
import { Time } from "@/components/shared/time";
import { Button } from "@/components/ui/button";
import { Badge, Skeleton } from "@/components/ui/card";
import { REASON_LABELS, type OptOutRow } from "./opt-outs-filters";

const person = (p: { name: string | null; email: string } | null) => (p ? (p.name ?? p.email) : "a former member");

function Source({ row }: { row: OptOutRow }) {
  if (row.sourceMessage) {
    return (
      <span>
        Their text: <q className="italic">{row.sourceMessage.body}</q>
      </span>
    );
  }
  if (row.addedBy) return <span>By {person(row.addedBy)}</span>;
  if (row.reason === "provider_21610") return <span>Twilio refused a send (21610)</span>;
  return <span className="text-slate-400">—</span>;
}

export function OptOutsTable({ rows, canLift, onLift }: { rows: OptOutRow[]; canLift: boolean; onLift: (row: OptOutRow) => void }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="opt-outs-table">
        <caption className="sr-only">Opt-outs, newest first</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Phone</th>
            <th scope="col" className="py-2 pr-4 font-medium">Reason</th>
            <th scope="col" className="py-2 pr-4 font-medium">Source</th>
            <th scope="col" className="py-2 pr-4 font-medium">Evidence</th>
            <th scope="col" className="py-2 pr-4 font-medium">Added</th>
            <th scope="col" className="py-2 pr-4 font-medium">Status</th>
            <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid={`opt-out-${row.phone}`} className="align-top">
              <th scope="row" className="whitespace-nowrap py-2 pr-4 font-medium text-slate-900">
                {formatPhone(row.phone)}
              </th>
              <td className="whitespace-nowrap py-2 pr-4">
                <Badge tone={row.reason === "wrong_number" ? "amber" : "slate"}>{REASON_LABELS[row.reason]}</Badge>
                {row.lead && <div className="mt-1 text-xs text-slate-500">Only for {row.lead.label}</div>}
              </td>
              <td className="max-w-xs py-2 pr-4 text-slate-700">
                <Source row={row} />
              </td>
              <td className="max-w-sm whitespace-pre-line break-words py-2 pr-4 text-slate-700">{row.evidence}</td>
              <td className="whitespace-nowrap py-2 pr-4 text-slate-500">
                <Time value={row.createdAt} />
              </td>
              <td className="max-w-sm py-2 pr-4">
                {row.lifted ? (
                  <div className="space-y-1">
                    <Badge tone="green">Lifted</Badge>
                    <p className="text-xs text-slate-600">
                      <Time value={row.lifted.at} /> by {person(row.lifted.by)}
                    </p>
                    <p className="whitespace-pre-line break-words text-xs text-slate-600">{row.lifted.reason}</p>
                  </div>
                ) : (
                  <Badge tone="red">Opted out</Badge>
                )}
              </td>
              <td className="py-2 text-right">
                {canLift && !row.lifted && row.scope === "organization" && (
                  <Button size="sm" variant="secondary" onClick={() => onLift(row)} aria-label={`Lift the opt-out of ${formatPhone(row.phone)}`}>
                    Lift…
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OptOutsTableSkeleton() {
  return (
    <div className="space-y-2" aria-label="Loading opt-outs" role="status">
      {Array.from({ length: 5 }, (_, i) => (
        <Skeleton key={i} className="h-6 w-full" />
      ))}
    </div>
  );
}
