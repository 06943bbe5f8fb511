"use client";

import { useSyncExternalStore } from "react";
import { formatRelative } from "./format";

const noopSubscribe = () => () => {};

/**
 * False during server rendering and hydration, true afterwards. Dates are formatted in the
 * viewer's locale and time zone, which the server cannot know; rendering them only on the
 * client avoids hydration mismatches.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
}

// A shared clock that ticks every 15 s while something shows relative times.
const TICK_MS = 15_000;
let clock = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribeClock(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    clock = Date.now();
    timer = setInterval(() => {
      clock = Date.now();
      listeners.forEach((notify) => notify());
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function readClock() {
  if (clock === 0) clock = Date.now();
  return clock;
}

/** The current time (to 15 s), or null during server rendering and hydration. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribeClock, readClock, () => null);
}

const FULL: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };

/** A point in time in the viewer's time zone; `relative` adds "3 min ago". */
export function Time({ value, relative = false, timeOnly = false }: { value: Date; relative?: boolean; timeOnly?: boolean }) {
  const now = useNow();
  const iso = value.toISOString();
  if (now === null) {
    return <time dateTime={iso}>{iso.slice(0, 16).replace("T", " ")} UTC</time>;
  }
  const full = value.toLocaleString(undefined, FULL);
  return (
    <time dateTime={iso} title={full}>
      {relative ? formatRelative(value, now) : timeOnly ? value.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit", second: "2-digit" }) : full}
    </time>
  );
}
