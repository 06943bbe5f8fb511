"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { STATUS_LABELS, TEMPERATURE_LABELS, TEMPERATURES, type Temperature } from "@/components/leads/labels";
import { formatPhone } from "@/components/shared/format";
import { useLiveRefresh } from "@/components/shared/live-events";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { api, type RouterInputs, type RouterOutputs } from "@/trpc/react";
import { ThreadPane } from "./thread-pane";

type Filters = NonNullable<RouterInputs["inbox"]["threads"]["filters"]>;
type ThreadSummary = RouterOutputs["inbox"]["threads"]["items"][number];

const PAGE_SIZE = 30;
const SEARCH_DEBOUNCE_MS = 300;

const TOGGLES: { key: "unread" | "needsReply" | "assignedToMe" | "optedOut" | "archived"; label: string }[] = [
  { key: "unread", label: "Unread" },
  { key: "needsReply", label: "Needs reply" },
  { key: "assignedToMe", label: "Assigned to me" },
  { key: "optedOut", label: "Opted out" },
  { key: "archived", label: "Archived" },
];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Typing in a field (or a select) keeps its keys: j/k and Enter are the list's only elsewhere. */
const isTypingTarget = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

/** The organization's inbox: threads (filters, search, keyboard) beside the open conversation. */
export function InboxView({ initialThreadId, userId }: { initialThreadId: string | null; userId: string }) {
  const [filters, setFilters] = useState<Filters>({});
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const [openId, setOpenId] = useState<string | null>(initialThreadId);
  const [cursorId, setCursorId] = useState<string | null>(initialThreadId);
  const listRef = useRef<HTMLUListElement>(null);

  const threads = api.inbox.threads.useInfiniteQuery(
    { filters, q: q || undefined, limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData },
  );
  useLiveRefresh("inbox", () => threads.refetch());
  const campaigns = api.campaigns.list.useQuery(undefined, { staleTime: 60_000 });
  const items = useMemo(() => threads.data?.pages.flatMap((page) => page.items) ?? [], [threads.data]);

  const open = useCallback((id: string | null) => {
    setOpenId(id);
    if (id) setCursorId(id);
    const url = new URL(window.location.href);
    if (id) url.searchParams.set("thread", id);
    else url.searchParams.delete("thread");
    window.history.replaceState(null, "", url);
  }, []);

  // j/k or the arrows move through the list, Enter opens, Escape goes back to the list.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTypingTarget(event.target)) return;
      const at = items.findIndex((t) => t.id === cursorId);
      let next: ThreadSummary | undefined;
      if (event.key === "j" || event.key === "ArrowDown") next = items[Math.min(items.length - 1, at + 1)];
      else if (event.key === "k" || event.key === "ArrowUp") next = items[Math.max(0, at - 1)];
      else if (event.key === "Enter" && cursorId) {
        event.preventDefault();
        open(cursorId);
        return;
      } else if (event.key === "Escape" && openId) {
        open(null);
        return;
      } else return;
      event.preventDefault();
      if (!next) return;
      setCursorId(next.id);
      listRef.current?.querySelector<HTMLElement>(`[data-thread-id="${next.id}"]`)?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, cursorId, openId, open]);

  const toggle = (key: (typeof TOGGLES)[number]["key"]) =>
    setFilters((current) => {
      const next = { ...current };
      if (next[key]) delete next[key];
      else next[key] = true;
      return next;
    });

  return (
    <div className="grid gap-4 md:grid-cols-[minmax(18rem,26rem)_1fr]">
      <section aria-label="Conversations" className={cn("min-w-0 space-y-3", openId && "hidden md:block")}>
        <div className="space-y-2">
          <label htmlFor="inbox-search" className="sr-only">
            Search conversations
          </label>
          <input
            id="inbox-search"
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Search name, address, phone or text…"
            maxLength={100}
            className={inputClass}
          />
          <div className="flex flex-wrap gap-1" role="group" aria-label="Filters">
            {TOGGLES.map((toggleItem) => (
              <button
                key={toggleItem.key}
                type="button"
                aria-pressed={Boolean(filters[toggleItem.key])}
                onClick={() => toggle(toggleItem.key)}
                className={cn(
                  "rounded-full px-2.5 py-1 text-xs font-medium ring-1",
                  filters[toggleItem.key] ? "bg-brand-50 text-brand-800 ring-brand-300" : "bg-white text-slate-600 ring-slate-200 hover:bg-slate-50",
                )}
              >
                {toggleItem.label}
              </button>
            ))}
          </div>
          <div className="flex flex-wrap gap-2">
            <label className="sr-only" htmlFor="inbox-temperature">
              Temperature
            </label>
            <select
              id="inbox-temperature"
              value={filters.temperature?.[0] ?? ""}
              onChange={(event) => setFilters((current) => ({ ...current, temperature: event.target.value ? [event.target.value as Temperature] : undefined }))}
              className={cn(inputClass, "w-auto py-1 text-xs")}
            >
              <option value="">Any temperature</option>
              {TEMPERATURES.map((t) => (
                <option key={t} value={t}>
                  {TEMPERATURE_LABELS[t]}
                </option>
              ))}
            </select>
            <label className="sr-only" htmlFor="inbox-campaign">
              Campaign
            </label>
            <select
              id="inbox-campaign"
              value={filters.campaignId ?? ""}
              onChange={(event) => setFilters((current) => ({ ...current, campaignId: event.target.value || undefined }))}
              className={cn(inputClass, "w-auto max-w-48 py-1 text-xs")}
            >
              <option value="">Any campaign</option>
              {campaigns.data?.map((campaign) => (
                <option key={campaign.id} value={campaign.id}>
                  {campaign.name}
                </option>
              ))}
            </select>
          </div>
        </div>

        {threads.isPending ? (
          <div className="space-y-2" aria-busy="true">
            {Array.from({ length: 6 }, (_, i) => (
              <Skeleton key={i} className="h-16 w-full" />
            ))}
          </div>
        ) : threads.isError ? (
          <Alert tone="error">
            {describeError(threads.error).message}{" "}
            <button type="button" className="font-medium underline" onClick={() => void threads.refetch()}>
              Try again
            </button>
          </Alert>
        ) : items.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-8 text-center text-sm text-slate-500" data-testid="inbox-empty">
            {q || Object.keys(filters).length > 0 ? "No conversations match." : "No conversations yet. Replies to your texts and campaigns show up here."}
          </p>
        ) : (
          <>
            <ul ref={listRef} className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white" data-testid="inbox-threads">
              {items.map((thread) => (
                <ThreadRow key={thread.id} thread={thread} active={thread.id === openId} current={thread.id === cursorId} onOpen={() => open(thread.id)} />
              ))}
            </ul>
            {threads.hasNextPage && (
              <Button variant="secondary" size="sm" className="w-full" pending={threads.isFetchingNextPage} onClick={() => void threads.fetchNextPage()}>
                Load more
              </Button>
            )}
          </>
        )}
        <p className="hidden text-xs text-slate-400 md:block">j / k or ↑ / ↓ to move · Enter to open · Esc to close</p>
      </section>

      <section aria-label="Conversation" className={cn("min-w-0", !openId && "hidden md:block")}>
        {openId ? (
          <ThreadPane key={openId} threadId={openId} userId={userId} onClose={() => open(null)} />
        ) : (
          <p className="rounded-lg border border-dashed border-slate-300 px-3 py-16 text-center text-sm text-slate-500">Open a conversation to read and reply.</p>
        )}
      </section>
    </div>
  );
}

function ThreadRow({ thread, active, current, onOpen }: { thread: ThreadSummary; active: boolean; current: boolean; onOpen: () => void }) {
  const unread = thread.unreadCount > 0;
  return (
    <li>
      <button
        type="button"
        data-thread-id={thread.id}
        data-testid="inbox-thread"
        data-unread={thread.unreadCount}
        aria-current={active ? "true" : undefined}
        onClick={onOpen}
        className={cn(
          "block w-full px-3 py-2.5 text-left focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500",
          active ? "bg-brand-50" : current ? "bg-slate-50" : "hover:bg-slate-50",
        )}
      >
        <div className="flex items-center gap-2">
          <span className={cn("min-w-0 flex-1 truncate text-sm", unread ? "font-semibold text-slate-900" : "text-slate-700")}>
            {thread.ownerName ?? formatPhone(thread.phone)}
          </span>
          <span className="shrink-0 text-xs text-slate-500">
            <Time value={thread.lastMessageAt} relative />
          </span>
          {unread && (
            <span className="inline-flex min-w-5 items-center justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white" aria-label={`${thread.unreadCount} unread`}>
              {thread.unreadCount}
            </span>
          )}
        </div>
        <p className="truncate text-xs text-slate-500">{thread.address ? `${thread.address} · ${formatPhone(thread.phone)}` : formatPhone(thread.phone)}</p>
        <p className={cn("mt-0.5 truncate text-sm", unread ? "text-slate-800" : "text-slate-500")}>
          {thread.lastDirection === "outbound" && <span className="text-slate-400">You: </span>}
          {thread.lastMessagePreview}
        </p>
        <div className="mt-1 flex flex-wrap gap-1 empty:hidden">
          {thread.optedOut && <Badge tone="red">Opted out</Badge>}
          {thread.lastDirection === "inbound" && !thread.optedOut && <Badge tone="amber">Needs reply</Badge>}
          {thread.leadStatus && <Badge>{STATUS_LABELS[thread.leadStatus]}</Badge>}
          {thread.assignedUser && <Badge tone="blue">{thread.assignedUser.name ?? "Assigned"}</Badge>}
          {thread.archived && <Badge>Archived</Badge>}
        </div>
      </button>
    </li>
  );
}
