"use client";

import { Badge } from "@/components/ui/card";
import { leadDedupKey } from "@/lib/address";
import { cn } from "@/components/ui/cn";
import { formatDollarsFromCents } from "@/lib/money";
import { formatIsoDay, formatPhone } from "@/components/shared/format";
import { PROPERTY_TYPE_LABELS } from "@/components/leads/labels";
import type { SampleRow } from "./sample";

type Lead = NonNullable<SampleRow["lead"]>;

const PHONE_TYPES: Record<Lead["phones"][number]["type"], string> = { mobile: "mobile", landline: "landline", voip: "VoIP", unknown: "" };
const dash = <span className="text-slate-400">—</span>;

function facts(lead: Lead): string[] {
  const lines: string[] = [];
  const size = [
    lead.propertyType ? (PROPERTY_TYPE_LABELS[lead.propertyType] ?? lead.propertyType) : null,
    lead.beds !== null ? `${lead.beds} bd` : null,
    lead.baths !== null ? `${lead.baths} ba` : null,
    lead.sizeSqft !== null ? `${lead.sizeSqft.toLocaleString("en-US")} sq ft` : null,
    lead.yearBuilt !== null ? `built ${lead.yearBuilt}` : null,
  ].filter(Boolean);
  if (size.length) lines.push(size.join(" · "));
  const value = [
    lead.estimatedValueCents !== null ? `value ${formatDollarsFromCents(lead.estimatedValueCents)}` : null,
    lead.assessedValueCents !== null ? `assessed ${formatDollarsFromCents(lead.assessedValueCents)}` : null,
    lead.equityPct !== null ? `equity ${lead.equityPct}%` : null,
  ].filter(Boolean);
  if (value.length) lines.push(value.join(" · "));
  if (lead.lastSaleDate || lead.lastSalePriceCents !== null) {
    lines.push(
      `last sale ${[lead.lastSaleDate ? formatIsoDay(lead.lastSaleDate) : null, lead.lastSalePriceCents !== null ? formatDollarsFromCents(lead.lastSalePriceCents) : null]
        .filter(Boolean)
        .join(", ")}`,
    );
  }
  if (lead.notes.length) {
    const first = lead.notes[0]!;
    lines.push(`note: ${first.length > 60 ? `${first.slice(0, 59)}…` : first}${lead.notes.length > 1 ? ` (+${lead.notes.length - 1})` : ""}`);
  }
  return lines;
}

/** Rows that repeat an earlier row's lead (same address and owner however written): row → that earlier row. */
function repeatedRows(rows: readonly SampleRow[]): Map<number, number> {
  const firstByKey = new Map<string, number>();
  const repeats = new Map<number, number>();
  for (const { rowNumber, lead } of rows) {
    if (!lead) continue;
    const key = leadDedupKey({ street: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip }, lead.ownerName);
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, rowNumber);
    else repeats.set(rowNumber, first);
  }
  return repeats;
}

/** The first rows of the file as the import will store them, each with why it is rejected or what is dropped. */
export function ImportPreviewTable({ rows, fixedTags, busy }: { rows: SampleRow[]; fixedTags: readonly string[]; busy: boolean }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">The file has no data rows to preview.</p>;
  const repeats = repeatedRows(rows);
  return (
    <div className={cn("overflow-x-auto transition-opacity", busy && "opacity-60")} aria-busy={busy}>
      <table className="w-full text-left text-sm" data-testid="import-preview">
        <caption className="sr-only">The first {rows.length} rows as they will be imported</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Row</th>
            <th scope="col" className="px-3 py-2 font-medium">Result</th>
            <th scope="col" className="px-3 py-2 font-medium">Property</th>
            <th scope="col" className="px-3 py-2 font-medium">Owner</th>
            <th scope="col" className="px-3 py-2 font-medium">Phones &amp; emails</th>
            <th scope="col" className="px-3 py-2 font-medium">Facts</th>
            <th scope="col" className="px-3 py-2 font-medium">Tags</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <PreviewRow key={row.rowNumber} row={row} fixedTags={fixedTags} repeats={repeats.get(row.rowNumber) ?? null} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PreviewRow({ row, fixedTags, repeats }: { row: SampleRow; fixedTags: readonly string[]; repeats: number | null }) {
  const { lead } = row;
  if (!lead) {
    return (
      <tr className="bg-red-50/60" data-testid="preview-row">
        <td className="px-3 py-2 align-top tabular-nums text-slate-500">{row.rowNumber}</td>
        <td className="px-3 py-2 align-top">
          <Badge tone="red">Rejected</Badge>
        </td>
        <td colSpan={5} className="px-3 py-2 align-top text-red-700">
          {row.problems.length > 1 ? (
            <ul className="list-disc space-y-0.5 pl-4" aria-label={`Row ${row.rowNumber}: ${row.problems.length} problems`}>
              {row.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          ) : (
            row.rejection
          )}
        </td>
      </tr>
    );
  }
  const tags = [...new Set([...lead.tags, ...fixedTags])];
  const lines = facts(lead);
  return (
    <tr className={cn("align-top", repeats !== null && "bg-slate-50/70")} data-testid="preview-row">
      <td className="px-3 py-2 tabular-nums text-slate-500">{row.rowNumber}</td>
      <td className="px-3 py-2">
        {repeats !== null ? (
          <>
            <Badge tone="slate">Duplicate</Badge>
            <p className="mt-1 text-xs text-slate-500">Same lead as row {repeats}; skipped.</p>
          </>
        ) : row.warnings.length > 0 ? (
          <Badge tone="amber">Imports, with warnings</Badge>
        ) : (
          <Badge tone="green">Imports</Badge>
        )}
        {row.warnings.length > 0 && (
          <ul className="mt-1 list-disc space-y-0.5 pl-4 text-xs text-amber-800">
            {row.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        )}
      </td>
      <td className="px-3 py-2">
        <div className="font-medium text-slate-900">{lead.addressLine1}</div>
        <div className="text-xs text-slate-500">{[lead.city, [lead.state, lead.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ")}</div>
      </td>
      <td className="px-3 py-2">
        {lead.ownerName ? <div className="text-slate-900">{lead.ownerName}</div> : dash}
        {lead.ownerIsCorporate && <div className="text-xs text-slate-500">Company or trust</div>}
        {lead.mailingAddress && (
          <div className="text-xs text-slate-500">
            Mail: {lead.mailingAddress}
            {lead.absentee && " (absentee)"}
          </div>
        )}
      </td>
      <td className="px-3 py-2">
        {lead.phones.length === 0 && lead.emails.length === 0 && dash}
        {lead.phones.map((phone) => (
          <div key={phone.number} className="whitespace-nowrap tabular-nums text-slate-900">
            {formatPhone(phone.number)}
            {PHONE_TYPES[phone.type] && <span className="ml-1 text-xs text-slate-500">{PHONE_TYPES[phone.type]}</span>}
          </div>
        ))}
        {lead.emails.map((email) => (
          <div key={email} className="max-w-56 truncate text-slate-700" title={email}>
            {email}
          </div>
        ))}
      </td>
      <td className="px-3 py-2 text-xs text-slate-600">{lines.length ? lines.map((line) => <div key={line}>{line}</div>) : dash}</td>
      <td className="px-3 py-2">
        {tags.length ? (
          <div className="flex max-w-48 flex-wrap gap-1">
            {tags.map((tag) => (
              <span key={tag} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                {tag}
              </span>
            ))}
          </div>
        ) : (
          dash
        )}
      </td>
    </tr>
  );
}
