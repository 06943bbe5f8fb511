"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { plural } from "@/components/shared/format";
import { US_TIME_ZONES } from "@/lib/time-zones";
import { api } from "@/trpc/react";

export function OrganizationForm({ canEdit }: { canEdit: boolean }) {
  const utils = api.useUtils();
  const [organization] = api.organization.get.useSuspenseQuery();
  const [saved, setSaved] = useState<string | null>(null);
  const update = api.organization.update.useMutation({
    onSuccess: async ({ timeZone, tasksMoved }) => {
      const its = tasksMoved === 1 ? "its" : "their";
      setSaved(tasksMoved > 0 ? `Saved. ${plural(tasksMoved, "open task")} now ${tasksMoved === 1 ? "falls" : "fall"} due on ${its} day at ${its} time in ${timeZone}.` : "Saved.");
      await Promise.all([utils.organization.get.invalidate(), tasksMoved > 0 && utils.tasks.invalidate()]);
    },
  });
  const failure = update.error ? describeError(update.error) : null;
  const zones = US_TIME_ZONES.includes(organization.timeZone as (typeof US_TIME_ZONES)[number])
    ? US_TIME_ZONES
    : [organization.timeZone, ...US_TIME_ZONES];

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSaved(null);
    update.mutate({ name: String(form.get("name") ?? ""), timeZone: String(form.get("timeZone") ?? "") });
  }

  return (
    <Card title="Details" description={canEdit ? undefined : "Only admins can change these."}>
      <form onSubmit={onSubmit} className="max-w-md space-y-4" noValidate>
        {failure && <Alert tone="error">{failure.message}</Alert>}
        {saved && <Alert tone="success">{saved}</Alert>}
        <Field label="Organization name" error={failure?.fieldErrors.name}>
          {(p) => <Input {...p} name="name" defaultValue={organization.name} disabled={!canEdit} required />}
        </Field>
        <Field
          label="Time zone"
          error={failure?.fieldErrors.timeZone}
          hint="Daily spending caps reset at midnight in this zone, and tasks fall due in it. A task keeps its day and time when the zone changes."
        >
          {(p) => (
            <Select {...p} name="timeZone" defaultValue={organization.timeZone} disabled={!canEdit}>
              {zones.map((zone) => (
                <option key={zone}>{zone}</option>
              ))}
            </Select>
          )}
        </Field>
        {canEdit && (
          <Button type="submit" pending={update.isPending}>
            Save changes
          </Button>
        )}
      </form>
    </Card>
  );
}
