"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/trpc/react";

export function SkipTraceSettingsForm({ canEdit }: { canEdit: boolean }) {
  const settings = api.organization.skipTraceSettings.useQuery();
  const utils = api.useUtils();
  const [saved, setSaved] = useState(false);
  const update = api.organization.updateSkipTraceSettings.useMutation({
    onSuccess: async () => {
      setSaved(true);
      await utils.organization.skipTraceSettings.invalidate();
    },
  });
  if (!settings.data) return null;
  const failure = update.error ? describeError(update.error) : null;
  return (
    <Card title="Skip tracing" description={canEdit ? "How skip tracing spends your BatchData and Lookup budgets." : "Only admins can change these."}>
      <form
        className="max-w-md space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setSaved(false);
          update.mutate({ skipTraceRecencyDays: Number(form.get("skipTraceRecencyDays")), validateBestPhone: form.get("validateBestPhone") === "on" });
        }}
      >
        {failure && <Alert tone="error">{failure.message}</Alert>}
        {saved && <Alert tone="success">Saved.</Alert>}
        <Field label="Don't trace a lead again within (days)" error={failure?.fieldErrors.skipTraceRecencyDays} hint="Bulk runs skip such leads; a single trace asks first.">
          {(p) => <Input {...p} name="skipTraceRecencyDays" type="number" min={0} max={3650} defaultValue={settings.data.skipTraceRecencyDays} disabled={!canEdit} />}
        </Field>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="validateBestPhone" defaultChecked={settings.data.validateBestPhone} disabled={!canEdit} className="mt-0.5" />
          <span>
            Check the best phone&apos;s line type with Twilio Lookup after each skip trace
            <span className="block text-xs text-slate-500">Paid per lookup under the Twilio Lookup daily cap.</span>
          </span>
        </label>
        {canEdit && <Button type="submit" pending={update.isPending}>Save</Button>}
      </form>
    </Card>
  );
}
