"use client";

import { useHydrated } from "@/components/shared/time";
import { formatInZone, zoneLabel } from "./zoned-time";

/**
 * An instant on the organization's clock ("Dec 1, 2026, 9:30 AM EST"), with the viewer's own
 * time in the tooltip. Formatted after hydration (ICU output differs between Node and browsers).
 */
export function TimeInZone({ value, zone, withDate = true }: { value: Date; zone: string; withDate?: boolean }) {
  const hydrated = useHydrated();
  const iso = value.toISOString();
  if (!hydrated) return <time dateTime={iso}>{iso.slice(0, 16).replace("T", " ")} UTC</time>;
  return (
    <time dateTime={iso} title={`Your time: ${value.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}`}>
      {formatInZone(value, zone, { withDate })}
    </time>
  );
}

/** "America/New York (EST)" once hydrated; the zone's name alone before (the abbreviation is ICU's). */
export function useZoneLabel(zone: string): string {
  const hydrated = useHydrated();
  return hydrated ? zoneLabel(zone) : zone.replace(/_/g, " ");
}
