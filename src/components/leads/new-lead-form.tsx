"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { parseDollarsToCents } from "@/components/shared/format";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { api, type RouterInputs } from "@/trpc/react";
import { newIdempotencyKey } from "@/components/shared/idempotency-key";
import { LEAD_STATUSES, PROPERTY_TYPE_LABELS, STATUS_LABELS } from "./labels";

type CreateInput = RouterInputs["leads"]["create"];
type FormErrors = Record<string, string | undefined>;

const MAX_MONEY_CENTS = 10_000_000_000;
const TEXT_FIELDS = ["addressLine1", "city", "state", "zip", "ownerName", "mailingAddress"] as const;

/** The form's strings → the procedure's input; blank optional facts are left out. */
function toInput(form: FormData): { input?: Omit<CreateInput, "idempotencyKey">; errors: FormErrors } {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const errors: FormErrors = {};
  const input: Record<string, unknown> = {};
  for (const name of TEXT_FIELDS) {
    const value = text(name);
    if (value || ["addressLine1", "city", "state", "zip"].includes(name)) input[name] = value;
  }
  const number = (name: string, label: string, integer: boolean) => {
    const value = text(name);
    if (!value) return;
    const parsed = Number(value.replace(/,/g, ""));
    if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) errors[name] = `${label} must be a ${integer ? "whole " : ""}number.`;
    else input[name] = parsed;
  };
  number("beds", "Beds", false);
  number("baths", "Baths", false);
  number("sizeSqft", "Size", true);
  number("yearBuilt", "Year built", true);
  number("equityPct", "Equity", false);
  const money = (name: string, field: string) => {
    const value = text(name);
    if (!value) return;
    const parsed = parseDollarsToCents(value, MAX_MONEY_CENTS);
    if (parsed.ok) input[field] = parsed.cents;
    else errors[field] = parsed.error;
  };
  money("estimatedValue", "estimatedValueCents");
  money("lastSalePrice", "lastSalePriceCents");
  const triState = (name: string) => {
    const value = text(name);
    if (value === "yes") input[name] = true;
    else if (value === "no") input[name] = false;
  };
  triState("absentee");
  triState("vacant");
  if (text("propertyType")) input.propertyType = text("propertyType");
  if (text("lastSaleDate")) input.lastSaleDate = text("lastSaleDate");
  input.status = text("status") || "new";
  return Object.keys(errors).length ? { errors } : { input: input as Omit<CreateInput, "idempotencyKey">, errors };
}

export function NewLeadForm() {
  const router = useRouter();
  const utils = api.useUtils();
  const [clientErrors, setClientErrors] = useState<FormErrors>({});
  // One key per distinct submission: a double click or a retry of the same form reuses it, so the
  // server returns the first result instead of creating twice.
  const attempt = useRef<{ payload: string; key: string } | null>(null);
  const create = api.leads.create.useMutation({
    onSuccess: (result) => {
      void utils.leads.list.invalidate();
      void utils.leads.counts.invalidate();
      if (result.created) router.push(`/leads/${result.lead.id}`);
    },
  });
  const failure = create.error ? describeError(create.error) : null;
  const error = (field: string) => clientErrors[field] ?? failure?.fieldErrors[field]?.[0];

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    const { input, errors } = toInput(new FormData(event.currentTarget));
    setClientErrors(errors);
    if (!input) return;
    const payload = JSON.stringify(input);
    if (attempt.current?.payload !== payload) attempt.current = { payload, key: newIdempotencyKey() };
    create.mutate({ ...input, idempotencyKey: attempt.current.key });
  }

  const existing = create.data && !create.data.created ? create.data.lead : null;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6">
      {existing && (
        <Alert tone="warning">
          This lead already exists: {existing.addressLine1}, {existing.city}
          {existing.ownerName ? ` (${existing.ownerName})` : ""}. Nothing new was created.{" "}
          <Link href={`/leads/${existing.id}`} className="font-medium underline">
            Open the existing lead
          </Link>
        </Alert>
      )}
      {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
      {Object.keys(clientErrors).length > 0 || (failure && Object.keys(failure.fieldErrors).length > 0) ? (
        <Alert tone="error">Please fix the highlighted fields.</Alert>
      ) : null}

      <Card title="Property" description="Where it is. Address and owner together identify a lead; the same pair is never added twice.">
        <div className="grid gap-4 md:grid-cols-6">
          <div className="md:col-span-6">
            <Field label="Street address" error={error("addressLine1")}>
              {(p) => <Input {...p} name="addressLine1" autoComplete="off" placeholder="123 Main St" required maxLength={200} />}
            </Field>
          </div>
          <div className="md:col-span-3">
            <Field label="City" error={error("city")}>
              {(p) => <Input {...p} name="city" required maxLength={100} />}
            </Field>
          </div>
          <div className="md:col-span-1">
            <Field label="State" error={error("state")}>
              {(p) => <Input {...p} name="state" placeholder="TX" required maxLength={2} className="uppercase" />}
            </Field>
          </div>
          <div className="md:col-span-2">
            <Field label="ZIP" error={error("zip")}>
              {(p) => <Input {...p} name="zip" inputMode="numeric" placeholder="78701" required maxLength={10} />}
            </Field>
          </div>
        </div>
      </Card>

      <Card title="Owner">
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Owner name" error={error("ownerName")}>
            {(p) => <Input {...p} name="ownerName" maxLength={200} />}
          </Field>
          <Field label="Mailing address" error={error("mailingAddress")} hint="If the owner gets mail somewhere else">
            {(p) => <Input {...p} name="mailingAddress" maxLength={300} />}
          </Field>
          <Field label="Owner lives elsewhere (absentee)" error={error("absentee")}>
            {(p) => (
              <Select {...p} name="absentee" defaultValue="">
                <option value="">Unknown</option>
                <option value="yes">Yes</option>
                <option value="no">No</option>
              </Select>
            )}
          </Field>
          <Field label="Status" error={error("status")}>
            {(p) => (
              <Select {...p} name="status" defaultValue="new">
                {LEAD_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {STATUS_LABELS[status]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      </Card>

      <Card title="Facts (optional)" description="Anything you know; the score uses equity, absentee, years owned, appreciation and vacancy.">
        <div className="grid gap-4 md:grid-cols-4">
          <Field label="Property type" error={error("propertyType")}>
            {(p) => (
              <Select {...p} name="propertyType" defaultValue="">
                <option value="">Unknown</option>
                {Object.entries(PROPERTY_TYPE_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Beds" error={error("beds")}>
            {(p) => <Input {...p} name="beds" inputMode="decimal" />}
          </Field>
          <Field label="Baths" error={error("baths")}>
            {(p) => <Input {...p} name="baths" inputMode="decimal" />}
          </Field>
          <Field label="Size (sq ft)" error={error("sizeSqft")}>
            {(p) => <Input {...p} name="sizeSqft" inputMode="numeric" />}
          </Field>
          <Field label="Year built" error={error("yearBuilt")}>
            {(p) => <Input {...p} name="yearBuilt" inputMode="numeric" placeholder="1985" maxLength={4} />}
          </Field>
          <Field label="Estimated value ($)" error={error("estimatedValueCents")}>
            {(p) => <Input {...p} name="estimatedValue" inputMode="decimal" placeholder="350,000" />}
          </Field>
          <Field label="Equity (%)" error={error("equityPct")}>
            {(p) => <Input {...p} name="equityPct" inputMode="decimal" placeholder="60" />}
          </Field>
          <Field label="Vacant" error={error("vacant")}>
            {(p) => (
              <Select {...p} name="vacant" defaultValue="">
                <option value="">Unknown</option>
                <option value="yes">Yes</option>
                <option value="no">No</option>
              </Select>
            )}
          </Field>
          <Field label="Last sale date" error={error("lastSaleDate")}>
            {(p) => <Input {...p} name="lastSaleDate" type="date" />}
          </Field>
          <Field label="Last sale price ($)" error={error("lastSalePriceCents")}>
            {(p) => <Input {...p} name="lastSalePrice" inputMode="decimal" placeholder="180,000" />}
          </Field>
        </div>
      </Card>

      <div className="flex justify-end gap-2">
        <Link href="/leads" className="inline-flex items-center rounded-md px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
          Cancel
        </Link>
        <Button type="submit" pending={create.isPending}>
          Create lead
        </Button>
      </div>
    </form>
  );
}
