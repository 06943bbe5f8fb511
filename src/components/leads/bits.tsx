"use client";

import { formatRelative } from "@/components/shared/format";
import { useHydrated, useNow } from "@/components/shared/time";
import { cn } from "@/components/ui/cn";
import { STATUS_LABELS, STATUS_STYLES, TAG_COLOR_STYLES, type LeadStatus } from "./labels";

export function TagChip({ name, color, onRemove, removeLabel }: { name: string; color: string; onRemove?: () => void; removeLabel?: string }) {
  return (
    <span className={cn("inline-flex max-w-40 items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", TAG_COLOR_STYLES[color] ?? TAG_COLOR_STYLES.slate)}>
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
  return <span className={cn("inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium", STATUS_STYLES[status])}>{STATUS_LABELS[status]}</span>;
}

export function ContactablePill() {
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800" title="Has a textable phone">
      <span className="size-1.5 rounded-full bg-emerald-500" aria-hidden />
      Contactable
    </span>
  );
}

/** A date (no time) in the viewer's locale; a stable UTC day during server rendering. */
export function DateText({ value }: { value: Date }) {
  const hydrated = useHydrated();
  const iso = value.toISOString();
  return (
    <time dateTime={iso} title={hydrated ? value.toLocaleString() : undefined}>
      {hydrated ? value.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }) : iso.slice(0, 10)}
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
