"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { STATUS_LABELS, TEMPERATURE_LABELS } from "@/components/leads/labels";
import { formatPhone } from "@/components/shared/format";
import { cn } from "@/components/ui/cn";
import { api } from "@/trpc/react";
import { navPages } from "./app-nav";

type Role = "admin" | "manager" | "user";
type Item = { key: string; group: "Leads" | "Conversations" | "Campaigns" | "Pages"; href: string; title: string; detail: string | null; hint?: string };

const GROUPS: Item["group"][] = ["Leads", "Conversations", "Campaigns", "Pages"];
const CAMPAIGN_STATUS: Record<string, string> = { draft: "Draft", scheduled: "Scheduled", running: "Running", paused: "Paused", halted: "Halted", completed: "Completed", cancelled: "Cancelled" };

/** Typing pauses this long before the server is asked. */
const DEBOUNCE_MS = 120;

/**
 * Global search (issue 13 item 5): ⌘K / Ctrl-K anywhere, or the header's search button. Leads by
 * phone (any format), address or owner; inbox threads; campaigns; and the pages of the nav the
 * viewer's role may open. Keyboard-first: the text box is an ARIA combobox driving a listbox by
 * aria-activedescendant (↑/↓, Home/End, Enter opens, Escape closes); it lives in a modal <dialog>,
 * so the page behind is inert, Tab stays inside, and focus returns to where it was.
 */
export function GlobalSearch({ role }: { role: Role }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const listId = useId();
  const statusId = useId();

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen((current) => {
          if (!current) returnFocus.current = document.activeElement as HTMLElement | null;
          return true;
        });
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      input.current?.focus();
    } else if (!open && element.open) {
      element.close();
      returnFocus.current?.focus?.();
    }
  }, [open]);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const results = api.globalSearch.query.useQuery({ q: query }, { enabled: open && query.length >= 2, placeholderData: keepPreviousData, staleTime: 10_000 });
  const data = query.length >= 2 ? results.data : undefined;

  const items = useMemo<Item[]>(() => {
    const list: Item[] = [];
    for (const lead of data?.leads ?? []) {
      list.push({
        key: `lead-${lead.id}`,
        group: "Leads",
        href: `/leads/${lead.id}`,
        title: `${lead.addressLine1}, ${lead.city}, ${lead.state} ${lead.zip}`,
        detail: [lead.ownerName ?? "Unknown owner", lead.matchedPhone ? formatPhone(lead.matchedPhone) : null, STATUS_LABELS[lead.status], TEMPERATURE_LABELS[lead.temperature], lead.textable ? "Textable" : null, lead.archived ? "Archived" : null]
          .filter(Boolean)
          .join(" · "),
      });
    }
    for (const thread of data?.conversations ?? []) {
      list.push({
        key: `thread-${thread.id}`,
        group: "Conversations",
        href: `/inbox?thread=${encodeURIComponent(thread.id)}`,
        title: thread.ownerName ? `${thread.ownerName} · ${formatPhone(thread.phone)}` : formatPhone(thread.phone),
        detail: [thread.address, thread.lastMessagePreview].filter(Boolean).join(" — ") || null,
      });
    }
    for (const campaign of data?.campaigns ?? []) {
      list.push({ key: `campaign-${campaign.id}`, group: "Campaigns", href: `/campaigns/${campaign.id}`, title: campaign.name, detail: CAMPAIGN_STATUS[campaign.status] ?? campaign.status });
    }
    const needle = text.trim().toLowerCase();
    const pages = navPages(role).filter((page) => !needle || page.label.toLowerCase().includes(needle) || (page.section?.toLowerCase().includes(needle) ?? false));
    for (const page of needle ? pages : pages.slice(0, 8)) {
      list.push({ key: `page-${page.href}`, group: "Pages", href: page.href, title: page.label, detail: page.section });
    }
    return list;
  }, [data, text, role]);

  const activeIndex = Math.min(active, Math.max(0, items.length - 1));
  const optionId = (index: number) => `${listId}-option-${index}`;

  useEffect(() => {
    if (!open) return;
    document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: "nearest" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeIndex, open]);

  function close() {
    setOpen(false);
    setText("");
    setQuery("");
    setActive(0);
  }

  function choose(item: Item | undefined) {
    if (!item) return;
    close();
    router.push(item.href);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive(items.length === 0 ? 0 : (activeIndex + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(items.length === 0 ? 0 : (activeIndex - 1 + items.length) % items.length);
    } else if (event.key === "Home" && event.ctrlKey) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === "End" && event.ctrlKey) {
      event.preventDefault();
      setActive(Math.max(0, items.length - 1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(items[activeIndex]);
    }
  }

  /** Tab and Shift+Tab cycle between the dialog's own controls (the text box and the close button). */
  function trapTab(event: React.KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== "Tab") return;
    const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>("input, button") ?? [])];
    if (focusable.length === 0) return;
    const index = focusable.indexOf(document.activeElement as HTMLElement);
    event.preventDefault();
    focusable[(index + (event.shiftKey ? -1 : 1) + focusable.length) % focusable.length]?.focus();
  }

  const searching = query !== text.trim() || (results.isFetching && query.length >= 2);
  const serverCount = items.filter((item) => item.group !== "Pages").length;
  const status =
    text.trim().length === 0
      ? "Type an address, owner, phone number, campaign or page."
      : searching
        ? "Searching…"
        : items.length === 0
          ? `Nothing matches “${text.trim()}”.`
          : `${items.length} ${items.length === 1 ? "result" : "results"}${text.trim().length < 2 && serverCount === 0 ? " (type 2 or more characters to search leads)" : ""}`;

  let index = -1;
  return (
    <>
      <button
        type="button"
        onClick={(event) => {
          returnFocus.current = event.currentTarget;
          setOpen(true);
        }}
        aria-haspopup="dialog"
        aria-keyshortcuts="Meta+K Control+K"
        aria-label="Search leads, conversations, campaigns and pages"
        data-testid="global-search-button"
        className="flex h-9 items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-2.5 text-sm text-slate-500 hover:bg-slate-100 hover:text-slate-700 md:w-72"
      >
        <svg aria-hidden viewBox="0 0 24 24" className="size-4 shrink-0" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
          <circle cx="11" cy="11" r="7" />
          <path d="M20 20l-3.5-3.5" />
        </svg>
        <span className="hidden md:inline">Search…</span>
        <kbd className="ml-auto hidden rounded border border-slate-200 bg-white px-1.5 font-sans text-xs text-slate-400 md:inline">⌘K</kbd>
      </button>
      <dialog
        ref={dialog}
        aria-label="Search"
        onCancel={(event) => {
          event.preventDefault();
          close();
        }}
        onClick={(event) => {
          if (event.target === event.currentTarget) close();
        }}
        onKeyDown={trapTab}
        className="mx-auto mt-[10vh] w-[min(40rem,calc(100vw-1.5rem))] max-w-none overflow-hidden rounded-lg bg-white p-0 shadow-2xl backdrop:bg-slate-900/40"
        data-testid="global-search"
      >
        {open && (
          <div className="flex max-h-[75vh] flex-col">
            <div className="flex items-center gap-2 border-b border-slate-200 px-3">
              <svg aria-hidden viewBox="0 0 24 24" className="size-5 shrink-0 text-slate-400" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
                <circle cx="11" cy="11" r="7" />
                <path d="M20 20l-3.5-3.5" />
              </svg>
              <input
                ref={input}
                type="text"
                role="combobox"
                aria-label="Search"
                aria-expanded={items.length > 0}
                aria-controls={listId}
                aria-autocomplete="list"
                aria-activedescendant={items.length > 0 ? optionId(activeIndex) : undefined}
                aria-describedby={statusId}
                autoComplete="off"
                spellCheck={false}
                maxLength={200}
                placeholder="Address, owner, phone, campaign or page"
                value={text}
                onChange={(event) => {
                  setText(event.target.value);
                  setActive(0);
                }}
                onKeyDown={onKeyDown}
                className="h-12 min-w-0 flex-1 border-0 bg-transparent text-base outline-none focus:outline-none"
              />
              <button type="button" onClick={close} className="rounded border border-slate-200 px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-50" aria-label="Close search">
                Esc
              </button>
            </div>
            <p id={statusId} className="px-4 pt-2 text-xs text-slate-500" aria-live="polite" data-testid="global-search-status">
              {status}
            </p>
            {results.error && <p className="px-4 pt-1 text-xs text-red-700">Search failed: {results.error.message}</p>}
            <div id={listId} role="listbox" aria-label="Results" className="overflow-y-auto overscroll-contain px-2 pb-2">
              {GROUPS.map((group) => {
                const members = items.filter((item) => item.group === group);
                if (members.length === 0) return null;
                const headingId = `${listId}-${group}`;
                return (
                  <div key={group} role="group" aria-labelledby={headingId} className="pt-2">
                    <div id={headingId} role="presentation" className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">
                      {group}
                    </div>
                    {members.map((item) => {
                      index += 1;
                      const mine = index;
                      const selected = mine === activeIndex;
                      return (
                        <div
                          key={item.key}
                          id={optionId(mine)}
                          role="option"
                          aria-selected={selected}
                          data-testid="global-search-option"
                          onMouseMove={() => setActive(mine)}
                          onClick={() => choose(item)}
                          className={cn("cursor-pointer rounded-md px-2 py-2", selected ? "bg-brand-50 text-brand-700" : "text-slate-800")}
                        >
                          <div className="truncate text-sm font-medium">{item.title}</div>
                          {item.detail && <div className="truncate text-xs text-slate-500">{item.detail}</div>}
                        </div>
                      );
                    })}
                  </div>
                );
              })}
            </div>
            <p className="hidden border-t border-slate-100 px-4 py-2 text-xs text-slate-400 sm:block">↑ ↓ to move · Enter to open · Esc to close</p>
          </div>
        )}
      </dialog>
    </>
  );
}
