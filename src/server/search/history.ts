import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { log } from "../log";

/**
 * Search history for answers served from the cache, written off the request path: a cached hit
 * (no provider call, nothing charged) queues its SearchRun row here and the queue is inserted in
 * one statement a moment later (FLUSH_AFTER_MS, or at once when BATCH_ROWS are waiting). Each row
 * keeps its own id and time, so the history and the admin's cache-hit counts are the same as
 * when every hit wrote its row — only up to FLUSH_AFTER_MS later, and a crash in that moment
 * loses those hits' history (never a charge: paid searches still write theirs on the request).
 */
export const FLUSH_AFTER_MS = 1000;
const BATCH_ROWS = 500;

const state: { pending: Prisma.SearchRunCreateManyInput[]; timer: NodeJS.Timeout | null; flushing: Promise<void> } = {
  pending: [],
  timer: null,
  flushing: Promise.resolve(),
};

/**
 * Queues a history row (its id and createdAt set by the caller); returns at once. The row is
 * written by the process's own client, like a log line, never by the request's.
 */
export function recordSearchRunLater(row: Prisma.SearchRunCreateManyInput & { id: string; createdAt: Date }): void {
  state.pending.push(row);
  if (state.pending.length >= BATCH_ROWS) void flushSearchHistory();
  else state.timer ??= setTimeout(() => void flushSearchHistory(), FLUSH_AFTER_MS).unref();
}

/** Inserts every queued row now (tests, shutdown); resolves when they are written. */
export function flushSearchHistory(): Promise<void> {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  const rows = state.pending.splice(0);
  if (rows.length === 0) return state.flushing;
  state.flushing = state.flushing.then(() =>
    // One statement; a failure (say, an organization deleted meanwhile) is logged, not retried.
    db.searchRun.createMany({ data: rows, skipDuplicates: true }).then(
      () => undefined,
      (error: unknown) => log.warn({ err: error, rows: rows.length }, "could not record cached searches in the history"),
    ),
  );
  return state.flushing;
}
