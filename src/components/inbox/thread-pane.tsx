"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef } from "react";
import { LEAD_STATUSES, STATUS_LABELS, TEMPERATURE_LABELS, type LeadStatus } from "@/components/leads/labels";
import { SimulateReply } from "@/components/messaging/lead-texts";
import { receiptPollInterval } from "@/components/messaging/receipt-poll";
import { OUTCOME_LABELS, STATUS_LABELS as MESSAGE_STATUS_LABELS, SUPPRESSION_REASON_LABELS } from "@/components/messaging/labels";
import { formatPhone } from "@/components/shared/format";
import { useLiveRefresh } from "@/components/shared/live-events";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { formatDollarsFromCents } from "@/lib/money";
import { api, type RouterOutputs } from "@/trpc/react";
import { ReplyBox } from "./reply-box";

type Thread = RouterOutputs["inbox"]["thread"];
type Message = Thread["messages"][number];

const MESSAGE_PAGE = 50;

/** One conversation: its texts with delivery states, the lead's key facts and actions, and the reply box. */
export function ThreadPane({ threadId, userId, onClose }: { threadId: string; userId: string; onClose: () => void }) {
  const utils = api.useUtils();
  const thread = api.inbox.thread.useInfiniteQuery(
    { id: threadId, limit: MESSAGE_PAGE },
    { getNextPageParam: (page) => page.nextCursor, refetchInterval: (query) => receiptPollInterval(query.state.data?.pages.flatMap((page) => page.messages) ?? []) },
  );
  const refresh = () => Promise.all([thread.refetch(), utils.inbox.threads.invalidate(), utils.inbox.unreadCount.invalidate()]);
  useLiveRefresh("inbox", () => thread.refetch(), threadId);

  const markRead = api.inbox.markRead.useMutation({ onSuccess: () => refresh() });
  const head = thread.data?.pages[0];
  const unread = head?.unreadCount ?? 0;
  // An open thread is read: on opening, and when a reply arrives while it is open.
  const { mutate: markReadMutate, isPending: markingRead } = markRead;
  useEffect(() => {
    if (unread > 0 && !markingRead) markReadMutate({ id: threadId });
  }, [unread, threadId, markReadMutate, markingRead]);

  if (thread.isPending) {
    return (
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-busy="true">
        <Skeleton className="h-6 w-1/2" />
        <Skeleton className="h-40 w-full" />
        <Skeleton className="h-20 w-full" />
      </div>
    );
  }
  if (thread.isError || !head) {
    return (
      <Alert tone="error">
        {thread.error ? describeError(thread.error).message : "This conversation could not be loaded."}{" "}
        <button type="button" className="font-medium underline" onClick={onClose}>
          Back to the list
        </button>
      </Alert>
    );
  }
  const messages = thread.data.pages.flatMap((page) => page.messages);

  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_18rem]" data-testid="inbox-open-thread" data-thread-id={threadId}>
      <div className="min-w-0 space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" onClick={onClose} className="text-sm text-slate-500 hover:text-slate-800 md:hidden">
            ← Back
          </button>
          <h2 className="min-w-0 flex-1 truncate text-base font-semibold">
            {head.lead?.ownerName ?? formatPhone(head.phone)} <span className="text-sm font-normal text-slate-500 tabular-nums">{formatPhone(head.phone)}</span>
          </h2>
          <ThreadActions thread={head} userId={userId} onChanged={refresh} onMarkedUnread={onClose} />
        </div>
        <PhoneStanding thread={head} />
        <MessageList
          messages={messages}
          hasOlder={Boolean(thread.hasNextPage)}
          loadingOlder={thread.isFetchingNextPage}
          onLoadOlder={() => void thread.fetchNextPage()}
        />
        {head.scheduled.length > 0 && <ScheduledReplies thread={head} onChanged={refresh} />}
        {!head.hasSender ? (
          <Alert tone="warning">No sending number is configured. An admin can add one in Settings → Texting.</Alert>
        ) : head.lead ? (
          <ReplyBox thread={head} onSent={refresh} />
        ) : (
          <Alert tone="info">This number is not linked to a lead: add it to a lead to reply from the inbox.</Alert>
        )}
        {head.simulated && head.hasSender && head.lead && <SimulateReply leadId={head.lead.id} phone={head.phone} />}
      </div>
      <LeadFacts thread={head} onChanged={refresh} />
    </div>
  );
}

function PhoneStanding({ thread }: { thread: Thread }) {
  if (thread.suppression) {
    return (
      <Alert tone="error">
        <span data-testid="thread-opted-out">
          <strong>Opted out</strong> · {SUPPRESSION_REASON_LABELS[thread.suppression.reason] ?? thread.suppression.reason} on <Time value={thread.suppression.createdAt} />. This number
          cannot be texted.
        </span>
      </Alert>
    );
  }
  if (thread.leadPhone?.status === "invalid") return <Alert tone="warning">This number was marked invalid; it cannot be texted.</Alert>;
  if (thread.leadPhone?.type === "landline") return <Alert tone="warning">This number is a landline; it cannot receive texts.</Alert>;
  return null;
}

function MessageList({ messages, hasOlder, loadingOlder, onLoadOlder }: { messages: Message[]; hasOlder: boolean; loadingOlder: boolean; onLoadOlder: () => void }) {
  const listRef = useRef<HTMLOListElement>(null);
  const oldestFirst = useMemo(() => [...messages].reverse(), [messages]);
  const newestId = messages[0]?.id;
  useEffect(() => {
    // The newest text in view when one arrives (the thread scrolls, never the page).
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [newestId]);
  if (messages.length === 0) return <p className="rounded-md bg-slate-50 px-3 py-6 text-center text-sm text-slate-500">No texts in this conversation yet.</p>;
  return (
    <ol ref={listRef} aria-label="Texts" className="max-h-[28rem] space-y-2 overflow-y-auto rounded-md bg-slate-50 p-3" data-testid="inbox-messages">
      {hasOlder && (
        <li className="text-center">
          <Button type="button" size="sm" variant="ghost" pending={loadingOlder} onClick={onLoadOlder}>
            Load older texts
          </Button>
        </li>
      )}
      {oldestFirst.map((message) => (
        <MessageBubble key={message.id} message={message} />
      ))}
    </ol>
  );
}

function MessageBubble({ message }: { message: Message }) {
  const inbound = message.direction === "inbound";
  const outcome = message.replyOutcome && message.replyOutcome !== "none" ? OUTCOME_LABELS[message.replyOutcome] : null;
  const failed = message.status === "failed" || message.status === "undelivered";
  return (
    <li className={cn("flex", inbound ? "justify-start" : "justify-end")} data-direction={message.direction} data-testid="inbox-message">
      <div className={cn("max-w-[85%] rounded-lg px-3 py-2 text-sm shadow-sm", inbound ? "bg-white text-slate-900" : failed ? "bg-red-50 text-red-900 ring-1 ring-red-200" : "bg-brand-600 text-white")}>
        <p className="whitespace-pre-wrap break-words">{message.body}</p>
        <p className={cn("mt-1 flex flex-wrap items-center gap-x-2 text-xs", inbound || failed ? "text-slate-500" : "text-brand-100")}>
          <Time value={message.createdAt} />
          {!inbound && (
            <span data-testid="delivery-state" title={message.errorCode ? `Error ${message.errorCode}` : undefined}>
              {MESSAGE_STATUS_LABELS[message.status].label}
              {message.errorCode ? ` (${message.errorCode})` : ""}
            </span>
          )}
          {!inbound && message.costCents !== null && (
            <span>
              {message.segments} seg · {formatDollarsFromCents(message.costCents)}
            </span>
          )}
          {message.campaignId && !inbound && <span>Campaign</span>}
          {outcome && <Badge tone={outcome.tone}>{outcome.label}</Badge>}
        </p>
      </div>
    </li>
  );
}

function ThreadActions({ thread, userId, onChanged, onMarkedUnread }: { thread: Thread; userId: string; onChanged: () => unknown; onMarkedUnread: () => void }) {
  const assignees = api.leads.assignees.useQuery(undefined, { staleTime: 5 * 60_000 });
  const assign = api.inbox.assign.useMutation({ onSuccess: () => onChanged() });
  const archive = api.inbox.archive.useMutation({ onSuccess: () => onChanged() });
  const unarchive = api.inbox.unarchive.useMutation({ onSuccess: () => onChanged() });
  const markUnread = api.inbox.markUnread.useMutation({
    onSuccess: async () => {
      await onChanged();
      onMarkedUnread();
    },
  });
  const error = assign.error ?? archive.error ?? unarchive.error ?? markUnread.error;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor="thread-assignee" className="sr-only">
        Assigned to
      </label>
      <select
        id="thread-assignee"
        value={thread.assignedUser?.id ?? ""}
        disabled={assign.isPending}
        onChange={(event) => assign.mutate({ id: thread.id, userId: event.target.value || null })}
        className={cn(inputClass, "w-auto py-1 text-xs")}
      >
        <option value="">Unassigned</option>
        {thread.assignedUser && !assignees.data?.some((a) => a.id === thread.assignedUser!.id) && (
          <option value={thread.assignedUser.id}>{thread.assignedUser.name ?? "Teammate"}</option>
        )}
        {assignees.data?.map((person) => (
          <option key={person.id} value={person.id}>
            {person.id === userId ? `Me (${person.name ?? person.email})` : (person.name ?? person.email)}
          </option>
        ))}
      </select>
      {thread.archived ? (
        <Button size="sm" variant="secondary" pending={unarchive.isPending} onClick={() => unarchive.mutate({ id: thread.id })}>
          Move to inbox
        </Button>
      ) : (
        <Button size="sm" variant="secondary" pending={archive.isPending} onClick={() => archive.mutate({ id: thread.id })}>
          Archive
        </Button>
      )}
      <Button size="sm" variant="ghost" pending={markUnread.isPending} onClick={() => markUnread.mutate({ id: thread.id })}>
        Mark unread
      </Button>
      {error && <span className="w-full text-xs text-red-700">{describeError(error).message}</span>}
    </div>
  );
}

function LeadFacts({ thread, onChanged }: { thread: Thread; onChanged: () => unknown }) {
  const utils = api.useUtils();
  const setStatus = api.inbox.setLeadStatus.useMutation({
    onSuccess: async () => {
      await onChanged();
      if (thread.lead) await utils.leads.get.invalidate({ id: thread.lead.id });
    },
  });
  const lead = thread.lead;
  return (
    <aside className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm" aria-label="Lead">
      {lead ? (
        <>
          <div>
            <p className="font-semibold">{lead.ownerName ?? "Unknown owner"}</p>
            <p className="text-slate-600">{lead.addressLine1}</p>
            <p className="text-slate-600">
              {lead.city}, {lead.state} {lead.zip}
            </p>
          </div>
          <dl className="grid grid-cols-2 gap-x-2 gap-y-1">
            <dt className="text-slate-500">Temperature</dt>
            <dd>{TEMPERATURE_LABELS[lead.temperature]}</dd>
            <dt className="text-slate-500">Score</dt>
            <dd className="tabular-nums">{lead.score}</dd>
            <dt className="text-slate-500">Phone</dt>
            <dd className="tabular-nums">{formatPhone(thread.phone)}</dd>
            {thread.leadPhone && (
              <>
                <dt className="text-slate-500">Line</dt>
                <dd>
                  {thread.leadPhone.type}
                  {thread.leadPhone.dnc ? " · DNC" : ""}
                </dd>
              </>
            )}
            <dt className="text-slate-500">Opt-out</dt>
            <dd data-testid="thread-suppression">{thread.suppression ? (SUPPRESSION_REASON_LABELS[thread.suppression.reason] ?? thread.suppression.reason) : "None"}</dd>
          </dl>
          <div className="space-y-1">
            <label htmlFor="thread-lead-status" className="text-slate-500">
              Status
            </label>
            <select
              id="thread-lead-status"
              value={lead.status}
              disabled={setStatus.isPending}
              onChange={(event) => setStatus.mutate({ id: thread.id, status: event.target.value as LeadStatus })}
              className={inputClass}
            >
              {LEAD_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {STATUS_LABELS[status]}
                </option>
              ))}
            </select>
            {setStatus.error && <p className="text-xs text-red-700">{describeError(setStatus.error).message}</p>}
          </div>
          <Link href={`/leads/${lead.id}`} className="inline-block font-medium text-brand-700 hover:underline">
            Open the lead →
          </Link>
        </>
      ) : (
        <p className="text-slate-500">This number is not linked to a lead.</p>
      )}
    </aside>
  );
}

function ScheduledReplies({ thread, onChanged }: { thread: Thread; onChanged: () => unknown }) {
  const cancel = api.inbox.cancelScheduled.useMutation({ onSuccess: () => onChanged() });
  return (
    <ul className="space-y-1" aria-label="Scheduled replies" data-testid="scheduled-replies">
      {thread.scheduled.map((item) => (
        <li key={item.id} className="flex flex-wrap items-center gap-2 rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm">
          <span className="min-w-0 flex-1 truncate">{item.body}</span>
          {item.status === "scheduled" || item.status === "sending" ? (
            <>
              <span className="text-xs text-slate-600">
                Scheduled for <Time value={item.sendAt} />
              </span>
              {item.status === "scheduled" && (
                <Button size="sm" variant="ghost" pending={cancel.isPending} onClick={() => cancel.mutate({ id: thread.id, scheduledReplyId: item.id })}>
                  Cancel
                </Button>
              )}
            </>
          ) : (
            <span className="text-xs text-red-700">Not sent: {item.outcome ?? item.status}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
