import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { JOB_HANDLERS, startWorkers } from "@/server/jobs/handlers";
import { stopQueue } from "@/server/jobs/queue";
import { campaignOrg } from "@/test/campaign-fixtures";
import { waitFor } from "@/test/wait-for";

afterAll(async () => {
  await stopQueue({ timeoutMs: 2_000 });
});

const context = { signal: new AbortController().signal, finalAttempt: true };

describe("campaign dispatch as worker jobs", () => {
  it("a launch queues the dispatch; the worker sends every recipient on the simulated sender and completes the campaign", async () => {
    const org = await campaignOrg();
    const leads = await Promise.all([0, 1, 2].map(() => org.lead()));
    const id = await org.launched(leads.map((l) => l.leadId), { ratePerSecond: 5 });
    expect(await db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM pgboss.job WHERE name = 'campaign-dispatch' AND data->>'campaignId' = ${id}`).toEqual([{ count: 2 }]);
    await startWorkers({ pollingIntervalSeconds: 0.5 });
    const done = await waitFor(() => org.manager.campaigns.get({ id }), (campaign) => campaign.status === "completed", { timeoutMs: 20_000 });
    expect(done.stats).toMatchObject({ recipients: 3, sent: 3, pending: 0 });
    // The simulated sender's status callbacks come through the webhook handler: delivered.
    const delivered = await waitFor(() => org.manager.campaigns.stats({ id }), (stats) => stats.delivered === 3, { timeoutMs: 20_000 });
    expect(delivered.rates.delivery).toBe(1);
  });

  it("the sweep restarts a running campaign that has no queued dispatch (a worker died, the queue was down)", async () => {
    const org = await campaignOrg();
    const leads = await Promise.all([0, 1].map(() => org.lead()));
    const { id } = await org.campaign(leads.map((l) => l.leadId));
    await org.manager.campaigns.preflight({ id });
    // Launched without its jobs: as if the web process could not reach the queue.
    await db.campaign.update({ where: { id }, data: { status: "running", launchedAt: new Date() } });
    await JOB_HANDLERS["campaign-sweep"].run({}, context);
    await startWorkers({ pollingIntervalSeconds: 0.5 });
    const done = await waitFor(() => org.manager.campaigns.get({ id }), (campaign) => campaign.status === "completed", { timeoutMs: 20_000 });
    expect(done.stats.sent).toBe(2);
  });
});
