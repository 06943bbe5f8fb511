"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { api } from "@/trpc/react";
import { Ago } from "./bits";
import { personName, type LeadDetail } from "./labels";
import { useLeadCache } from "./use-lead";

type Note = LeadDetail["notes"][number];

const isSubmitShortcut = (event: React.KeyboardEvent) => event.key === "Enter" && (event.ctrlKey || event.metaKey);

export function LeadNotes({ lead, viewerId }: { lead: LeadDetail; viewerId: string }) {
  const cache = useLeadCache(lead.id);
  const [body, setBody] = useState("");
  const add = api.notes.add.useMutation({
    onSuccess: () => {
      setBody("");
      return cache.refresh();
    },
  });
  const failure = add.error ? describeError(add.error) : null;

  function submit() {
    if (body.trim() && !add.isPending) add.mutate({ leadId: lead.id, body });
  }

  return (
    <Card title="Notes" description={lead.notes.length ? `${lead.notes.length} ${lead.notes.length === 1 ? "note" : "notes"}` : undefined}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        className="space-y-2"
      >
        <label htmlFor="new-note" className="sr-only">
          New note
        </label>
        <textarea
          id="new-note"
          rows={3}
          value={body}
          maxLength={10_000}
          placeholder="Add a note: a call, a detail about the owner, what to do next…"
          aria-invalid={failure?.fieldErrors.body ? true : undefined}
          aria-describedby="new-note-hint"
          className={cn(inputClass, "resize-y")}
          onChange={(event) => setBody(event.target.value)}
          onKeyDown={(event) => {
            if (isSubmitShortcut(event)) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <div className="flex items-center justify-between gap-3">
          <p id="new-note-hint" className="text-xs text-slate-500">
            Ctrl+Enter (⌘+Enter on a Mac) to add.
          </p>
          <Button type="submit" size="sm" pending={add.isPending} disabled={!body.trim()}>
            Add note
          </Button>
        </div>
        {failure && <Alert tone="error">{failure.fieldErrors.body?.[0] ?? failure.message}</Alert>}
      </form>
      {lead.notes.length > 0 && (
        <ul className="mt-4 divide-y divide-slate-100 border-t border-slate-100" data-testid="notes">
          {lead.notes.map((note) => (
            <NoteItem key={note.id} note={note} leadId={lead.id} own={note.author?.id === viewerId} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function NoteItem({ note, leadId, own }: { note: Note; leadId: string; own: boolean }) {
  const cache = useLeadCache(leadId);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note.body);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const update = api.notes.update.useMutation({
    onSuccess: async () => {
      await cache.refresh();
      setEditing(false);
    },
  });
  const remove = api.notes.delete.useMutation({ onSuccess: () => cache.refresh() });
  const error = update.error ?? remove.error;
  const edited = note.updatedAt.getTime() - note.createdAt.getTime() > 1000;

  return (
    <li className="py-3" data-testid="note">
      <div className="flex items-baseline justify-between gap-3 text-xs text-slate-500">
        <span>
          <span className="font-medium text-slate-700">{personName(note.author) ?? "A former teammate"}</span> · <Ago value={note.createdAt} />
          {edited && " · edited"}
        </span>
        {own && !editing && (
          <span className="flex gap-1">
            {confirmDelete ? (
              <>
                <span className="text-slate-600">Delete this note?</span>
                <Button size="sm" variant="danger" className="px-2 py-0 text-xs" pending={remove.isPending} onClick={() => remove.mutate({ id: note.id })}>
                  Delete
                </Button>
                <Button size="sm" variant="ghost" className="px-2 py-0 text-xs" onClick={() => setConfirmDelete(false)}>
                  Cancel
                </Button>
              </>
            ) : (
              <>
                <Button size="sm" variant="ghost" className="px-2 py-0 text-xs" onClick={() => { setDraft(note.body); setEditing(true); }}>
                  Edit
                </Button>
                <Button size="sm" variant="ghost" className="px-2 py-0 text-xs" onClick={() => setConfirmDelete(true)}>
                  Delete
                </Button>
              </>
            )}
          </span>
        )}
      </div>
      {editing ? (
        <form
          className="mt-2 space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (draft.trim()) update.mutate({ id: note.id, body: draft });
          }}
        >
          <textarea
            aria-label="Edit note"
            rows={3}
            value={draft}
            maxLength={10_000}
            autoFocus
            className={cn(inputClass, "resize-y")}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (isSubmitShortcut(event)) {
                event.preventDefault();
                if (draft.trim()) update.mutate({ id: note.id, body: draft });
              } else if (event.key === "Escape") setEditing(false);
            }}
          />
          <div className="flex gap-2">
            <Button type="submit" size="sm" pending={update.isPending} disabled={!draft.trim()}>
              Save
            </Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-800">{note.body}</p>
      )}
      {error && <Alert tone="error" className="mt-2">{describeError(error).message}</Alert>}
    </li>
  );
}
