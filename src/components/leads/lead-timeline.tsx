"use client";

import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { api } from "@/trpc/react";
import { Ago } from "./bits";
import { describeActivity, type ActivityIcon } from "./activity";
import { personName, type LeadDetail } from "./labels";

const ICONS: Record<ActivityIcon, { path: string; tone: string }> = {
  created: { path: "M12 5v14M5 12h14", tone: "bg-brand-100 text-brand-700" },
  imported: { path: "M12 3v12m0 0-4-4m4 4 4-4M4 17v3h16v-3", tone: "bg-brand-100 text-brand-700" },
  updated: { path: "M4 20h4L19 9l-4-4L4 16v4Z", tone: "bg-slate-100 text-slate-600" },
  status: { path: "M5 12h14m-6-6 6 6-6 6", tone: "bg-indigo-100 text-indigo-700" },
  assigned: {
    path: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 8a7 7 0 0 1 14 0",
    tone: "bg-sky-100 text-sky-700",
  },
  note: { path: "M6 3h9l3 3v15H6ZM9 10h6M9 14h6M9 18h4", tone: "bg-amber-100 text-amber-800" },
  tag: { path: "M3 12V3h9l9 9-9 9-9-9ZM7.5 7.5h.01", tone: "bg-violet-100 text-violet-700" },
  won: { path: "m5 13 4 4L19 7", tone: "bg-emerald-100 text-emerald-700" },
  lost: { path: "M6 6l12 12M18 6 6 18", tone: "bg-red-100 text-red-700" },
  archived: { path: "M3 7h18v4H3ZM5 11v9h14v-9M10 15h4", tone: "bg-slate-100 text-slate-600" },
  skip_trace: {
    path: "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14Zm10 3-5-5",
    tone: "bg-teal-100 text-teal-700",
  },
  message: { path: "M4 5h16v11H8l-4 4Z", tone: "bg-sky-100 text-sky-700" },
};

function Icon({ icon }: { icon: ActivityIcon }) {
  const { path, tone } = ICONS[icon];
  return (
    <span
      className={cn(
        "relative z-10 flex size-7 shrink-0 items-center justify-center rounded-full ring-4 ring-white",
        tone,
      )}
      aria-hidden
    >
      <svg
        viewBox="0 0 24 24"
        className="size-3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d={path} />
      </svg>
    </span>
  );
}

/** Newest first, one sentence per event. */
export function LeadTimeline({ lead }: { lead: LeadDetail }) {
  const tags = api.tags.list.useQuery();
  const assignees = api.leads.assignees.useQuery();
  const tagNames = new Map((tags.data ?? []).map((t) => [t.id, t.name]));
  for (const t of lead.tags) tagNames.set(t.id, t.name);
  const people = new Map<string, string>();
  for (const p of assignees.data ?? []) people.set(p.id, personName(p)!);
  for (const event of lead.activity) if (event.actor) people.set(event.actor.id, personName(event.actor)!);
  const lookups = { tags: tagNames, people };

  // Leads added before creation was recorded (e.g. from a search) still start with their creation.
  const events = lead.activity.some((e) => e.kind === "created" || e.kind === "imported")
    ? lead.activity
    : [
        ...lead.activity,
        {
          id: "created",
          kind: "created",
          details: { source: lead.source },
          actor: null,
          createdAt: lead.createdAt,
        },
      ];

  return (
    <Card title="Activity">
      <ol
        className="relative space-y-4 before:absolute before:inset-y-2 before:left-3.5 before:w-px before:bg-slate-200"
        data-testid="timeline"
      >
        {events.map((event) => {
          const { icon, text } = describeActivity(event, lookups);
          return (
            <li
              key={event.id}
              className="relative flex gap-3"
              data-testid="timeline-item"
              data-kind={event.kind}
            >
              <Icon icon={icon} />
              <div className="min-w-0 pt-1">
                <p className="text-sm text-slate-900">{text}</p>
                <p className="text-xs text-slate-500">
                  {event.actor ? `${personName(event.actor)} · ` : ""}
                  <Ago value={event.createdAt} />
                </p>
              </div>
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
