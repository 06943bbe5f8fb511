import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTeam } from "@/test/factories";
import { seedDemoHistory } from "../../prisma/demo-history";

/** A fresh organization ready to text from a fictional number, as the seed makes the demo one. */
async function demoOrg() {
  const team = await createTeam();
  const sender = await db.smsSenderIdentity.create({
    data: { organizationId: team.org.id, kind: "phone_number", value: `+1602555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`, messagesPerSecond: 50 },
  });
  return { team, orgId: team.org.id, senderId: sender.id };
}

describe("demo history", () => {
  it("leaves a history made through the services: leads over weeks, paid searches and traces, texts with their outcomes, replies, an opt-out, deals", async () => {
    const { team, orgId, senderId } = await demoOrg();
    const rulesBefore = await db.complianceRule.findMany({ where: { organizationId: orgId }, orderBy: { id: "asc" } });
    const settingsBefore = await db.organizationSettings.findUniqueOrThrow({ where: { organizationId: orgId }, select: { quietHoursStart: true, quietHoursEnd: true } });

    const made = await seedDemoHistory(db, { orgId, adminUserId: team.admin.id, managerUserId: team.manager.id, senderIdentityId: senderId });

    // Leads from the two searched ZIPs, added over the last 30 days (a chart of added per day has a shape).
    const leads = await db.lead.findMany({ where: { organizationId: orgId }, select: { createdAt: true, source: true, skipTracedAt: true, status: true, wonAmountCents: true } });
    expect(made.leads).toBe(leads.length);
    expect(leads.length).toBeGreaterThanOrEqual(150);
    expect(new Set(leads.map((lead) => lead.source))).toEqual(new Set(["sandbox"]));
    const days = new Set(leads.map((lead) => lead.createdAt.toISOString().slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(25);
    expect(Math.min(...leads.map((lead) => lead.createdAt.getTime()))).toBeGreaterThan(Date.now() - 31 * 86_400_000);

    // Every cent in the one ledger: searches, skip traces (per match) and texts, at sandbox prices.
    const spend = await db.spendEntry.groupBy({ by: ["provider"], where: { organizationId: orgId }, _sum: { cents: true }, _count: true });
    const byProvider = Object.fromEntries(spend.map((row) => [row.provider, row._sum.cents ?? 0]));
    expect(Object.keys(byProvider)).toEqual(expect.arrayContaining(["attom", "batchdata", "twilio_sms"]));
    const daily = await db.dailySpend.aggregate({ where: { organizationId: orgId }, _sum: { spentCents: true, reservedCents: true } });
    expect(daily._sum.spentCents).toBe(Object.values(byProvider).reduce((sum, cents) => sum + cents, 0));
    expect(daily._sum.reservedCents).toBe(0);
    expect(made.traced).toBeGreaterThan(50);
    expect(leads.filter((lead) => lead.skipTracedAt).length).toBeGreaterThanOrEqual(made.traced);

    // The finished campaign: every text went through the send path and its callbacks through the status handler.
    const campaigns = await db.campaign.findMany({ where: { organizationId: orgId }, orderBy: { createdAt: "asc" }, select: { id: true, status: true } });
    expect(campaigns.map((campaign) => campaign.status)).toEqual(["completed", "running"]);
    const outbound = await db.message.groupBy({ by: ["status"], where: { organizationId: orgId, direction: "outbound", campaignId: campaigns[0]!.id }, _count: true });
    const statuses = Object.fromEntries(outbound.map((row) => [row.status, row._count]));
    expect(statuses.delivered).toBeGreaterThan(10);
    expect(statuses.queued ?? 0).toBe(0);
    expect(statuses.sending ?? 0).toBe(0);
    const statusEvents = await db.messageStatusEvent.count({ where: { message: { organizationId: orgId } } });
    expect(statusEvents).toBeGreaterThanOrEqual(2 * statuses.delivered!);

    // Replies in the inbox, one of them an opt-out that suppressed the number.
    const inbound = await db.message.findMany({ where: { organizationId: orgId, direction: "inbound" }, select: { body: true, conversation: { select: { phone: true } } } });
    expect(inbound).toHaveLength(made.replies);
    expect(made.replies).toBeGreaterThanOrEqual(5);
    const stop = inbound.find((message) => message.body === "STOP");
    expect(stop).toBeDefined();
    expect(await db.suppression.count({ where: { organizationId: orgId, phone: stop!.conversation.phone } })).toBe(1);

    // Deals: the won revenue, and a pipeline with leads at every later stage.
    const won = leads.filter((lead) => lead.wonAmountCents !== null);
    expect(won.reduce((sum, lead) => sum + Number(lead.wonAmountCents), 0)).toBe(made.wonCents);
    expect([...new Set(leads.map((lead) => lead.status))]).toEqual(expect.arrayContaining(["new", "interested", "negotiating", "under_contract", "closed", "dead"]));

    // Deals under contract carry a value and a close date; follow-ups are due today, overdue and next week.
    const underContract = await db.lead.findMany({ where: { organizationId: orgId, status: "under_contract", dealValueCents: { not: null } }, select: { id: true } });
    expect(underContract.length).toBeGreaterThanOrEqual(2);
    expect(await db.task.count({ where: { organizationId: orgId } })).toBe(3);

    // The sending hours opened for the seed's campaigns are put back as they were.
    expect(await db.complianceRule.findMany({ where: { organizationId: orgId }, orderBy: { id: "asc" } })).toEqual(
      rulesBefore.map((rule) => ("updatedAt" in rule ? { ...rule, updatedAt: expect.any(Date) } : rule)),
    );
    expect(await db.organizationSettings.findUniqueOrThrow({ where: { organizationId: orgId }, select: { quietHoursStart: true, quietHoursEnd: true } })).toEqual(settingsBefore);
  }, 120_000);
});
