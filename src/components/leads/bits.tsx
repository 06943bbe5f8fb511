"use client";

import { formatRelative } from "@/components/shared/format";
import { useHydrated, useNow } from "@/components/shared/time";
import { STATUS_LABELS, STATUS_STYLES, TAG_COLOR_STYLES, type LeadStatus } from "./labels";

export function TagChip({ name, color, onRemove, removeLabel }: { name: string; color: string; onRemove?: () => void; removeLabel?: string }) {
  return (
    <span className={`pill max-w-40 gap-1 ring-1 ring-inset ${TAG_COLOR_STYLES[color] ?? TAG_COLOR_STYLES.slate}`}>
      <span className="truncate">{name}</span>
      {onRemove && (
        <button type="button" onClick={onRemove} aria-label={removeLabel ?? `Remove tag ${name}`} className="-mr-0.5 rounded-full px-0.5 leading-none opacity-70 hover:opacity-100">
          ×
        </button>
      )}
    </span>
  );
}

export function StatusBadge({ status }: { status: LeadStatus }) {
  return statusBadge(status);
}

/** StatusBadge's element, for a list that draws one per row without a component each. */
export function statusBadge(status: LeadStatus) {
  return <span className={`pill whitespace-nowrap ${STATUS_STYLES[status]}`}>{STATUS_LABELS[status]}</span>;
}

/** One element, shared by every row that shows it. */
export const contactablePill = (
  <span className="pill gap-1 whitespace-nowrap bg-emerald-100 text-emerald-800" title="Has a textable phone">
    <span className="size-1.5 rounded-full bg-emerald-500" aria-hidden />
    Contactable
  </span>
);

export function ContactablePill() {
  return contactablePill;
}

/** A date (no time) in the viewer's locale; a stable UTC day during server rendering. */
export function DateText({ value }: { value: Date }) {
  const hydrated = useHydrated();
  return dateText(value, hydrated);
}

const DAY: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };

/**
 * DateText's element for a caller that already knows whether the page is hydrated: the leads list
 * asks once for its hundred dates instead of each date subscribing on its own.
 */
export function dateText(value: Date, hydrated: boolean) {
  const iso = value.toISOString();
  return (
    <time dateTime={iso} title={hydrated ? value.toLocaleString() : undefined}>
      {hydrated ? value.toLocaleDateString(undefined, DAY) : iso.slice(0, 10)}
    </time>
  );
}

/**
 * "3 min ago" for something that already happened. The shared clock ticks every 15 s, so an
 * event from a moment ago can look like the future; that reads as "just now".
 */
export function Ago({ value }: { value: Date }) {
  const now = useNow();
  const iso = value.toISOString();
  if (now === null) return <time dateTime={iso}>{iso.slice(0, 16).replace("T", " ")} UTC</time>;
  return (
    <time dateTime={iso} title={value.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}>
      {formatRelative(value, Math.max(now, value.getTime()))}
    </time>
  );
}
