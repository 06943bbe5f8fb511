"use client";

import { useLiveRefresh } from "@/components/shared/live-events";
import { api } from "@/trpc/react";

/** The nav's count of threads with unread replies, kept live by the inbox events. */
export function InboxUnreadBadge() {
  const unread = api.inbox.unreadCount.useQuery(undefined, { staleTime: 30_000 });
  useLiveRefresh("inbox", () => unread.refetch());
  const count = unread.data?.threads ?? 0;
  if (count === 0) return <span hidden data-testid="inbox-unread-badge" data-count="0" />;
  return (
    <span
      data-testid="inbox-unread-badge"
      data-count={count}
      aria-label={`${count} unread conversation${count === 1 ? "" : "s"}`}
      className="ml-auto inline-flex min-w-5 items-center justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white tabular-nums"
    >
      {count > 99 ? "99+" : count}
    </span>
  );
}
