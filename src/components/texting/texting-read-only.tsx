"use client";

import { Time } from "@/components/shared/time";
import { Alert } from "@/components/ui/alert";
import { Badge, Card } from "@/components/ui/card";
import type { SmsReplyRule } from "@/lib/sms-replies";
import { fillReply, REPLY_TEXTS, ReplyPreview } from "./reply-texts-card";
import { KIND_LABELS } from "./rule-draft";
import { RuleSummary, TryMessageCard } from "./rules-editor";
import type { SmsSettings } from "./texting-settings";

type Sender = SmsSettings["senders"][number];

/** "1 message/s", "75 messages/s": the sender's throughput, which caps a campaign's throttle. */
export function messagesPerSecondLabel(rate: number): string {
  return `${rate.toLocaleString("en-US")} ${rate === 1 ? "message" : "messages"}/s`;
}

/** A sender's value, kind, age and throughput (the editor's list and the read-only one). */
export function SenderDetails({ sender, first }: { sender: Sender; first: boolean }) {
  return (
    <div className="min-w-0">
      <p className="break-all font-mono text-sm text-slate-900">{sender.value}</p>
      <p className="text-xs text-slate-500">
        {sender.kind === "messaging_service" ? "Messaging Service" : "Phone number"}
        {first && <> · used first for sending</>} · added <Time value={sender.createdAt} relative /> ·{" "}
        <span data-testid={`sender-rate-${sender.value}`}>{messagesPerSecondLabel(sender.messagesPerSecond)}</span>
      </p>
    </div>
  );
}

/**
 * Settings → Texting for a manager: the same information as the editors (senders, identity, reply
 * texts with their previews, reply rules with every phrase), without a control the server would refuse.
 * Trying a message stays: it writes nothing and managers may call it.
 */
export function TextingSettingsReadOnly({ settings }: { settings: SmsSettings }) {
  const { identity } = settings;
  return (
    <>
      <Card title="Senders" description="The Twilio Messaging Service or numbers your texts are sent from.">
        {settings.senders.length === 0 ? (
          <Alert tone="warning">No sender yet: nothing can be texted until an admin adds a Messaging Service SID or a phone number.</Alert>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Senders">
            {settings.senders.map((sender, index) => (
              <li key={sender.id} className="px-3 py-2" data-testid={`sender-${sender.value}`}>
                <SenderDetails sender={sender} first={index === 0} />
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Sender identity" description="Carriers require texts to name who sends them, and HELP to say how to reach you. These fill {brand} and {contact} in the replies below.">
        <dl className="grid gap-2 text-sm sm:grid-cols-[max-content_1fr] sm:gap-x-4">
          <dt className="text-slate-500">Brand name</dt>
          <dd className="text-slate-900" data-testid="identity-brand">
            {identity.brandName ?? <>{identity.brand} <span className="text-slate-500">(your organization&apos;s name)</span></>}
          </dd>
          <dt className="text-slate-500">Help contact</dt>
          <dd className="text-slate-900" data-testid="identity-contact">
            {identity.helpContact ?? <>{identity.contact} <span className="text-slate-500">(the sending number)</span></>}
          </dd>
        </dl>
      </Card>

      <Card
        title="Keyword replies"
        description={
          <>
            What LeadFlow answers to HELP, STOP and START. {"{brand}"} becomes “{identity.brand}” and {"{contact}"} becomes “{identity.contact}”.
          </>
        }
        actions={<Badge tone={settings.customisedTexts ? "blue" : "slate"}>{settings.customisedTexts ? "Customised" : "Defaults"}</Badge>}
      >
        <div className="space-y-5">
          {REPLY_TEXTS.map(({ key, label, when }) => {
            const id = `reply-text-${key}`;
            return (
              <div key={key} className="grid gap-3 lg:grid-cols-2">
                <div className="space-y-1">
                  <p className="text-sm font-medium text-slate-700">{label}</p>
                  <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm whitespace-pre-wrap text-slate-900" data-testid={`reply-text-${key}`}>
                    {settings.texts[key]}
                  </p>
                  <p className="text-xs text-slate-500">{when}</p>
                </div>
                <ReplyPreview id={id} textKey={key} preview={fillReply(settings.texts[key], identity)} />
              </div>
            );
          })}
        </div>
      </Card>

      <Card
        title="Reply rules"
        description="How inbound texts are read. Phrases are plain words (not regular expressions); * stands for up to three words. Whole-message rules match only when the entire text is the phrase."
        actions={<Badge tone={settings.customisedRules ? "blue" : "slate"}>{settings.customisedRules ? "Customised" : "Defaults"}</Badge>}
      >
        <ol className="space-y-2" aria-label="Rules">
          {settings.rules.rules.map((rule) => (
            <ReadOnlyRule key={rule.id} rule={rule} />
          ))}
        </ol>
      </Card>

      <TryMessageCard draftRuleSet={null} draftInvalid={false} />
    </>
  );
}

function PhraseList({ label, phrases }: { label: string; phrases: readonly string[] | undefined }) {
  if (!phrases || phrases.length === 0) return null;
  return (
    <div>
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <ul className="mt-1 flex flex-wrap gap-1" aria-label={label}>
        {phrases.map((phrase) => (
          <li key={phrase} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
            {phrase}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReadOnlyRule({ rule }: { rule: SmsReplyRule }) {
  return (
    <li data-testid={`rule-${rule.id}`}>
      <details className="rounded-md border border-slate-200">
        <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
          <RuleSummary id={rule.id} kind={rule.kind} match={rule.match} phraseCount={rule.phrases.length} />
        </summary>
        <div className="space-y-3 border-t border-slate-100 px-3 py-3 text-sm">
          <p className="text-xs text-slate-500">{KIND_LABELS[rule.kind].help}</p>
          <PhraseList label="Phrases" phrases={rule.phrases} />
          <PhraseList label="Unless it overlaps" phrases={rule.unless} />
          <PhraseList label="Unless the message also says" phrases={rule.unlessAnywhere} />
          <p className="text-slate-700">
            <span className="text-slate-500">Explanation: </span>
            {rule.explanation}
          </p>
        </div>
      </details>
    </li>
  );
}
