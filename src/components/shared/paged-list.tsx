"use client";

import type { ReactNode } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/card";

/** What PagedList reads of an infinite query (useInfiniteQuery's result). */
export type PagedQuery = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  isFetching: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  refetch: () => unknown;
  fetchNextPage: () => unknown;
};

/**
 * The states of a paged list: skeleton rows while the first page loads, a readable error with
 * "Try again" when nothing could be loaded, the empty message, else the rows with "Load more" (a
 * later page's error is shown above the rows already there).
 */
export function PagedList({ list, count, what, empty, emptyTestId, loading, children }: {
  list: PagedQuery;
  /** Rows loaded so far. */
  count: number;
  /** "the consent log": in "Loading …" and "Couldn't load …". */
  what: string;
  empty: ReactNode;
  emptyTestId: string;
  /** Shown while the first page loads instead of the skeleton rows (a table-shaped skeleton). */
  loading?: ReactNode;
  children: ReactNode;
}) {
  if (list.isPending) {
    if (loading) return loading;
    return (
      <div className="space-y-2" role="status" aria-label={`Loading ${what}`}>
        {Array.from({ length: 5 }, (_, i) => <Skeleton key={i} className="h-6 w-full" />)}
      </div>
    );
  }
  if (list.isError && count === 0) {
    return (
      <Alert tone="error">
        <p>Couldn&apos;t load {what}: {describeError(list.error).message}</p>
        <Button size="sm" variant="secondary" className="mt-2" onClick={() => list.refetch()}>Try again</Button>
      </Alert>
    );
  }
  if (count === 0) {
    return <p className="py-6 text-center text-sm text-slate-500" data-testid={emptyTestId}>{empty}</p>;
  }
  return (
    <div aria-busy={list.isFetching || undefined}>
      {list.isError && <Alert tone="error" className="mb-3">{describeError(list.error).message}</Alert>}
      {children}
      {list.hasNextPage && (
        <div className="mt-4">
          <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>Load more</Button>
        </div>
      )}
    </div>
  );
}
