import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { budgetOverview } from "@/server/budget/overview";
import { db } from "@/server/db";
import { ProviderCallError } from "@/server/providers/billing";
import type { PhoneLookup } from "@/server/providers/phone-lookup";
import { createSandboxSkipTrace } from "@/server/providers/sandbox/skip-trace";
import { callerFor, createTeam } from "@/test/factories";
import { skipTraceLead } from "./service";
import { validatePhones } from "./validate";

/** A lookup that says every number is a landline: validation must demote a "mobile" best phone. */
function landlineLookup() {
  const looked: string[] = [];
  const lookup: PhoneLookup = {
    name: "sandbox",
    simulated: true,
    async lookup(number) {
      looked.push(number);
      return { value: { number, lineType: "landline", carrier: "Lookup Carrier", valid: true, raw: {} }, billing: { units: 1, possiblyBilled: false } };
    },
  };
  return { lookup, looked };
}

async function leadWithPhones() {
  const team = await createTeam();
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "9 Validate Ave", city: "Austin", state: "TX", zip: "78701" });
  const phone = (number: string, extra: object = {}) => ({ organizationId: team.org.id, leadId: lead.id, number, type: "mobile" as const, source: "sandbox", ...extra });
  await db.leadPhone.createMany({ data: [phone("+15125550101", { isBest: true, score: 90 }), phone("+15125550102", { score: 50 }), phone("+15125550103", { type: "landline" as const })] });
  return { team, leadId: lead.id, ctx: { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-validate" } };
}

describe("phone validation with Twilio Lookup", () => {
  it("updates line types, re-chooses the best phone, the lead is no longer textable, and charges each lookup", async () => {
    const { ctx, leadId } = await leadWithPhones();
    const { lookup, looked } = landlineLookup();
    expect(await db.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({ hasPhone: true, textable: true });
    const result = await validatePhones(ctx, { leadId }, lookup);
    expect(looked).toHaveLength(3);
    expect(result.bestPhone).toBeNull();
    expect(result.bestPhoneReason).toMatch(/landline/i);
    const lead = await db.lead.findUniqueOrThrow({ where: { id: leadId }, include: { phones: true } });
    // Still has phones (all landlines now): no longer textable.
    expect(lead).toMatchObject({ hasPhone: true, textable: false });
    expect(lead.phones.every((p) => p.type === "landline" && !p.isBest && p.carrier === "Lookup Carrier")).toBe(true);
    const spend = await db.spendEntry.findMany({ where: { organizationId: ctx.orgId, provider: "twilio_lookup" } });
    expect(spend.map((e) => e.cents)).toEqual([1, 1, 1]);
  });

  it("stops at the Lookup cap without touching the BatchData budget", async () => {
    const { ctx, leadId } = await leadWithPhones();
    await db.budgetSetting.create({ data: { organizationId: ctx.orgId, provider: "twilio_lookup", dailyCapCents: 2, costPerCallCents: 1 } });
    const { lookup, looked } = landlineLookup();
    const error = await validatePhones(ctx, { leadId }, lookup).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((error as Error).message).toContain("Twilio Lookup daily cap reached");
    expect(looked).toHaveLength(2);
    expect(await db.spendEntry.count({ where: { organizationId: ctx.orgId, provider: "batchdata" } })).toBe(0);
  });

  it("counts a lookup that timed out as possibly billed, and says so", async () => {
    const { ctx, leadId } = await leadWithPhones();
    const timingOut: PhoneLookup = {
      name: "twilio_lookup",
      simulated: false,
      async lookup() {
        throw new ProviderCallError("PROVIDER_TIMEOUT", "Twilio Lookup did not answer in time.", { units: 1, possiblyBilled: true });
      },
    };
    const error = await validatePhones(ctx, { leadId }, timingOut).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("GATEWAY_TIMEOUT");
    const spend = await db.spendEntry.findMany({ where: { organizationId: ctx.orgId, provider: "twilio_lookup" } });
    expect(spend.map((e) => [e.cents, e.simulated, e.unconfirmedCents])).toEqual([[1, false, 1]]);
    const overview = await budgetOverview(db, ctx.orgId);
    expect(overview.providers.find((p) => p.provider === "twilio_lookup")).toMatchObject({ spentCents: 1, unconfirmedCents: 1 });
    expect(overview.providers.find((p) => p.provider === "batchdata")).toMatchObject({ unconfirmedCents: 0 });
    expect(await db.dailySpend.findFirst({ where: { organizationId: ctx.orgId, provider: "twilio_lookup" } })).toMatchObject({ spentCents: 1, reservedCents: 0 });
  });

  it("runs after a skip trace only when the organization turned it on", async () => {
    const team = await createTeam();
    const sandbox = createSandboxSkipTrace();
    const caller = callerFor(team.manager);
    const ctx = { db, orgId: team.org.id, userId: team.manager.id, requestId: "req-auto" };
    let street = "";
    let leadId = "";
    for (let i = 1; i < 200 && !leadId; i++) {
      street = `${i} Auto Validate Ln`;
      const { value: results } = await sandbox.trace([{ requestId: "probe", address: { street, city: "Austin", state: "TX", zip: "78701" } }]);
      const phones = results[0]?.persons.flatMap((p) => p.phones) ?? [];
      if (phones.some((p) => p.type === "mobile" && !p.dnc && !p.tcpa)) leadId = (await caller.leads.create({ addressLine1: street, city: "Austin", state: "TX", zip: "78701" })).lead.id;
    }
    await callerFor(team.admin).organization.updateSkipTraceSettings({ skipTraceRecencyDays: 90, validateBestPhone: true });
    const result = await skipTraceLead(ctx, { leadId, force: false }, sandbox);
    expect(result.outcome).toBe("matched");
    expect(await db.spendEntry.count({ where: { organizationId: team.org.id, provider: "twilio_lookup" } })).toBe(1);
  });
});
