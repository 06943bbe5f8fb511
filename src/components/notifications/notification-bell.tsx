"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { useLiveRefresh } from "@/components/shared/live-events";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { cn } from "@/components/ui/cn";
import { api } from "@/trpc/react";

const PAGE = 15;

/**
 * The bell in the signed-in header: a live unread badge (the "notification" live event refreshes
 * it, no polling) and a panel of the latest notifications. Opening the panel marks what it shows
 * read (new ones stay highlighted while it is open). Escape or a click outside closes it and focus
 * returns to the bell.
 */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  const utils = api.useUtils();
  const unread = api.notifications.unreadCount.useQuery(undefined, { refetchOnWindowFocus: true });
  const list = api.notifications.list.useInfiniteQuery({ limit: PAGE }, { enabled: open, getNextPageParam: (page) => page.nextCursor ?? undefined });
  const markRead = api.notifications.markRead.useMutation({
    // Highlighted as new until the panel closes, though read now.
    onMutate: ({ ids }) => setFresh((current) => new Set([...current, ...ids])),
    onSettled: () => utils.notifications.unreadCount.invalidate(),
  });
  const requested = useRef(new Set<string>());
  const markAll = api.notifications.markAllRead.useMutation({
    onSettled: () => Promise.all([utils.notifications.unreadCount.invalidate(), utils.notifications.list.invalidate()]),
  });

  useLiveRefresh("notification", () => {
    void unread.refetch();
    if (open) void list.refetch();
  });

  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const count = unread.data?.count ?? 0;

  // What the open panel shows unread is marked read (once per id), and stays highlighted until it closes.
  const unreadShown = open ? items.filter((n) => n.readAt === null && !fresh.has(n.id)).map((n) => n.id) : [];
  const unreadKey = unreadShown.join(",");
  useEffect(() => {
    const ids = unreadKey ? unreadKey.split(",").filter((id) => !requested.current.has(id)) : [];
    if (ids.length === 0) return;
    for (const id of ids) requested.current.add(id);
    markRead.mutate({ ids });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per newly shown set of ids
  }, [unreadKey]);

  const close = (returnFocus: boolean) => {
    setOpen(false);
    setFresh(new Set());
    requested.current = new Set();
    void utils.notifications.list.invalidate();
    if (returnFocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close(true);
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (wrapper.current && !wrapper.current.contains(event.target as Node)) close(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- bound while open
  }, [open]);

  const label = count > 0 ? `Notifications, ${count} unread` : "Notifications";

  return (
    <div ref={wrapper} className="relative">
      <button
        ref={button}
        type="button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="notification-bell"
        onClick={() => (open ? close(false) : setOpen(true))}
        className="relative flex size-9 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" className="size-5">
          <path strokeLinecap="round" strokeLinejoin="round" d="M14.857 17.082a23.85 23.85 0 0 0 5.454-1.31A8.967 8.967 0 0 1 18 9.75V9A6 6 0 0 0 6 9v.75a8.967 8.967 0 0 1-2.312 6.022c1.733.64 3.56 1.085 5.455 1.31m5.714 0a24.255 24.255 0 0 1-5.714 0m5.714 0a3 3 0 1 1-5.714 0" />
        </svg>
        {count > 0 && (
          <span
            data-testid="notification-badge"
            className="absolute -right-0.5 -top-0.5 min-w-[1.1rem] rounded-full bg-red-600 px-1 text-center text-[0.65rem] font-semibold leading-[1.1rem] text-white"
          >
            {count > 99 ? "99+" : count}
          </span>
        )}
      </button>
      <span className="sr-only" aria-live="polite">
        {count > 0 ? `${count} unread notification${count === 1 ? "" : "s"}` : ""}
      </span>
      {open && (
        <div
          ref={panel}
          id={panelId}
          role="dialog"
          aria-label="Notifications"
          tabIndex={-1}
          data-testid="notification-panel"
          className="absolute right-0 z-30 mt-2 w-[22rem] max-w-[calc(100vw-2rem)] rounded-md border border-slate-200 bg-white shadow-lg focus:outline-none"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
            <h2 className="text-sm font-semibold">Notifications</h2>
            <div className="flex items-center gap-3 text-xs">
              <button
                type="button"
                className="font-medium text-brand-700 hover:underline disabled:text-slate-400 disabled:no-underline"
                disabled={markAll.isPending || (count === 0 && items.every((n) => n.readAt !== null || fresh.has(n.id)))}
                onClick={() => markAll.mutate()}
              >
                Mark all read
              </button>
              <Link href="/settings/notifications" className="text-slate-500 hover:underline" onClick={() => close(false)}>
                Settings
              </Link>
            </div>
          </div>
          <div className="max-h-[26rem] overflow-y-auto">
            {list.isPending ? (
              <p className="px-3 py-6 text-center text-sm text-slate-500">Loading…</p>
            ) : list.error ? (
              <p className="px-3 py-6 text-center text-sm text-red-700">{describeError(list.error).message}</p>
            ) : items.length === 0 ? (
              <p className="px-3 py-6 text-center text-sm text-slate-500">Nothing yet. Replies to your leads, finished jobs and budget alerts show up here.</p>
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="notification-list">
                {items.map((n) => {
                  const isNew = n.readAt === null || fresh.has(n.id);
                  const content = (
                    <>
                      <span className="flex items-start gap-2">
                        {isNew && <span aria-hidden="true" className="mt-1.5 size-2 shrink-0 rounded-full bg-brand-600" />}
                        <span className="min-w-0 flex-1">
                          <span className="block text-sm font-medium text-slate-900">
                            {isNew && <span className="sr-only">New: </span>}
                            {n.title}
                          </span>
                          <span className="block break-words text-sm text-slate-600">{n.body}</span>
                          <span className="block text-xs text-slate-400">
                            <Time value={n.createdAt} relative />
                          </span>
                        </span>
                      </span>
                    </>
                  );
                  const rowClass = cn("block w-full px-3 py-2 text-left", isNew ? "bg-brand-50/60" : "", "hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-none");
                  return (
                    <li key={n.id} data-testid="notification-item" data-kind={n.kind}>
                      {n.link ? (
                        <Link href={n.link} className={rowClass} onClick={() => close(false)}>
                          {content}
                        </Link>
                      ) : (
                        <div className={rowClass}>{content}</div>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
            {list.hasNextPage && (
              <button
                type="button"
                className="w-full border-t border-slate-100 px-3 py-2 text-sm font-medium text-brand-700 hover:bg-slate-50"
                disabled={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                {list.isFetchingNextPage ? "Loading…" : "Show older"}
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
