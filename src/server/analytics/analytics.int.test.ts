import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { JOB_HANDLERS } from "@/server/jobs/handlers";
import { orgDay } from "@/lib/org-day";
import { mulberry32 } from "@/lib/random";
import { callerFor, createTeam, type TestUser } from "@/test/factories";

/**
 * Analytics figures against an oracle: the test generates leads, ledger entries, skip traces,
 * campaign messages, replies, opt-outs and wins at random instants (many near midnight, where the
 * org's zone and UTC disagree about the day), reads the rows back, computes every figure itself,
 * and compares to the cent.
 */

const TZ = "America/Los_Angeles";
const SOURCES = ["sandbox", "attom", "csv", "manual"] as const;
const PROVIDER_OPS = [
  ["attom", "property_search"],
  ["batchdata", "skip_trace"],
  ["twilio_lookup", "phone_lookup"],
  ["twilio_sms", "sms.send"],
  ["openai", "lead_summary"],
] as const;
const STATUSES = ["new", "contacted", "replied", "interested", "negotiating", "under_contract", "closed", "dead"] as const;

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const localDay = (at: Date) => orgDay(TZ, at);

/** The instant a wall-clock time of a day reads in the zone (minutes after local midnight). */
function localInstant(day: string, minutes: number): Date {
  const wall = Date.parse(`${day}T00:00:00Z`) + minutes * 60_000;
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: TZ, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(guess));
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    const asWall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
    guess += wall - asWall;
  }
  return new Date(guess);
}

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const outcome = await promise.then(() => null, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(TRPCError);
  return outcome as TRPCError;
}

type Generated = { orgId: string; campaignNames: string[] };

/**
 * Random history for an organization over `days` (org-local), with edges: some rows at 23:30 the
 * day before the first day and 00:10 the day after the last (outside), some at 00:05 / 23:55 inside.
 */
async function generate(orgId: string, seed: number, first: string, last: string, size: number): Promise<Generated> {
  const random = mulberry32(seed);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const dayCount = Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS) + 1;
  const instant = () => {
    const r = random();
    if (r < 0.08) return localInstant(addDays(first, -1), 23 * 60 + 30); // outside, before
    if (r < 0.16) return localInstant(addDays(last, 1), 10); // outside, after
    const day = addDays(first, Math.floor(random() * dayCount));
    if (r < 0.3) return localInstant(day, 5);
    if (r < 0.45) return localInstant(day, 23 * 60 + 55);
    return localInstant(day, Math.floor(random() * 1440));
  };

  const leads = Array.from({ length: size }, (_, i) => {
    const hasPhone = random() < 0.6;
    const status = pick(STATUSES);
    const won = status === "closed" && random() < 0.8;
    const createdAt = instant();
    return {
      organizationId: orgId,
      source: pick(SOURCES),
      addressLine1: `${i + 1} Oracle St`,
      city: "Austin",
      state: "TX",
      zip: "78701",
      normalizedAddress: `${seed}-${i}`,
      normalizedOwner: "",
      dedupKey: `${seed}-${i}`,
      status,
      hasPhone,
      textable: hasPhone && random() < 0.7,
      createdAt,
      wonAt: won ? new Date(`${addDays(first, Math.floor(random() * (dayCount + 2)) - 1)}T00:00:00Z`) : null,
      wonAmountCents: won ? BigInt(Math.floor(random() * 5_000_000) + 1) : null,
    };
  });
  await db.lead.createMany({ data: leads });
  const leadRows = await db.lead.findMany({ where: { organizationId: orgId }, select: { id: true } });

  await db.spendEntry.createMany({
    data: Array.from({ length: size * 2 }, () => {
      const [provider, operation] = pick(PROVIDER_OPS);
      return { organizationId: orgId, provider, operation, cents: Math.floor(random() * 700) + 1, createdAt: instant() };
    }),
  });

  await db.skipTraceRecord.createMany({
    data: Array.from({ length: size }, () => {
      const outcome = pick(["matched", "matched", "no_match", "failed"] as const);
      return { organizationId: orgId, leadId: pick(leadRows).id, provider: "sandbox", outcome, matched: outcome === "matched", request: {}, costCents: 25, createdAt: instant() };
    }),
  });

  const campaignNames = [`Spring blast ${seed}`, `Absentee follow-up ${seed}`];
  const campaigns = await Promise.all(
    campaignNames.map((name) => db.campaign.create({ data: { organizationId: orgId, name, template: "Hi {{first_name}}", audience: { kind: "selection", leadIds: [] }, status: "completed" } })),
  );
  let phoneSerial = 0;
  for (const lead of leadRows.filter(() => random() < 0.7)) {
    const phone = `+1512555${String(1000 + (seed % 50) * 100 + phoneSerial++).padStart(4, "0")}`;
    const conversation = await db.conversation.create({ data: { organizationId: orgId, phone, leadId: lead.id } });
    const texts = 1 + Math.floor(random() * 2);
    for (let t = 0; t < texts; t++) {
      const sentAt = instant();
      const r = random();
      const status = r < 0.55 ? "delivered" : r < 0.7 ? "undelivered" : r < 0.8 ? "failed" : r < 0.9 ? "sent" : "queued";
      const errorCode = status === "undelivered" ? (random() < 0.5 ? "30007" : "30003") : status === "failed" ? "30008" : null;
      await db.message.create({
        data: {
          organizationId: orgId,
          conversationId: conversation.id,
          direction: "outbound",
          body: "Hi",
          status,
          errorCode,
          costCents: Math.floor(random() * 3) + 1,
          campaignId: pick(campaigns).id,
          createdAt: sentAt,
        },
      });
      const reply = random();
      if (reply < 0.3) {
        await db.message.create({ data: { organizationId: orgId, conversationId: conversation.id, direction: "inbound", body: "Who is this?", status: "received", createdAt: new Date(sentAt.getTime() + Math.floor(random() * 3 * DAY_MS)) } });
      }
      if (reply > 0.85) {
        await db.suppression.createMany({
          data: [{ organizationId: orgId, phone, reason: "keyword", evidence: "STOP", createdAt: new Date(sentAt.getTime() + 60_000 + Math.floor(random() * DAY_MS)), liveKey: `${phone}|${t}` }],
        });
      }
    }
  }
  return { orgId, campaignNames };
}

/** Every figure, computed from the rows as stored. */
async function oracle(orgId: string, from: string, to: string) {
  const inRange = (at: Date) => localDay(at) >= from && localDay(at) <= to;
  const leads = (await db.lead.findMany({ where: { organizationId: orgId } })).map((l) => ({ ...l, day: localDay(l.createdAt) }));
  const added = leads.filter((l) => inRange(l.createdAt));
  const spend = (await db.spendEntry.findMany({ where: { organizationId: orgId } })).filter((e) => inRange(e.createdAt));
  const traces = (await db.skipTraceRecord.findMany({ where: { organizationId: orgId } })).filter((s) => inRange(s.createdAt));
  const messages = await db.message.findMany({ where: { organizationId: orgId }, include: { conversation: true } });
  const suppressions = await db.suppression.findMany({ where: { organizationId: orgId } });
  const conversations = await db.conversation.findMany({ where: { organizationId: orgId } });
  const leadById = new Map(leads.map((l) => [l.id, l]));

  const totalCents = spend.reduce((sum, e) => sum + e.cents, 0);
  const textable = added.filter((l) => l.textable).length;
  const matched = traces.filter((t) => t.outcome === "matched").length;
  const noMatch = traces.filter((t) => t.outcome === "no_match").length;

  const campaignMessages = messages.filter((m) => m.direction === "outbound" && m.campaignId && inRange(m.createdAt));
  const funnelOf = (list: typeof campaignMessages) => {
    const leadOf = (m: (typeof list)[number]) => (m.conversation.leadId ? leadById.get(m.conversation.leadId) : undefined);
    const count = (test: (m: (typeof list)[number]) => boolean) => list.filter(test).length;
    return {
      sent: list.length,
      delivered: count((m) => m.status === "delivered"),
      filtered: count((m) => m.status === "undelivered" && m.errorCode === "30007"),
      failed: count((m) => m.status === "failed" || (m.status === "undelivered" && m.errorCode !== "30007")),
      replied: count((m) => messages.some((i) => i.conversationId === m.conversationId && i.direction === "inbound" && i.createdAt > m.createdAt)),
      optedOut: count((m) => suppressions.some((s) => s.phone === m.conversation.phone && s.createdAt > m.createdAt)),
      interested: count((m) => !!leadOf(m) && (["interested", "negotiating", "under_contract", "closed"].includes(leadOf(m)!.status) || !!leadOf(m)!.wonAt)),
      underContract: count((m) => !!leadOf(m) && (["under_contract", "closed"].includes(leadOf(m)!.status) || !!leadOf(m)!.wonAt)),
      closed: count((m) => !!leadOf(m) && (leadOf(m)!.status === "closed" || !!leadOf(m)!.wonAt)),
      costCents: list.reduce((sum, m) => sum + (m.costCents ?? 0), 0),
    };
  };
  const campaignIds = [...new Set(campaignMessages.map((m) => m.campaignId!))];

  const won = leads.filter((l) => l.wonAt && l.wonAt.toISOString().slice(0, 10) >= from && l.wonAt.toISOString().slice(0, 10) <= to);
  const lastCampaignOf = (leadId: string) =>
    conversations
      .filter((c) => c.leadId === leadId && c.lastCampaignId)
      .sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0))[0]?.lastCampaignId ?? null;
  const revenueCents = won.reduce((sum, l) => sum + Number(l.wonAmountCents), 0);
  return {
    added: added.length,
    bySource: Object.fromEntries(SOURCES.map((s) => [s, added.filter((l) => l.source === s).length])),
    perDay: (day: string, source: string) => added.filter((l) => l.day === day && l.source === source).length,
    hasPhone: added.filter((l) => l.hasPhone).length,
    textable,
    matched,
    noMatch,
    failedTraces: traces.filter((t) => t.outcome === "failed").length,
    totalCents,
    spendByProvider: Object.fromEntries(PROVIDER_OPS.map(([p]) => [p, spend.filter((e) => e.provider === p).reduce((sum, e) => sum + e.cents, 0)])),
    spendOnDay: (day: string, provider: string) => spend.filter((e) => localDay(e.createdAt) === day && e.provider === provider).reduce((sum, e) => sum + e.cents, 0),
    perLeadCents: added.length ? Math.round(totalCents / added.length) : null,
    perContactableLeadCents: textable ? Math.round(totalCents / textable) : null,
    overall: funnelOf(campaignMessages),
    byCampaign: new Map(campaignIds.map((id) => [id, funnelOf(campaignMessages.filter((m) => m.campaignId === id))])),
    won: won.length,
    revenueCents,
    revenueByCampaign: (id: string | null) => won.filter((l) => lastCampaignOf(l.id) === id).reduce((sum, l) => sum + Number(l.wonAmountCents), 0),
    revenueBySource: (source: string) => won.filter((l) => l.source === source).reduce((sum, l) => sum + Number(l.wonAmountCents), 0),
    closeDays: won.map((l) => Math.round((Date.parse(`${l.wonAt!.toISOString().slice(0, 10)}T00:00:00Z`) - Date.parse(`${l.day}T00:00:00Z`)) / DAY_MS)),
  };
}

describe("analytics overview", () => {
  let a: { org: { id: string }; admin: TestUser; manager: TestUser; user: TestUser };
  let b: { org: { id: string }; admin: TestUser; manager: TestUser; user: TestUser };
  let genA: Generated;
  let genB: Generated;
  const today = orgDay(TZ);
  const from = addDays(today, -20);
  const to = addDays(today, -11);

  beforeAll(async () => {
    a = await createTeam();
    b = await createTeam();
    await db.organization.updateMany({ where: { id: { in: [a.org.id, b.org.id] } }, data: { timeZone: TZ } });
    genA = await generate(a.org.id, 11, from, to, 120);
    genB = await generate(b.org.id, 29, from, to, 40);
  }, 120_000);

  it("matches the oracle to the cent, per day in the organization's time zone", async () => {
    const got = await callerFor(a.manager).analytics.overview({ from, to });
    const want = await oracle(a.org.id, from, to);
    expect(got.range).toMatchObject({ from, to, timeZone: TZ });
    expect(got.leads.perDay.map((d) => d.day)).toEqual(Array.from({ length: 10 }, (_, i) => addDays(from, i)));

    // Leads, phones
    expect(got.leads.added).toBe(want.added);
    expect(Object.fromEntries(got.leads.bySource.map((s) => [s.source, s.added]))).toEqual(want.bySource);
    for (const day of got.leads.perDay) for (const source of SOURCES) expect(day.bySource[source], `${day.day} ${source}`).toBe(want.perDay(day.day, source));
    expect(got.leads.hasPhone).toBe(want.hasPhone);
    expect(got.leads.textable).toBe(want.textable);
    expect(got.leads.textableRate).toBeCloseTo(want.textable / want.added, 10);

    // Skip tracing
    expect(got.skipTrace).toMatchObject({ matched: want.matched, noMatch: want.noMatch, failed: want.failedTraces });
    expect(got.skipTrace.hitRate).toBeCloseTo(want.matched / (want.matched + want.noMatch), 10);

    // Spend by provider, per day, against the caps
    expect(got.spend.totalCents).toBe(want.totalCents);
    for (const p of got.spend.providers) expect(p.cents, p.provider).toBe(want.spendByProvider[p.provider]);
    for (const day of got.spend.perDay) for (const [provider] of PROVIDER_OPS) expect(day.cents[provider], `${day.day} ${provider}`).toBe(want.spendOnDay(day.day, provider));
    expect(got.spend.providers.find((p) => p.provider === "attom")!.dailyCapCents).toBeGreaterThan(0);

    // Cost per lead and per contactable lead, and the breakdown adds up to the spend
    expect(got.costPerLead).toMatchObject({ leads: want.added, contactableLeads: want.textable, totalCents: want.totalCents, perLeadCents: want.perLeadCents, perContactableLeadCents: want.perContactableLeadCents });
    expect(got.costPerLead.breakdown.reduce((sum, row) => sum + row.cents, 0)).toBe(want.totalCents);
    const sms = got.costPerLead.breakdown.find((row) => row.operation === "sms.send")!;
    expect(sms.perLeadCents).toBe(Math.round(sms.cents / want.added));

    // Funnel, per campaign and overall
    const { overall } = got.funnel;
    expect(overall).toMatchObject(want.overall);
    expect(overall.sent).toBeGreaterThan(20);
    expect(overall.replied).toBeGreaterThan(0);
    expect(overall.optedOut).toBeGreaterThan(0);
    expect(overall.filtered).toBeGreaterThan(0);
    expect(overall.rates.reply).toBeCloseTo(want.overall.replied / want.overall.sent, 10);
    expect(overall.rates.failure).toBeCloseTo(want.overall.failed / want.overall.sent, 10);
    expect(got.funnel.campaigns).toHaveLength(want.byCampaign.size);
    for (const row of got.funnel.campaigns) {
      expect(genA.campaignNames).toContain(row.name);
      expect(row).toMatchObject(want.byCampaign.get(row.campaignId!)!);
    }

    // Revenue, ROI, time to close
    expect(want.won).toBeGreaterThan(0);
    expect(got.revenue).toMatchObject({ won: want.won, revenueCents: want.revenueCents, spendCents: want.totalCents });
    expect(got.revenue.roi).toBeCloseTo(want.revenueCents / want.totalCents, 10);
    for (const row of got.revenue.byCampaign) expect(row.revenueCents, row.name).toBe(want.revenueByCampaign(row.campaignId));
    expect(got.revenue.byCampaign.reduce((sum, row) => sum + row.revenueCents, 0)).toBe(want.revenueCents);
    for (const row of got.revenue.bySource) {
      expect(row.revenueCents).toBe(want.revenueBySource(row.source));
      expect(row.allocatedSpendCents).toBe(Math.round((want.totalCents * want.bySource[row.source]!) / want.added));
    }
    expect(got.revenue.timeToClose.count).toBe(want.closeDays.length);
    const mean = want.closeDays.reduce((x, y) => x + y, 0) / want.closeDays.length;
    expect(got.revenue.timeToClose.meanDays).toBe(Math.round(mean * 10) / 10);
  });

  it("counts a row by the organization's day, not UTC's: 23:30 local is that day, 00:10 the next", async () => {
    const { org, manager } = await createTeam();
    await db.organization.update({ where: { id: org.id }, data: { timeZone: TZ } });
    const day = addDays(today, -5);
    const late = localInstant(day, 23 * 60 + 30); // 07:30 UTC of the next day
    const early = localInstant(addDays(day, 1), 10);
    expect(late.toISOString().slice(0, 10)).toBe(addDays(day, 1));
    await db.spendEntry.createMany({
      data: [
        { organizationId: org.id, provider: "attom", operation: "property_search", cents: 111, createdAt: late },
        { organizationId: org.id, provider: "attom", operation: "property_search", cents: 222, createdAt: early },
      ],
    });
    const got = await callerFor(manager).analytics.overview({ from: day, to: day });
    expect(got.spend.totalCents).toBe(111);
    const next = await callerFor(manager).analytics.overview({ from: addDays(day, 1), to: addDays(day, 1) });
    expect(next.spend.totalCents).toBe(222);
  });

  it("shows organization B only B's figures, and A's are unchanged by B's data", async () => {
    const gotB = await callerFor(b.admin).analytics.overview({ from, to });
    const wantB = await oracle(b.org.id, from, to);
    expect(gotB.leads.added).toBe(wantB.added);
    expect(gotB.spend.totalCents).toBe(wantB.totalCents);
    expect(gotB.funnel.overall).toMatchObject(wantB.overall);
    expect(gotB.revenue.revenueCents).toBe(wantB.revenueCents);
    const text = JSON.stringify(gotB);
    for (const name of genA.campaignNames) expect(text).not.toContain(name);
    const wantA = await oracle(a.org.id, from, to);
    expect(wantA.totalCents).not.toBe(wantB.totalCents);
    expect((await callerFor(a.admin).analytics.overview({ from, to })).spend.totalCents).toBe(wantA.totalCents);
    expect(genB.campaignNames.every((name) => !JSON.stringify(wantA).includes(name))).toBe(true);
  });

  it("is for managers and admins; a user is told which role it needs", async () => {
    const error = await rejection(callerFor(a.user).analytics.overview({ from, to }));
    expect(error.code).toBe("FORBIDDEN");
    expect((await rejection(callerFor(a.user).analytics.usage())).code).toBe("FORBIDDEN");
  });

  it("refuses a range that ends before it starts or covers more than a year", async () => {
    expect((await rejection(callerFor(a.manager).analytics.overview({ from: to, to: from }))).code).toBe("BAD_REQUEST");
    expect((await rejection(callerFor(a.manager).analytics.overview({ from: "2024-01-01", to: "2025-06-01" }))).code).toBe("BAD_REQUEST");
  });

  it("picks up rows written after the rollup once the worker's refresh has run", async () => {
    const { org, manager } = await createTeam();
    await db.organization.update({ where: { id: org.id }, data: { timeZone: TZ } });
    const caller = callerFor(manager);
    const before = await caller.analytics.overview({ from: today, to: today });
    await db.spendEntry.create({ data: { organizationId: org.id, provider: "twilio_sms", operation: "sms.send", cents: 37, createdAt: new Date() } });
    expect((await caller.analytics.overview({ from: today, to: today })).spend.totalCents).toBe(before.spend.totalCents);
    await JOB_HANDLERS["analytics-rollup"].run({} as never, { signal: new AbortController().signal, finalAttempt: true });
    const after = await caller.analytics.overview({ from: today, to: today });
    expect(after.spend.totalCents).toBe(before.spend.totalCents + 37);
    expect(after.refreshedAt.getTime()).toBeGreaterThan(before.refreshedAt.getTime());
  });
});

describe("usage this month", () => {
  it("sums the month's spend and calls per provider against the caps, from the 1st in the org's zone", async () => {
    const { org, admin } = await createTeam();
    await db.organization.update({ where: { id: org.id }, data: { timeZone: TZ } });
    await db.budgetSetting.create({ data: { organizationId: org.id, provider: "batchdata", dailyCapCents: 500, costPerCallCents: 25 } });
    const today = orgDay(TZ);
    const first = `${today.slice(0, 7)}-01`;
    const entries = [
      { provider: "batchdata" as const, operation: "skip_trace", cents: 250, createdAt: localInstant(first, 5) },
      { provider: "batchdata" as const, operation: "skip_trace", cents: 275, createdAt: new Date(Date.now() - 60_000) },
      { provider: "twilio_sms" as const, operation: "sms.send", cents: 3, createdAt: new Date(Date.now() - 60_000) },
      // The last minutes of last month, local time: not this month's.
      { provider: "batchdata" as const, operation: "skip_trace", cents: 999, createdAt: localInstant(addDays(first, -1), 23 * 60 + 55) },
    ];
    await db.spendEntry.createMany({ data: entries.map((e) => ({ organizationId: org.id, ...e })) });
    await db.dailySpend.create({ data: { organizationId: org.id, provider: "batchdata", day: new Date(`${first}T00:00:00Z`), spentCents: 500 } });
    const usage = await callerFor(admin).analytics.usage();
    expect(usage).toMatchObject({ month: today.slice(0, 7), from: first, to: today, timeZone: TZ });
    const batch = usage.providers.find((p) => p.provider === "batchdata")!;
    expect(batch).toMatchObject({ monthCents: 525, monthCalls: 2, dailyCapCents: 500, daysAtCap: 1 });
    expect(batch.monthCapCents).toBe(500 * (Number(today.slice(8, 10))));
    expect(usage.providers.find((p) => p.provider === "twilio_sms")).toMatchObject({ monthCents: 3, monthCalls: 1 });
    expect(usage.totalCents).toBe(528);
  });
});
