import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { billed, NOT_BILLED, possiblyBilled, ProviderCallError } from "@/server/providers/billing";
import { callerFor, createTeam } from "@/test/factories";
import { withPaidRequest } from "./paid-request";

// One paid call on its own (AI requests): the provider's kill switch and cap are checked before the
// call, and the ledger gets exactly what the call says it billed.
async function orgWithAiBudget(dailyCapCents: number, costPerCallCents: number) {
  const team = await createTeam();
  await callerFor(team.admin).budgets.update({ provider: "openai", dailyCapCents, costPerCallCents });
  const books = async () => {
    const [today] = await db.dailySpend.findMany({ where: { organizationId: team.org.id, provider: "openai" }, select: { spentCents: true, reservedCents: true } });
    const entries = await db.spendEntry.findMany({ where: { organizationId: team.org.id, provider: "openai" }, select: { cents: true, unconfirmedCents: true } });
    return { today, entries };
  };
  return { team, books, request: { orgId: team.org.id, provider: "openai" as const, operation: "test_call" } };
}

describe("withPaidRequest", () => {
  it("settles what the call billed: units × the organization's price, a failure's possibly-billed units apart, nothing for an unbilled failure", async () => {
    const { request, books } = await orgWithAiBudget(100, 3);
    expect(await withPaidRequest(db, request, async () => ({ value: "ok", billing: billed(1) }))).toEqual({ value: "ok", chargedCents: 3 });
    await expect(withPaidRequest(db, request, async () => Promise.reject(new ProviderCallError("PROVIDER_TIMEOUT", "no answer", possiblyBilled(1))))).rejects.toMatchObject({ appCode: "PROVIDER_TIMEOUT" });
    await expect(withPaidRequest(db, request, async () => Promise.reject(new ProviderCallError("PROVIDER_UNAVAILABLE", "503", NOT_BILLED)))).rejects.toMatchObject({ appCode: "PROVIDER_UNAVAILABLE" });
    expect(await books()).toEqual({ today: { spentCents: 6, reservedCents: 0 }, entries: [{ cents: 3, unconfirmedCents: 0 }, { cents: 3, unconfirmedCents: 3 }] });
  });

  it("refuses before calling when the provider's kill switch is engaged or the cap has no room", async () => {
    const { team, request, books } = await orgWithAiBudget(2, 3);
    let calls = 0;
    const call = async () => ((calls += 1), { value: null, billing: billed(1) });
    await expect(withPaidRequest(db, request, call)).rejects.toMatchObject({ appCode: "CAP_EXCEEDED" });
    await callerFor(team.admin).budgets.update({ provider: "openai", dailyCapCents: 100, costPerCallCents: 3 });
    await callerFor(team.admin).killSwitches.set({ kind: "ai", engaged: true, reason: "testing the switch" });
    await expect(withPaidRequest(db, request, call)).rejects.toMatchObject({ appCode: "KILL_SWITCH_ON" });
    expect(calls).toBe(0);
    expect((await books()).entries).toEqual([]);
  });
});
