"use client";

import { useId, useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, Input, inputClass } from "@/components/ui/field";
import { SAVED_REPLY_BODY_MAX, SAVED_REPLY_NAME_MAX, renderSavedReply, savedReplyBodyProblems, savedReplySegments } from "@/lib/saved-replies";
import { MERGE_FIELDS } from "@/lib/sms-template";
import { api, type RouterOutputs } from "@/trpc/react";

type SavedReply = RouterOutputs["savedReplies"]["list"]["replies"][number];
type Editing = { id: string | null; name: string; body: string };

/** The preview's lead: the merge fields' example values (a real lead's facts fill them in the inbox). */
const EXAMPLE_LEAD = { ownerName: "Maria Lopez", addressLine1: "12 Oak St", city: "Tampa", state: "FL", zip: "33602" };
const EXAMPLE_BRAND = MERGE_FIELDS.find((field) => field.name === "brand")!.example;

/** Settings → Saved replies: the organization's reply library; managers and admins create, edit and delete. */
export function SavedRepliesManager() {
  const [{ replies, canEdit }] = api.savedReplies.list.useSuspenseQuery();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="space-y-6">
      {!canEdit && <Alert>Managers and admins edit saved replies; you can use them from the inbox.</Alert>}
      {notice && (
        <p className="text-sm text-emerald-700" role="status">
          {notice}
        </p>
      )}
      {canEdit && !editing && (
        <Button type="button" onClick={() => (setNotice(null), setEditing({ id: null, name: "", body: "" }))} data-testid="saved-reply-new">
          New saved reply
        </Button>
      )}
      {editing && (
        <SavedReplyForm
          key={editing.id ?? "new"}
          initial={editing}
          onDone={(message) => {
            setEditing(null);
            setNotice(message);
          }}
        />
      )}
      <Card title="Library" description={`${replies.length} saved ${replies.length === 1 ? "reply" : "replies"}, sorted by name.`}>
        {replies.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-500" data-testid="saved-replies-empty">
            No saved replies yet.{canEdit ? " Create one for the answers you type most: your offer range, a call-back time, a thank-you." : ""}
          </p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="saved-replies-list">
            {replies.map((reply) => (
              <SavedReplyRow
                key={reply.id}
                reply={reply}
                canEdit={canEdit}
                onEdit={() => (setNotice(null), setEditing({ id: reply.id, name: reply.name, body: reply.body }))}
                onDeleted={() => setNotice(`Deleted “${reply.name}”.`)}
              />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function SavedReplyRow({ reply, canEdit, onEdit, onDeleted }: { reply: SavedReply; canEdit: boolean; onEdit: () => void; onDeleted: () => void }) {
  const utils = api.useUtils();
  const [confirming, setConfirming] = useState(false);
  const remove = api.savedReplies.delete.useMutation({
    onSuccess: async () => {
      await utils.savedReplies.list.invalidate();
      onDeleted();
    },
  });
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid="saved-reply">
      <div className="min-w-0 space-y-1">
        <p className="font-medium text-slate-900">{reply.name}</p>
        <p className="whitespace-pre-wrap break-words text-sm text-slate-700">{reply.body}</p>
        <p className="text-xs text-slate-500">
          {reply.segments} {reply.segments === 1 ? "segment" : "segments"} · {reply.encoding}
          {reply.createdBy && <> · by {reply.createdBy.name}</>}
        </p>
        {remove.error && <Alert tone="error">{describeError(remove.error).message}</Alert>}
      </div>
      {canEdit && (
        <div className="flex shrink-0 gap-2">
          <Button type="button" size="sm" variant="secondary" onClick={onEdit} aria-label={`Edit ${reply.name}`}>
            Edit
          </Button>
          {confirming ? (
            <>
              <Button type="button" size="sm" variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: reply.id })} aria-label={`Confirm delete ${reply.name}`}>
                Delete
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>
                Keep
              </Button>
            </>
          ) : (
            <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(true)} aria-label={`Delete ${reply.name}`}>
              Delete…
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

function SavedReplyForm({ initial, onDone }: { initial: Editing; onDone: (message: string) => void }) {
  const utils = api.useUtils();
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const bodyId = useId();
  const [name, setName] = useState(initial.name);
  const [body, setBody] = useState(initial.body);
  const save = api.savedReplies.save.useMutation({
    onSuccess: async (saved) => {
      await utils.savedReplies.list.invalidate();
      onDone(initial.id ? `Saved “${saved.name}”.` : `Created “${saved.name}”.`);
    },
  });
  const failure = save.error ? describeError(save.error) : null;
  const problems = savedReplyBodyProblems(body);
  const count = savedReplySegments(body);
  const preview = body.trim() ? renderSavedReply(body, EXAMPLE_LEAD, EXAMPLE_BRAND) : "";
  const conflict = save.error?.data?.code === "CONFLICT" ? save.error.message : null;

  /** Puts {{field}} at the cursor (or replaces the selection), then puts the cursor after it. */
  const insert = (field: string) => {
    const token = `{{${field}}}`;
    const element = bodyRef.current;
    const start = element?.selectionStart ?? body.length;
    const end = element?.selectionEnd ?? body.length;
    const next = body.slice(0, start) + token + body.slice(end);
    setBody(next);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <Card title={initial.id ? `Edit “${initial.name}”` : "New saved reply"}>
      <form
        className="max-w-2xl space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ id: initial.id ?? undefined, name, body });
        }}
      >
        {failure && !conflict && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
        <Field label="Name" error={conflict ?? failure?.fieldErrors.name} hint="What your team picks it by in the inbox, e.g. “Offer range” or “Call back”.">
          {(p) => <Input {...p} name="name" value={name} maxLength={SAVED_REPLY_NAME_MAX} autoFocus onChange={(e) => setName(e.target.value)} />}
        </Field>
        <div className="space-y-1">
          <label htmlFor={bodyId} className="block text-sm font-medium text-slate-700">
            Reply
          </label>
          <div className="flex flex-wrap gap-1" role="group" aria-label="Insert a merge field">
            {MERGE_FIELDS.map((field) => (
              <Button key={field.name} type="button" size="sm" variant="secondary" onClick={() => insert(field.name)} title={`Insert {{${field.name}}}, e.g. ${field.example}`}>
                + {field.label}
              </Button>
            ))}
          </div>
          <textarea
            id={bodyId}
            ref={bodyRef}
            name="body"
            value={body}
            maxLength={SAVED_REPLY_BODY_MAX}
            rows={5}
            className={cn(inputClass, "mt-1")}
            aria-invalid={problems.length > 0 || !!failure?.fieldErrors.body || undefined}
            aria-describedby={`${bodyId}-count`}
            placeholder="Hi {{owner_first_name|there}}, thanks for getting back to me! When is a good time to call?"
            onChange={(e) => setBody(e.target.value)}
          />
          <p id={`${bodyId}-count`} className="text-xs text-slate-500" aria-live="polite" data-testid="saved-reply-segments">
            {count.segments} {count.segments === 1 ? "segment" : "segments"} · {count.characters} characters · {count.encoding}
            {count.nonGsmCharacters.length > 0 && <> (because of {count.nonGsmCharacters.slice(0, 5).join(" ")})</>}
            {" · "}
            {"{{field|fallback}}"} uses the fallback when the lead lacks the value.
          </p>
          {[...problems, ...(failure?.fieldErrors.body ?? [])].filter((v, i, all) => all.indexOf(v) === i).map((problem) => (
            <p key={problem} className="text-sm text-red-600">
              {problem}
            </p>
          ))}
        </div>
        {preview && (
          <div className="rounded-md bg-slate-50 p-3 text-sm">
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Preview for {EXAMPLE_LEAD.ownerName}</p>
            <p className="mt-1 whitespace-pre-wrap text-slate-800" data-testid="saved-reply-preview">
              {preview}
            </p>
          </div>
        )}
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending} disabled={!name.trim() || !body.trim() || problems.length > 0}>
            {initial.id ? "Save changes" : "Create saved reply"}
          </Button>
          <Button type="button" variant="ghost" onClick={() => onDone("")}>
            Cancel
          </Button>
          {initial.id === null && <Badge>Shared with your whole organization</Badge>}
        </div>
      </form>
    </Card>
  );
}

export function SavedRepliesSkeleton() {
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-busy="true" aria-label="Loading saved replies">
      <Skeleton className="h-5 w-40" />
      {Array.from({ length: 4 }, (_, i) => (
        <Skeleton key={i} className="h-12 w-full" />
      ))}
    </div>
  );
}
