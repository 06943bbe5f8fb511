"use client";

import { useNarrowScreen } from "@/components/shared/use-narrow-screen";
import { formatPhone } from "@/components/shared/format";
import { api } from "@/trpc/react";
import { LEAD_STATUSES, STATUS_LABELS, type LeadDetail, type LeadStatus } from "./labels";
import { useLeadCache } from "./use-lead";

const barButton = "flex min-h-12 flex-1 flex-col items-center justify-center rounded-md px-1 text-xs font-medium text-slate-700 active:bg-slate-100";

/**
 * The lead page held in one hand (issue 14 item 13): on a phone, the next moves sit at the bottom
 * of the screen, under the thumb — call the best number, jump to the texts or the notes, change
 * the status — while the page scrolls above. Rendered on narrow screens only (not hidden by CSS),
 * so the page never has two status controls.
 */
export function LeadThumbBar({ lead }: { lead: LeadDetail }) {
  const narrow = useNarrowScreen();
  const cache = useLeadCache(lead.id);
  const update = api.leads.update.useMutation({
    onMutate: ({ patch }) => cache.optimistic((current) => ({ ...current, ...(patch.status ? { status: patch.status } : {}) })),
    onError: (_error, _variables, context) => cache.rollback(context),
    onSuccess: (updated) => cache.accept(updated),
    onSettled: () => cache.listsChanged(),
  });
  if (!narrow) return null;
  const phone = lead.phones.find((p) => p.isBest) ?? lead.phones.find((p) => p.status === "ok" && !p.doNotCallAt) ?? null;
  return (
    <>
      {/* Room under the last card, so the bar never covers it. */}
      <div aria-hidden className="h-16" />
      <nav
        aria-label="Lead actions"
        data-testid="lead-thumb-bar"
        className="fixed inset-x-0 bottom-0 z-30 flex items-stretch gap-1 border-t border-slate-200 bg-white/95 px-2 pb-[max(0.5rem,env(safe-area-inset-bottom))] pt-1.5 shadow-[0_-2px_8px_rgba(15,23,42,0.06)] backdrop-blur"
      >
        {phone ? (
          <a href={`tel:${phone.number}`} className={barButton} aria-label={`Call ${formatPhone(phone.number)}`}>
            <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round"><path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" /></svg>
            Call
          </a>
        ) : (
          <span className={`${barButton} text-slate-400`} aria-disabled="true">
            <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round"><path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" /></svg>
            No phone
          </span>
        )}
        <a href="#lead-texts" className={barButton}>
          <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.4A8 8 0 1 1 21 12z" /></svg>
          Texts
        </a>
        <a href="#lead-notes" className={barButton}>
          <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round"><path d="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4" /></svg>
          Notes
        </a>
        <label className={`${barButton} relative`}>
          <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round"><circle cx="12" cy="12" r="8" /><path d="M9 12l2 2 4-4" /></svg>
          <span className="max-w-full truncate">{STATUS_LABELS[lead.status]}</span>
          {/* The native picker: large, thumb-friendly, and the phone's own. */}
          <select
            aria-label="Change status"
            value={lead.status}
            onChange={(event) => update.mutate({ id: lead.id, patch: { status: event.target.value as LeadStatus } })}
            className="absolute inset-0 cursor-pointer opacity-0"
          >
            {LEAD_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </>
  );
}
