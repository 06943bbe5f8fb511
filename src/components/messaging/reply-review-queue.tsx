"use client";

import Link from "next/link";
import { useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { api, type RouterOutputs } from "@/trpc/react";

type ReviewItem = RouterOutputs["messaging"]["reviewQueue"]["items"][number];
type Tab = "open" | "resolved";

export function ReplyReviewQueue() {
  const [tab, setTab] = useState<Tab>("open");
  const queue = api.messaging.reviewQueue.useInfiniteQuery({ status: tab, limit: 25 }, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];
  const openCount = queue.data?.pages[0]?.openCount;

  return (
    <Card
      actions={
        <div role="tablist" aria-label="Queue" className="flex gap-1">
          {(["open", "resolved"] as const).map((value) => (
            <button
              key={value}
              type="button"
              role="tab"
              aria-selected={tab === value}
              onClick={() => setTab(value)}
              className={cn("rounded-md px-2.5 py-1 text-sm", tab === value ? "bg-brand-50 font-medium text-brand-800 ring-1 ring-brand-200" : "text-slate-600 hover:bg-slate-100")}
            >
              {value === "open" ? `To review${openCount !== undefined ? ` (${openCount})` : ""}` : "Resolved"}
            </button>
          ))}
        </div>
      }
      title={tab === "open" ? "Waiting for a person" : "Recently resolved"}
    >
      {queue.isPending ? (
        <div className="space-y-2">
          <Skeleton className="h-16 w-full" />
          <Skeleton className="h-16 w-full" />
        </div>
      ) : queue.isError ? (
        <Alert tone="error">{describeError(queue.error).message}</Alert>
      ) : items.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-500" data-testid="review-empty">
          {tab === "open" ? "Nothing to review: every reply so far was clear enough for the rules." : "Nothing resolved yet."}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label={tab === "open" ? "Replies to review" : "Resolved replies"}>
          {items.map((item) => (
            <ReviewRow key={item.id} item={item} />
          ))}
        </ul>
      )}
      {queue.hasNextPage && (
        <div className="pt-3 text-center">
          <Button variant="secondary" size="sm" pending={queue.isFetchingNextPage} onClick={() => queue.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </Card>
  );
}

function ReviewRow({ item }: { item: ReviewItem }) {
  const utils = api.useUtils();
  const resolve = api.messaging.resolveReview.useMutation({ onSettled: () => utils.messaging.reviewQueue.invalidate() });
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 py-3" data-testid="review-item">
      <div className="min-w-0 flex-1 space-y-1">
        <p className="text-sm">
          <span className="font-medium tabular-nums">{formatPhone(item.phone)}</span>
          {item.leadId && (
            <>
              {" · "}
              <Link href={`/leads/${item.leadId}`} className="text-brand-700 hover:underline">
                {item.leadLabel ?? "Lead"}
              </Link>
            </>
          )}
          <span className="text-slate-500">
            {" · "}
            <Time value={item.createdAt} relative />
          </span>
        </p>
        <blockquote className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-900">“{item.body}”</blockquote>
        <p className="text-xs text-slate-500">{item.reason}</p>
        {resolve.error && <Alert tone="error">{describeError(resolve.error).message}</Alert>}
      </div>
      {item.resolvedAt ? (
        <div className="text-right text-sm">
          <Badge tone={item.resolution === "suppressed" ? "red" : "slate"}>{item.resolution === "suppressed" ? "Suppressed" : "Dismissed"}</Badge>
          <p className="mt-1 text-xs text-slate-500">
            by {item.resolvedByName ?? "a former member"}, <Time value={item.resolvedAt} relative />
          </p>
        </div>
      ) : (
        <div className="flex shrink-0 gap-2">
          <Button size="sm" variant="danger" pending={resolve.isPending && resolve.variables?.resolution === "suppressed"} disabled={resolve.isPending} onClick={() => resolve.mutate({ id: item.id, resolution: "suppressed" })}>
            Suppress number
          </Button>
          <Button size="sm" variant="secondary" pending={resolve.isPending && resolve.variables?.resolution === "dismissed"} disabled={resolve.isPending} onClick={() => resolve.mutate({ id: item.id, resolution: "dismissed" })}>
            Not an opt-out
          </Button>
        </div>
      )}
    </li>
  );
}
