"use client";

import { createContext, useContext, useEffect, useRef, useState } from "react";
import { api } from "@/trpc/react";

type LiveTopic = "inbox" | "campaign" | "job" | "notification";
/**
 * `resync`: events were missed for good (the stream was away over a day); refetch what is shown.
 * `cursor`: where the stream starts (what a reconnect resumes after); nothing to refresh.
 */
export type LiveEvent = { topic: LiveTopic | "resync" | "cursor"; subjectId: string | null; data: Record<string, unknown> };
type Handler = (event: LiveEvent) => void;

type LiveEvents = { listen: (handler: Handler) => () => void; connected: boolean };

const LiveEventsContext = createContext<LiveEvents | null>(null);

/**
 * The tab's one live-event stream (one SSE connection however many parts of the page listen),
 * shared through context. The server resumes it after the last event id on a reconnect.
 */
export function LiveEventsProvider({ children }: { children: React.ReactNode }) {
  const handlers = useRef(new Set<Handler>());
  const [listen] = useState(() => (handler: Handler) => {
    handlers.current.add(handler);
    return () => void handlers.current.delete(handler);
  });
  const subscription = api.realtime.events.useSubscription(
    {},
    {
      onData: (tracked) => {
        for (const handler of handlers.current) handler(tracked.data as LiveEvent);
      },
    },
  );
  // "pending": connected and waiting for events (tRPC's subscription states).
  const connected = subscription.status === "pending";
  return (
    <LiveEventsContext.Provider value={{ listen, connected }}>
      <span hidden data-testid="live-events" data-state={subscription.status} />
      {children}
    </LiveEventsContext.Provider>
  );
}

/** Whether the live stream is connected (false outside the provider). */
export function useLiveConnected(): boolean {
  return useContext(LiveEventsContext)?.connected ?? false;
}

/** Which events of a topic: those of one subject (its id), those a predicate accepts, or all. */
type EventMatch = string | ((event: LiveEvent) => boolean) | null | undefined;

/** Calls `handler` for each live event of `topic` that `match` accepts, and for a resync. */
export function useLiveEvent(topic: LiveTopic, handler: Handler, match?: EventMatch) {
  const live = useContext(LiveEventsContext);
  const latest = useRef({ handler, match });
  useEffect(() => {
    latest.current = { handler, match };
  });
  const listen = live?.listen;
  useEffect(() => {
    if (!listen) return;
    return listen((event) => {
      const { handler, match } = latest.current;
      if (event.topic === "resync") handler(event);
      else if (event.topic === topic && (match == null || (typeof match === "string" ? event.subjectId === match : match(event)))) handler(event);
    });
  }, [listen, topic]);
}

/** After the last event of a burst, one more refresh this much later: the server raises progress events at most once a second. */
const TRAILING_REFRESH_MS = 1_500;
/** Refreshes at most this often while events keep coming. */
const LEADING_REFRESH_MS = 250;

/**
 * Runs `refresh` when a live event of `topic` (that `match` accepts) arrives: at once, and once
 * more after the burst ends (throttled progress events may have skipped the last change). This is
 * what replaces polling.
 */
export function useLiveRefresh(topic: LiveTopic, refresh: () => unknown, match?: EventMatch) {
  const trailing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastRun = useRef(0);
  useEffect(
    () => () => {
      if (trailing.current) clearTimeout(trailing.current);
    },
    [],
  );
  useLiveEvent(
    topic,
    () => {
      const now = Date.now();
      if (now - lastRun.current > LEADING_REFRESH_MS) {
        lastRun.current = now;
        void refresh();
      }
      if (trailing.current) clearTimeout(trailing.current);
      trailing.current = setTimeout(() => {
        lastRun.current = Date.now();
        void refresh();
      }, TRAILING_REFRESH_MS);
    },
    match,
  );
}
