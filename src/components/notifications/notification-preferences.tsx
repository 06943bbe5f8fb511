"use client";

import { NOTIFICATION_KIND_INFO, type NotificationKind } from "@/lib/notification-kinds";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { api } from "@/trpc/react";

/** Which kinds of notification this user sees in the bell (each on by default); saved on change. */
export function NotificationPreferences() {
  const [preferences] = api.notifications.preferences.useSuspenseQuery();
  const utils = api.useUtils();
  // Shown switched at once; the server's answer replaces it, a failure puts back what is saved.
  const update = api.notifications.updatePreferences.useMutation({
    onMutate: async ({ kinds }) => {
      await utils.notifications.preferences.cancel();
      const changed = new Map(kinds.map((k) => [k.kind, k.inApp]));
      utils.notifications.preferences.setData(undefined, (current) =>
        current ? { kinds: current.kinds.map((k) => ({ kind: k.kind, inApp: changed.get(k.kind) ?? k.inApp })) } : current,
      );
    },
    onSuccess: (saved) => utils.notifications.preferences.setData(undefined, saved),
    onError: () => void utils.notifications.preferences.invalidate(),
  });
  const toggle = (kind: NotificationKind, inApp: boolean) => update.mutate({ kinds: [{ kind, inApp }] });

  return (
    <Card title="In-app notifications" description="Choose what shows up in the bell. Changes are saved at once and apply to this organization.">
      {update.error && <Alert tone="error" className="mb-3">{describeError(update.error).message}</Alert>}
      <ul className="divide-y divide-slate-100">
        {preferences.kinds.map(({ kind, inApp }) => {
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
