import { z } from "zod";

/** What a live event is about; the client refreshes what shows that subject. */
export const REALTIME_TOPICS = ["inbox", "campaign", "job", "notification"] as const;
export type RealtimeTopic = (typeof REALTIME_TOPICS)[number];

/**
 * One event as the database notifies it (leadflow_notify_event in the inbox_realtime migration):
 * ids only, never message bodies or names. `partial`: the payload was too long for NOTIFY and the
 * listener reads the row.
 */
export const notifiedEventSchema = z.object({
  id: z.string().regex(/^\d+$/),
  organizationId: z.string(),
  userId: z.string().nullish(),
  topic: z.string().optional(),
  subjectId: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).optional(),
  partial: z.boolean().optional(),
});

export type RealtimeEvent = {
  id: string;
  organizationId: string;
  userId: string | null;
  topic: RealtimeTopic;
  subjectId: string | null;
  data: Record<string, unknown>;
};

export const isRealtimeTopic = (value: unknown): value is RealtimeTopic =>
  (REALTIME_TOPICS as readonly unknown[]).includes(value);
