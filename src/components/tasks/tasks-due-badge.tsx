"use client";

import { api } from "@/trpc/react";

/** The nav's count of the viewer's tasks that are overdue or due today (red when any is overdue). */
export function TasksDueBadge() {
  const count = api.tasks.myCount.useQuery(undefined, { staleTime: 30_000, refetchInterval: 60_000 });
  const overdue = count.data?.overdue ?? 0;
  const total = overdue + (count.data?.dueToday ?? 0);
  if (total === 0) return <span hidden data-testid="tasks-due-badge" data-count="0" />;
  return (
    <span
      data-testid="tasks-due-badge"
      data-count={total}
      title={`${overdue} overdue, ${total - overdue} due today`}
      aria-label={`${total} task${total === 1 ? "" : "s"} due${overdue > 0 ? `, ${overdue} overdue` : ""}`}
      className={`ml-auto inline-flex min-w-5 items-center justify-center rounded-full px-1.5 text-xs font-semibold text-white tabular-nums ${overdue > 0 ? "bg-red-600" : "bg-amber-500"}`}
    >
      {total > 99 ? "99+" : total}
    </span>
  );
}
