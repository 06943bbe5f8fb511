import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import type { RealtimeTopic } from "./events";

/**
 * Raises a live event from a service, in the caller's transaction when given one (listeners hear
 * it on commit, never for a rolled-back change). Ids only in `data`. Most events are raised by
 * triggers (messages, campaigns, jobs: migration 20261129233000_inbox_realtime); this is for the
 * rest. `throttleSeconds`: nothing is raised when the subject had an event of this topic that recently.
 */
export async function raiseEvent(
  db: Db | Prisma.TransactionClient,
  event: {
    organizationId: string;
    userId?: string | null;
    topic: RealtimeTopic;
    subjectId?: string | null;
    data?: Record<string, string | number | boolean | null>;
    throttleSeconds?: number;
  },
): Promise<void> {
  const throttle = event.throttleSeconds ? `${event.throttleSeconds} seconds` : null;
  await db.$executeRaw`SELECT leadflow_raise_event(${event.organizationId}, ${event.userId ?? null}, ${event.topic}, ${event.subjectId ?? null}, ${JSON.stringify(event.data ?? {})}::jsonb, ${throttle}::interval)`;
}

/** Events are kept this long for reconnecting clients. */
export const REALTIME_EVENT_RETENTION_HOURS = 24;

export async function deleteExpiredRealtimeEvents(db: Db, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - REALTIME_EVENT_RETENTION_HOURS * 3_600_000);
  const { count } = await db.realtimeEvent.deleteMany({ where: { createdAt: { lt: cutoff } } });
  return count;
}
