"use client";

import { useId } from "react";
import { Select } from "@/components/ui/field";
import { IMPORT_FIELDS, type ColumnField, type ImportField, type ImportMapping } from "./sample";

type MultiKey = "phones" | "emails" | "tags" | "notes";

/** How the form groups IMPORT_FIELDS; a field the server adds later lands in "Other". */
const GROUPS: { title: string; keys: readonly ColumnField[] }[] = [
  { title: "Property", keys: ["address", "city", "state", "zip"] },
  { title: "Owner", keys: ["ownerName", "ownerFirstName", "ownerLastName", "mailingAddress", "mailingCity", "mailingState", "mailingZip"] },
  { title: "Contacts, tags and notes", keys: ["phones", "emails", "tags", "notes"] },
  {
    title: "Property facts",
    keys: ["propertyType", "beds", "baths", "sqft", "yearBuilt", "estimatedValue", "assessedValue", "equityPct", "lastSaleDate", "lastSalePrice"],
  },
];

function groupedFields(): { title: string; fields: ImportField[] }[] {
  const listed = new Set(GROUPS.flatMap((group) => group.keys));
  const groups = GROUPS.map((group) => ({ title: group.title, fields: IMPORT_FIELDS.filter((field) => group.keys.includes(field.key)) }));
  const other = IMPORT_FIELDS.filter((field) => !listed.has(field.key));
  return other.length ? [...groups, { title: "Other", fields: other }] : groups;
}
const FIELD_GROUPS = groupedFields();

const short = (value: string, max = 28) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/** The first non-blank value of each column in the sample rows, to tell similar headers apart. */
function examplesOf(headers: readonly string[], records: readonly string[][] | null): string[] {
  return headers.map((_, i) => records?.map((record) => record[i]?.trim() ?? "").find(Boolean) ?? "");
}

/** One control per lead field: a select of the file's columns, or checkboxes for fields that take several. */
export function ImportMappingForm({ headers, records, mapping, onChange }: {
  headers: readonly string[];
  records: readonly string[][] | null;
  mapping: ImportMapping;
  onChange: (mapping: ImportMapping) => void;
}) {
  const examples = examplesOf(headers, records);
  const columnLabel = (index: number) => (examples[index] ? `${headers[index]} (e.g. ${short(examples[index])})` : headers[index]);

  return (
    <div className="space-y-6">
      {FIELD_GROUPS.map((group) => (
        <fieldset key={group.title} className="min-w-0">
          <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{group.title}</legend>
          <div className="grid gap-x-4 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
            {group.fields.map((field) =>
              field.multiple ? (
                <MultiColumnField
                  key={field.key}
                  field={field}
                  headers={headers}
                  columnLabel={columnLabel}
                  value={mapping[field.key as MultiKey]}
                  onChange={(value) => onChange({ ...mapping, [field.key]: value })}
                />
              ) : (
                <SingleColumnField
                  key={field.key}
                  field={field}
                  headers={headers}
                  columnLabel={columnLabel}
                  value={mapping[field.key as Exclude<ColumnField, MultiKey>] ?? null}
                  onChange={(value) => onChange({ ...mapping, [field.key]: value })}
                />
              ),
            )}
          </div>
        </fieldset>
      ))}
    </div>
  );
}

function RequiredMark() {
  return (
    <span className="ml-0.5 text-red-600" aria-hidden title="Required">
      *
    </span>
  );
}

function SingleColumnField({ field, headers, columnLabel, value, onChange }: {
  field: ImportField;
  headers: readonly string[];
  columnLabel: (index: number) => string | undefined;
  value: number | null;
  onChange: (value: number | null) => void;
}) {
  const id = useId();
  const missing = field.required && value === null;
  return (
    <div className="space-y-1">
      <div className="flex items-baseline">
        <label htmlFor={id} className="block text-sm font-medium text-slate-700">
          {field.label}
        </label>
        {field.required && <RequiredMark />}
      </div>
      <Select
        id={id}
        data-field={field.key}
        required={field.required}
        aria-invalid={missing || undefined}
        value={value === null ? "" : String(value)}
        onChange={(event) => onChange(event.target.value === "" ? null : Number(event.target.value))}
        className={value === null ? "text-slate-500" : undefined}
      >
        <option value="">— not in file —</option>
        {headers.map((_, index) => (
          <option key={index} value={index}>
            {columnLabel(index)}
          </option>
        ))}
      </Select>
    </div>
  );
}

function MultiColumnField({ field, headers, columnLabel, value, onChange }: {
  field: ImportField;
  headers: readonly string[];
  columnLabel: (index: number) => string | undefined;
  value: readonly number[];
  onChange: (value: number[]) => void;
}) {
  const id = useId();
  const toggle = (index: number, checked: boolean) =>
    onChange(checked ? [...value, index].sort((a, b) => a - b) : value.filter((column) => column !== index));
  return (
    <fieldset className="min-w-0 space-y-1" aria-describedby={`${id}-count`} data-field={field.key}>
      <legend className="mb-1 text-sm font-medium text-slate-700">{field.label}</legend>
      <p id={`${id}-count`} className="-mt-1 text-xs text-slate-500">
        {value.length === 0 ? "Not in file" : `${value.length === 1 ? "1 column" : `${value.length} columns`}: ${value.map((index) => headers[index]).join(", ")}`}
      </p>
      <div className="max-h-44 space-y-0.5 overflow-y-auto rounded-md border border-slate-300 bg-white px-2 py-1.5 shadow-sm">
        {headers.map((_, index) => (
          <label key={index} className="flex cursor-pointer items-center gap-2 rounded px-1 py-0.5 text-sm text-slate-700 hover:bg-slate-50">
            <input type="checkbox" checked={value.includes(index)} onChange={(event) => toggle(index, event.target.checked)} />
            <span className="truncate">{columnLabel(index)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
