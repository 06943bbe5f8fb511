import "server-only";
import type { Db } from "../db";
import { enqueue } from "../jobs/queue";
import { log } from "../log";

/**
 * Dispatch runs per campaign: DISPATCH_LANES chains of `campaign-dispatch` jobs (one queued job
 * per lane at most: the queue's "short" policy), so two worker processes can both send for one
 * campaign while the organization's send clock keeps the rate. A chain re-queues itself while
 * work is due within a minute; the `campaign-sweep` schedule restarts chains for what comes due
 * later (a window opening, a schedule, a cap reset) and after a worker died.
 */
export const DISPATCH_LANES = 2;
/** A chain waits in the queue for work due this soon; later work is left to the sweep. */
export const REQUEUE_HORIZON_MS = 60_000;

export async function enqueueCampaignDispatch(campaignId: string, startAfter?: Date): Promise<void> {
  const later = startAfter && startAfter.getTime() > Date.now() + 1_000 ? { startAfter } : {};
  for (let lane = 0; lane < DISPATCH_LANES; lane++) {
    await enqueue("campaign-dispatch", { campaignId, lane }, { singletonKey: `${campaignId}:${lane}`, ...later });
  }
}

/** After a web request changed a campaign: start its dispatch now; the sweep retries if the queue is down. */
export async function startDispatchSoon(campaignId: string, startAfter?: Date): Promise<void> {
  try {
    await enqueueCampaignDispatch(campaignId, startAfter);
  } catch (error) {
    log.warn({ err: error, campaignId }, "could not queue the campaign's dispatch now; the sweep will within a minute");
  }
}

export type HaltReason = "daily_cap" | "kill_switch" | "no_sender";

/** Stops a running campaign for a reason of the system's; `resumeAt` when it goes on by itself. */
export async function haltCampaign(db: Db, campaignId: string, halt: { reason: HaltReason; message: string; resumeAt: Date | null }): Promise<void> {
  await db.campaign.updateMany({
    where: { id: campaignId, status: "running" },
    data: { status: "halted", haltReason: halt.reason, haltMessage: halt.message, resumeAt: halt.resumeAt },
  });
}

/** The campaigns a dispatch should run for now or within the horizon (the sweep's list). */
export async function campaignsDueForDispatch(db: Db): Promise<{ id: string; startAfter: Date }[]> {
  return db.$queryRaw<{ id: string; startAfter: Date }[]>`
    SELECT c.id, GREATEST(now(), COALESCE(
      CASE c.status WHEN 'scheduled' THEN c."scheduledAt" WHEN 'halted' THEN c."resumeAt" END,
      (SELECT min(COALESCE(r."notBefore", now())) FROM "CampaignRecipient" r WHERE r."campaignId" = c.id AND r.status IN ('pending', 'sending')),
      now())) AS "startAfter"
    FROM "Campaign" c
    WHERE (c.status = 'scheduled' AND c."scheduledAt" <= now() + interval '1 minute')
       OR (c.status = 'halted' AND c."resumeAt" <= now() + interval '1 minute')
       OR (c.status = 'running' AND EXISTS (
             SELECT 1 FROM "CampaignRecipient" r WHERE r."campaignId" = c.id
               AND ((r.status = 'pending' AND (r."notBefore" IS NULL OR r."notBefore" <= now() + interval '1 minute')) OR r.status = 'sending')))
       OR (c.status = 'running' AND NOT EXISTS (SELECT 1 FROM "CampaignRecipient" r WHERE r."campaignId" = c.id AND r.status IN ('pending', 'sending')))`;
}
