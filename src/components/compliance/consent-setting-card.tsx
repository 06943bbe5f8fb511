"use client";

import { useState, type ReactNode } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { api, type RouterOutputs } from "@/trpc/react";

type ConsentSettings = RouterOutputs["consent"]["settings"];
type SettingName = "requireRecordedConsent" | "allowDncWithExpressConsent";

/**
 * The organization's consent settings, shown first on the consent page: "require recorded consent
 * before campaign sends" and "DNC-listed numbers only with express written consent". Admins switch
 * them; everyone else sees whether each is on. The send decision (compliance/decide.ts) applies both.
 */
export function ConsentSettingCard() {
  const settings = api.consent.settings.useQuery();
  const utils = api.useUtils();
  const update = api.consent.updateSettings.useMutation({ onSuccess: (next) => utils.consent.settings.setData(undefined, next) });
  // Optimistic, as component state set in the click's own event: a controlled checkbox is put back
  // to its rendered value right after the event, and the mutation's state arrives a task later.
  // The switch moves at once and moves back if the change is refused.
  const [changing, setChanging] = useState<Partial<ConsentSettings>>({});
  const valueOf = (name: SettingName) => changing[name] ?? settings.data?.[name] ?? false;
  const change = (name: SettingName, value: boolean) => {
    setChanging((current) => ({ ...current, [name]: value }));
    update.mutate({ [name]: value }, { onSettled: () => setChanging(({ [name]: _done, ...rest }) => rest) });
  };
  const data = settings.data;
  const on = valueOf("requireRecordedConsent");

  const toggle = (name: SettingName, testId: string, label: string, explanation: ReactNode) => (
    <label className="flex items-start gap-3 text-sm text-slate-800">
      <input
        type="checkbox"
        role="switch"
        aria-checked={valueOf(name)}
        data-testid={testId}
        className="mt-0.5 h-4 w-4 rounded border-slate-300"
        checked={valueOf(name)}
        disabled={update.isPending}
        onChange={(e) => change(name, e.target.checked)}
      />
      <span>
        <span className="font-medium">{label}</span>
        <span className="block text-slate-600">{explanation}</span>
      </span>
    </label>
  );

  return (
    <Card
      title="Require recorded consent before campaign sends"
      description="When on, a campaign texts a number only if this log holds a consent for it (written, verbal, or they contacted you first) that no opt-out came after. Inbox replies to people who wrote to you are not affected. Off by default."
      actions={data ? <Badge tone={on ? "green" : "amber"}>{on ? "On" : "Off"}</Badge> : undefined}
    >
      {settings.isPending ? (
        <Skeleton className="h-6 w-64" />
      ) : settings.isError ? (
        <Alert tone="error">Couldn&apos;t load the setting: {describeError(settings.error).message}</Alert>
      ) : data!.canEdit ? (
        <div className="space-y-3">
          {toggle(
            "requireRecordedConsent",
            "require-consent-toggle",
            "Only text numbers with a recorded consent in campaigns",
            "Recommended when you text lists you did not collect yourself: carriers reject 10DLC campaigns that text purchased lists, and TCPA damages are $500–$1,500 per message.",
          )}
          {toggle(
            "allowDncWithExpressConsent",
            "dnc-consent-toggle",
            "Let numbers on the Do Not Call registry be texted when they gave express written consent",
            "Off: registry-listed and skip-trace DNC-flagged numbers are never texted. On: they are, only while an express written consent in this log is current. Your own do-not-contact list and TCPA litigator flags always block.",
          )}
          {update.isError && <Alert tone="error">{describeError(update.error).message}</Alert>}
        </div>
      ) : (
        <div className="space-y-1 text-sm text-slate-700">
          <p data-testid="require-consent-state">
            {on ? "On: campaigns text only numbers with a current recorded consent." : "Off: campaigns do not check this log."} Only admins can change it.
          </p>
          <p data-testid="dnc-consent-state">
            {data!.allowDncWithExpressConsent
              ? "Numbers on the Do Not Call registry are texted only with a current express written consent."
              : "Numbers on the Do Not Call registry are never texted."}
          </p>
        </div>
      )}
    </Card>
  );
}
