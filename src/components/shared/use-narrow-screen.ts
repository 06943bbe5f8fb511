"use client";

import { useSyncExternalStore } from "react";

/** Below Tailwind's `md` breakpoint (768 px): a phone held upright. */
const NARROW = "(max-width: 767.98px)";

function subscribe(onChange: () => void) {
  const query = window.matchMedia(NARROW);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/**
 * True on a narrow screen. For a component that must render one layout or the other, not both
 * hidden by CSS (e.g. a lead list as cards or as a table: both in the page would repeat every
 * address). The server and the first client render assume a wide screen; a phone switches right
 * after hydration.
 */
export function useNarrowScreen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(NARROW).matches,
    () => false,
  );
}
