import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { billed, possiblyBilled, ProviderCallError } from "@/server/providers/billing";
import { raceTest } from "@/test/database-kind";
import { createTeam } from "@/test/factories";
import { engagedKillSwitch } from "./kill-switches";
import { releaseExpiredReservations, reserve, settle, withSpend } from "./ledger";
import { budgetOverview } from "./overview";

const UNIT = 10;

async function org(capCents: number) {
  const team = await createTeam();
  const orgId = team.org.id;
  await db.budgetSetting.create({ data: { organizationId: orgId, provider: "batchdata", dailyCapCents: capCents, costPerCallCents: UNIT } });
  const request = { orgId, provider: "batchdata" as const, operation: "skip_trace", unitCents: UNIT, units: 1 };
  const timedOut = () => Promise.reject(new ProviderCallError("PROVIDER_TIMEOUT", "BatchData did not answer in time.", possiblyBilled(1)));
  const answered = () => Promise.resolve({ value: "ok", billing: billed(1) });
  const batchdataToday = async () => (await budgetOverview(db, orgId)).providers.find((p) => p.provider === "batchdata")!;
  return { team, orgId, request, timedOut, answered, batchdataToday };
}

describe("possibly-billed spend (a paid call that never answered)", () => {
  it("counts under the cap, is shown apart as unconfirmed for today, and is clamped to what was charged", async () => {
    const { orgId, request, timedOut, answered, batchdataToday } = await org(30);
    await expect(withSpend(db, request, timedOut)).rejects.toMatchObject({ appCode: "PROVIDER_TIMEOUT" });
    await withSpend(db, request, answered);
    expect(await batchdataToday()).toMatchObject({ spentCents: 20, unconfirmedCents: 10 });

    // A caller claiming more unconfirmed than it charged cannot make the ledger say so.
    const reservation = await reserve(db, { ...request, cents: UNIT });
    await settle(db, reservation, { cents: UNIT, unconfirmedCents: 999, operation: "skip_trace" });
    expect(await db.spendEntry.findUniqueOrThrow({ where: { reservationId: reservation.id } })).toMatchObject({ cents: 10, unconfirmedCents: 10 });

    // The cap is reached by confirmed and unconfirmed spend together: nothing more is called.
    let called = false;
    const refused = await withSpend(db, request, async () => ((called = true), answered())).catch((e: unknown) => e);
    expect(isAppError(refused, "CAP_EXCEEDED")).toBe(true);
    expect(called).toBe(false);
    expect(await batchdataToday()).toMatchObject({ spentCents: 30, unconfirmedCents: 20 });

    // Another organization's unconfirmed spend never shows here.
    const other = await org(30);
    await withSpend(db, other.request, other.timedOut).catch(() => undefined);
    expect(await batchdataToday()).toMatchObject({ unconfirmedCents: 20 });
    expect(await db.spendEntry.count({ where: { organizationId: orgId } })).toBe(3);
  });

  raceTest("20 concurrent calls that all time out against a cap of 5 units: exactly 5 called and counted, all unconfirmed, none over the cap", async () => {
    const { request, timedOut, batchdataToday } = await org(50);
    let calls = 0;
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => withSpend(db, request, () => ((calls += 1), timedOut()))));
    expect(calls).toBe(5);
    expect(outcomes.filter((o) => o.status === "rejected" && isAppError(o.reason, "PROVIDER_TIMEOUT"))).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === "rejected" && isAppError(o.reason, "CAP_EXCEEDED"))).toHaveLength(15);
    expect(await batchdataToday()).toMatchObject({ spentCents: 50, reservedCents: 0, unconfirmedCents: 50 });
  });

  it("a redelivered settle (a retried job, a duplicate callback) writes one ledger entry and counts once", async () => {
    const { request, batchdataToday } = await org(100);
    const reservation = await reserve(db, { ...request, cents: UNIT });
    const details = { cents: UNIT, unconfirmedCents: UNIT, operation: "skip_trace" };
    const results = await Promise.all([settle(db, reservation, details), settle(db, reservation, details), settle(db, reservation, details)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await db.spendEntry.count({ where: { reservationId: reservation.id } })).toBe(1);
    expect(await batchdataToday()).toMatchObject({ spentCents: 10, reservedCents: 0, unconfirmedCents: 10 });
  });

  it("a process that died between reserving and settling leaves nothing unconfirmed: the reaper releases it whole", async () => {
    const { request, batchdataToday } = await org(100);
    const reservation = await reserve(db, { ...request, cents: UNIT });
    await db.spendReservation.update({ where: { id: reservation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await releaseExpiredReservations(db)).toBeGreaterThanOrEqual(1);
    expect(await batchdataToday()).toMatchObject({ spentCents: 0, reservedCents: 0, unconfirmedCents: 0 });
    // A late settle from the dead process changes nothing.
    expect(await settle(db, reservation, { cents: UNIT, unconfirmedCents: UNIT, operation: "skip_trace" })).toBeNull();
    expect(await db.spendEntry.count({ where: { reservationId: reservation.id } })).toBe(0);
  });
});

describe("engagedKillSwitch", () => {
  it("is null while the switch is off and the refusal (with the admin's reason) while it is on, per organization", async () => {
    const { orgId } = await org(100);
    const other = await org(100);
    expect(await engagedKillSwitch(db, orgId, "sms")).toBeNull();
    await db.killSwitch.create({ data: { organizationId: orgId, kind: "sms", engaged: true, reason: "carrier complaint" } });
    const refusal = await engagedKillSwitch(db, orgId, "sms");
    expect(isAppError(refusal, "KILL_SWITCH_ON")).toBe(true);
    expect(refusal!.message).toContain("carrier complaint");
    expect(await engagedKillSwitch(db, orgId, "search")).toBeNull();
    expect(await engagedKillSwitch(db, other.orgId, "sms")).toBeNull();
  });
});
