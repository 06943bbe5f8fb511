"use client";

import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { api } from "@/trpc/react";

/**
 * The organization setting "require recorded consent before campaign sends", shown first on the
 * consent page: admins switch it; everyone else sees whether it is on.
 */
export function ConsentSettingCard() {
  const settings = api.consent.settings.useQuery();
  const utils = api.useUtils();
  // Optimistic: the switch moves at once and moves back if the change is refused.
  const update = api.consent.updateSettings.useMutation({
    onMutate: async (input) => {
      await utils.consent.settings.cancel();
      const before = utils.consent.settings.getData();
      if (before) utils.consent.settings.setData(undefined, { ...before, requireRecordedConsent: input.requireRecordedConsent });
      return { before };
    },
    onError: (_error, _input, context) => {
      if (context?.before) utils.consent.settings.setData(undefined, context.before);
    },
    onSuccess: (next) => utils.consent.settings.setData(undefined, next),
  });
  const on = settings.data?.requireRecordedConsent ?? false;

  return (
    <Card
      title="Require recorded consent before campaign sends"
      description="When on, a campaign texts a number only if this log holds a consent for it (written, verbal, or they contacted you first) that no opt-out came after. Inbox replies to people who wrote to you are not affected. Off by default."
      actions={settings.data ? <Badge tone={on ? "green" : "amber"}>{on ? "On" : "Off"}</Badge> : undefined}
    >
      {settings.isPending ? (
        <Skeleton className="h-6 w-64" />
      ) : settings.isError ? (
        <Alert tone="error">Couldn&apos;t load the setting: {describeError(settings.error).message}</Alert>
      ) : settings.data.canEdit ? (
        <div className="space-y-2">
          <label className="flex items-start gap-3 text-sm text-slate-800">
            <input
              type="checkbox"
              role="switch"
              aria-checked={on}
              data-testid="require-consent-toggle"
              className="mt-0.5 h-4 w-4 rounded border-slate-300"
              checked={on}
              disabled={update.isPending}
              onChange={(e) => update.mutate({ requireRecordedConsent: e.target.checked })}
            />
            <span>
              <span className="font-medium">Only text numbers with a recorded consent in campaigns</span>
              <span className="block text-slate-600">
                Recommended when you text lists you did not collect yourself: carriers reject 10DLC campaigns that text purchased lists, and TCPA damages are $500–$1,500 per message.
              </span>
            </span>
          </label>
          {update.isError && <Alert tone="error">{describeError(update.error).message}</Alert>}
          {/* Remove when compliance/decide.ts reads requiresRecordedConsent and consentStatusFor (issue 10 item 4). */}
          <p className="text-xs text-slate-500">The setting is saved and audited; the send decision starts applying it when campaign pre-flight reads this log.</p>
        </div>
      ) : (
        <p className="text-sm text-slate-700" data-testid="require-consent-state">
          {on ? "On: campaigns text only numbers with a current recorded consent." : "Off: campaigns do not check this log."} Only admins can change it.
        </p>
      )}
    </Card>
  );
}
