"use client";

import { useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, inputClass } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { REASON_LABELS } from "./opt-outs-filters";

/** Any member: a number someone asked not to be texted (a call, a letter, an email). */
export function AddOptOutForm({ onAdded }: { onAdded: () => void }) {
  const [phone, setPhone] = useState("");
  const [evidence, setEvidence] = useState("");
  const add = api.suppressions.add.useMutation({
    onSuccess: (result) => {
      if (result.created) {
        setPhone("");
        setEvidence("");
      }
      onAdded();
    },
  });
  const failure = add.error ? describeError(add.error) : null;
  const result = add.data;

  return (
    <Card title="Add a number" description="Someone asked not to be texted by phone, email or letter. Effective immediately for your whole organization.">
      <form
        className="space-y-3"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate({ phone, evidence });
        }}
      >
        <Field label="Phone number" error={failure?.fieldErrors.phone} hint="US or Canadian; any format, e.g. (512) 555-0142.">
          {(p) => <Input {...p} name="phone" type="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} required />}
        </Field>
        <Field label="Evidence" error={failure?.fieldErrors.evidence} hint="What they said, how and when — kept as the record of their opt-out.">
          {(p) => (
            <textarea
              {...p}
              name="evidence"
              rows={2}
              className={inputClass}
              value={evidence}
              onChange={(e) => setEvidence(e.target.value)}
              placeholder="Called on Nov 3 and asked us to stop texting"
              required
            />
          )}
        </Field>
        <Button type="submit" pending={add.isPending}>Add to opt-outs</Button>
        {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
        {result && !add.isPending && !add.error && (
          <Alert tone={result.created ? "success" : "info"}>
            {result.created
              ? `${formatPhone(result.suppression.phone)} is opted out. Nothing will be texted to it.`
              : `${formatPhone(result.suppression.phone)} was already opted out (${REASON_LABELS[result.suppression.reason].toLowerCase()}, ${result.suppression.createdAt.toLocaleDateString()}). Nothing changed.`}
          </Alert>
        )}
      </form>
    </Card>
  );
}
