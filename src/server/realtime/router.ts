import "server-only";
import { tracked } from "@trpc/server";
import { createTRPCRouter, orgProcedure } from "../trpc";
import { realtimeEventsInput } from "./schema";
import { organizationEvents } from "./stream";

export const realtimeRouter = createTRPCRouter({
  /**
   * The signed-in organization's live events over SSE (httpSubscriptionLink). Each is tracked by
   * its id, so a reconnecting client resumes after the last one it got.
   */
  events: orgProcedure.input(realtimeEventsInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const stream = organizationEvents(ctx.db, {
      organizationId: ctx.orgId,
      userId: ctx.userId,
      topics: input.topics ?? null,
      lastEventId: input.lastEventId ?? null,
      signal,
    });
    for await (const item of stream) {
      if (item.kind === "resync")
        yield tracked(item.id, { topic: "resync" as const, subjectId: null, data: {} });
      else if (item.kind === "cursor")
        yield tracked(item.id, { topic: "cursor" as const, subjectId: null, data: {} });
      else
        yield tracked(item.event.id, {
          topic: item.event.topic,
          subjectId: item.event.subjectId,
          data: item.event.data,
        });
    }
  }),
});
