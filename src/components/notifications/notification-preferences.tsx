"use client";

import { NOTIFICATION_KIND_INFO, type NotificationKind } from "@/lib/notification-kinds";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { useState } from "react";
import { api } from "@/trpc/react";

/** Which kinds of notification this user sees in the bell (each on by default); saved on change. */
export function NotificationPreferences() {
  const [preferences] = api.notifications.preferences.useSuspenseQuery();
  const utils = api.useUtils();
  // Shown switched at once, in the click itself (a cache update made after the mutation starts
  // comes a moment late: the controlled checkbox snaps back in between); the server's answer
  // replaces it, a failure puts back what is saved.
  const [switching, setSwitching] = useState<Partial<Record<NotificationKind, boolean>>>({});
  const update = api.notifications.updatePreferences.useMutation({
    onSuccess: (saved) => utils.notifications.preferences.setData(undefined, saved),
    onError: () => void utils.notifications.preferences.invalidate(),
    onSettled: (_data, _error, { kinds }) =>
      setSwitching((current) => {
        const next = { ...current };
        for (const { kind } of kinds) delete next[kind];
        return next;
      }),
  });
  const toggle = (kind: NotificationKind, inApp: boolean) => {
    setSwitching((current) => ({ ...current, [kind]: inApp }));
    update.mutate({ kinds: [{ kind, inApp }] });
  };

  return (
    <Card title="In-app notifications" description="Choose what shows up in the bell. Changes are saved at once and apply to this organization.">
      {update.error && <Alert tone="error" className="mb-3">{describeError(update.error).message}</Alert>}
      <ul className="divide-y divide-slate-100">
        {preferences.kinds.map(({ kind, inApp: saved }) => {
          const inApp = switching[kind] ?? saved;
          const info = NOTIFICATION_KIND_INFO[kind];
          const id = `notification-kind-${kind}`;
          return (
            <li key={kind} className="flex items-start gap-3 py-3">
              <input
                id={id}
                type="checkbox"
                className="mt-1 size-4 rounded border-slate-300"
                checked={inApp}
                disabled={update.isPending}
                aria-describedby={`${id}-who`}
                onChange={(event) => toggle(kind, event.target.checked)}
              />
              <label htmlFor={id} className="min-w-0 flex-1">
                <span className="block text-sm font-medium">{info.label}</span>
                <span id={`${id}-who`} className="block text-sm text-slate-500">
                  {info.who}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
