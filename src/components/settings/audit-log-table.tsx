"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, Skeleton } from "@/components/ui/card";
import { api } from "@/trpc/react";

export function AuditLogTable() {
  const query = api.audit.list.useInfiniteQuery({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor });
  if (query.isPending) {
    return (
      <Card>
        <div className="space-y-2">{Array.from({ length: 5 }, (_, i) => <Skeleton key={i} className="h-6 w-full" />)}</div>
      </Card>
    );
  }
  if (query.isError) return <Alert tone="error">{query.error.message}</Alert>;
  const entries = query.data.pages.flatMap((page) => page.entries);
  return (
    <Card>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing has been recorded yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-4 font-medium">When</th>
                <th className="py-2 pr-4 font-medium">Who</th>
                <th className="py-2 pr-4 font-medium">Action</th>
                <th className="py-2 pr-4 font-medium">Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className="whitespace-nowrap py-2 pr-4 text-slate-500">{entry.createdAt.toLocaleString()}</td>
                  <td className="py-2 pr-4">{entry.actor ?? "system"}</td>
                  <td className="py-2 pr-4 font-mono text-xs">{entry.action}</td>
                  <td className="max-w-md truncate py-2 pr-4 font-mono text-xs text-slate-500" title={entry.details ? JSON.stringify(entry.details) : undefined}>
                    {entry.details ? JSON.stringify(entry.details) : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <div className="mt-4">
          <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>Load more</Button>
        </div>
      )}
    </Card>
  );
}
