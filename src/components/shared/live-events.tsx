"use client";

import { createContext, useContext, useEffect, useRef, useState } from "react";
import { api } from "@/trpc/react";

type LiveTopic = "inbox" | "campaign" | "job" | "notification";
/** `resync`: events were missed for good (the stream was away over a day); refetch what is shown. */
export type LiveEvent = {
  topic: LiveTopic | "resync";
  subjectId: string | null;
  data: Record<string, unknown>;
};
type Handler = (event: LiveEvent) => void;

type LiveEvents = { listen: (handler: Handler) => () => void; connected: boolean };

const LiveEventsContext = createContext<LiveEvents | null>(null);

/**
 * The tab's one live-event stream (one SSE connection however many parts of the page listen),
 * shared through context. The server resumes it after the last event id on a reconnect.
 */
export function LiveEventsProvider({ children }: { children: React.ReactNode }) {
  const handlers = useRef(new Set<Handler>());
  const [value] = useState<Omit<LiveEvents, "connected">>(() => ({
    listen: (handler) => {
      handlers.current.add(handler);
      return () => void handlers.current.delete(handler);
    },
  }));
  const subscription = api.realtime.events.useSubscription(
    {},
    {
      onData: (tracked) => {
        for (const handler of handlers.current) handler(tracked.data as LiveEvent);
      },
    },
  );
  const connected = subscription.status === "pending";
  return (
    <LiveEventsContext.Provider value={{ ...value, connected }}>
      <span hidden data-testid="live-events" data-state={subscription.status} />
      {children}
    </LiveEventsContext.Provider>
  );
}

/** Whether the live stream is connected (false outside the provider). */
export function useLiveConnected(): boolean {
  return useContext(LiveEventsContext)?.connected ?? false;
}

/** Calls `handler` for each live event of `topic` (of `subjectId`, when given). */
export function useLiveEvent(
  topic: LiveTopic,
  handler: (event: LiveEvent) => void,
  subjectId?: string | null,
) {
  const live = useContext(LiveEventsContext);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!live) return;
    return live.listen((event) => {
      if (event.topic === "resync") latest.current(event);
      else if (
        event.topic === topic &&
        (subjectId === undefined || subjectId === null || event.subjectId === subjectId)
      )
        latest.current(event);
    });
  }, [live, topic, subjectId]);
}

/** After the last event of a burst, one more refresh this much later: the server raises progress events at most once a second. */
const TRAILING_REFRESH_MS = 1_500;

/**
 * Runs `refresh` when a live event of `topic` (and `subjectId`) arrives: at once, and once more
 * after the burst ends (throttled progress events may have skipped the last change). Replaces polling.
 */
export function useLiveRefresh(
  topic: LiveTopic,
  refresh: () => unknown,
  subjectId?: string | null,
) {
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
      if (now - lastRun.current > 250) {
        lastRun.current = now;
        void refresh();
      }
      if (trailing.current) clearTimeout(trailing.current);
      trailing.current = setTimeout(() => {
        lastRun.current = Date.now();
        void refresh();
      }, TRAILING_REFRESH_MS);
    },
    subjectId,
  );
}
