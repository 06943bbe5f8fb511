"use client";

import { useRef, useState } from "react";
import { newIdempotencyKey } from "@/components/shared/idempotency-key";
import { useLiveRefresh } from "@/components/shared/live-events";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { renderSavedReply } from "@/lib/saved-replies";
import { countSmsSegments } from "@/lib/sms-segments";
import { MERGE_FIELDS, templatePlaceholders, unknownMergeFields } from "@/lib/sms-template";
import { api, type RouterOutputs } from "@/trpc/react";
import { useSavedReplies } from "./saved-replies";

type Thread = RouterOutputs["inbox"]["thread"];

/**
 * The reply box: saved replies and merge fields (rendered with the lead's facts before sending),
 * a live segment count of the text as sent, and the send decision shown before sending — blocked
 * (an opt-out) refuses with the reason; quiet hours warn and offer to schedule for the window's opening.
 */
export function ReplyBox({ thread, onSent }: { thread: Thread; onSent: () => unknown }) {
  const [body, setBody] = useState("");
  const [key, setKey] = useState(newIdempotencyKey);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const check = api.inbox.replyCheck.useQuery({ id: thread.id }, { staleTime: 30_000 });
  // An opt-out or a reply changes what the decision answers: ask again with the thread's events.
  useLiveRefresh("inbox", () => check.refetch(), thread.id);
  const savedReplies = useSavedReplies();
  const assistant = api.inbox.assistant.useQuery(undefined, { staleTime: Infinity });
  const suggestion = api.inbox.suggestReply.useMutation({ onSuccess: ({ text }) => setBody(text.slice(0, 1600)) });

  const reset = () => {
    setBody("");
    setKey(newIdempotencyKey());
  };
  const send = api.inbox.reply.useMutation({
    onSuccess: async () => {
      reset();
      await Promise.all([onSent(), check.refetch()]);
    },
    onError: () => void check.refetch(),
  });
  const schedule = api.inbox.scheduleReply.useMutation({
    onSuccess: async () => {
      reset();
      await onSent();
    },
  });

  const lead = thread.lead;
  const rendered = renderSavedReply(body, lead, thread.brand).trim();
  const hasMergeFields = templatePlaceholders(body).length > 0;
  const unknown = unknownMergeFields(body);
  const segments = rendered ? countSmsSegments(rendered) : null;
  const decision = check.data;
  const blocked = decision?.outcome === "blocked";
  const deferred = decision?.outcome === "deferred";
  const canWrite = rendered.length > 0 && unknown.length === 0;

  const insert = (text: string) => {
    const area = textRef.current;
    const start = area?.selectionStart ?? body.length;
    const end = area?.selectionEnd ?? body.length;
    const next = body.slice(0, start) + text + body.slice(end);
    setBody(next.slice(0, 1600));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + text.length, start + text.length);
    });
  };
  const submit = () => {
    if (!canWrite || send.isPending || blocked || deferred) return;
    send.mutate({ id: thread.id, body: rendered, idempotencyKey: key });
  };

  return (
    <form
      className="space-y-2"
      aria-label="Reply"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="flex flex-wrap items-center gap-2 text-xs">
        {savedReplies.available && (
          <>
            <label htmlFor="reply-saved" className="sr-only">
              Saved reply
            </label>
            <select
              id="reply-saved"
              value=""
              onChange={(event) => {
                const chosen = savedReplies.items.find((item) => item.id === event.target.value);
                if (chosen) insert(chosen.body);
              }}
              className={cn(inputClass, "w-auto py-1 text-xs")}
              data-testid="reply-saved-replies"
            >
              <option value="">Saved replies…</option>
              {savedReplies.items.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </>
        )}
        {assistant.data?.suggestions && (
          <Button
            type="button"
            variant="secondary"
            size="sm"
            pending={suggestion.isPending}
            onClick={() => suggestion.mutate({ id: thread.id })}
            title="A draft from the conversation and the property's facts, for you to edit and send"
          >
            {suggestion.isPending ? "Suggesting…" : "Suggest a reply"}
          </Button>
        )}
        {suggestion.error && (
          <span role="alert" className="text-red-700">
            {describeError(suggestion.error).message}
          </span>
        )}
        <label htmlFor="reply-merge-field" className="sr-only">
          Insert a merge field
        </label>
        <select
          id="reply-merge-field"
          value=""
          onChange={(event) => event.target.value && insert(`{{${event.target.value}}}`)}
          className={cn(inputClass, "w-auto py-1 text-xs")}
        >
          <option value="">Insert field…</option>
          {MERGE_FIELDS.map((field) => (
            <option key={field.name} value={field.name}>
              {field.label}
            </option>
          ))}
        </select>
      </div>
      <label htmlFor="reply-body" className="sr-only">
        Reply text
      </label>
      <textarea
        id="reply-body"
        ref={textRef}
        value={body}
        onChange={(event) => {
          setBody(event.target.value);
          if (send.error) send.reset();
          if (schedule.error) schedule.reset();
        }}
        onFocus={() => {
          // Quiet hours move with the clock: decide again when the user comes back to write.
          if (check.dataUpdatedAt < Date.now() - 30_000) void check.refetch();
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
            event.preventDefault();
            submit();
          }
        }}
        rows={3}
        maxLength={1600}
        disabled={blocked}
        placeholder={blocked ? "This number cannot be texted." : "Write a reply…"}
        className={cn(inputClass, "resize-y")}
      />
      {hasMergeFields && rendered && (
        <p className="rounded-md bg-slate-50 px-2 py-1 text-xs text-slate-600" data-testid="reply-preview">
          Sends as: <span className="whitespace-pre-wrap text-slate-800">{rendered}</span>
        </p>
      )}
      {unknown.length > 0 && <p className="text-xs text-red-700">Unknown merge field {unknown.map((name) => `{{${name}}}`).join(", ")}.</p>}

      <DecisionNotice decision={check.data} pending={check.isPending} error={check.error} />
      {send.error && (
        <Alert tone="error">
          <span data-testid="reply-refused">Not sent: {describeError(send.error).message}</span>
        </Alert>
      )}
      {schedule.error && (
        <Alert tone="error">
          <span data-testid="reply-refused">Not scheduled: {describeError(schedule.error).message}</span>
        </Alert>
      )}
      {schedule.isSuccess && (
        <p className="text-xs text-emerald-700" role="status">
          Scheduled for <Time value={schedule.data.sendAt} />.
        </p>
      )}

      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-slate-500" aria-live="polite" data-testid="reply-segments">
          {segments ? `${segments.characters} characters · ${segments.segments} segment${segments.segments === 1 ? "" : "s"} (${segments.encoding})` : "Ctrl+Enter sends."}
        </p>
        <div className="flex gap-2">
          {deferred && decision.until && (
            <Button
              type="button"
              size="sm"
              variant="secondary"
              disabled={!canWrite}
              pending={schedule.isPending}
              onClick={() => schedule.mutate({ id: thread.id, body: rendered })}
              data-testid="reply-schedule"
            >
              Schedule for <Time value={decision.until} />
            </Button>
          )}
          <Button type="submit" size="sm" pending={send.isPending} disabled={!canWrite || blocked || deferred || check.isPending}>
            Send
          </Button>
        </div>
      </div>
    </form>
  );
}

function DecisionNotice({ decision, pending, error }: { decision: RouterOutputs["inbox"]["replyCheck"] | undefined; pending: boolean; error: unknown }) {
  if (error) return <Alert tone="error">Could not check the sending rules: {describeError(error).message}</Alert>;
  if (pending || !decision) return <p className="text-xs text-slate-400">Checking the sending rules…</p>;
  if (decision.outcome === "blocked") {
    return (
      <Alert tone="error">
        <span data-testid="reply-blocked" data-reason={decision.reason ?? undefined}>
          <strong>Cannot text this number.</strong> {decision.message}
        </span>
      </Alert>
    );
  }
  if (decision.outcome === "deferred") {
    return (
      <Alert tone="warning">
        <span data-testid="reply-deferred" data-reason={decision.reason ?? undefined}>
          <strong>{decision.reason === "quiet_hours" ? "Quiet hours." : "Not now."}</strong> {decision.message} You can schedule the reply for when it is allowed.
        </span>
      </Alert>
    );
  }
  return (
    <p className="text-xs text-emerald-700" data-testid="reply-allowed">
      Allowed now by your sending rules.
    </p>
  );
}
