/**
 * Pure state of the pipeline board: its columns, the URL filters, and the cache edits an
 * optimistic move makes (take the card out of one column, put it into another, adjust counts).
 * No React, no tRPC: everything here is unit-tested in pipeline-state.test.ts.
 */

import type { LeadStatus, Temperature } from "@/components/leads/labels";
import { canonicalTemperature } from "@/lib/scoring";

/** The board's columns, left to right: the pipeline, then the dead end. */
export const PIPELINE_STATUSES: readonly LeadStatus[] = ["new", "contacted", "replied", "interested", "negotiating", "under_contract", "closed", "dead"];
export type PipelineStatus = LeadStatus;
const TEMPERATURE_OPTIONS: readonly Temperature[] = ["COLD", "WARM", "HOT", "ON_FIRE"];

/** Cards per column page (the server allows up to 100). */
export const PAGE_SIZE = 50;
/** The board shows the most recently touched leads first; a moved lead jumps to the top. */
export const BOARD_SORT = { field: "updatedAt", direction: "desc" } as const;

export function isPipelineStatus(value: unknown): value is PipelineStatus {
  return typeof value === "string" && (PIPELINE_STATUSES as readonly string[]).includes(value);
}

// ───────────── URL filters ─────────────

export type BoardFilters = { q?: string; temperature?: Temperature[]; assigneeId?: string };

/** `?q=…&temperature=HOT,ON_FIRE&assignee=<user id|unassigned>`; unknown values are dropped. */
export function boardFiltersFromParams(params: URLSearchParams): BoardFilters {
  const filters: BoardFilters = {};
  const q = params.get("q")?.trim().slice(0, 200);
  if (q) filters.q = q;
  const temperature = (params.get("temperature") ?? "")
    .split(",")
    .map(canonicalTemperature)
    .filter((t): t is Temperature => (TEMPERATURE_OPTIONS as readonly string[]).includes(t));
  if (temperature.length > 0) filters.temperature = [...new Set(temperature)];
  const assignee = params.get("assignee")?.trim();
  if (assignee && assignee.length <= 64) filters.assigneeId = assignee;
  return filters;
}

/** The inverse of boardFiltersFromParams; other params (not ours) are kept. */
export function paramsWithBoardFilters(current: URLSearchParams, filters: BoardFilters): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const key of ["q", "temperature", "assignee"]) next.delete(key);
  if (filters.q?.trim()) next.set("q", filters.q.trim());
  if (filters.temperature?.length) next.set("temperature", filters.temperature.join(","));
  if (filters.assigneeId) next.set("assignee", filters.assigneeId);
  return next;
}

export function hasBoardFilters(filters: BoardFilters): boolean {
  return Boolean(filters.q || filters.temperature?.length || filters.assigneeId);
}

/** The leads.list input of one column (no cursor: the infinite query adds it). */
export function columnInput(filters: BoardFilters, status: PipelineStatus) {
  return { filters: { ...filters, status: [status] }, sort: BOARD_SORT, limit: PAGE_SIZE };
}

// ───────────── column caches ─────────────

/** The least a card needs for the cache edits; the real list item has much more. */
export type CardLike = { id: string; status: PipelineStatus; updatedAt: Date };
export type ColumnPage<T> = { items: T[]; nextCursor: string | null };
/** The shape of a react-query infinite query's data. */
export type ColumnData<T, P = unknown> = { pages: ColumnPage<T>[]; pageParams: P[] };
export type StatusCounts = { total: number; byStatus: Record<PipelineStatus, number> };

export function findCard<T extends CardLike, P>(data: ColumnData<T, P> | undefined, id: string): T | undefined {
  for (const page of data?.pages ?? []) {
    const card = page.items.find((item) => item.id === id);
    if (card) return card;
  }
  return undefined;
}

/** The column without the card; the same object when the card isn't loaded in it. */
export function removeCard<T extends CardLike, P>(data: ColumnData<T, P> | undefined, id: string): ColumnData<T, P> | undefined {
  if (!data || !findCard(data, id)) return data;
  return { ...data, pages: data.pages.map((page) => (page.items.some((item) => item.id === id) ? { ...page, items: page.items.filter((item) => item.id !== id) } : page)) };
}

/** Board order: updatedAt desc, the id (desc) breaking ties — the server's order. */
export function compareCards(a: CardLike, b: CardLike): number {
  const byTime = b.updatedAt.getTime() - a.updatedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The column with the card in its sorted place. A card that sorts after everything loaded while
 * more pages remain is left out: it belongs to a page not fetched yet, and "Load more" brings it.
 * A column that was never loaded (undefined, or no pages yet) is left as is: its fetch brings the card.
 */
export function insertCard<T extends CardLike, P>(data: ColumnData<T, P> | undefined, card: T): ColumnData<T, P> | undefined {
  if (!data) return data;
  const without = removeCard(data, card.id) ?? data;
  const pages = without.pages;
  for (let p = 0; p < pages.length; p++) {
    const page = pages[p]!;
    const index = page.items.findIndex((item) => compareCards(card, item) < 0);
    if (index !== -1) return withPage(without, p, { ...page, items: [...page.items.slice(0, index), card, ...page.items.slice(index)] });
  }
  const lastIndex = pages.length - 1;
  const last = pages[lastIndex];
  if (!last || last.nextCursor !== null) return without;
  return withPage(without, lastIndex, { ...last, items: [...last.items, card] });
}

function withPage<T, P>(data: ColumnData<T, P>, index: number, page: ColumnPage<T>): ColumnData<T, P> {
  return { ...data, pages: data.pages.map((p, i) => (i === index ? page : p)) };
}

/** Counts after one lead moved from one status to another (never below zero). */
export function adjustCounts<C extends StatusCounts>(counts: C | undefined, from: PipelineStatus, to: PipelineStatus): C | undefined {
  if (!counts || from === to) return counts;
  return {
    ...counts,
    byStatus: { ...counts.byStatus, [from]: Math.max(0, (counts.byStatus[from] ?? 0) - 1), [to]: (counts.byStatus[to] ?? 0) + 1 },
  };
}

/**
 * One optimistic move: the card leaves `from` and enters `to` on top (stamped `now`, as the
 * server bumps updatedAt). Returns the new caches and the card as it was, for the rollback.
 */
export function moveCard<T extends CardLike, P>(
  columns: { from: ColumnData<T, P> | undefined; to: ColumnData<T, P> | undefined },
  card: T,
  to: PipelineStatus,
  now: Date,
): { from: ColumnData<T, P> | undefined; to: ColumnData<T, P> | undefined; moved: T } {
  const moved = { ...card, status: to, updatedAt: now };
  return { from: removeCard(columns.from, card.id), to: insertCard(columns.to, moved), moved };
}

/**
 * Undo a failed move: take the optimistic card out of the destination and put the original back
 * in its old place in the source column.
 */
export function revertMove<T extends CardLike, P>(
  columns: { from: ColumnData<T, P> | undefined; to: ColumnData<T, P> | undefined },
  original: T,
): { from: ColumnData<T, P> | undefined; to: ColumnData<T, P> | undefined } {
  return { to: removeCard(columns.to, original.id), from: insertCard(columns.from, original) };
}

// ───────────── display ─────────────

/** "Jane Doe" → "JD", "jane@x.com" → "J". */
export function initials(name: string | null | undefined, email: string): string {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return (email.trim()[0] ?? "?").toUpperCase();
  const first = words[0]![0] ?? "";
  const last = words.length > 1 ? (words.at(-1)![0] ?? "") : "";
  return (first + last).toUpperCase();
}
