import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";
import { env } from "../env";
import { isRealtimeTopic, REALTIME_TOPICS, type RealtimeEvent, type RealtimeTopic } from "./events";
import { RealtimeHub } from "./hub";

type EventRow = {
  id: string;
  organizationId: string;
  userId: string | null;
  topic: string;
  subjectId: string | null;
  data: Record<string, unknown>;
};

const eventColumns = Prisma.sql`"id"::text AS "id", "organizationId", "userId", "topic", "subjectId", "data"`;

function toEvent(row: EventRow): RealtimeEvent | null {
  return isRealtimeTopic(row.topic) ? { ...row, topic: row.topic } : null;
}

/**
 * Browsers' topics only: the table also holds server-side events (topic "lead", for outbound
 * webhooks), which must not fill a replay page (a short page ends the replay).
 */
const liveTopics = Prisma.sql`"topic" IN (${Prisma.join([...REALTIME_TOPICS])})`;

/** Events replayed per query when a subscriber catches up. */
const REPLAY_PAGE = 500;

/** An organization's events after `afterId` that this user may see, oldest first. */
async function eventsAfter(
  db: Db,
  organizationId: string,
  userId: string,
  afterId: bigint,
): Promise<RealtimeEvent[]> {
  const rows = await querySql<EventRow>(
    db,
    Prisma.sql`SELECT ${eventColumns} FROM "RealtimeEvent"
      WHERE "organizationId" = ${organizationId} AND "id" > ${afterId} AND ("userId" IS NULL OR "userId" = ${userId}) AND ${liveTopics}
      ORDER BY "id" LIMIT ${REPLAY_PAGE}`,
  );
  return rows.map(toEvent).filter((e): e is RealtimeEvent => e !== null);
}

/**
 * Ids are taken when an event is written, but it is seen when its transaction commits: an event
 * with a lower id than one already sent may commit a little later. A replay therefore also sends
 * the events below its cursor written this long before the cursor's own (duplicates are harmless:
 * an event only says what to refresh).
 */
const OUT_OF_ORDER_WINDOW = "10 seconds";

async function eventsJustBefore(db: Db, organizationId: string, userId: string, cursor: bigint): Promise<RealtimeEvent[]> {
  const rows = await querySql<EventRow>(
    db,
    Prisma.sql`SELECT ${eventColumns} FROM "RealtimeEvent"
      WHERE "organizationId" = ${organizationId} AND "id" < ${cursor} AND ("userId" IS NULL OR "userId" = ${userId}) AND ${liveTopics}
        AND "createdAt" >= (SELECT "createdAt" FROM "RealtimeEvent" WHERE "id" = ${cursor}) - ${OUT_OF_ORDER_WINDOW}::interval
      ORDER BY "id" LIMIT ${REPLAY_PAGE}`,
  );
  return rows.map(toEvent).filter((e): e is RealtimeEvent => e !== null);
}

async function eventExists(db: Db, organizationId: string, id: bigint): Promise<boolean> {
  const [row] = await querySql<{ found: boolean }>(
    db,
    Prisma.sql`SELECT EXISTS (SELECT 1 FROM "RealtimeEvent" WHERE "id" = ${id} AND "organizationId" = ${organizationId}) AS "found"`,
  );
  return row?.found ?? false;
}

const globalForHub = globalThis as unknown as {
  leadflowRealtimeHub?: RealtimeHub;
  leadflowRealtimeDb?: Db;
};

/** This process's hub (one LISTEN connection), made on first use. */
export function realtimeHub(db: Db): RealtimeHub {
  return (globalForHub.leadflowRealtimeHub ??= new RealtimeHub(env.DATABASE_URL, async (id) => {
    const [row] = await querySql<EventRow>(
      db,
      Prisma.sql`SELECT ${eventColumns} FROM "RealtimeEvent" WHERE "id" = ${BigInt(id)}`,
    );
    return row ? toEvent(row) : null;
  }));
}

/**
 * What a subscriber is sent: an event; `resync` when events it missed are gone (it refetches
 * everything shown); `cursor` first on a fresh stream, so the client holds an id to resume from
 * even before its first event (a quiet tab that reconnects then misses nothing).
 */
export type StreamItem = { kind: "event"; event: RealtimeEvent } | { kind: "resync"; id: string } | { kind: "cursor"; id: string };

/** Live events queued per subscriber before it is cut off (it reconnects and replays from the table). */
const MAX_QUEUED = 2_000;

/**
 * The organization's live events for one subscriber: after `lastEventId` when it is resuming
 * (replayed from the table, then live), else from now. Another organization's events never reach
 * it, nor another user's notifications. Ends when `signal` aborts.
 */
export async function* organizationEvents(
  db: Db,
  input: {
    organizationId: string;
    userId: string;
    topics: readonly RealtimeTopic[] | null;
    lastEventId: string | null;
    signal?: AbortSignal;
  },
  hub: RealtimeHub = realtimeHub(db),
): AsyncGenerator<StreamItem> {
  const { organizationId, userId, topics } = input;
  const wanted = (event: RealtimeEvent) =>
    (event.userId === null || event.userId === userId) && (!topics || topics.includes(event.topic));
  const queue: RealtimeEvent[] = [];
  let wake: (() => void) | null = null;
  let gap = false;
  let overflowed = false;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const unsubscribe = await hub.subscribe(organizationId, {
    onEvent: (event) => {
      if (!wanted(event)) return;
      if (queue.length >= MAX_QUEUED) overflowed = true;
      else queue.push(event);
      notify();
    },
    onGap: () => {
      gap = true;
      notify();
    },
  });
  const onAbort = () => notify();
  input.signal?.addEventListener("abort", onAbort);

  // Ids sent on this connection beyond the cursor (live events can commit out of id order).
  let cursor = input.lastEventId === null ? null : BigInt(input.lastEventId);
  const sent = new Set<string>();
  const replay = async function* (): AsyncGenerator<StreamItem> {
    const from = cursor ?? 0n;
    const late = from > 0n ? await eventsJustBefore(db, organizationId, userId, from) : [];
    for (let page = late; ; page = await eventsAfter(db, organizationId, userId, cursor ?? 0n)) {
      for (const event of page) {
        const id = BigInt(event.id);
        if (cursor === null || id > cursor) cursor = id;
        if (sent.has(event.id) || !wanted(event)) continue;
        sent.add(event.id);
        yield { kind: "event", event };
      }
      if (page !== late && page.length < REPLAY_PAGE) return;
    }
  };

  const latestId = async () => {
    const [latest] = await querySql<{ id: string | null }>(
      db,
      Prisma.sql`SELECT max("id")::text AS "id" FROM "RealtimeEvent" WHERE "organizationId" = ${organizationId}`,
    );
    return BigInt(latest?.id ?? "0");
  };

  try {
    // From now: the cursor is where a reconnect (of the client or of this process's listener) replays from.
    if (cursor === null) {
      cursor = await latestId();
      yield { kind: "cursor", id: cursor.toString() };
    } else if (cursor > 0n && !(await eventExists(db, organizationId, cursor))) {
      // Older than what is kept (or never this organization's): what it missed is gone. (0: the
      // stream began before the organization had any event, so everything kept is what it missed.)
      cursor = await latestId();
      yield { kind: "resync", id: cursor.toString() };
    }
    yield* replay();
    while (!input.signal?.aborted) {
      if (overflowed) throw new Error("realtime subscriber fell too far behind");
      if (gap) {
        // What was queued stays queued (it may hold late commits below the cursor); `sent` drops repeats.
        gap = false;
        yield* replay();
        continue;
      }
      const event = queue.shift();
      if (!event) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (sent.has(event.id)) continue;
      sent.add(event.id);
      if (sent.size > 10_000) sent.clear();
      const id = BigInt(event.id);
      if (cursor === null || id > cursor) cursor = id;
      yield { kind: "event", event };
    }
  } finally {
    input.signal?.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
