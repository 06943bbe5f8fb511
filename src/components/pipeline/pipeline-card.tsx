"use client";

import { useDraggable } from "@dnd-kit/core";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { TemperaturePill } from "@/components/search/temperature-pill";
import { useNow } from "@/components/shared/time";
import { formatTaskDue } from "@/lib/task-due";
import { cn } from "@/components/ui/cn";
import { personName, STATUS_LABELS, TAG_COLOR_STYLES, type LeadListItem, type LeadStatus } from "@/components/leads/labels";
import { formatCompactCents } from "./money";
import type { CardDragData } from "./pipeline-dnd";
import { initials, isPipelineStatus, PIPELINE_STATUSES } from "./pipeline-state";

type CardProps = {
  lead: LeadListItem;
  /** The organization's today (YYYY-MM-DD), for "Today" / "Tomorrow" on the next task. */
  today?: string;
  onMove: (lead: LeadListItem, to: LeadStatus) => void;
  /** Take focus when mounted (the card just moved here from the keyboard). */
  autoFocus?: boolean;
  onFocused?: () => void;
};

/** A draggable card: drag it anywhere with the mouse, by its handle with the keyboard, or use "Move to". */
export function PipelineCard({ lead, today, onMove, autoFocus, onFocused }: CardProps) {
  const data: CardDragData = { lead };
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({ id: lead.id, data });
  const handleRef = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (!autoFocus) return;
    handleRef.current?.focus();
    onFocused?.();
  }, [autoFocus, onFocused]);

  return (
    <PipelineCardView
      lead={lead}
      today={today}
      ref={setNodeRef}
      rootProps={listeners}
      className={cn(isDragging && "opacity-40")}
      handle={
        <button
          type="button"
          {...attributes}
          ref={(node) => {
            setActivatorNodeRef(node);
            handleRef.current = node;
          }}
          aria-label={`Drag ${lead.addressLine1}`}
          className="-ml-1 mt-0.5 shrink-0 cursor-grab rounded p-0.5 text-slate-400 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-brand-500 active:cursor-grabbing"
        >
          <GripIcon />
        </button>
      }
      footer={
        <select
          aria-label={`Move ${lead.addressLine1} to`}
          title={`In ${STATUS_LABELS[lead.status]}. Move to another column`}
          value=""
          onChange={(event) => {
            if (isPipelineStatus(event.target.value)) onMove(lead, event.target.value);
          }}
          // A press on the menu opens it; it never starts a drag.
          onPointerDown={(event) => event.stopPropagation()}
          onMouseDown={(event) => event.stopPropagation()}
          onTouchStart={(event) => event.stopPropagation()}
          className="min-w-0 flex-1 cursor-pointer rounded border border-slate-200 bg-white py-0.5 pl-1 pr-5 text-xs text-slate-600 hover:border-slate-300 focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500"
        >
          <option value="" disabled>
            Move to…
          </option>
          {PIPELINE_STATUSES.filter((status) => status !== lead.status).map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      }
    />
  );
}

/** The card's look, shared by the board and the drag overlay. */
export function PipelineCardView({ lead, today, handle, footer, ref, rootProps, className }: {
  lead: LeadListItem;
  today?: string;
  handle?: React.ReactNode;
  footer?: React.ReactNode;
  ref?: React.Ref<HTMLElement>;
  rootProps?: React.HTMLAttributes<HTMLElement>;
  className?: string;
}) {
  const assignee = lead.assignee;
  return (
    <article
      ref={ref}
      {...rootProps}
      aria-label={lead.addressLine1}
      data-testid="pipeline-card"
      data-lead-id={lead.id}
      className={cn("relative touch-manipulation select-none rounded-md border border-slate-200 bg-white p-2 shadow-sm", className)}
    >
      <div className="flex items-start gap-1.5">
        {handle ?? (
          <span className="-ml-1 mt-0.5 shrink-0 p-0.5 text-slate-400">
            <GripIcon />
          </span>
        )}
        <div className="min-w-0 flex-1">
          <Link href={`/leads/${lead.id}`} className="block truncate text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline" draggable={false}>
            {lead.addressLine1}
          </Link>
          <p className="truncate text-xs text-slate-500">
            {lead.city}, {lead.state} {lead.zip}
          </p>
          <p className="mt-1 truncate text-xs text-slate-700" title={lead.ownerName ?? undefined}>
            {lead.ownerName ?? <span className="text-slate-400">Owner unknown</span>}
          </p>
        </div>
      </div>
      {lead.dealValueCents !== null && (
        <p className="mt-1 truncate text-sm font-semibold tabular-nums text-emerald-700" data-testid="card-deal-value" title={`Deal value ${formatDollars(lead.dealValueCents)}`}>
          {formatDollars(lead.dealValueCents)}
        </p>
      )}
      {lead.nextTask && <NextTaskLine task={lead.nextTask} today={today} />}
      <div className="mt-2 flex flex-wrap items-center gap-1">
        <TemperaturePill temperature={lead.temperature} score={lead.score} />
        {lead.textable && (
          <span className="inline-flex items-center gap-1 rounded-full bg-emerald-600 px-2 py-0.5 text-xs font-medium text-white" title="Has a textable phone">
            <PhoneIcon />
            Contactable
          </span>
        )}
      </div>
      {lead.tags.length > 0 && (
        <ul className="mt-1.5 flex flex-wrap gap-1" aria-label="Tags">
          {lead.tags.map((tag) => (
            <li
              key={tag.id}
              className={cn("max-w-full truncate rounded px-1.5 text-[0.7rem] font-medium leading-5 ring-1 ring-inset", TAG_COLOR_STYLES[tag.color] ?? TAG_COLOR_STYLES.slate)}
            >
              {tag.name}
            </li>
          ))}
        </ul>
      )}
      <div className="mt-2 flex items-center justify-between gap-1">
        {assignee ? (
          <span
            className="inline-flex size-6 shrink-0 items-center justify-center rounded-full bg-brand-100 text-[0.65rem] font-semibold text-brand-700"
            title={`Assigned to ${personName(assignee)}`}
          >
            <span aria-hidden>{initials(assignee.name, assignee.email)}</span>
            <span className="sr-only">Assigned to {personName(assignee)}</span>
          </span>
        ) : (
          <span className="text-xs text-slate-400">Unassigned</span>
        )}
        {footer}
      </div>
    </article>
  );
}

const formatDollars = (cents: number) => (cents >= 100_000_000 ? formatCompactCents(cents) : `$${Math.round(cents / 100).toLocaleString("en-US")}`);

/** The lead's next open task: what and when, red once it is overdue. */
function NextTaskLine({ task, today }: { task: NonNullable<LeadListItem["nextTask"]>; today?: string }) {
  const now = useNow();
  const overdue = now !== null && task.dueAt.getTime() < now;
  const due = formatTaskDue(task.dueOn, task.dueTime, today ?? task.dueOn);
  return (
    <p
      className={cn("mt-1 flex min-w-0 items-center gap-1 text-xs", overdue ? "font-medium text-red-700" : "text-slate-600")}
      data-testid="card-next-task"
      title={`Next task: ${task.note} (${overdue ? "overdue, " : ""}due ${due})`}
    >
      <span aria-hidden>☐</span>
      <span className="truncate">{task.note}</span>
      <span className="shrink-0 whitespace-nowrap">· {today ? due : task.dueOn}</span>
    </p>
  );
}

function PhoneIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-3" fill="currentColor" aria-hidden>
      <path d="M3.6 1.5a1 1 0 0 1 1.1-.3l2 .8a1 1 0 0 1 .6 1.1l-.4 2a1 1 0 0 1-.5.7l-.9.5a8.3 8.3 0 0 0 3.2 3.2l.5-.9a1 1 0 0 1 .7-.5l2-.4a1 1 0 0 1 1.1.6l.8 2a1 1 0 0 1-.3 1.1l-1.4 1.2a2 2 0 0 1-1.8.4C6.1 12.7 3.3 9.9 2.1 5.7a2 2 0 0 1 .4-1.8z" />
    </svg>
  );
}

function GripIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-4" fill="currentColor" aria-hidden>
      <circle cx="5.5" cy="3.5" r="1.25" />
      <circle cx="10.5" cy="3.5" r="1.25" />
      <circle cx="5.5" cy="8" r="1.25" />
      <circle cx="10.5" cy="8" r="1.25" />
      <circle cx="5.5" cy="12.5" r="1.25" />
      <circle cx="10.5" cy="12.5" r="1.25" />
    </svg>
  );
}
