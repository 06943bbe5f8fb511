import "server-only";
import pg from "pg";
import { log } from "../log";
import { isRealtimeTopic, notifiedEventSchema, type RealtimeEvent } from "./events";

export const REALTIME_CHANNEL = "leadflow_events";
const HEALTH_CHECK_MS = 30_000;
const HEALTH_TIMEOUT_MS = 10_000;

type Listener = { onEvent: (event: RealtimeEvent) => void; onGap: () => void };

/**
 * One LISTEN connection per process, fanned out to this process's subscribers by organization.
 * Nothing here must survive: events live in the RealtimeEvent table, and when the connection
 * drops (notifications in between are lost) every subscriber is told to replay from its last id.
 */
export class RealtimeHub {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private retryMs = 250;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly readEvent: (id: string) => Promise<RealtimeEvent | null>,
  ) {}

  /** Registers a listener for one organization's events; resolves once the process is listening. */
  async subscribe(organizationId: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(organizationId);
    if (!set) this.listeners.set(organizationId, (set = new Set()));
    set.add(listener);
    const unsubscribe = () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(organizationId) === set)
        this.listeners.delete(organizationId);
    };
    try {
      await this.connect();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    return (this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    }));
  }

  private async open() {
    const client = new pg.Client({
      connectionString: this.connectionString,
      options: "-c TimeZone=UTC",
      keepAlive: true,
    });
    client.on("notification", (message) => {
      if (message.channel === REALTIME_CHANNEL && message.payload)
        void this.dispatch(message.payload);
    });
    client.on("error", (error) => {
      log.warn({ err: error }, "realtime listener connection failed");
      this.lost(client);
    });
    client.on("end", () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${REALTIME_CHANNEL}`);
    this.client = client;
    this.retryMs = 250;
    this.watch(client);
  }

  /**
   * A connection can die without a word (a NAT or firewall forgetting it): asked every
   * HEALTH_CHECK_MS, a connection that does not answer within HEALTH_TIMEOUT_MS is treated as lost
   * (reconnect, then every subscriber replays).
   */
  private watch(client: pg.Client) {
    const timer = setInterval(() => {
      if (this.client !== client) return clearInterval(timer);
      let answered = false;
      const timeout = setTimeout(() => {
        if (!answered) {
          log.warn("realtime listener connection stopped answering");
          this.lost(client);
        }
      }, HEALTH_TIMEOUT_MS);
      timeout.unref();
      client.query("SELECT 1").then(
        () => {
          answered = true;
          clearTimeout(timeout);
        },
        () => {
          answered = true;
          clearTimeout(timeout);
          this.lost(client);
        },
      );
    }, HEALTH_CHECK_MS);
    timer.unref();
  }

  /** The connection is gone: reconnect with backoff, then every subscriber replays what it missed. */
  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => {});
    if (this.closed || this.listeners.size === 0) return;
    const reconnect = () => {
      this.retryTimer = null;
      this.connect().then(
        () => {
          for (const set of this.listeners.values()) for (const listener of set) listener.onGap();
        },
        (error: unknown) => {
          log.warn({ err: error, retryMs: this.retryMs }, "realtime listener could not reconnect");
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          this.retryTimer = setTimeout(reconnect, this.retryMs);
        },
      );
    };
    this.retryTimer = setTimeout(reconnect, this.retryMs);
  }

  private async dispatch(payload: string) {
    let parsed;
    try {
      parsed = notifiedEventSchema.parse(JSON.parse(payload));
    } catch (error) {
      log.warn({ err: error }, "unreadable realtime notification");
      return;
    }
    const set = this.listeners.get(parsed.organizationId);
    if (!set?.size) return;
    const event =
      parsed.partial || !isRealtimeTopic(parsed.topic)
        ? await this.readEvent(parsed.id).catch(() => null)
        : {
            id: parsed.id,
            organizationId: parsed.organizationId,
            userId: parsed.userId ?? null,
            topic: parsed.topic,
            subjectId: parsed.subjectId ?? null,
            data: parsed.data ?? {},
          };
    if (!event) return;
    for (const listener of set) listener.onEvent(event);
  }

  /** Test and shutdown: drops the connection (a test then sees subscribers catch up). */
  async dropConnection() {
    const client = this.client;
    if (client) {
      client.emit("end");
    }
  }

  async close() {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
