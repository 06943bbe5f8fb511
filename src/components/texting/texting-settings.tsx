"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { api, type RouterOutputs } from "@/trpc/react";
import { ReplyIntentCard } from "./reply-intent-card";
import { ReplyRulesSection } from "./rules-editor";
import { ReplyTextsCard } from "./reply-texts-card";
import { SenderDetails, TextingSettingsReadOnly } from "./texting-read-only";

export type SmsSettings = RouterOutputs["smsSettings"]["get"];

/**
 * Settings → Texting: how texting runs, who texts are from, what keyword replies say, and the reply
 * rules. Admins edit them; managers (canEdit false) see the same information read-only.
 */
export function TextingSettings() {
  const [settings] = api.smsSettings.get.useSuspenseQuery();
  return (
    <div className="space-y-6">
      {!settings.canEdit && <Alert>Only admins can change these.</Alert>}
      {settings.storedProblems.map((problem) => (
        <Alert key={problem} tone="warning">
          {problem}
        </Alert>
      ))}
      <ModeCard settings={settings} />
      {settings.canEdit ? (
        <>
          <SendersCard settings={settings} />
          <IdentityCard settings={settings} />
          <ReplyTextsCard settings={settings} />
          <ReplyRulesSection settings={settings} />
        </>
      ) : (
        <TextingSettingsReadOnly settings={settings} />
      )}
      <ReplyIntentCard settings={settings} />
    </div>
  );
}

function ModeCard({ settings }: { settings: SmsSettings }) {
  const { mode, webhooks } = settings;
  return (
    <Card
      title="Texting mode"
      description={mode.live ? "Texts are sent for real." : "Texts are simulated."}
      actions={
        <span data-testid="texting-mode">
          <Badge tone={mode.live ? "blue" : "amber"}>{mode.label}</Badge>
        </span>
      }
    >
      <p className="text-sm text-slate-700">{mode.description}</p>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer font-medium text-slate-700">Twilio webhook addresses</summary>
        <p className="mt-2 text-slate-600">
          In Twilio Console, set these on each number or Messaging Service below. Inbound texts are routed to this organization by the
          number they were sent to (To) or the Messaging Service SID.
        </p>
        <dl className="mt-2 grid gap-2 sm:grid-cols-[max-content_1fr] sm:gap-x-4">
          <dt className="text-slate-500">A message comes in</dt>
          <dd className="break-all font-mono text-xs text-slate-800">{webhooks.inboundUrl}</dd>
          <dt className="text-slate-500">Status callback</dt>
          <dd className="break-all font-mono text-xs text-slate-800">{webhooks.statusUrl}</dd>
        </dl>
      </details>
    </Card>
  );
}

function SendersCard({ settings }: { settings: SmsSettings }) {
  const utils = api.useUtils();
  const [value, setValue] = useState("");
  const [added, setAdded] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = () => utils.smsSettings.get.invalidate();
  const add = api.smsSettings.addSender.useMutation({
    onSuccess: async (sender) => {
      setValue("");
      setAdded(sender.value);
      await refresh();
    },
  });
  const remove = api.smsSettings.removeSender.useMutation({
    onSuccess: async () => {
      setConfirming(null);
      await refresh();
    },
  });
  const addFailure = add.error ? describeError(add.error) : null;
  const addMessage = addFailure ? (addFailure.fieldErrors.value?.[0] ?? addFailure.message) : null;

  return (
    <Card
      title="Senders"
      description="The Twilio Messaging Service or numbers your texts are sent from, with the messages per second Twilio allows each (its 10DLC trust tier, toll-free or short code): a campaign is never throttled faster than its sender. Each sender can belong to one LeadFlow organization only."
    >
      {settings.senders.length === 0 ? (
        <Alert tone="warning" className="mb-4">
          No sender yet: nothing can be texted until you add a Messaging Service SID or a phone number.
        </Alert>
      ) : (
        <ul className="mb-4 divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Senders">
          {settings.senders.map((sender, index) => (
            <li key={sender.id} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2" data-testid={`sender-${sender.value}`}>
              <SenderDetails sender={sender} first={index === 0} />
              <SenderRateForm sender={sender} />
              {confirming === sender.id ? (
                <div className="flex items-center gap-2">
                  <span className="text-xs text-slate-600">{settings.senders.length === 1 ? "Texting stops until you add another." : "Remove it?"}</span>
                  <Button size="sm" variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: sender.id })}>
                    Remove {sender.value}
                  </Button>
                  <Button size="sm" variant="secondary" onClick={() => setConfirming(null)}>
                    Cancel
                  </Button>
                </div>
              ) : (
                <Button size="sm" variant="secondary" aria-label={`Remove ${sender.value}`} onClick={() => (remove.reset(), setConfirming(sender.id))}>
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.error && (
        <Alert tone="error" className="mb-3">
          {describeError(remove.error).message}
        </Alert>
      )}
      <form
        className="flex flex-wrap items-start gap-2"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setAdded(null);
          add.mutate({ value });
        }}
      >
        <div className="min-w-64 flex-1">
          <Field label="Add a sender" error={addMessage} hint="A Messaging Service SID (MG followed by 32 characters) or a number such as +15125550123.">
            {(p) => (
              <Input
                {...p}
                name="sender"
                value={value}
                onChange={(event) => setValue(event.target.value)}
                placeholder="MG… or +1 512 555 0123"
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
        </div>
        <Button type="submit" className="mt-6" pending={add.isPending} disabled={value.trim() === ""}>
          Add sender
        </Button>
      </form>
      {added && (
        <Alert tone="success" className="mt-3">
          Added {added}.
        </Alert>
      )}
    </Card>
  );
}

/**
 * The sender's throughput as Twilio gives it (10DLC trust tier, toll-free, short code): a campaign
 * sent from this sender may not be throttled faster.
 */
function SenderRateForm({ sender }: { sender: SmsSettings["senders"][number] }) {
  const utils = api.useUtils();
  const [rate, setRate] = useState(String(sender.messagesPerSecond));
  const update = api.smsSettings.updateSender.useMutation({
    onSuccess: async (next) => {
      setRate(String(next.messagesPerSecond));
      await utils.smsSettings.get.invalidate();
    },
  });
  const parsed = /^\d+$/.test(rate.trim()) ? Number(rate.trim()) : null;
  const localProblem = parsed === null ? "A whole number of messages per second." : parsed < 1 ? "At least 1 message per second." : null;
  const failure = update.error ? describeError(update.error) : null;
  const problem = localProblem ?? (failure ? (failure.fieldErrors.messagesPerSecond?.[0] ?? failure.message) : null);
  const dirty = parsed !== sender.messagesPerSecond;
  return (
    <form
      className="ml-auto flex items-start gap-2"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (parsed !== null && !localProblem) update.mutate({ id: sender.id, messagesPerSecond: parsed });
      }}
    >
      <div className="w-40">
        <label className="sr-only" htmlFor={`rate-${sender.id}`}>
          Messages per second for {sender.value}
        </label>
        <div className="flex items-center gap-1.5">
          <Input
            id={`rate-${sender.id}`}
            name="messagesPerSecond"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            className="w-20 py-1"
            value={rate}
            aria-invalid={dirty && problem ? true : undefined}
            aria-describedby={dirty && problem ? `rate-${sender.id}-error` : undefined}
            onChange={(event) => (update.reset(), setRate(event.target.value))}
          />
          <span className="text-xs text-slate-500">msg/s</span>
        </div>
        {dirty && problem && (
          <p id={`rate-${sender.id}-error`} className="mt-1 text-xs text-red-600">
            {problem}
          </p>
        )}
      </div>
      {dirty && (
        <Button type="submit" size="sm" variant="secondary" pending={update.isPending} disabled={!!localProblem} aria-label={`Save messages per second for ${sender.value}`}>
          Save
        </Button>
      )}
    </form>
  );
}

function IdentityCard({ settings }: { settings: SmsSettings }) {
  const utils = api.useUtils();
  const [brandName, setBrandName] = useState(settings.identity.brandName ?? "");
  const [helpContact, setHelpContact] = useState(settings.identity.helpContact ?? "");
  const [saved, setSaved] = useState(false);
  const update = api.smsSettings.updateIdentity.useMutation({
    onSuccess: async (next) => {
      utils.smsSettings.get.setData(undefined, next);
      setSaved(true);
    },
  });
  const failure = update.error ? describeError(update.error) : null;
  const dirty = brandName.trim() !== (settings.identity.brandName ?? "") || helpContact.trim() !== (settings.identity.helpContact ?? "");
  return (
    <Card title="Sender identity" description="Carriers require texts to name who sends them, and HELP to say how to reach you. These fill {brand} and {contact} in the replies below.">
      <form
        className="max-w-xl space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          update.mutate({ brandName, helpContact });
        }}
      >
        {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
        <Field label="Brand name" error={failure?.fieldErrors.brandName} hint={`Empty: your organization's name, “${settings.organizationName}”.`}>
          {(p) => <Input {...p} name="brandName" value={brandName} maxLength={60} placeholder={settings.organizationName} onChange={(e) => (setSaved(false), setBrandName(e.target.value))} />}
        </Field>
        <Field label="Help contact" error={failure?.fieldErrors.helpContact} hint={`A phone number, e-mail or web address. Empty: the sending number, ${settings.identity.contactFallback}.`}>
          {(p) => <Input {...p} name="helpContact" value={helpContact} maxLength={100} placeholder={settings.identity.contactFallback} onChange={(e) => (setSaved(false), setHelpContact(e.target.value))} />}
        </Field>
        <div className="flex items-center gap-3">
          <Button type="submit" pending={update.isPending} disabled={!dirty}>
            Save identity
          </Button>
          {saved && !dirty && <span className="text-sm text-emerald-700" role="status">Saved.</span>}
        </div>
      </form>
    </Card>
  );
}

export function TextingSettingsSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading texting settings">
      {[3, 4, 3, 6].map((rows, card) => (
        <div key={card} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <Skeleton className="h-5 w-40" />
          {Array.from({ length: rows }, (_, i) => (
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </div>
      ))}
    </div>
  );
}
