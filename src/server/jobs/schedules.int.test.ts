import { afterAll, describe, expect, it } from "vitest";
import { reserve } from "@/server/budget/ledger";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { withIdempotency } from "@/server/idempotency";
import { spawnScript } from "@/test/child/spawn";
import { waitFor } from "@/test/wait-for";
import { createTeam } from "@/test/factories";
import { JOB_HANDLERS, startWorkers } from "./handlers";
import { stopQueue } from "./queue";

afterAll(async () => {
  await stopQueue({ timeoutMs: 1000 });
});

const context = { signal: new AbortController().signal, finalAttempt: true };

let workerStarted: Promise<unknown> | null = null;
/** The worker as scripts/worker.ts starts it, with the cron checked every second instead of 30. */
const startWorker = () => (workerStarted ??= startWorkers({ pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 }));

async function reservedCents(orgId: string) {
  const rows = await db.dailySpend.findMany({ where: { organizationId: orgId, provider: "attom" }, select: { reservedCents: true, spentCents: true } });
  return rows.reduce((sum, row) => sum + row.reservedCents, 0);
}

describe("a process that dies holding a spend reservation", () => {
  it("keeps the cap consumed until the reservation expires; then the worker's scheduled reaper releases it and the whole cap can be reserved again", async () => {
    const team = await createTeam("Crashers");
    const orgId = team.org.id;
    await db.budgetSetting.create({ data: { organizationId: orgId, provider: "attom", dailyCapCents: 50, costPerCallCents: 10 } });

    const child = spawnScript("reserve-then-hang.ts", [orgId, "50"]);
    const reservation = JSON.parse(await child.firstLine) as { id: string; cents: number };
    expect(reservation.cents).toBe(50);
    child.process.kill("SIGKILL");
    await child.exited;
    expect(child.process.signalCode).toBe("SIGKILL");

    // The dead process's 50¢ still count against the 50¢ cap: nothing more may be reserved.
    const refused = await reserve(db, { orgId, provider: "attom", operation: "after_crash", cents: 10 }).catch((e: unknown) => e);
    expect(isAppError(refused, "CAP_EXCEEDED")).toBe(true);
    expect(await reservedCents(orgId)).toBe(50);

    // Before its expiry the reaper leaves it alone: a slow but live process may still settle it.
    await JOB_HANDLERS["reservation-reaper"].run({}, context);
    expect(await db.spendReservation.findUniqueOrThrow({ where: { id: reservation.id } })).toMatchObject({ status: "reserved" });
    expect(await reservedCents(orgId)).toBe(50);

    // Its 10 minutes pass (moved, not waited for); a worker starts and its schedule runs the reaper.
    await db.spendReservation.update({ where: { id: reservation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await startWorker();
    const released = await waitFor(
      () => db.spendReservation.findUniqueOrThrow({ where: { id: reservation.id } }),
      (row) => row.status === "released",
    );
    expect(released.status).toBe("released");
    expect(await reservedCents(orgId)).toBe(0);
    // Nobody sent it: the run came from the schedule (pg-boss marks it completed once the handler returns).
    const completedRuns = async () =>
      (await db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM pgboss.job WHERE name = 'reservation-reaper' AND state = 'completed'`)[0]!.count;
    expect(await waitFor(completedRuns, (count) => count >= 1)).toBeGreaterThanOrEqual(1);

    const whole = await reserve(db, { orgId, provider: "attom", operation: "after_reaper", cents: 50 });
    expect(whole.cents).toBe(50);
  }, 60_000);
});

describe("the worker's schedules", () => {
  it("registers every periodic job in pgboss.schedule (UTC cron)", async () => {
    await startWorker();
    const schedules = await db.$queryRaw<{ name: string; cron: string; timezone: string }[]>`
      SELECT name, cron, timezone FROM pgboss.schedule ORDER BY name`;
    expect(schedules).toEqual([
      { name: "analytics-rollup", cron: "*/10 * * * *", timezone: "UTC" },
      { name: "analytics-rollup-nightly", cron: "43 3 * * *", timezone: "UTC" },
      { name: "auth-records-expiry", cron: "27 * * * *", timezone: "UTC" },
      { name: "campaign-sweep", cron: "* * * * *", timezone: "UTC" },
      { name: "idempotency-key-expiry", cron: "17 * * * *", timezone: "UTC" },
      { name: "realtime-event-expiry", cron: "37 * * * *", timezone: "UTC" },
      { name: "reservation-reaper", cron: "* * * * *", timezone: "UTC" },
      { name: "scheduled-reply-recovery", cron: "* * * * *", timezone: "UTC" },
      { name: "search-cache-expiry", cron: "7 * * * *", timezone: "UTC" },
      { name: "sequence-sweep", cron: "* * * * *", timezone: "UTC" },
      { name: "webhook-dispatch", cron: "* * * * *", timezone: "UTC" },
      { name: "webhook-log-expiry", cron: "47 * * * *", timezone: "UTC" },
    ]);
  });
});

describe("expiry jobs", () => {
  it("deletes search cache rows of days that are past for every organization, and keeps the rest", async () => {
    const team = await createTeam("Cache owners");
    const utcDay = (offset: number) => {
      const now = new Date();
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset));
    };
    const offsets = [-3, -2, -1, 0, 1];
    for (const offset of offsets) {
      await db.providerCacheEntry.create({
        data: { organizationId: team.org.id, provider: "attom", cacheKey: `key-${offset}`, day: utcDay(offset), status: "ready", response: { offset } },
      });
    }
    await JOB_HANDLERS["search-cache-expiry"].run({}, context);
    const left = await db.providerCacheEntry.findMany({ where: { organizationId: team.org.id }, select: { cacheKey: true }, orderBy: { day: "asc" } });
    // Yesterday (UTC) is still today somewhere west of UTC; the day before is past everywhere.
    expect(left.map((row) => row.cacheKey)).toEqual(["key--1", "key-0", "key-1"]);
  });

  it("deletes expired idempotency keys and keeps live ones, which still replay", async () => {
    const team = await createTeam("Key owners");
    const orgId = team.org.id;
    await withIdempotency(db, { orgId, scope: "test", key: "live", payload: { n: 1 } }, async () => ({ answer: 1 }));
    await db.idempotencyKey.createMany({
      data: [
        { organizationId: orgId, scope: "test", key: "expired-yesterday", requestHash: "x", response: { answer: 0 }, expiresAt: new Date(Date.now() - 86_400_000) },
        { organizationId: orgId, scope: "test", key: "expired-just-now", requestHash: "x", expiresAt: new Date(Date.now() - 1000) },
      ],
    });
    await JOB_HANDLERS["idempotency-key-expiry"].run({}, context);
    const left = await db.idempotencyKey.findMany({ where: { organizationId: orgId }, select: { key: true } });
    expect(left.map((row) => row.key)).toEqual(["live"]);
    const replay = await withIdempotency(db, { orgId, scope: "test", key: "live", payload: { n: 1 } }, async () => ({ answer: 2 }));
    expect(replay).toEqual({ result: { answer: 1 }, replayed: true });
  });

  it("deletes sign-in attempts and ended sessions past the retention, and keeps live sessions", async () => {
    const team = await createTeam("Auth records");
    const email = `old-attempts-${Date.now()}@example.com`;
    const day = 86_400_000;
    const now = Date.now();
    await db.loginAttempt.createMany({
      data: [
        { email, ip: "10.0.0.1", succeeded: false, createdAt: new Date(now - 31 * day) },
        { email, ip: "10.0.0.1", succeeded: false, createdAt: new Date(now - 60_000) },
      ],
    });
    const userId = team.admin.id;
    const live = await db.authSession.create({ data: { userId, expiresAt: new Date(now + 10 * day) } });
    const recentlyRevoked = await db.authSession.create({ data: { userId, expiresAt: new Date(now + 10 * day), revokedAt: new Date(now - day) } });
    const longRevoked = await db.authSession.create({ data: { userId, expiresAt: new Date(now + 10 * day), revokedAt: new Date(now - 31 * day) } });
    const longEnded = await db.authSession.create({
      data: { userId, createdAt: new Date(now - 70 * day), lastSeenAt: new Date(now - 40 * day), expiresAt: new Date(now - 40 * day) },
    });

    await JOB_HANDLERS["auth-records-expiry"].run({}, context);

    const attempts = await db.loginAttempt.findMany({ where: { email } });
    expect(attempts).toHaveLength(1);
    const sessions = await db.authSession.findMany({ where: { id: { in: [live.id, recentlyRevoked.id, longRevoked.id, longEnded.id] } }, select: { id: true } });
    expect(sessions.map((s) => s.id).sort()).toEqual([live.id, recentlyRevoked.id].sort());
  });
});
