import "server-only";
import pg from "pg";
import { env } from "../env";
import { log } from "../log";

/**
 * Wakes a job when the database says there is work: one LISTEN connection per worker process on
 * the given channels; each notification (debounced) calls `onWake` for its channel. Notifications
 * sent while the connection is down are lost, so the woken jobs also run on a schedule; after a
 * reconnect every channel is woken once. Closed when `signal` aborts.
 */
export async function listenForWork(channels: readonly string[], onWake: (channel: string) => void, signal: AbortSignal, debounceMs = 200): Promise<void> {
  if (channels.length === 0) return;
  const timers = new Map<string, NodeJS.Timeout>();
  const wake = (channel: string) => {
    if (timers.has(channel)) return;
    const timer = setTimeout(() => {
      timers.delete(channel);
      onWake(channel);
    }, debounceMs);
    timer.unref();
    timers.set(channel, timer);
  };
  let client: pg.Client | null = null;
  let retryMs = 250;
  const open = async (reconnect: boolean) => {
    if (signal.aborted) return;
    const next = new pg.Client({ connectionString: env.DATABASE_URL, keepAlive: true });
    const lost = () => {
      if (client !== next) return;
      client = null;
      next.end().catch(() => {});
      if (signal.aborted) return;
      const timer = setTimeout(() => void open(true).catch(() => {}), retryMs);
      timer.unref();
      retryMs = Math.min(retryMs * 2, 10_000);
    };
    next.on("notification", (message) => {
      if (channels.includes(message.channel)) wake(message.channel);
    });
    next.on("error", (error) => {
      log.warn({ err: error }, "job wake-up listener connection failed");
      lost();
    });
    next.on("end", lost);
    try {
      await next.connect();
      for (const channel of channels) await next.query(`LISTEN "${channel.replace(/"/g, "")}"`);
    } catch (error) {
      log.warn({ err: error }, "job wake-up listener could not connect");
      client = next;
      lost();
      return;
    }
    client = next;
    retryMs = 250;
    if (reconnect) for (const channel of channels) wake(channel);
  };
  signal.addEventListener("abort", () => {
    for (const timer of timers.values()) clearTimeout(timer);
    const current = client;
    client = null;
    current?.end().catch(() => {});
  });
  await open(false);
}
