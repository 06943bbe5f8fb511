"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import type { RouterInputs, RouterOutputs } from "@/trpc/react";
import { LEAD_STATUSES, STATUS_LABELS, personName } from "./labels";
import { formatCount } from "@/components/shared/format";

type BulkAction = RouterInputs["leads"]["bulk"]["action"];
type Tags = RouterOutputs["tags"]["list"];
type Assignees = RouterOutputs["leads"]["assignees"];

/** Select value → procedure action; the select keeps keyboard users from firing an action by arrowing through it. */
export function parseBulkAction(value: string): BulkAction | null {
  const [kind, arg] = value.split(":") as [string, string | undefined];
  switch (kind) {
    case "status":
      return LEAD_STATUSES.includes(arg as never) ? { kind: "status", status: arg as (typeof LEAD_STATUSES)[number] } : null;
    case "assign":
      return arg ? { kind: "assign", assigneeId: arg === "none" ? null : arg } : null;
    case "tag":
    case "untag":
      return arg ? { kind, tagId: arg } : null;
    case "archive":
    case "restore":
      return { kind };
    default:
      return null;
  }
}

export function BulkBar({ count, canManage, tags, assignees, pending, onApply }: {
  /** How many leads the action will touch. */
  count: number;
  canManage: boolean;
  tags: Tags | undefined;
  assignees: Assignees | undefined;
  pending: boolean;
  onApply: (action: BulkAction) => void;
}) {
  const [value, setValue] = useState("");
  const action = parseBulkAction(value);
  return (
    <form
      className="flex items-center gap-2"
      aria-label="Bulk actions"
      onSubmit={(event) => {
        event.preventDefault();
        if (action) onApply(action);
      }}
    >
      <Select aria-label="Action for selected leads" className="w-52 py-1" value={value} onChange={(e) => setValue(e.target.value)} disabled={count === 0}>
        <option value="">Choose an action…</option>
        <optgroup label="Change status">
          {LEAD_STATUSES.map((status) => (
            <option key={status} value={`status:${status}`}>
              Status: {STATUS_LABELS[status]}
            </option>
          ))}
        </optgroup>
        <optgroup label="Assign">
          <option value="assign:none">Unassign</option>
          {assignees?.map((person) => (
            <option key={person.id} value={`assign:${person.id}`}>
              Assign to {personName(person)}
            </option>
          ))}
        </optgroup>
        {tags && tags.length > 0 && (
          <>
            <optgroup label="Add a tag">
              {tags.map((tag) => (
                <option key={tag.id} value={`tag:${tag.id}`}>
                  Add tag {tag.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Remove a tag">
              {tags.map((tag) => (
                <option key={tag.id} value={`untag:${tag.id}`}>
                  Remove tag {tag.name}
                </option>
              ))}
            </optgroup>
          </>
        )}
        {canManage && (
          <optgroup label="Archive">
            <option value="archive">Archive</option>
            <option value="restore">Restore from archive</option>
          </optgroup>
        )}
      </Select>
      <Button type="submit" size="sm" className="shrink-0 whitespace-nowrap" disabled={!action || count === 0} pending={pending}>
        Apply to {formatCount(count)}
      </Button>
    </form>
  );
}
