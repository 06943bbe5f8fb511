import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";

/**
 * The organization's send clock, in one row (SmsSendPace) every dispatcher of the organization
 * shares, in every worker process, so the throttle holds however many workers run:
 *
 * - pacing: each send first takes the next slot, `1 / rate` after the previous one and never
 *   before now (a GCRA: an idle clock banks nothing, so no burst after a pause), then waits for it;
 * - the guarantee: right before the provider call, the send records its instant only if fewer
 *   than `rate` sends were recorded in the last SEND_WINDOW_MS, else it waits for the oldest to
 *   leave the window. So no window of that length ever holds more than `rate` sends.
 *
 * The window is a little longer than a second (and slots spaced to match): what Twilio sees is
 * the recorded instant plus the time the request takes to leave, and that jitter must never fit
 * one send too many into one of Twilio's seconds. The cost is ~4 % of the configured rate.
 */
export const RATE_HEADROOM = 0.96;
export const SEND_WINDOW_MS = 1000 / RATE_HEADROOM;

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

/**
 * Records a send now if fewer than `ratePerSecond` sends of the organization fall in the last
 * SEND_WINDOW_MS. Resolves to `{ waitMs: 0, at }` when recorded (send now; `at` is the recorded
 * instant, to give back with releaseSendInstant), else to how long to wait before asking again.
 */
export async function claimSendInstant(db: Db, orgId: string, ratePerSecond: number): Promise<{ waitMs: number; at: Date | null }> {
  const [row] = await querySql<{ waitMs: number; at: Date | null }>(
    db,
    // The window is read with the instant the statement started (`now`, before any wait for the
    // row lock: an earlier instant keeps older sends in the window, the safe side); the instant
    // recorded is taken in the UPDATE, after the lock, so recorded instants follow the lock order.
    // Milliseconds: the instant goes back to the caller as a JS Date, and must match to be given back.
    Prisma.sql`WITH now AS (SELECT date_trunc('milliseconds', clock_timestamp()) AS at),
      current AS (
        SELECT pace."organizationId", ARRAY(SELECT t FROM unnest(COALESCE(pace."recentSends", '{}')) t, now WHERE t > now.at - ${SEND_WINDOW_MS} * interval '1 millisecond' ORDER BY t) AS recent
        FROM "SmsSendPace" pace WHERE pace."organizationId" = ${orgId} FOR UPDATE
      ),
      recorded AS (
        UPDATE "SmsSendPace" pace SET "recentSends" = current.recent || date_trunc('milliseconds', clock_timestamp())
        FROM current WHERE pace."organizationId" = current."organizationId" AND cardinality(current.recent) < ${ratePerSecond}
        RETURNING pace."recentSends"[cardinality(pace."recentSends")] AS at
      )
      SELECT (SELECT at FROM recorded) AS "at",
        CASE WHEN EXISTS (SELECT 1 FROM recorded) THEN 0::float8
        ELSE GREATEST(1, EXTRACT(EPOCH FROM (current.recent[cardinality(current.recent) - ${ratePerSecond} + 1] + ${SEND_WINDOW_MS} * interval '1 millisecond' - (SELECT at FROM now))) * 1000)::float8 END AS "waitMs"
      FROM current`,
  );
  // No clock row yet: the slot taken before made it; this cannot happen, but never block on it.
  return row ?? { waitMs: 0, at: null };
}

/** Gives back a recorded instant whose send did not go at once (the process was held up after recording it). */
export async function releaseSendInstant(db: Db, orgId: string, at: Date): Promise<void> {
  await querySql(db, Prisma.sql`UPDATE "SmsSendPace" SET "recentSends" = array_remove("recentSends", ${at}::timestamptz) WHERE "organizationId" = ${orgId}`);
}
