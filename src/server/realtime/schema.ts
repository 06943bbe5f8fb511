import { z } from "zod";
import { REALTIME_TOPICS } from "./events";

export const realtimeEventsInput = z.object({
  topics: z.array(z.enum(REALTIME_TOPICS)).min(1).max(REALTIME_TOPICS.length).optional(),
  /** Set by the client on a reconnect (the id of the last event it received). */
  lastEventId: z
    .string()
    .regex(/^\d{1,19}$/, "lastEventId must be an event id.")
    .refine((id) => BigInt(id) <= 9_223_372_036_854_775_807n, "lastEventId must be an event id.")
    .nullish(),
});
