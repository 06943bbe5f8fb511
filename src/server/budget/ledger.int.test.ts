import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { raceTest } from "@/test/database-kind";
import { createTeam } from "@/test/factories";
import { loadBillingContext } from "./context";
import { release, reserve, reserveUpTo, settle } from "./ledger";

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
