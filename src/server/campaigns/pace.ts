import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";

/**
 * The organization's send clock, a GCRA in one row (SmsSendPace): each send takes the next slot,
 * `1 / rate` after the previous one, never before now. Every dispatcher of the organization, in
 * every worker process, takes its slots from the same row, so the throttle holds however many
 * workers run; an idle clock does not bank slots (no burst after a pause).
 *
 * Slots are spaced a little wider than 1/rate (RATE_HEADROOM): a send goes out a few
 * milliseconds after its slot (the decision, the reservation and the message row come between),
 * and that jitter must never fit one send too many into a second.
 */
export const RATE_HEADROOM = 0.97;

export function slotIntervalMs(ratePerSecond: number): number {
  return 1000 / (ratePerSecond * RATE_HEADROOM);
}

/** Takes the next slot at `ratePerSecond`; resolves to how long to wait for it (database clock, so skew-free). */
export async function takeSendSlot(db: Db, orgId: string, ratePerSecond: number): Promise<number> {
  const interval = slotIntervalMs(ratePerSecond);
  const [row] = await querySql<{ waitMs: number }>(
    db,
    Prisma.sql`WITH now AS (SELECT clock_timestamp() AS at)
      INSERT INTO "SmsSendPace" AS pace ("organizationId", "nextSlotAt")
      SELECT ${orgId}, now.at + ${interval} * interval '1 millisecond' FROM now
      ON CONFLICT ("organizationId") DO UPDATE
        SET "nextSlotAt" = GREATEST(pace."nextSlotAt", (SELECT at FROM now)) + ${interval} * interval '1 millisecond'
      RETURNING GREATEST(0, EXTRACT(EPOCH FROM (pace."nextSlotAt" - ${interval} * interval '1 millisecond' - (SELECT at FROM now))) * 1000)::float8 AS "waitMs"`,
  );
  return row?.waitMs ?? 0;
}

/** Holds every send of the organization back for `ms` (Twilio said 429 / queue full). */
export async function pushBackSendClock(db: Db, orgId: string, ms: number): Promise<void> {
  await querySql(
    db,
    Prisma.sql`INSERT INTO "SmsSendPace" AS pace ("organizationId", "nextSlotAt") VALUES (${orgId}, clock_timestamp() + ${ms} * interval '1 millisecond')
      ON CONFLICT ("organizationId") DO UPDATE SET "nextSlotAt" = GREATEST(pace."nextSlotAt", clock_timestamp() + ${ms} * interval '1 millisecond')`,
  );
}
