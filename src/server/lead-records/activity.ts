import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { ActivityKind } from "@/generated/prisma/enums";
import type { Db } from "../db";

export type ActivityInput = { orgId: string; leadId: string; actorId: string | null; kind: ActivityKind; details?: Prisma.InputJsonValue };

export async function recordActivities(db: Pick<Db, "activityEvent">, events: ActivityInput[]) {
  if (events.length === 0) return;
  await db.activityEvent.createMany({
    data: events.map((event) => ({
      organizationId: event.orgId,
      leadId: event.leadId,
      actorId: event.actorId,
      kind: event.kind,
      details: event.details,
    })),
  });
}
