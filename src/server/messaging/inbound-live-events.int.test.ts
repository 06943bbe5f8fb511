import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as inboundPOST } from "@/app/api/webhooks/twilio/inbound/route";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { REALTIME_CHANNEL } from "@/server/realtime/hub";
import { raceTest } from "@/test/database-kind";
import { createTeam } from "@/test/factories";
import { waitFor } from "@/test/wait-for";
import { twilioSignature, webhookSigningSecret } from "./webhook-signature";
import { MAX_NOTIFIES_WAITING, notifiesWaiting } from "./webhooks";

// An inbound STOP's statement stores its live events but notifies them only once it has committed
// (leadflow_notify_committed, migration 20261130123000): a NOTIFY inside it would make concurrent
// STOPs commit one disk flush at a time. Listeners must still hear each event exactly once.

const BASE = env.PUBLIC_BASE_URL ?? env.NEXTAUTH_URL;
const INBOUND_PATH = "/api/webhooks/twilio/inbound";
let counter = 0;
const uniquePhone = () => `+1646${String(Date.now() % 1000).padStart(3, "0")}${String(++counter).padStart(4, "0")}`;

type Notified = { id: string; organizationId: string; topic?: string; subjectId?: string; data?: { kind?: string; messageId?: string } };
let listener: pg.Client;
const heard: Notified[] = [];

beforeAll(async () => {
  listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await listener.connect();
  listener.on("notification", (n) => heard.push(JSON.parse(n.payload ?? "{}") as Notified));
  await listener.query(`LISTEN ${REALTIME_CHANNEL}`);
});
afterAll(async () => {
  await listener.end();
});

async function orgWithSender() {
  const { org } = await createTeam();
  const senderNumber = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: org.id, kind: "phone_number", value: senderNumber } });
  const post = (from: string, body: string) => {
    const params = { MessageSid: `SM${randomBytes(16).toString("hex")}`, AccountSid: `AC${"0".repeat(32)}`, From: from, To: senderNumber, Body: body, NumSegments: "1" };
    const signature = twilioSignature(webhookSigningSecret(env), `${BASE}${INBOUND_PATH}`, params);
    const request = new Request(`http://127.0.0.1:3999${INBOUND_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
      body: new URLSearchParams(params).toString(),
    });
    return { sid: params.MessageSid, response: inboundPOST(request) };
  };
  return { organizationId: org.id, post };
}

const messageEvents = (organizationId: string, messageId: string) =>
  heard.filter((e) => e.organizationId === organizationId && e.topic === "inbox" && e.data?.kind === "message" && e.data.messageId === messageId);

describe("an inbound STOP's live events", () => {
  it("reach listeners once each, after the STOP is committed, and the connection's next transactions notify as before", async () => {
    const { organizationId, post } = await orgWithSender();
    const phone = uniquePhone();
    const { lead } = await (async () => {
      const created = await db.lead.create({
        data: { organizationId, source: "csv", addressLine1: "1 Live St", city: "Austin", state: "TX", zip: "78701", normalizedAddress: `live-${phone}`, normalizedOwner: "", dedupKey: `live-${phone}`, hasPhone: true },
      });
      await db.leadPhone.create({ data: { organizationId, leadId: created.id, number: phone, type: "mobile", source: "test" } });
      return { lead: created };
    })();

    const stop = post(phone, "STOP");
    expect((await stop.response).status).toBe(200);
    const message = await db.message.findUniqueOrThrow({ where: { providerMessageId: stop.sid }, select: { id: true, conversationId: true } });
    const stored = await db.realtimeEvent.findMany({ where: { organizationId, topic: "inbox", subjectId: message.conversationId } });
    expect(stored).toHaveLength(1);
    // The inbox heard of the new message, with the stored event's id (a reconnecting tab resumes from it).
    const events = await waitFor(async () => messageEvents(organizationId, message.id), (e) => e.length > 0, { timeoutMs: 5000, intervalMs: 20 });
    expect(events.map((e) => e.id)).toEqual([stored[0]!.id.toString()]);
    expect(events[0]).toMatchObject({ subjectId: message.conversationId, data: { messageId: message.id, kind: "message" } });
    // No endpoint listens for opt-outs here: no lead event is stored (for one that does, see webhooks/webhooks.int.test.ts), and none is ever notified.
    expect(await db.realtimeEvent.count({ where: { organizationId, topic: "lead" } })).toBe(0);
    expect(heard.filter((e) => e.organizationId === organizationId && e.topic === "lead")).toEqual([]);
    expect(await db.leadPhone.findFirstOrThrow({ where: { leadId: lead.id }, select: { status: true } })).toEqual({ status: "opted_out" });

    // More STOPs and plain replies, on whichever pooled connections: each message heard exactly once.
    const later = Array.from({ length: 8 }, (_, i) => post(uniquePhone(), i % 2 ? "STOP" : "Maybe, what is your offer?"));
    expect((await Promise.all(later.map((l) => l.response))).map((r) => r.status)).toEqual(Array(8).fill(200));
    const ids = await Promise.all(later.map(async (l) => (await db.message.findUniqueOrThrow({ where: { providerMessageId: l.sid }, select: { id: true } })).id));
    await waitFor(async () => ids.map((id) => messageEvents(organizationId, id).length), (n) => n.every((c) => c >= 1), { timeoutMs: 5000, intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second notification would have come by now
    expect(ids.map((id) => messageEvents(organizationId, id).length)).toEqual(Array(8).fill(1));
  });

  it("a burst of 60 STOPs to one sender, written by a few group-commit statements, is heard exactly once per message", async () => {
    const { organizationId, post } = await orgWithSender();
    const burst = Array.from({ length: 60 }, () => post(uniquePhone(), "STOP"));
    expect((await Promise.all(burst.map((b) => b.response))).map((r) => r.status)).toEqual(Array(60).fill(200));
    const messages = await db.message.findMany({ where: { providerMessageId: { in: burst.map((b) => b.sid) } }, select: { id: true } });
    expect(messages).toHaveLength(60);
    await waitFor(async () => messages.map((m) => messageEvents(organizationId, m.id).length), (n) => n.every((c) => c >= 1), { timeoutMs: 8000, intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second notification would have come by now
    expect(messages.map((m) => messageEvents(organizationId, m.id).length)).toEqual(Array(60).fill(1));
  });

  it("a redelivered STOP notifies nothing new", async () => {
    const { organizationId, post } = await orgWithSender();
    const phone = uniquePhone();
    const first = post(phone, "STOP");
    expect((await first.response).status).toBe(200);
    const message = await db.message.findUniqueOrThrow({ where: { providerMessageId: first.sid }, select: { id: true } });
    await waitFor(async () => messageEvents(organizationId, message.id), (e) => e.length > 0, { timeoutMs: 5000, intervalMs: 20 });
    const before = heard.filter((e) => e.organizationId === organizationId).length;
    // Twilio's retry: the same MessageSid, signed the same way.
    const params = { MessageSid: first.sid, AccountSid: `AC${"0".repeat(32)}`, From: phone, To: (await db.smsSenderIdentity.findFirstOrThrow({ where: { organizationId } })).value, Body: "STOP", NumSegments: "1" };
    const again = await inboundPOST(
      new Request(`http://127.0.0.1:3999${INBOUND_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(webhookSigningSecret(env), `${BASE}${INBOUND_PATH}`, params) },
        body: new URLSearchParams(params).toString(),
      }),
    );
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard.filter((e) => e.organizationId === organizationId).length).toBe(before);
  });
});

describe("leadflow_notify_committed", () => {
  it("relies on event ids drawn one at a time, in order (no per-session cache, no cycling): a cached id could fall at or below a transaction's floor", async () => {
    const [sequence] = await db.$queryRaw<{ seqcache: bigint; seqcycle: boolean }[]>`SELECT "seqcache", "seqcycle" FROM pg_sequence WHERE "seqrelid" = '"RealtimeEvent_id_seq"'::regclass`;
    expect(sequence).toEqual({ seqcache: 1n, seqcycle: false });
  });

  it("notifies exactly a committed transaction's deferred events, nothing before that call, nothing for a rolled-back one", async () => {
    const { organizationId } = await orgWithSender();
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const deferredTransaction = async (subjectId: string, end: "COMMIT" | "ROLLBACK") => {
        await client.query("BEGIN");
        await client.query("SELECT set_config('leadflow.notify_after_commit', 'on', true)");
        const [{ floor }] = (await client.query(`SELECT (SELECT CASE WHEN "is_called" THEN "last_value" ELSE "last_value" - 1 END FROM "RealtimeEvent_id_seq")::text AS floor`)).rows;
        await client.query(`SELECT leadflow_raise_event($1, NULL, 'inbox', $2, '{"kind":"message"}'::jsonb, NULL)`, [organizationId, subjectId]);
        const [{ xact }] = (await client.query("SELECT pg_current_xact_id()::text AS xact")).rows;
        await client.query(end);
        return { floor: floor as string, xact: xact as string };
      };
      const notifyCommitted = async (t: { floor: string; xact: string }) =>
        (await db.$queryRawUnsafe<{ n: number }[]>("SELECT leadflow_notify_committed($1::bigint, $2::xid8) AS n", t.floor, t.xact))[0]!.n;
      const heardFor = (subjectId: string) => heard.filter((e) => e.organizationId === organizationId && e.subjectId === subjectId);

      const committed = await deferredTransaction("thread-a", "COMMIT");
      // Another transaction's event after the floor, notified by its own commit as always.
      await db.$executeRawUnsafe(`SELECT leadflow_raise_event($1, NULL, 'inbox', 'thread-b', '{"kind":"message"}'::jsonb, NULL)`, organizationId);
      const rolledBack = await deferredTransaction("thread-c", "ROLLBACK");
      await waitFor(async () => heardFor("thread-b"), (e) => e.length > 0, { timeoutMs: 5000, intervalMs: 20 });
      expect(heardFor("thread-a")).toEqual([]);

      expect(await notifyCommitted(rolledBack)).toBe(0);
      expect(await notifyCommitted(committed)).toBe(1);
      await waitFor(async () => heardFor("thread-a"), (e) => e.length > 0, { timeoutMs: 5000, intervalMs: 20 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stored = await db.realtimeEvent.findFirstOrThrow({ where: { organizationId, subjectId: "thread-a" } });
      expect(heardFor("thread-a")).toEqual([{ id: stored.id.toString(), organizationId, userId: null, topic: "inbox", subjectId: "thread-a", data: { kind: "message" } }]);
      expect(heardFor("thread-b")).toHaveLength(1);
      expect(heardFor("thread-c")).toEqual([]);
    } finally {
      await client.end();
    }
  });
});

describe("the notifies of committed STOP statements, when Postgres cannot send them", () => {
  // A real Postgres: on the embedded one every connection is one session, whose own advisory lock never blocks it.
  raceTest("past MAX_NOTIFIES_WAITING queued notifies, the next STOP is answered only once its own notify is sent; each event is still heard once, in commit order", async () => {
    const { organizationId, post } = await orgWithSender();
    // Each notify first waits for an advisory lock this test holds, so none is sent until it lets go.
    const NOTIFY_GATE = 4_242_001;
    const gate = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await gate.connect();
    await gate.query("SELECT pg_advisory_lock($1)", [NOTIFY_GATE]);
    await db.$executeRawUnsafe(`ALTER FUNCTION leadflow_notify_committed(bigint, xid8) RENAME TO leadflow_notify_committed_ungated`);
    await db.$executeRawUnsafe(`
      CREATE FUNCTION leadflow_notify_committed(after_id bigint, xact xid8) RETURNS integer LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${NOTIFY_GATE});
        RETURN leadflow_notify_committed_ungated(after_id, xact);
      END $$`);
    const sids: string[] = [];
    const waitingAfter: number[] = [];
    try {
      // One after another, so each STOP is a statement (and a notify) of its own.
      for (let i = 0; i < MAX_NOTIFIES_WAITING; i++) {
        const { sid, response } = post(uniquePhone(), "STOP");
        expect((await response).status).toBe(200);
        sids.push(sid);
        waitingAfter.push(notifiesWaiting(db));
      }
      // Answered at once, their notifies queued (the first one waiting for the gate).
      expect(waitingAfter).toEqual(Array.from({ length: MAX_NOTIFIES_WAITING }, (_, i) => i + 1));

      const full = post(uniquePhone(), "STOP");
      sids.push(full.sid);
      let fullAnswered = false;
      const fullResponse = full.response.then((response) => ((fullAnswered = true), response));
      // Its statement commits, but its answer waits for its notify, behind the gate.
      await waitFor(async () => db.message.count({ where: { providerMessageId: full.sid } }), (n) => n === 1, { timeoutMs: 5000, intervalMs: 20 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fullAnswered).toBe(false);
      expect(notifiesWaiting(db)).toBe(MAX_NOTIFIES_WAITING + 1);

      await gate.query("SELECT pg_advisory_unlock($1)", [NOTIFY_GATE]);
      expect((await fullResponse).status).toBe(200);
      // Its notify, sent before its answer, was the last queued.
      expect(notifiesWaiting(db)).toBe(0);
    } finally {
      await gate.end();
      await db.$executeRawUnsafe(`DROP FUNCTION leadflow_notify_committed(bigint, xid8)`);
      await db.$executeRawUnsafe(`ALTER FUNCTION leadflow_notify_committed_ungated(bigint, xid8) RENAME TO leadflow_notify_committed`);
    }

    const messages = await db.message.findMany({ where: { providerMessageId: { in: sids } }, select: { id: true, providerMessageId: true } });
    const messageIdOf = new Map(messages.map((m) => [m.providerMessageId, m.id]));
    const inCommitOrder = sids.map((sid) => messageIdOf.get(sid)!);
    await waitFor(async () => inCommitOrder.map((id) => messageEvents(organizationId, id).length), (n) => n.every((c) => c >= 1), { timeoutMs: 8000, intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second notification would have come by now
    expect(inCommitOrder.map((id) => messageEvents(organizationId, id).length)).toEqual(Array(inCommitOrder.length).fill(1));
    const heardOrder = heard.filter((e) => e.organizationId === organizationId && e.topic === "inbox" && e.data?.kind === "message").map((e) => e.data!.messageId);
    expect(heardOrder).toEqual(inCommitOrder);
  }, 30_000);
});
