/**
 * `npm run bench -- realtime`: live updates across processes (issue 12). Two `next start`
 * processes on one database: CLIENTS signed-in SSE subscribers (realtime.events, as the browser's
 * httpSubscriptionLink opens it) connected to process B, and signed inbound texts posted to
 * process A one at a time, as Twilio would. For each text: the time from its webhook's 200 (as
 * this process saw it) to the event reaching each subscriber — so CLIENTS samples per text. Also
 * the bare route's round trip on B as the floor, and how many events never arrived.
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { encode } from "next-auth/jwt";
import type { Db } from "../src/server/db";
import { appEnvironment, ensureProductionBuild, freePort, percentile, startApp } from "./bench-http";

type Deps = {
  db: Db;
  databaseUrl: string;
  team: (name: string) => Promise<{ org: { id: string }; user: { id: string; email: string } }>;
};

type Subscriber = { arrivals: Map<string, number>; ready: Promise<void>; close: () => void; errors: string[] };

/** One SSE subscriber: records when each inbox event (by message id) arrived. */
function subscribe(baseUrl: string, cookie: string): Subscriber {
  const arrivals = new Map<string, number>();
  const errors: string[] = [];
  const controller = new AbortController();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const url = `${baseUrl}/api/trpc/realtime.events?input=${encodeURIComponent(JSON.stringify({ json: { topics: ["inbox"] } }))}`;
  void (async () => {
    try {
      const response = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: controller.signal });
      if (!response.ok || !response.body) throw new Error(`subscription answered ${response.status}`);
      const decoder = new TextDecoder();
      let buffer = "";
      const reader = response.body.getReader();
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        const now = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith("event: connected") || block.includes("\nevent: connected")) markReady();
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (!data) continue;
          const payload = JSON.parse(data.slice(6)) as { json?: { topic?: string; data?: { messageId?: string } } };
          const messageId = payload.json?.data?.messageId;
          if (payload.json?.topic === "inbox" && messageId && !arrivals.has(messageId)) arrivals.set(messageId, now);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) errors.push(String(error));
      markReady();
    }
  })();
  return { arrivals, ready, close: () => controller.abort(), errors };
}

export async function benchRealtime({ db, databaseUrl, team }: Deps) {
  const CLIENTS = Number(process.env.BENCH_REALTIME_CLIENTS ?? 200);
  const TEXTS = Number(process.env.BENCH_REALTIME_TEXTS ?? 100);
  const WARMUP = 10;
  const { org, user } = await team("Bench Realtime");
  const sendingNumber = "+15125550170";
  await db.smsSenderIdentity.create({ data: { organizationId: org.id, kind: "phone_number", value: sendingNumber } });
  const session = await db.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) }, select: { id: true } });
  const cookie = `next-auth.session-token=${await encode({ token: { sub: user.id, email: user.email, sid: session.id }, secret: process.env.NEXTAUTH_SECRET!, maxAge: 86_400 })}`;

  const [portA, portB] = [await freePort(), await freePort()];
  const baseA = `http://127.0.0.1:${portA}`;
  const baseB = `http://127.0.0.1:${portB}`;
  // Twilio signs the URL it posts to: process A's. Both processes are one deployment (one PUBLIC_BASE_URL each here).
  const envA = appEnvironment(databaseUrl, baseA);
  const envB = appEnvironment(databaseUrl, baseB);
  console.log(await ensureProductionBuild(envA));
  const [appA, appB] = await Promise.all([startApp({ port: portA, env: envA }), startApp({ port: portB, env: envB })]);
  const { signedTwilioWebhook } = await import("../src/server/messaging/webhook-signature");
  const signingEnv = { NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET!, NEXTAUTH_URL: baseA, PUBLIC_BASE_URL: baseA };
  const subscribers: Subscriber[] = [];
  try {
    for (let i = 0; i < CLIENTS; i++) subscribers.push(subscribe(baseB, cookie));
    await Promise.all(subscribers.map((s) => s.ready));
    const failed = subscribers.filter((s) => s.errors.length > 0);
    if (failed.length) throw new Error(`${failed.length} subscribers failed: ${failed[0]!.errors[0]}\n${appB.output()}`);

    const text = async (i: number) => {
      const sid = `SM${(0xbe000 + i).toString(16).padStart(32, "0")}`;
      const from = `+1737${String(3_000_000 + i)}`;
      const { url, init } = signedTwilioWebhook(signingEnv, "/api/webhooks/twilio/inbound", {
        MessageSid: sid, AccountSid: `AC${"0".repeat(32)}`, From: from, To: sendingNumber, Body: "Is this about the house on Elm?", NumSegments: "1",
      });
      const response = await fetch(url, init);
      const answeredAt = performance.now();
      if (response.status !== 200) throw new Error(`inbound webhook answered ${response.status}: ${await response.text()}`);
      const message = await db.message.findUniqueOrThrow({ where: { providerMessageId: sid }, select: { id: true } });
      return { messageId: message.id, answeredAt };
    };
    const waitAll = async (messageId: string, timeoutMs = 5_000) => {
      const deadline = performance.now() + timeoutMs;
      while (subscribers.some((s) => !s.arrivals.has(messageId)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    };

    for (let i = 0; i < WARMUP; i++) await waitAll((await text(i)).messageId);
    const samples: number[] = [];
    const firstArrivals: number[] = [];
    const lastArrivals: number[] = [];
    let missing = 0;
    for (let i = WARMUP; i < WARMUP + TEXTS; i++) {
      const { messageId, answeredAt } = await text(i);
      await waitAll(messageId);
      const arrivals = subscribers.map((s) => s.arrivals.get(messageId));
      missing += arrivals.filter((a) => a === undefined).length;
      const delays = arrivals.filter((a): a is number => a !== undefined).map((a) => a - answeredAt);
      samples.push(...delays);
      firstArrivals.push(Math.min(...delays));
      lastArrivals.push(Math.max(...delays));
    }
    const floor: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await (await fetch(`${baseB}/api/ping`)).text();
      floor.push(performance.now() - started);
    }
    const fmt = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `median ${percentile(sorted, 50).toFixed(1)} ms · p99 ${percentile(sorted, 99).toFixed(1)} ms`;
    };
    console.log(
      `${CLIENTS} signed-in SSE subscribers on process B (realtime.events, one user's session), ${TEXTS} signed inbound texts posted one at a time to process A (after ${WARMUP} warm-up); ${availableParallelism()} cores`,
    );
    console.log(`webhook 200 on A → event at a subscriber on B (${samples.length} samples): ${fmt(samples)}`);
    console.log(`  first subscriber per text: ${fmt(firstArrivals)} · last of the ${CLIENTS} per text: ${fmt(lastArrivals)}`);
    console.log(`  events that never arrived within 5 s: ${missing} of ${TEXTS * CLIENTS}`);
    console.log(`floor: GET /api/ping round trip on B: ${fmt(floor)} · load average ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
    console.log(`(negative delays would mean the event reached a subscriber before the webhook's answer reached this process: NOTIFY fires on commit, the 200 follows it)`);
  } finally {
    for (const s of subscribers) s.close();
    await Promise.all([appA.stop(), appB.stop()]);
  }
}
