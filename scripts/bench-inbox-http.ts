/**
 * `npm run bench -- inbox-http`: the inbox thread list over HTTP against `next start` (issue 12).
 * One organization with 50,000 conversations (one lead and phone each, an outbound text in every
 * one, a reply in a third, unread in a ninth, some archived, assigned and opted out) plus 10,000
 * in another organization; a signed-in admin's session cookie. Measures inbox.threads (first
 * page, a page deep in the list by its cursor, unread, needs reply + temperature, search by owner
 * name, by message text and by phone digits), inbox.unreadCount, and a bare route as the floor,
 * at 1 and 10 connections: req/s, p50, p95, p99.
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { encode } from "next-auth/jwt";
import type { Db } from "../src/server/db";
import { appEnvironment, ensureProductionBuild, freePort, load, startApp, type LoadRequest } from "./bench-http";

type Deps = {
  db: Db;
  databaseUrl: string;
  team: (name: string) => Promise<{ org: { id: string }; user: { id: string; email: string } }>;
  seedLeads: (orgId: string, count: number, prefix: string, assigneeId?: string) => Promise<number>;
};

const trpcGet = (procedure: string, input: unknown) => `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

/**
 * One conversation per lead of the organization (up to `count`), with its texts, written by SQL
 * with the Message trigger off for the seed (session_replication_role, in the transaction): the
 * thread's summary columns are filled as the trigger would have left them, and no live events are raised.
 */
export async function seedConversations(db: Db, orgId: string, count: number, phonePrefix: string, assigneeId: string | null) {
  const started = performance.now();
  await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      await tx.$executeRaw`
        WITH leads AS (
          SELECT l."id", l."ownerName", l."addressLine1", row_number() OVER (ORDER BY l."id") AS n
          FROM "Lead" l WHERE l."organizationId" = ${orgId} LIMIT ${count})
        INSERT INTO "Conversation" ("id", "organizationId", "leadId", "phone", "lastMessageAt", "lastMessagePreview", "lastDirection", "lastInboundAt",
          "unreadCount", "archivedAt", "assignedUserId", "createdAt", "updatedAt")
        SELECT 'cv' || leads."id", ${orgId}, leads."id", ${phonePrefix} || lpad(leads.n::text, 7, '0'),
          timestamp '2026-01-01' + leads.n * interval '1 minute',
          CASE WHEN leads.n % 3 = 0 THEN 'Maybe, call me about unit ' || leads.n ELSE 'Hi, this is about ' || leads."addressLine1" END,
          (CASE WHEN leads.n % 3 = 0 THEN 'inbound' ELSE 'outbound' END)::"MessageDirection",
          CASE WHEN leads.n % 3 = 0 THEN timestamp '2026-01-01' + leads.n * interval '1 minute' END,
          CASE WHEN leads.n % 9 = 0 THEN 1 ELSE 0 END,
          CASE WHEN leads.n % 20 = 0 THEN timestamp '2026-06-01' END,
          CASE WHEN leads.n % 5 = 0 THEN ${assigneeId} END,
          now(), now()
        FROM leads`;
      await tx.$executeRaw`
        INSERT INTO "Message" ("id", "organizationId", "conversationId", "direction", "body", "segments", "status", "createdAt", "statusUpdatedAt")
        SELECT 'mo' || c."id", ${orgId}, c."id", 'outbound', 'Hi ' || coalesce(l."ownerName", 'there') || ', would you sell ' || l."addressLine1" || '?', 1, 'delivered',
          c."lastMessageAt" - interval '30 seconds', c."lastMessageAt"
        FROM "Conversation" c JOIN "Lead" l ON l."id" = c."leadId" WHERE c."organizationId" = ${orgId}`;
      await tx.$executeRaw`
        INSERT INTO "Message" ("id", "organizationId", "conversationId", "direction", "body", "segments", "status", "createdAt", "statusUpdatedAt")
        SELECT 'mi' || c."id", ${orgId}, c."id", 'inbound', c."lastMessagePreview", 1, 'received', c."lastMessageAt", c."lastMessageAt"
        FROM "Conversation" c WHERE c."organizationId" = ${orgId} AND c."lastDirection" = 'inbound'`;
      // Every 50th number opted out by keyword.
      await tx.$executeRaw`
        INSERT INTO "Suppression" ("id", "organizationId", "phone", "reason", "evidence", "liveKey", "createdAt")
        SELECT 'sp' || c."id", ${orgId}, c."phone", 'keyword', 'bench', c."phone", now()
        FROM "Conversation" c WHERE c."organizationId" = ${orgId} AND right(c."phone", 2) IN ('00', '50')`;
    },
    { timeout: 600_000 },
  );
  return performance.now() - started;
}

export async function benchInboxHttp({ db, databaseUrl, team, seedLeads }: Deps) {
  const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
  const WARMUP_SECONDS = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 2);
  const LEVELS = (process.env.BENCH_HTTP_CONNECTIONS ?? "1,10").split(",").map(Number);
  const N = Number(process.env.BENCH_INBOX_CONVERSATIONS ?? 50_000);

  const { org, user } = await team("Bench Inbox HTTP");
  const other = await team("Bench Inbox HTTP Other");
  await seedLeads(org.id, N, "ib", user.id);
  await seedLeads(other.org.id, 10_000, "ibo");
  const seededMs = await seedConversations(db, org.id, N, "+1512", user.id);
  await seedConversations(db, other.org.id, 10_000, "+1737", null);
  for (const table of ["Lead", "Conversation", "Message", "Suppression"]) await db.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  const counts = await db.$queryRaw<{ threads: bigint; messages: bigint; unread: bigint }[]>`
    SELECT (SELECT count(*) FROM "Conversation" WHERE "organizationId" = ${org.id}) AS threads,
           (SELECT count(*) FROM "Message" WHERE "organizationId" = ${org.id}) AS messages,
           (SELECT count(*) FROM "Conversation" WHERE "organizationId" = ${org.id} AND "unreadCount" > 0 AND "archivedAt" IS NULL) AS unread`;
  console.log(
    `seeded ${Number(counts[0]!.threads).toLocaleString("en-US")} conversations with ${Number(counts[0]!.messages).toLocaleString("en-US")} messages (${Number(counts[0]!.unread).toLocaleString("en-US")} unread) in ${(seededMs / 1000).toFixed(1)} s, +10,000 in another org`,
  );

  const session = await db.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) }, select: { id: true } });
  const cookie = `next-auth.session-token=${await encode({ token: { sub: user.id, email: user.email, sid: session.id }, secret: process.env.NEXTAUTH_SECRET!, maxAge: 86_400 })}`;
  const deep = (await db.conversation.findMany({ where: { organizationId: org.id, archivedAt: null }, orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }], skip: Math.floor(N / 2), take: 1, select: { id: true, lastMessageAt: true } }))[0]!;
  const deepCursor = `${deep.lastMessageAt!.getTime()}_${deep.id}`;

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = appEnvironment(databaseUrl, baseUrl);
  console.log(await ensureProductionBuild(env));
  const app = await startApp({ port, env });
  try {
    const authed = { cookie };
    const threads = (input: unknown): LoadRequest => ({ path: trpcGet("inbox.threads", input), headers: authed });
    const routes: [string, LoadRequest][] = [
      ["bare route (GET /api/ping)", { path: "/api/ping" }],
      ["inbox.threads first page (30)", threads({ limit: 30 })],
      ["inbox.threads page at the middle (cursor)", threads({ limit: 30, cursor: deepCursor })],
      ["inbox.threads unread", threads({ limit: 30, filters: { unread: true } })],
      ["inbox.threads needs reply + HOT", threads({ limit: 30, filters: { needsReply: true, temperature: ["HOT"] } })],
      ["inbox.threads assigned to me", threads({ limit: 30, filters: { assignedToMe: true } })],
      ["inbox.threads opted out", threads({ limit: 30, filters: { optedOut: true } })],
      ["inbox.threads search owner name", threads({ limit: 30, q: "Garcia Brown" })],
      ["inbox.threads search message text", threads({ limit: 30, q: "unit 4242" })],
      ["inbox.threads search phone digits", threads({ limit: 30, q: "512-000-12" })],
      ["inbox.unreadCount", { path: trpcGet("inbox.unreadCount", undefined), headers: authed }],
    ];

    for (const [label, request] of routes) {
      const response = await fetch(`${baseUrl}${request.path}`, { headers: request.headers, redirect: "manual" });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${label}: ${response.status} ${text.slice(0, 500)}\n${app.output()}`);
      if (label.startsWith("inbox.threads")) {
        const items = (JSON.parse(text) as { result: { data: { json: { items: unknown[] } } } }).result.data.json.items;
        console.log(`  ${label}: ${items.length} threads on the page`);
        if (items.length === 0) throw new Error(`${label}: an empty page measures nothing`);
      }
    }
    console.log(
      `next start on ${availableParallelism()} cores; app pool DATABASE_POOL_MAX=${env.DATABASE_POOL_MAX}; autocannon from a process of its own, ${SECONDS} s per measurement after ${WARMUP_SECONDS} s of warm-up`,
    );

    const rows: { label: string; connections: number; rps: number; p50: number; p95: number; p99: number; bad: number }[] = [];
    for (const connections of LEVELS) {
      for (const [label, request] of routes) {
        await load(baseUrl, { connections, seconds: WARMUP_SECONDS, requests: [request] });
        const result = await load(baseUrl, { connections, seconds: SECONDS, requests: [request] });
        rows.push({ label, connections, rps: result.rps, p50: result.p50, p95: result.p95, p99: result.p99, bad: result.answered - result.ok + result.errors + result.timeouts });
      }
      console.log(`load average after the ${connections}-connection round: ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
    }
    for (const connections of LEVELS) {
      console.log(`\n${connections} connection${connections === 1 ? "" : "s"}:`);
      console.log("| request | req/s | p50 | p95 | p99 | non-2xx/errors |");
      console.log("| --- | --- | --- | --- | --- | --- |");
      for (const r of rows.filter((row) => row.connections === connections)) {
        console.log(`| ${r.label} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.bad} |`);
      }
    }
  } finally {
    await app.stop();
  }
}
