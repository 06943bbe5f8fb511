"use client";

import { useState } from "react";
import { formatIsoDay, formatPhone } from "@/components/shared/format";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { SOURCE_LABELS, type DncCheckAnswer } from "./dnc-labels";

function RegistryLine({ answer }: { answer: DncCheckAnswer }) {
  const { registry } = answer;
  if (registry.areaCode === null) return <>The National DNC Registry covers US numbers only.</>;
  if (!registry.loaded) return <>No registry extract is loaded for area code {registry.areaCode}: the registry was not checked.</>;
  const extract = `extract of ${formatIsoDay(registry.extractDate!)} (${registry.ageDays} days old${registry.stale ? ", stale" : ""})`;
  return <>{registry.listed ? `Listed in the registry, ${extract}.` : `Not in the registry, ${extract}.`}</>;
}

/** Managers: every DNC source for one number, as the send decision sees it (recorded as a check). */
export function DncCheckBox() {
  const [phone, setPhone] = useState("");
  const check = api.dnc.check.useMutation();
  const failure = check.error ? describeError(check.error) : null;
  const answer = check.data;

  return (
    <Card title="Check a number" description="Every do-not-contact source, as a send would see it now. Each check is kept as evidence.">
      <form
        className="flex flex-wrap items-end gap-3"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          check.mutate({ phone });
        }}
      >
        <div className="w-64">
          <Field label="Phone number" error={failure?.fieldErrors.phone}>
            {(p) => <Input {...p} name="check-phone" type="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="(512) 555-0142" />}
          </Field>
        </div>
        <Button type="submit" variant="secondary" pending={check.isPending}>Check</Button>
      </form>
      {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error" className="mt-3">{failure.message}</Alert>}
      {answer && !check.isPending && !check.error && (
        <div className="mt-3" data-testid="dnc-check-result">
          <Alert tone={answer.listed ? "error" : answer.registry.loaded && !answer.registry.stale ? "success" : "warning"}>
            <p className="font-medium">
              {formatPhone(answer.phone)}: {answer.listed ? "do not contact" : "not listed"}
            </p>
            {answer.listed && (
              <ul className="mt-1 list-disc pl-5">
                {answer.sources.map((source) => (
                  <li key={source}>
                    {SOURCE_LABELS[source]}
                    {source === "internal" && answer.internal ? ` — ${answer.internal.reason}` : ""}
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-1">
              <RegistryLine answer={answer} />
            </p>
          </Alert>
        </div>
      )}
    </Card>
  );
}
