import { afterAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { env } from "@/server/env";
import { spawnScript } from "@/test/child/spawn";
import { callerFor, createTeam } from "@/test/factories";
import { RealtimeHub } from "./hub";
import { deleteExpiredRealtimeEvents, raiseEvent } from "./raise";
import { organizationEvents, realtimeHub, type StreamItem } from "./stream";

let counter = 0;
const uniquePhone = () => `+1512${String(4_000_000 + ((++counter * 7919) % 1_000_000)).padStart(7, "0")}`;

/** An organization that receives texts on its own number from one lead's phone. */
async function textingOrg() {
  const team = await createTeam();
  const senderNumber = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: team.org.id, kind: "phone_number", value: senderNumber } });
  const phone = uniquePhone();
  return { team, orgId: team.org.id, senderNumber, phone };
}

/** Inbound texts handled by another process (its own pool, its own commits). */
async function textsFromAnotherProcess(org: { phone: string; senderNumber: string }, ...bodies: string[]): Promise<string[]> {
  const child = spawnScript("inbound-texts.ts", [org.phone, org.senderNumber, ...bodies]);
  const line = await child.firstLine;
  await child.exited;
  return (JSON.parse(line) as { messageIds: string[] }).messageIds;
}

/** Inbound texts handled in this process (the replay tests; crossing processes is the first test's). */
async function textsHere(org: { phone: string; senderNumber: string }, ...bodies: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const body of bodies) {
    const result = await handleInboundWebhook(db, { MessageSid: `SM${randomBytes(16).toString("hex")}`, From: org.phone, To: org.senderNumber, Body: body, NumSegments: "1" });
    if (!result.duplicate) ids.push(result.messageId);
  }
  return ids;
}

type Subscriber = { items: StreamItem[]; cursors: string[]; stop: () => void; waitFor: (count: number, timeoutMs?: number) => Promise<StreamItem[]> };

/** Reads a stream in the background, collecting what it yields. */
function collect(stream: AsyncGenerator<StreamItem>, abort: AbortController): Subscriber {
  const items: StreamItem[] = [];
  const cursors: string[] = [];
  const done = (async () => {
    for await (const item of stream) {
      if (item.kind === "cursor") cursors.push(item.id);
      else items.push(item);
    }
  })();
  return {
    items,
    cursors,
    stop: () => {
      abort.abort();
      void done.catch(() => {});
    },
    waitFor: async (count, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} live events, got ${items.length}: ${JSON.stringify(items)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return items;
    },
  };
}

async function subscribe(org: { orgId: string; team: { manager: { id: string } } }, options: { lastEventId?: string | null; hub?: RealtimeHub; userId?: string } = {}) {
  const abort = new AbortController();
  const stream = organizationEvents(
    db,
    { organizationId: org.orgId, userId: options.userId ?? org.team.manager.id, topics: null, lastEventId: options.lastEventId ?? null, signal: abort.signal },
    options.hub,
  );
  // The stream subscribes on its first pull: pull it now and hand the item over.
  const first = stream.next();
  const subscriber = collect(
    (async function* () {
      const head = await first;
      if (!head.done) yield head.value;
      yield* stream;
    })(),
    abort,
  );
  await waitListening(options.hub ?? realtimeHub(db));
  return subscriber;
}

async function waitListening(hub: RealtimeHub) {
  const deadline = Date.now() + 10_000;
  while (hub.subscriberCount === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  // Subscribed and listening; the stream's start-up read of its cursor follows at once.
  await new Promise((r) => setTimeout(r, 200));
}

const eventsOf = (items: StreamItem[]) => items.flatMap((item) => (item.kind === "event" ? [item.event] : []));

afterAll(async () => {
  await realtimeHub(db).close();
});

describe("live events across processes", () => {
  it("brings an inbound text handled by another process to this organization's subscriber, and nothing to another organization's", async () => {
    const [mine, theirs] = [await textingOrg(), await textingOrg()];
    const me = await subscribe(mine);
    const them = await subscribe(theirs);

    const [messageId] = await textsFromAnotherProcess(mine, "Is this about the house on Elm?");
    const [event] = eventsOf(await me.waitFor(1));
    const conversation = await db.conversation.findUniqueOrThrow({ where: { organizationId_phone: { organizationId: mine.orgId, phone: mine.phone } } });
    expect(event).toMatchObject({ organizationId: mine.orgId, topic: "inbox", subjectId: conversation.id, data: { kind: "message", messageId, direction: "inbound" } });
    expect(conversation).toMatchObject({ unreadCount: 1, lastDirection: "inbound", lastMessagePreview: "Is this about the house on Elm?" });

    // The other organization's stream is live (it hears its own text) and heard nothing of ours.
    const [theirMessage] = await textsFromAnotherProcess(theirs, "Who is this?");
    const theirItems = await them.waitFor(1);
    expect(eventsOf(theirItems).map((e) => e.data.messageId)).toEqual([theirMessage]);
    expect(eventsOf(theirItems).every((e) => e.organizationId === theirs.orgId)).toBe(true);
    expect(eventsOf(me.items)).toHaveLength(1);
    me.stop();
    them.stop();
  }, 90_000);

  it("replays what a reconnecting client missed after its last event id, in order, then goes on live", async () => {
    const org = await textingOrg();
    const first = await subscribe(org);
    await textsHere(org, "first");
    const [seen] = eventsOf(await first.waitFor(1));
    first.stop();

    const missed = await textsHere(org, "second", "third", "fourth");
    const resumed = await subscribe(org, { lastEventId: seen!.id });
    const replayed = eventsOf(await resumed.waitFor(3)).map((e) => e.data.messageId);
    expect(replayed).toEqual(missed);

    const [live] = await textsHere(org, "fifth");
    expect(eventsOf(await resumed.waitFor(4)).map((e) => e.data.messageId)).toEqual([...missed, live]);
    resumed.stop();
  });

  it("starts a fresh stream with its cursor, so a quiet tab that reconnects from it misses nothing committed in between", async () => {
    const org = await textingOrg();
    const quiet = await subscribe(org);
    expect(quiet.cursors).toHaveLength(1);
    quiet.stop();
    // While the tab is away (a rotated stream, a dropped Wi-Fi), a text arrives.
    const [missed] = await textsHere(org, "while you were away");
    const resumed = await subscribe(org, { lastEventId: quiet.cursors[0]! });
    expect(eventsOf(await resumed.waitFor(1)).map((e) => e.data.messageId)).toEqual([missed]);
    resumed.stop();
  });

  it("replays an event that committed after a later one the client already had (ids are taken before commit)", async () => {
    const org = await textingOrg();
    // Event A takes its id first but commits last; B is written and committed in between.
    let releaseA!: () => void;
    const aHeld = new Promise<void>((resolve) => (releaseA = resolve));
    const a = db.$transaction(async (tx) => {
      await raiseEvent(tx, { organizationId: org.orgId, topic: "job", subjectId: "a-late" });
      await aHeld;
    });
    await new Promise((r) => setTimeout(r, 200));
    await raiseEvent(db, { organizationId: org.orgId, topic: "job", subjectId: "b-early" });
    const b = await db.realtimeEvent.findFirstOrThrow({ where: { organizationId: org.orgId, subjectId: "b-early" } });
    releaseA();
    await a;
    // The client had B (its last event id) when it went away: A, with a lower id, still reaches it.
    const resumed = await subscribe(org, { lastEventId: b.id.toString() });
    expect(eventsOf(await resumed.waitFor(1)).map((e) => e.subjectId)).toEqual(["a-late"]);
    resumed.stop();
  });

  it("tells a client whose last event is gone to refetch everything (resync), then goes on live", async () => {
    const org = await textingOrg();
    const subscriber = await subscribe(org, { lastEventId: "1" });
    const [first] = await subscriber.waitFor(1);
    expect(first).toMatchObject({ kind: "resync" });
    await textsHere(org, "after the resync");
    expect(eventsOf(await subscriber.waitFor(2))).toHaveLength(1);
    subscriber.stop();
  });

  it("never replays another organization's events, even from one of their event ids", async () => {
    const [mine, theirs] = [await textingOrg(), await textingOrg()];
    await raiseEvent(db, { organizationId: theirs.orgId, topic: "job", subjectId: "theirs-1" });
    const theirFirst = await db.realtimeEvent.findFirstOrThrow({ where: { organizationId: theirs.orgId }, orderBy: { id: "desc" } });
    await raiseEvent(db, { organizationId: theirs.orgId, topic: "job", subjectId: "theirs-2" });
    await raiseEvent(db, { organizationId: mine.orgId, topic: "job", subjectId: "mine-1" });
    const subscriber = await subscribe(mine, { lastEventId: theirFirst.id.toString() });
    const [first] = await subscriber.waitFor(1);
    expect(first).toMatchObject({ kind: "resync" });
    await raiseEvent(db, { organizationId: theirs.orgId, topic: "job", subjectId: "theirs-3" });
    await raiseEvent(db, { organizationId: mine.orgId, topic: "job", subjectId: "mine-2" });
    await subscriber.waitFor(2);
    await new Promise((r) => setTimeout(r, 300));
    // mine-1, committed just before the subscription, may still come live (its NOTIFY was in flight): harmless.
    const heard = eventsOf(subscriber.items).map((e) => e.subjectId);
    expect(heard).toContain("mine-2");
    expect(heard.filter((subject) => !subject?.startsWith("mine-"))).toEqual([]);
    subscriber.stop();
  });

  it("catches a subscriber up on what was raised while this process's listening connection was down", async () => {
    const org = await textingOrg();
    const hub = new RealtimeHub(env.DATABASE_URL, async () => null);
    const subscriber = await subscribe(org, { hub });
    await hub.dropConnection();
    // Raised (and committed) while nobody in this process listens: NOTIFY is lost, the table is not.
    await raiseEvent(db, { organizationId: org.orgId, topic: "job", subjectId: "job-during-outage", data: { kind: "import", status: "completed" } });
    const [event] = eventsOf(await subscriber.waitFor(1));
    expect(event).toMatchObject({ topic: "job", subjectId: "job-during-outage" });
    subscriber.stop();
    await hub.close();
  });

  it("gives a user's own notifications to that user only", async () => {
    const org = await textingOrg();
    const manager = await subscribe(org);
    const user = await subscribe(org, { userId: org.team.user.id });
    await raiseEvent(db, { organizationId: org.orgId, userId: org.team.user.id, topic: "notification", subjectId: "n-1" });
    await raiseEvent(db, { organizationId: org.orgId, topic: "job", subjectId: "everyone" });
    expect(eventsOf(await user.waitFor(2)).map((e) => e.subjectId)).toEqual(["n-1", "everyone"]);
    expect(eventsOf(await manager.waitFor(1)).map((e) => e.subjectId)).toEqual(["everyone"]);
    // A replay from before both sends the manager only the event for everyone as well.
    manager.stop();
    user.stop();
  });
});

describe("what raises events (triggers, whatever path made the change)", () => {
  it("a job's status change always, its progress at most once a second; a DNC registry extract and an add-all like a job", async () => {
    const team = await createTeam();
    const orgId = team.org.id;
    const job = await db.skipTraceJob.create({ data: { organizationId: orgId, leadIds: [], total: 50 } });
    const jobEvents = () => db.realtimeEvent.findMany({ where: { organizationId: orgId, subjectId: job.id }, orderBy: { id: "asc" }, select: { topic: true, data: true } });
    await db.skipTraceJob.update({ where: { id: job.id }, data: { status: "running" } });
    for (let i = 1; i <= 5; i++) await db.skipTraceJob.update({ where: { id: job.id }, data: { processed: i * 10 } });
    await db.skipTraceJob.update({ where: { id: job.id }, data: { status: "completed" } });
    // Both status changes are told; the five progress updates, made within about a second, add at most one.
    const events = await jobEvents();
    expect(events[0]).toEqual({ topic: "job", data: { kind: "skip_trace", status: "running" } });
    expect(events.at(-1)).toEqual({ topic: "job", data: { kind: "skip_trace", status: "completed" } });
    expect(events.length).toBeLessThanOrEqual(3);

    const upload = await db.dncRegistryUpload.create({ data: { organizationId: orgId, areaCode: 512, fileName: "512.txt", extractDate: new Date("2026-11-01") } });
    await db.dncRegistryUpload.update({ where: { id: upload.id }, data: { status: "current", numberCount: 10 } });
    const uploadEvents = await db.realtimeEvent.findMany({ where: { organizationId: orgId, subjectId: String(upload.id) }, select: { topic: true, data: true } });
    expect(uploadEvents).toEqual([{ topic: "job", data: { kind: "dnc_registry", status: "current" } }]);

    const addAll = await db.searchAddAllJob.create({ data: { organizationId: orgId, query: {}, total: 40 } });
    await db.searchAddAllJob.update({ where: { id: addAll.id }, data: { status: "running" } });
    await db.searchAddAllJob.update({ where: { id: addAll.id }, data: { added: { increment: 20 }, pagesDone: 1 } });
    await db.searchAddAllJob.update({ where: { id: addAll.id }, data: { status: "completed", added: 40 } });
    const addAllEvents = await db.realtimeEvent.findMany({ where: { organizationId: orgId, subjectId: addAll.id }, orderBy: { id: "asc" }, select: { topic: true, data: true } });
    expect(addAllEvents[0]).toEqual({ topic: "job", data: { kind: "search_add_all", status: "running" } });
    expect(addAllEvents.at(-1)).toEqual({ topic: "job", data: { kind: "search_add_all", status: "completed" } });
  });
});

describe("event expiry", () => {
  it("deletes events older than a day and keeps the rest", async () => {
    const org = await textingOrg();
    await raiseEvent(db, { organizationId: org.orgId, topic: "job", subjectId: "old" });
    await raiseEvent(db, { organizationId: org.orgId, topic: "job", subjectId: "new" });
    await db.realtimeEvent.updateMany({ where: { organizationId: org.orgId, subjectId: "old" }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    expect(await deleteExpiredRealtimeEvents(db)).toBeGreaterThanOrEqual(1);
    expect((await db.realtimeEvent.findMany({ where: { organizationId: org.orgId }, select: { subjectId: true } })).map((e) => e.subjectId)).toEqual(["new"]);
  });
});

describe("realtime.events (the tRPC subscription)", () => {
  it("yields tracked events of the caller's organization with their ids, and refuses a malformed last event id", async () => {
    const org = await textingOrg();
    const caller = callerFor(org.team.user);
    await expect(caller.realtime.events({ lastEventId: "12; DROP" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await raiseEvent(db, { organizationId: org.orgId, topic: "campaign", subjectId: "c-0", data: { kind: "status" } });
    const before = await db.realtimeEvent.findFirstOrThrow({ where: { organizationId: org.orgId }, orderBy: { id: "desc" }, select: { id: true } });
    await raiseEvent(db, { organizationId: org.orgId, topic: "job", subjectId: "j-1" });
    await raiseEvent(db, { organizationId: org.orgId, topic: "campaign", subjectId: "c-1", data: { kind: "status" } });
    const stream = await caller.realtime.events({ lastEventId: before.id.toString(), topics: ["campaign"] });
    const iterator = stream[Symbol.asyncIterator]();
    const { value } = await iterator.next();
    // [id, data, tracked marker]: the job event is not of the asked topics.
    expect(value).toEqual([expect.stringMatching(/^\d+$/), { topic: "campaign", subjectId: "c-1", data: { kind: "status" } }, expect.anything()]);
    expect(BigInt((value as unknown as [string])[0])).toBeGreaterThan(before.id);
    await iterator.return?.();
  });
});
