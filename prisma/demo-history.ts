import { randomUUID } from "node:crypto";
import type { Session } from "next-auth";
import { runCampaignDispatch } from "../src/server/campaigns/dispatcher";
import type { Db } from "../src/server/db";
import { deliverSimulatedStatusCallback } from "../src/server/messaging/simulated-callbacks";
import { skipTraceProvider, smsSender } from "../src/server/providers/registry";
import type { SimulatedStatusCallback, SmsSender } from "../src/server/providers/sms-sender";
import { createCaller } from "../src/server/root";
import { traceLeads } from "../src/server/skip-trace/trace";
import { createTRPCContext } from "../src/server/trpc";

/**
 * A demo organization's history, made through the app's own procedures and services with the
 * sandbox providers and simulated texting, so every figure is one the app computed: searches and
 * traces are paid in the ledger, texts go through the one send path and their status callbacks
 * through the status webhook's handler, replies through the inbound one.
 *
 * The two things made by hand: the leads' "added" dates are spread over the last weeks (a demo made
 * in one instant would chart as one day), and the organization's sending hours are opened while the
 * campaigns send (the seed may run at night) and put back afterwards. Every number texted is a
 * sandbox number (the simulated sender never reaches a phone).
 */
export type DemoHistorySummary = { leads: number; traced: number; campaigns: number; messages: number; replies: number; wonCents: number };

const SEARCH_ZIPS = ["85004", "85008"];
const TAGS = [
  { name: "Absentee owner", color: "violet" },
  { name: "High equity", color: "green" },
  { name: "Probate", color: "amber" },
  { name: "Call back", color: "red" },
] as const;
const NOTES = [
  "Owner inherited the house; lives out of state. Open to a cash offer if we close in 30 days.",
  "Drove by: roof needs work, yard overgrown. Neighbors say vacant since spring.",
  "Spoke with the owner's son. Family meeting next week, call back after.",
  "Tenant-occupied, lease ends in March. Owner tired of landlording.",
];
const REPLIES: { body: string; status?: "interested" | "negotiating" | "under_contract" }[] = [
  { body: "Yes, I might sell. What would you offer?", status: "interested" },
  { body: "Maybe. Call me after 5pm.", status: "negotiating" },
  { body: "Interested, send me a number", status: "under_contract" },
  { body: "Not interested, thanks" },
  { body: "STOP" },
  { body: "Wrong number, I don't own that house" },
  { body: "How did you get this number?" },
];
const DAY_MS = 86_400_000;

type Actor = { userId: string; email: string; name: string | null; orgId: string; orgName: string; membershipId: string };

/** The app router as this member calls it, through the same middleware chain a request takes. */
function callerAs(db: Db, actor: Actor) {
  const session = { user: { id: actor.userId, email: actor.email }, sessionId: `demo-seed-${randomUUID()}`, expires: new Date(Date.now() + DAY_MS).toISOString() } as Session;
  const viewer = { kind: "active" as const, userId: actor.userId, email: actor.email, name: actor.name, orgName: actor.orgName, membershipId: actor.membershipId, orgId: actor.orgId, role: "admin" as const };
  return createCaller(createTRPCContext({ db, session, requestId: `demo-seed-${randomUUID()}`, ip: "127.0.0.1", viewer: () => Promise.resolve(viewer) }));
}

/**
 * The simulated sender, whose status callbacks the seed posts itself (in order, through the status
 * route's handler) instead of queueing them for a worker that may not be running yet.
 */
function seedSender(): { sender: SmsSender; callbacks: SimulatedStatusCallback[] } {
  const inner = smsSender();
  if (!inner.simulated) throw new Error("The demo history is made with simulated texting only (unset the Twilio keys).");
  const callbacks: SimulatedStatusCallback[] = [];
  const sender: SmsSender = {
    ...inner,
    async send(request) {
      const result = await inner.send(request);
      callbacks.push(...(result.value.simulatedStatusCallbacks ?? []));
      return { ...result, value: { ...result.value, simulatedStatusCallbacks: [] } };
    },
  };
  return { sender, callbacks };
}

async function postCallbacks(callbacks: SimulatedStatusCallback[]) {
  const ordered = callbacks.splice(0).sort((a, b) => a.afterMs - b.afterMs);
  for (const callback of ordered) await deliverSimulatedStatusCallback({ params: callback.params });
}

async function dispatchUntilDone(db: Db, campaignId: string, sender: SmsSender) {
  for (let run = 0; run < 20; run++) {
    const { nextRunAt } = await runCampaignDispatch(db, campaignId, { signal: AbortSignal.timeout(60_000), sender, concurrency: 8 });
    if (!nextRunAt) return;
  }
}

/** Opens the organization's sending hours until the returned function puts them back. */
async function openSendingHoursFor(db: Db, orgId: string) {
  const [rules, settings] = await Promise.all([
    db.complianceRule.findMany({ where: { organizationId: orgId }, select: { id: true, weekdays: true, saturday: true, sunday: true } }),
    db.organizationSettings.findUnique({ where: { organizationId: orgId }, select: { quietHoursStart: true, quietHoursEnd: true } }),
  ]);
  const allDay = [{ start: "00:00", end: "24:00" }];
  await db.complianceRule.updateMany({ where: { organizationId: orgId }, data: { weekdays: allDay, saturday: allDay, sunday: allDay } });
  await db.organizationSettings.update({ where: { organizationId: orgId }, data: { quietHoursStart: "00:00", quietHoursEnd: "24:00" } });
  return async () => {
    for (const rule of rules) {
      await db.complianceRule.update({ where: { id: rule.id }, data: { weekdays: rule.weekdays ?? [], saturday: rule.saturday ?? [], sunday: rule.sunday ?? [] } });
    }
    if (settings) await db.organizationSettings.update({ where: { organizationId: orgId }, data: settings });
  };
}

export async function seedDemoHistory(db: Db, input: { orgId: string; adminUserId: string; managerUserId?: string; senderIdentityId: string }): Promise<DemoHistorySummary> {
  const membership = await db.membership.findFirstOrThrow({
    where: { organizationId: input.orgId, userId: input.adminUserId },
    select: { id: true, user: { select: { email: true, name: true } }, organization: { select: { name: true } } },
  });
  const actor: Actor = { userId: input.adminUserId, email: membership.user.email, name: membership.user.name, orgId: input.orgId, orgName: membership.organization.name, membershipId: membership.id };
  const app = callerAs(db, actor);
  const phases: [string, number][] = [];
  let phaseStarted = performance.now();
  const phase = (name: string) => {
    phases.push([name, Math.round(performance.now() - phaseStarted)]);
    phaseStarted = performance.now();
  };

  // Leads: three ZIPs searched (each page paid once) and added.
  for (const zip of SEARCH_ZIPS) {
    const query = { location: { zips: [zip] }, pageSize: 100 };
    await app.search.run(query);
    await app.search.addToLeads({ query });
  }
  // Added over the last 30 days, best-scored newest, so "leads added per day" has a shape.
  await db.$executeRaw`
    WITH spread AS (
      SELECT id, now() - (row_number() OVER (ORDER BY score DESC, id) - 1) * (interval '30 days' / count(*) OVER ()) - (row_number() OVER (ORDER BY id) % 7) * interval '1 hour' AS added_at
      FROM "Lead" WHERE "organizationId" = ${input.orgId}
    ), leads AS (
      UPDATE "Lead" l SET "createdAt" = spread.added_at FROM spread WHERE l.id = spread.id RETURNING l.id, l."createdAt"
    )
    UPDATE "ActivityEvent" e SET "createdAt" = leads."createdAt" FROM leads WHERE e."leadId" = leads.id AND e.kind = 'created'`;
  const leads = await db.lead.findMany({ where: { organizationId: input.orgId }, orderBy: [{ score: "desc" }, { id: "asc" }], select: { id: true } });
  const now = Date.now();
  phase("leads");
  // Skip trace the best 60%, paid per match in the ledger.
  const toTrace = leads.slice(0, Math.ceil(leads.length * 0.6)).map((lead) => lead.id);
  let traced = 0;
  for (let start = 0; start < toTrace.length; start += 50) {
    const { outcomes } = await traceLeads({ db, orgId: input.orgId, userId: input.adminUserId, requestId: "demo-seed" }, toTrace.slice(start, start + 50), skipTraceProvider(), {
      force: false,
      recencyDays: 90,
      fitToCap: true,
    });
    traced += outcomes.filter((outcome) => outcome.outcome === "matched").length;
  }

  phase("trace");
  // Tags, notes, owners and stages a working team would have by now.
  const tagIds: string[] = [];
  for (const tag of TAGS) tagIds.push((await app.tags.create(tag)).id);
  for (const [index, tagId] of tagIds.entries()) {
    const tagged = leads.filter((_, leadIndex) => leadIndex % (index + 3) === 0).map((lead) => lead.id);
    await app.leads.bulk({ target: { ids: tagged }, action: { kind: "tag", tagId } });
  }
  for (let index = 0; index < leads.length; index += 25) await app.notes.add({ leadId: leads[index]!.id, body: NOTES[(index / 25) % NOTES.length]! });
  const textable = await db.lead.findMany({ where: { organizationId: input.orgId, textable: true }, orderBy: { score: "desc" }, select: { id: true } });
  const untraced = leads.slice(toTrace.length).map((lead) => lead.id);
  if (untraced.length > 20) await app.leads.bulk({ target: { ids: untraced.slice(0, 12) }, action: { kind: "status", status: "dead" } });
  if (input.managerUserId) await app.leads.bulk({ target: { ids: textable.slice(0, 40).map((lead) => lead.id) }, action: { kind: "assign", assigneeId: input.managerUserId } });

  phase("tags");
  // Two campaigns texting the textable leads: one finished, one still running.
  const { sender, callbacks } = seedSender();
  const restoreSendingHours = await openSendingHoursFor(db, input.orgId);
  let messages = 0;
  let replies = 0;
  try {
    const finishedAudience = textable.slice(0, 40).map((lead) => lead.id);
    const template = "Hi {{owner_first_name|there}}, this is Dana with {{brand}}. Would you consider an offer on {{property_address}}? Reply STOP to opt out.";
    const finished = await app.campaigns.create({ name: "Phoenix absentee owners — first touch", template, senderIdentityId: input.senderIdentityId, audience: { kind: "selection", leadIds: finishedAudience }, ratePerSecond: 50 });
    await app.campaigns.preflight({ id: finished.id });
    await app.campaigns.launch({ id: finished.id });
    await dispatchUntilDone(db, finished.id, sender);
    phase("campaign sends");
    await postCallbacks(callbacks);
    phase("status callbacks");

    const delivered = await db.message.findMany({
      where: { organizationId: input.orgId, campaignId: finished.id, status: "delivered" },
      orderBy: { createdAt: "asc" },
      select: { conversation: { select: { leadId: true, phone: true } } },
    });
    for (const [index, reply] of REPLIES.entries()) {
      const thread = delivered[index * 3]?.conversation;
      if (!thread?.leadId) continue;
      await app.messaging.simulateReply({ leadId: thread.leadId, phone: thread.phone, body: reply.body });
      replies++;
      if (reply.status) await app.leads.update({ id: thread.leadId, patch: { status: reply.status } });
    }

    phase("replies");
    const running = await app.campaigns.create({
      name: "Phoenix high equity — follow-up",
      template: "Hi {{owner_first_name|there}}, following up about {{property_address}}. Still open to a quick cash offer? - {{brand}}. Reply STOP to opt out.",
      senderIdentityId: input.senderIdentityId,
      audience: { kind: "selection", leadIds: textable.slice(40, 80).map((lead) => lead.id) },
      ratePerSecond: 1,
    });
    await app.campaigns.preflight({ id: running.id });
    await app.campaigns.launch({ id: running.id });
    // Its sending is the worker's, at one text a second once the app runs: its progress moves live.
    messages = await db.message.count({ where: { organizationId: input.orgId, direction: "outbound" } });
  } finally {
    await restoreSendingHours();
  }

  phase("campaigns");
  // Deals: two won (revenue), one lost, two under contract.
  const closing = leads.slice(toTrace.length - 5, toTrace.length);
  const wonAmounts = [1_850_000, 2_400_000];
  for (const [index, amountCents] of wonAmounts.entries()) {
    const closedOn = new Date(now - (index + 3) * DAY_MS).toISOString().slice(0, 10);
    await app.leads.setOutcome({ id: closing[index]!.id, outcome: "won", amountCents, date: closedOn });
  }
  if (closing[2]) await app.leads.setOutcome({ id: closing[2].id, outcome: "lost", reason: "Owner listed with an agent." });
  const { timeZone } = await db.organization.findUniqueOrThrow({ where: { id: input.orgId }, select: { timeZone: true } });
  // A calendar day in the organization's zone ("due today" means its today).
  const day = (offsetDays: number) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date(now + offsetDays * DAY_MS));
  for (const [index, lead] of closing.slice(3).entries()) {
    await app.leads.update({ id: lead.id, patch: { status: "under_contract", dealValueCents: 2_150_000 + index * 375_000, expectedCloseOn: day(12 + index * 9) } });
  }

  // Follow-ups: one due today, one overdue, one next week.
  const followUps = [
    { offset: 0, note: "Call back about the offer; they asked for a number by tonight." },
    { offset: -2, note: "Send comps for the roof repair estimate." },
    { offset: 6, note: "Walk-through with the contractor." },
  ];
  const openDeals = [...closing.slice(3), leads[0]!];
  for (const [index, task] of followUps.entries()) {
    const lead = openDeals[index] ?? leads[index]!;
    await app.tasks.create({ leadId: lead.id, note: task.note, dueOn: day(task.offset) });
  }

  phase("deals");
  if (process.env.LEADFLOW_SEED_TIMING) console.log(phases.map(([name, ms]) => `${name} ${ms} ms`).join(", "));
  return { leads: leads.length, traced, campaigns: 2, messages, replies, wonCents: wonAmounts.reduce((sum, cents) => sum + cents, 0) };
}
