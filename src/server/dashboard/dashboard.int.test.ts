import { beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import { orgDay } from "@/lib/org-day";
import { db } from "@/server/db";
import { callerFor, createTeam, type TestUser } from "@/test/factories";

const ZONE = "Pacific/Honolulu";
const HOUR = 3_600_000;
type RecipientStatus = "pending" | "sending" | "sent" | "excluded" | "skipped" | "failed" | "cancelled";

type Team = { org: { id: string }; admin: TestUser; manager: TestUser; user: TestUser };
let ours: Team;
let theirs: Team;
let startOfToday: Date;

/** The organization's midnight today, in UTC (Honolulu has no daylight saving: UTC-10). */
function honoluluMidnight(now = new Date()): Date {
  return new Date(`${orgDay(ZONE, now)}T10:00:00Z`);
}

async function seedOrg(team: Team, tag: string, scale: number) {
  const orgId = team.org.id;
  await db.organization.update({ where: { id: orgId }, data: { timeZone: ZONE } });
  const today = orgDay(ZONE);
  // Leads: created today, in the last 7 days, and earlier.
  const ages = [0.5, 1, 2, 30, 50, 100, 150, 170, 200, 400].map((hours) => hours * scale);
  const leads: Prisma.LeadCreateManyInput[] = ages.map((hours, i) => ({
    organizationId: orgId,
    source: "manual",
    addressLine1: `${i} ${tag} Dashboard Ave`,
    city: "Austin",
    state: "TX",
    zip: "78701",
    normalizedAddress: `${tag}-${i}`,
    normalizedOwner: "",
    dedupKey: `${tag}-${i}`,
    createdAt: new Date(Date.now() - hours * HOUR),
  }));
  await db.lead.createMany({ data: leads });
  const leadRows = await db.lead.findMany({ where: { organizationId: orgId }, orderBy: { addressLine1: "asc" } });
  // Spend: today's ledger totals and caps; yesterday's never shows.
  await db.budgetSetting.create({ data: { organizationId: orgId, provider: "attom", dailyCapCents: 2500 * scale, costPerCallCents: 10 } });
  await db.dailySpend.createMany({
    data: [
      { organizationId: orgId, provider: "attom", day: new Date(`${today}T00:00:00Z`), spentCents: 1234 * scale, reservedCents: 20 },
      { organizationId: orgId, provider: "twilio_sms", day: new Date(`${today}T00:00:00Z`), spentCents: 77 * scale, reservedCents: 0 },
      { organizationId: orgId, provider: "batchdata", day: new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000), spentCents: 999, reservedCents: 0 },
    ],
  });
  // Conversations: waiting (last inbound), unread, archived, answered.
  const conv = (i: number, data: Partial<Prisma.ConversationCreateManyInput>) => ({ organizationId: orgId, phone: `+1512555${String(1000 + scale * 100 + i)}`, ...data });
  await db.conversation.createMany({
    data: [
      conv(1, { lastDirection: "inbound", unreadCount: 2 }),
      conv(2, { lastDirection: "inbound", unreadCount: 0 }),
      conv(3, { lastDirection: "outbound", unreadCount: 1 }),
      conv(4, { lastDirection: "inbound", unreadCount: 1, archivedAt: new Date() }),
      conv(5, { lastDirection: "outbound", unreadCount: 0 }),
      ...(scale > 1 ? [conv(6, { lastDirection: "inbound", unreadCount: 0 })] : []),
    ],
  });
  // Campaigns: running with recipients in every state, a paused one, a completed and a draft one (not shown).
  const campaign = async (name: string, status: "running" | "paused" | "completed" | "draft", counts: Partial<Record<RecipientStatus, number>>, launchedAt: Date | null) => {
    const row = await db.campaign.create({ data: { organizationId: orgId, name, template: "Hi - {{brand}}", audience: { kind: "selection", leadIds: [] }, status, launchedAt } });
    let n = 0;
    const recipients: Prisma.CampaignRecipientCreateManyInput[] = [];
    for (const [state, count] of Object.entries(counts)) {
      for (let i = 0; i < count; i++) recipients.push({ organizationId: orgId, campaignId: row.id, phone: `+1737555${String(1000 + n++)}`, body: "x", status: state as RecipientStatus });
    }
    await db.campaignRecipient.createMany({ data: recipients });
    return row;
  };
  const running = await campaign(`${tag} running`, "running", { pending: 5, sending: 1, sent: 7 * scale, excluded: 3, skipped: 2, failed: 1, cancelled: 0 }, new Date(Date.now() - HOUR));
  const paused = await campaign(`${tag} paused`, "paused", { pending: 2, sent: 1 }, new Date(Date.now() - 2 * HOUR));
  await campaign(`${tag} done`, "completed", { sent: 4 }, new Date(Date.now() - 3 * HOUR));
  await campaign(`${tag} draft`, "draft", {}, null);
  // Timeline: ten events, the newest eight show.
  await db.activityEvent.createMany({
    data: leadRows.map((lead, i) => ({ organizationId: orgId, leadId: lead.id, actorId: team.admin.id, kind: "note_added" as const, createdAt: new Date(Date.now() - (i + 1) * 60_000) })),
  });
  return { leads: leadRows, running, paused };
}

let seeded: Awaited<ReturnType<typeof seedOrg>>;

beforeAll(async () => {
  ours = await createTeam("Dashboard A");
  theirs = await createTeam("Dashboard B");
  seeded = await seedOrg(ours, "ours", 1);
  await seedOrg(theirs, "theirs", 3);
  startOfToday = honoluluMidnight();
});

describe("Home dashboard figures", () => {
  it("match an oracle of our organization's rows", async () => {
    const home = await callerFor(ours.user).dashboard.home();
    expect(home.today).toBe(orgDay(ZONE));
    expect(home.timeZone).toBe(ZONE);

    const spend = Object.fromEntries(home.spend.map((row) => [row.provider, row]));
    expect(spend.attom).toMatchObject({ spentCents: 1234, reservedCents: 20, dailyCapCents: 2500 });
    expect(spend.twilio_sms).toMatchObject({ spentCents: 77, reservedCents: 0 });
    expect(spend.batchdata).toMatchObject({ spentCents: 0, reservedCents: 0 }); // yesterday's spend is not today's

    const ages = seeded.leads.map((lead) => lead.createdAt.getTime());
    const oracleToday = ages.filter((t) => t >= startOfToday.getTime()).length;
    const oracleWeek = ages.filter((t) => t >= startOfToday.getTime() - 6 * 86_400_000).length;
    expect(home.newLeads).toEqual({ today: oracleToday, last7Days: oracleWeek });

    expect(home.replies).toEqual({ waiting: 2, unreadThreads: 2 });

    expect(home.campaigns.map((c) => [c.name, c.status, c.recipients, c.processed, c.sent, c.failed])).toEqual([
      ["ours running", "running", 16, 10, 7, 1],
      ["ours paused", "paused", 3, 1, 1, 0],
    ]);

    // Event i was made (i + 1) minutes ago: the first eight are the newest.
    expect(home.activity.map((event) => event.lead.id)).toEqual(seeded.leads.slice(0, 8).map((lead) => lead.id));
    expect(home.activity.every((event) => event.kind === "note_added" && event.actor?.id === ours.admin.id)).toBe(true);
    expect(JSON.stringify(home)).not.toContain("theirs");
  });

  it("moves with the ledger: a settled spend today shows at once", async () => {
    const today = orgDay(ZONE);
    await db.dailySpend.update({ where: { organizationId_provider_day: { organizationId: ours.org.id, provider: "attom", day: new Date(`${today}T00:00:00Z`) } }, data: { spentCents: { increment: 11 } } });
    const home = await callerFor(ours.admin).dashboard.home();
    expect(home.spend.find((row) => row.provider === "attom")?.spentCents).toBe(1245);
  });
});
