"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { useLiveRefresh } from "@/components/shared/live-events";
import { newIdempotencyKey } from "@/components/shared/idempotency-key";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { formatDollarsFromCents } from "@/lib/money";
import { countSmsSegments } from "@/lib/sms-segments";
import { api, type RouterOutputs } from "@/trpc/react";
import { OUTCOME_LABELS, STATUS_LABELS, SUPPRESSION_REASON_LABELS } from "./labels";
import { receiptPollInterval } from "./receipt-poll";

type Thread = RouterOutputs["messaging"]["leadThread"];
type ThreadPhone = Thread["phones"][number];
type ThreadMessage = ThreadPhone["messages"][number];

/** The lead's texts: one thread per phone, a composer that goes through the send decision, and "Simulate reply" in simulated mode. */
export function LeadTexts({ leadId, isAdmin }: { leadId: string; isAdmin: boolean }) {
  const thread = api.messaging.leadThread.useQuery(
    { leadId },
    { refetchInterval: (query) => receiptPollInterval(query.state.data?.phones.flatMap((phone) => phone.messages) ?? []) },
  );
  // A text in or out on one of the lead's threads, its delivery receipts, an automatic answer.
  useLiveRefresh("inbox", () => thread.refetch(), (event) => event.data.leadId === leadId);
  const [selected, setSelected] = useState<string | null>(null);

  if (thread.isPending) {
    return (
      <Card title="Texts">
        <Skeleton className="h-24 w-full" />
      </Card>
    );
  }
  if (thread.isError) {
    return (
      <Card title="Texts">
        <Alert tone="error">{describeError(thread.error).message}</Alert>
      </Card>
    );
  }
  const { phones, simulated, hasSender } = thread.data;
  const phone = phones.find((p) => p.number === selected) ?? phones[0];

  return (
    <Card
      title="Texts"
      description={simulated ? "Simulated texting: nothing leaves LeadFlow; replies can be simulated below." : undefined}
    >
      {phones.length === 0 ? (
        <p className="text-sm text-slate-500">No phones to text yet. Skip trace the lead or add a phone first.</p>
      ) : (
        <div className="space-y-4">
          {phones.length > 1 && (
            <div role="tablist" aria-label="Phone" className="flex flex-wrap gap-1">
              {phones.map((p) => (
                <button
                  key={p.number}
                  role="tab"
                  type="button"
                  aria-selected={p.number === phone!.number}
                  onClick={() => setSelected(p.number)}
                  className={cn(
                    "rounded-md px-2.5 py-1 text-sm tabular-nums",
                    p.number === phone!.number ? "bg-brand-50 font-medium text-brand-800 ring-1 ring-brand-200" : "text-slate-600 hover:bg-slate-100",
                  )}
                >
                  {formatPhone(p.number)}
                  {p.messages.length > 0 && <span className="ml-1 text-xs text-slate-400">({p.messages.length})</span>}
                </button>
              ))}
            </div>
          )}
          <PhoneThread key={phone!.number} leadId={leadId} phone={phone!} simulated={simulated} hasSender={hasSender} isAdmin={isAdmin} />
        </div>
      )}
    </Card>
  );
}

function PhoneStanding({ phone }: { phone: ThreadPhone }) {
  if (phone.suppression) {
    return (
      <Alert tone="error">
        <span data-testid="phone-opted-out">
          <strong>Opted out</strong> · {SUPPRESSION_REASON_LABELS[phone.suppression.reason] ?? phone.suppression.reason} on <Time value={phone.suppression.createdAt} />. This number
          cannot be texted.
        </span>
      </Alert>
    );
  }
  if (phone.status === "invalid") return <Alert tone="warning">This number was marked invalid; it cannot be texted.</Alert>;
  if (phone.type === "landline") return <Alert tone="warning">This number is a landline; it cannot receive texts.</Alert>;
  return null;
}

function PhoneThread({ leadId, phone, simulated, hasSender, isAdmin }: { leadId: string; phone: ThreadPhone; simulated: boolean; hasSender: boolean; isAdmin: boolean }) {
  const listRef = useRef<HTMLOListElement>(null);
  const count = phone.messages.length;
  useEffect(() => {
    // The newest text in view, scrolling the thread only (never the page under the reader).
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [count]);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium tabular-nums">{formatPhone(phone.number)}</span>
        {phone.isBest && <Badge tone="amber">Best phone</Badge>}
        {phone.dnc && <Badge tone="red">DNC</Badge>}
        {phone.suppression && <Badge tone="red">Opted out</Badge>}
        {phone.status === "wrong_number" && <Badge tone="amber">Wrong number</Badge>}
      </div>
      <PhoneStanding phone={phone} />
      {count === 0 ? (
        <p className="rounded-md bg-slate-50 px-3 py-6 text-center text-sm text-slate-500">No texts with this number yet.</p>
      ) : (
        <ol ref={listRef} aria-label={`Texts with ${formatPhone(phone.number)}`} className="max-h-96 space-y-2 overflow-y-auto rounded-md bg-slate-50 p-3" data-testid="sms-thread">
          {phone.truncated && <li className="text-center text-xs text-slate-500">Older texts are in the inbox.</li>}
          {phone.messages.map((message) => (
            <MessageBubble key={message.id} message={message} />
          ))}
        </ol>
      )}
      {hasSender ? (
        <Composer leadId={leadId} phone={phone} />
      ) : (
        <Alert tone="warning">
          No sending number is configured.{" "}
          {isAdmin ? (
            <Link href="/settings/texting" className="font-medium underline">
              Add one in Settings → Texting
            </Link>
          ) : (
            "An admin can add one in Settings → Texting."
          )}
        </Alert>
      )}
      {simulated && hasSender && <SimulateReply leadId={leadId} phone={phone.number} />}
    </div>
  );
}

function MessageBubble({ message }: { message: ThreadMessage }) {
  const inbound = message.direction === "inbound";
  const outcome = message.replyOutcome && message.replyOutcome !== "none" ? OUTCOME_LABELS[message.replyOutcome] : null;
  const status = STATUS_LABELS[message.status];
  return (
    <li className={cn("flex", inbound ? "justify-start" : "justify-end")} data-direction={message.direction}>
      <div className={cn("max-w-[80%] rounded-lg px-3 py-2 text-sm shadow-sm", inbound ? "bg-white text-slate-900" : "bg-brand-600 text-white")}>
        <p className="whitespace-pre-wrap break-words">{message.body}</p>
        <p className={cn("mt-1 flex flex-wrap items-center gap-x-2 text-xs", inbound ? "text-slate-500" : "text-brand-100")}>
          <Time value={message.createdAt} />
          {!inbound && (
            <span title={message.errorCode ? `Error ${message.errorCode}` : undefined}>
              {status.label}
              {message.errorCode ? ` (${message.errorCode})` : ""}
            </span>
          )}
          {!inbound && message.costCents !== null && (
            <span>
              {message.segments} seg · {formatDollarsFromCents(message.costCents)}
            </span>
          )}
          {outcome && <Badge tone={outcome.tone}>{outcome.label}</Badge>}
        </p>
      </div>
    </li>
  );
}

function useRefreshLead(leadId: string) {
  const utils = api.useUtils();
  return () => Promise.all([utils.messaging.leadThread.invalidate({ leadId }), utils.leads.get.invalidate({ id: leadId })]);
}

function Composer({ leadId, phone }: { leadId: string; phone: ThreadPhone }) {
  const [body, setBody] = useState("");
  const [key, setKey] = useState(newIdempotencyKey);
  const refresh = useRefreshLead(leadId);
  const send = api.messaging.sendToLead.useMutation({
    onSuccess: async () => {
      setBody("");
      setKey(newIdempotencyKey());
      await refresh();
    },
  });
  const trimmed = body.trim();
  const segments = trimmed ? countSmsSegments(trimmed) : null;
  const submit = () => {
    if (!trimmed || send.isPending) return;
    send.mutate({ leadId, phone: phone.number, body: trimmed, idempotencyKey: key });
  };

  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`sms-body-${phone.number}`} className="sr-only">
        Text to {formatPhone(phone.number)}
      </label>
      <textarea
        id={`sms-body-${phone.number}`}
        value={body}
        onChange={(event) => {
          setBody(event.target.value);
          if (send.error) send.reset();
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
            event.preventDefault();
            submit();
          }
        }}
        rows={2}
        maxLength={1600}
        placeholder={`Text ${formatPhone(phone.number)}…`}
        className={cn(inputClass, "resize-y")}
      />
      {send.error && (
        <Alert tone="error">
          <span data-testid="send-refused">Not sent: {describeError(send.error).message}</span>
        </Alert>
      )}
      <div className="flex items-center justify-between gap-2">
        <p className="text-xs text-slate-500" aria-live="polite">
          {segments ? `${segments.characters} characters · ${segments.segments} segment${segments.segments === 1 ? "" : "s"} (${segments.encoding})` : "Ctrl+Enter sends."}
        </p>
        <Button type="submit" size="sm" pending={send.isPending} disabled={!trimmed}>
          Send text
        </Button>
      </div>
    </form>
  );
}

const SAMPLE_REPLIES = ["STOP", "HELP", "START", "Wrong number", "Yes, I might sell. Call me.", "Can you stop by tomorrow?"];

/** Dev only (simulated texting): the phone "texts back" through the real inbound webhook route. */
export function SimulateReply({ leadId, phone }: { leadId: string; phone: string }) {
  const [body, setBody] = useState("");
  const refresh = useRefreshLead(leadId);
  const simulate = api.messaging.simulateReply.useMutation({ onSuccess: () => refresh() });
  const post = (text: string) => simulate.mutate({ leadId, phone, body: text });
  const result = simulate.data;

  return (
    <details className="rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm" open={simulate.isSuccess || undefined}>
      <summary className="cursor-pointer font-medium text-slate-700">Simulate reply</summary>
      <p className="mt-1 text-xs text-slate-500">
        Posts a signed inbound webhook from {formatPhone(phone)} through the real route, so keywords, refusals and automatic answers behave as with Twilio.
      </p>
      <div className="mt-2 flex flex-wrap gap-1">
        {SAMPLE_REPLIES.map((sample) => (
          <Button key={sample} type="button" size="sm" variant="secondary" disabled={simulate.isPending} onClick={() => post(sample)}>
            {sample}
          </Button>
        ))}
      </div>
      <form
        className="mt-2 flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (body.trim()) post(body);
        }}
      >
        <label htmlFor={`simulate-${phone}`} className="sr-only">
          Reply text to simulate
        </label>
        <input id={`simulate-${phone}`} value={body} onChange={(event) => setBody(event.target.value)} placeholder="Or type a reply…" maxLength={1600} className={inputClass} />
        <Button type="submit" size="sm" variant="secondary" pending={simulate.isPending} disabled={!body.trim()}>
          Simulate
        </Button>
      </form>
      {simulate.error && <Alert tone="error" className="mt-2">{describeError(simulate.error).message}</Alert>}
      {result && (
        <p className="mt-2 text-xs text-slate-600" role="status" data-testid="simulated-outcome">
          <Badge tone={OUTCOME_LABELS[result.replyOutcome].tone}>{OUTCOME_LABELS[result.replyOutcome].label}</Badge> {result.reason}
        </p>
      )}
    </details>
  );
}
