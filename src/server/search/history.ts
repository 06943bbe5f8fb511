import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { db, querySql } from "../db";
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

type PendingRun = Prisma.SearchRunCreateManyInput & { id: string; createdAt: Date };

const state: { pending: PendingRun[]; timer: NodeJS.Timeout | null; flushing: Promise<void> } = {
  pending: [],
  timer: null,
  flushing: Promise.resolve(),
};

/**
 * Queues a history row (its id and createdAt set by the caller); returns at once. The row is
 * written by the process's own client, like a log line, never by the request's.
 */
export function recordSearchRunLater(row: PendingRun): void {
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
    insertRuns(rows).then(
      () => undefined,
      (error: unknown) => log.warn({ err: error, rows: rows.length }, "could not record cached searches in the history"),
    ),
  );
  return state.flushing;
}

/**
 * The rows in one INSERT … SELECT FROM unnest on the pool: one array per column. Prisma's
 * createMany bound and serialized every cell in the app's process — hundreds of rows a second under
 * cached-search load, a pause the requests queued behind (a 10-connection p99 of ~150 ms).
 */
function insertRuns(rows: PendingRun[]) {
  const column = <T>(pick: (row: PendingRun) => T) => rows.map(pick);
  return querySql(
    db,
    Prisma.sql`INSERT INTO "SearchRun" ("id", "organizationId", "userId", "provider", "query", "page", "resultCount", "total", "costCents", "cacheHit", "requestId", "createdAt")
      SELECT t.id, t.org, t.usr, t.provider, t.query::jsonb, t.page, t.result_count, t.total, t.cost, t.hit, t.request_id, t.created_at AT TIME ZONE 'UTC'
      FROM unnest(
        ${column((r) => r.id)}::text[], ${column((r) => r.organizationId)}::text[], ${column((r) => r.userId ?? null)}::text[],
        ${column((r) => r.provider)}::text[], ${column((r) => JSON.stringify(r.query))}::text[], ${column((r) => r.page)}::int[],
        ${column((r) => r.resultCount)}::int[], ${column((r) => r.total)}::int[], ${column((r) => r.costCents)}::int[],
        ${column((r) => r.cacheHit)}::boolean[], ${column((r) => r.requestId ?? null)}::text[], ${column((r) => r.createdAt.toISOString())}::timestamptz[]
      ) AS t(id, org, usr, provider, query, page, result_count, total, cost, hit, request_id, created_at)
      ON CONFLICT ("id") DO NOTHING`,
  );
}
