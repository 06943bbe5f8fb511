import { describe, expect, it } from "vitest";
import { createDb, db } from "@/server/db";
import { spawnScript } from "@/test/child/spawn";
import { waitFor } from "@/test/wait-for";
import { isAppError } from "@/server/errors";
import { raceTest } from "@/test/database-kind";
import { createTeam } from "@/test/factories";
import { loadBillingContext } from "./context";
import { release, releaseExpiredReservations, reserve, reserveUpTo, settle } from "./ledger";

async function org(capCents: number, unitCents = 10) {
  const team = await createTeam();
  await db.budgetSetting.create({ data: { organizationId: team.org.id, provider: "batchdata", dailyCapCents: capCents, costPerCallCents: unitCents } });
  const today = () => db.dailySpend.findFirst({ where: { organizationId: team.org.id, provider: "batchdata" } });
  const request = (maxUnits: number) => ({ orgId: team.org.id, provider: "batchdata" as const, operation: "skip_trace", unitCents, maxUnits });
  return { team, today, request };
}

describe("reserveUpTo", () => {
  it("grants what the cap still allows, up to the units asked for", async () => {
    const { request, today } = await org(55);
    expect((await reserveUpTo(db, request(3))).units).toBe(3);
    expect((await reserveUpTo(db, request(3))).units).toBe(2); // 30 + 20 of 55: a third unit would overshoot
    expect(await today()).toMatchObject({ reservedCents: 50, spentCents: 0 });
  });

  it("is CAP_EXCEEDED with the cap's explanation when nothing fits, and reserves nothing", async () => {
    const { request, today } = await org(25);
    await reserveUpTo(db, request(2));
    const error = await reserveUpTo(db, request(5)).catch((e: unknown) => e);
    expect(isAppError(error, "CAP_EXCEEDED")).toBe(true);
    expect((error as Error).message).toContain("BatchData skip tracing daily cap reached: today's spend is $0.20 of $0.25");
    expect((error as Error).message).toContain("Nothing was charged");
    expect(await today()).toMatchObject({ reservedCents: 20 });
  });

  it("tells when the cap resets in the organization's own time, never as a UTC instant", async () => {
    const { team, request } = await org(10);
    await db.organization.update({ where: { id: team.org.id }, data: { timeZone: "America/Los_Angeles" } });
    await reserveUpTo(db, request(1));
    const error = await reserveUpTo(db, request(1)).catch((e: unknown) => e);
    expect(isAppError(error, "CAP_EXCEEDED")).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/The cap resets at midnight your time \(12:00 AM P[SD]T on [A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}\)/);
    expect(message).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    // Programs still get the instant.
    expect((error as { details?: { resetsAt?: unknown; timeZone?: unknown } }).details).toMatchObject({
      resetsAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/),
      timeZone: "America/Los_Angeles",
    });
  });

  it("counts settled spend and gives released units back", async () => {
    const { request, today } = await org(50);
    const first = await reserveUpTo(db, request(5));
    await settle(db, first, { cents: 20, operation: "skip_trace" }); // 2 of 5 matched
    expect(await today()).toMatchObject({ spentCents: 20, reservedCents: 0 });
    const second = await reserveUpTo(db, request(10));
    expect(second.units).toBe(3);
    await release(db, second);
    expect((await reserveUpTo(db, request(10))).units).toBe(3);
  });

  it("uses the request's billing context instead of reading the organization again", async () => {
    const { team, request } = await org(40);
    const context = await loadBillingContext(db, team.org.id, ["batchdata"]);
    const granted = await reserveUpTo(db, request(9), context);
    expect(granted).toMatchObject({ units: 4, cents: 40, day: context.day });
    await settle(db, granted, { cents: 30, operation: "skip_trace" }, context);
    expect(context.budgets.batchdata).toMatchObject({ spentCents: 30, reservedCents: 0 });
  });

  raceTest("splits a cap between 20 concurrent callers without overshooting it: the grants add up to the cap exactly", async () => {
    const { request, today } = await org(170); // 17 units of 10 for 20 callers wanting 3 each (60)
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => reserveUpTo(db, request(3))));
    const granted = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value.units] : []));
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(granted.reduce((sum, units) => sum + units, 0)).toBe(17);
    for (const o of refused) expect(isAppError((o as PromiseRejectedResult).reason, "CAP_EXCEEDED")).toBe(true);
    expect(await today()).toMatchObject({ reservedCents: 170, spentCents: 0 });
    expect(await db.spendReservation.aggregate({ where: { provider: "batchdata", status: "reserved", organizationId: (await today())!.organizationId }, _sum: { cents: true } })).toEqual({ _sum: { cents: 170 } });
  });

  raceTest("grants every caller all it asked for when the cap has room, racing with all-or-nothing reservations", async () => {
    const { team, request, today } = await org(10_000);
    const outcomes = await Promise.all([
      ...Array.from({ length: 10 }, () => reserveUpTo(db, request(4))),
      ...Array.from({ length: 10 }, () => reserve(db, { orgId: team.org.id, provider: "batchdata", operation: "skip_trace", cents: 30 })),
    ]);
    expect(outcomes).toHaveLength(20);
    expect(await today()).toMatchObject({ reservedCents: 10 * 40 + 10 * 30 });
  });

  raceTest("never overshoots when grants race with all-or-nothing reservations at the cap", async () => {
    const { team, request, today } = await org(200);
    await Promise.allSettled([
      ...Array.from({ length: 10 }, () => reserveUpTo(db, request(3))),
      ...Array.from({ length: 10 }, () => reserve(db, { orgId: team.org.id, provider: "batchdata", operation: "skip_trace", cents: 30 })),
    ]);
    const row = await today();
    expect(row!.reservedCents).toBeLessThanOrEqual(200);
    expect(row!.reservedCents).toBeGreaterThan(200 - 30);
    const open = await db.spendReservation.aggregate({ where: { organizationId: team.org.id, status: "reserved" }, _sum: { cents: true } });
    expect(open._sum.cents).toBe(row!.reservedCents);
  });
});

describe("reserve, settle and release, each one statement", () => {
  /** What the day's row says against what the reservation and ledger rows say: they must always agree. */
  async function books(orgId: string) {
    const day = await db.dailySpend.findFirst({ where: { organizationId: orgId, provider: "batchdata" } });
    const open = await db.spendReservation.aggregate({ where: { organizationId: orgId, provider: "batchdata", status: "reserved" }, _sum: { cents: true } });
    const spent = await db.spendEntry.aggregate({ where: { organizationId: orgId, provider: "batchdata" }, _sum: { cents: true } });
    return { reservedCents: day?.reservedCents ?? 0, openReservationCents: open._sum.cents ?? 0, spentCents: day?.spentCents ?? 0, ledgerCents: spent._sum.cents ?? 0 };
  }

  raceTest("50 concurrent reservations against a cap that fits 5: exactly 5 granted, each with its reservation row, no row for a refusal", async () => {
    const { team, today } = await org(50);
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => reserve(db, { orgId: team.org.id, provider: "batchdata", operation: "race", cents: 10 })));
    const granted = outcomes.filter((o) => o.status === "fulfilled");
    expect(granted).toHaveLength(5);
    for (const o of outcomes) if (o.status === "rejected") expect(isAppError(o.reason, "CAP_EXCEEDED")).toBe(true);
    expect(await today()).toMatchObject({ reservedCents: 50, spentCents: 0 });
    expect(await db.spendReservation.count({ where: { organizationId: team.org.id } })).toBe(5);
  });

  raceTest("a settle and a release racing on one reservation: exactly one closes it, and the books agree either way", async () => {
    const { team } = await org(1000);
    for (let round = 0; round < 10; round++) {
      const reservation = await reserve(db, { orgId: team.org.id, provider: "batchdata", operation: "race", cents: 10 });
      const closings = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? settle(db, reservation, { cents: 10, operation: "race" }) : release(db, reservation))),
      );
      expect(closings.filter((totals) => totals !== null)).toHaveLength(1);
      expect(await db.spendEntry.count({ where: { reservationId: reservation.id } })).toBeLessThanOrEqual(1);
    }
    const after = await books(team.org.id);
    expect(after).toMatchObject({ reservedCents: 0, openReservationCents: 0 });
    expect(after.spentCents).toBe(after.ledgerCents);
  });

  it("a process killed while it reserves, settles and releases in a loop leaves books that agree: every reserved cent has its open reservation, every spent cent its ledger entry", async () => {
    const { team } = await org(1_000_000);
    const child = spawnScript("reserve-settle-loop.ts", [team.org.id]);
    await child.firstLine;
    await waitFor(() => db.spendEntry.count({ where: { organizationId: team.org.id } }), (count) => count >= 20, { timeoutMs: 20_000 });
    child.process.kill("SIGKILL");
    await child.exited;
    const after = await books(team.org.id);
    expect(after.spentCents).toBeGreaterThan(0);
    expect(after.reservedCents).toBe(after.openReservationCents);
    expect(after.spentCents).toBe(after.ledgerCents);
    // What the dead process held is released whole by the reaper, and the books still agree.
    await db.spendReservation.updateMany({ where: { organizationId: team.org.id, status: "reserved" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await releaseExpiredReservations(db);
    expect(await books(team.org.id)).toMatchObject({ reservedCents: 0, openReservationCents: 0 });
  });

  it("writes its instants in UTC even when the database's own time zone is not", async () => {
    const { team } = await org(100);
    const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    await db.$executeRawUnsafe(`ALTER DATABASE "${database}" SET timezone = 'Pacific/Auckland'`);
    const fresh = createDb({ max: 1 }); // new connections, which would start in Auckland's zone
    try {
      const before = Date.now();
      const reservation = await reserve(fresh, { orgId: team.org.id, provider: "batchdata", operation: "zone", cents: 10 });
      await settle(fresh, reservation, { cents: 10, operation: "zone" });
      const row = await db.spendReservation.findUniqueOrThrow({ where: { id: reservation.id } });
      const entry = await db.spendEntry.findFirstOrThrow({ where: { reservationId: reservation.id } });
      for (const instant of [row.createdAt, row.closedAt!, entry.createdAt]) {
        expect(Math.abs(instant.getTime() - before)).toBeLessThan(60_000);
      }
    } finally {
      await db.$executeRawUnsafe(`ALTER DATABASE "${database}" RESET timezone`);
      await fresh.$disconnect();
    }
  });
});
