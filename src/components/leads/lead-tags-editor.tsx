"use client";

import { useId, useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { TagChip } from "./bits";
import { TAG_COLOR_STYLES, TAG_COLORS, type LeadDetail, type TagColor } from "./labels";
import { useLeadCache } from "./use-lead";

/** The lead's tags: remove with ×, add an existing tag or create one inline. */
export function LeadTagsEditor({ lead }: { lead: LeadDetail }) {
  const cache = useLeadCache(lead.id);
  const utils = api.useUtils();
  const allTags = api.tags.list.useQuery();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [color, setColor] = useState<TagColor>("blue");
  const inputRef = useRef<HTMLInputElement>(null);
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const listId = useId();

  const setTags = api.leads.setTags.useMutation({
    onMutate: ({ tagIds }) =>
      cache.optimistic((current) => ({
        ...current,
        tags: tagIds.map((tagId) => current.tags.find((t) => t.id === tagId) ?? allTags.data?.find((t) => t.id === tagId)).filter((t) => t !== undefined).map(({ id, name, color }) => ({ id, name, color })),
      })),
    onError: (_error, _variables, context) => cache.rollback(context),
    onSuccess: (updated) => cache.accept(updated),
    onSettled: () => {
      void utils.tags.list.invalidate();
      cache.listsChanged();
    },
  });
  const createTag = api.tags.create.useMutation({
    onSuccess: (tag) => {
      utils.tags.list.setData(undefined, (tags) => (tags ? [...tags, { ...tag, leadCount: 0 }].sort((a, b) => a.name.localeCompare(b.name)) : tags));
      setTags.mutate({ leadId: lead.id, tagIds: [...lead.tags.map((t) => t.id), tag.id] });
      setText("");
    },
  });

  const current = new Set(lead.tags.map((t) => t.id));
  const query = text.trim().toLowerCase();
  const available = (allTags.data ?? []).filter((tag) => !current.has(tag.id) && tag.name.toLowerCase().includes(query));
  const exact = (allTags.data ?? []).find((tag) => tag.name.toLowerCase() === query);
  const error = setTags.error ?? createTag.error;

  function add(tagId: string) {
    setTags.mutate({ leadId: lead.id, tagIds: [...lead.tags.map((t) => t.id), tagId] });
    setText("");
    inputRef.current?.focus();
  }
  function remove(tagId: string) {
    setTags.mutate({ leadId: lead.id, tagIds: lead.tags.map((t) => t.id).filter((id) => id !== tagId) });
  }
  function close() {
    setOpen(false);
    setText("");
    requestAnimationFrame(() => addButtonRef.current?.focus());
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-1.5" data-testid="lead-tags">
        {lead.tags.map((tag) => (
          <TagChip key={tag.id} name={tag.name} color={tag.color} onRemove={() => remove(tag.id)} />
        ))}
        {!open && (
          <button
            ref={addButtonRef}
            type="button"
            onClick={() => {
              setOpen(true);
              requestAnimationFrame(() => inputRef.current?.focus());
            }}
            className="rounded-full border border-dashed border-slate-300 px-2 py-0.5 text-xs font-medium text-slate-600 hover:border-slate-400 hover:text-slate-900"
          >
            + Add tag
          </button>
        )}
      </div>
      {open && (
        <div className="w-full max-w-sm space-y-2 rounded-md border border-slate-200 bg-white p-3 shadow-sm">
          <input
            ref={inputRef}
            aria-label="Tag name"
            aria-controls={listId}
            placeholder="Find or create a tag"
            value={text}
            maxLength={40}
            className={cn(inputClass, "py-1")}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.preventDefault();
                close();
              } else if (e.key === "Enter") {
                e.preventDefault();
                if (exact && !current.has(exact.id)) add(exact.id);
                else if (!exact && query) createTag.mutate({ name: text.trim(), color });
              }
            }}
          />
          <ul id={listId} className="max-h-40 space-y-0.5 overflow-y-auto" aria-label="Existing tags">
            {available.map((tag) => (
              <li key={tag.id}>
                <button type="button" onClick={() => add(tag.id)} className="flex w-full items-center justify-between rounded px-2 py-1 text-left text-sm hover:bg-slate-100">
                  <TagChip name={tag.name} color={tag.color} />
                  <span className="text-xs text-slate-400">{tag.leadCount} leads</span>
                </button>
              </li>
            ))}
            {available.length === 0 && !query && <li className="px-2 py-1 text-sm text-slate-500">{allTags.data?.length ? "Every tag is already on this lead." : "No tags yet: type a name to create one."}</li>}
          </ul>
          {query && !exact && (
            <div className="space-y-2 border-t border-slate-100 pt-2">
              <div role="radiogroup" aria-label="Colour of the new tag" className="flex gap-1.5">
                {TAG_COLORS.map((c) => (
                  <button
                    key={c}
                    type="button"
                    role="radio"
                    aria-checked={color === c}
                    aria-label={c}
                    onClick={() => setColor(c)}
                    className={cn("size-5 rounded-full ring-1 ring-inset", TAG_COLOR_STYLES[c], color === c && "ring-2 ring-offset-1 ring-slate-700")}
                  />
                ))}
              </div>
              <Button size="sm" variant="secondary" pending={createTag.isPending} onClick={() => createTag.mutate({ name: text.trim(), color })}>
                Create tag “{text.trim()}”
              </Button>
            </div>
          )}
          <div className="flex justify-end">
            <Button size="sm" variant="ghost" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      )}
      {error && <Alert tone="error">{describeError(error).message}</Alert>}
    </div>
  );
}
