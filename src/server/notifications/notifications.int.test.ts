import { afterAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { runCampaignDispatch } from "@/server/campaigns/dispatcher";
import { runInboundFollowup } from "@/server/inbox/inbound-followup";
import { runImport } from "@/server/leads/import/run";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { raiseEvent } from "@/server/realtime/raise";
import { organizationEvents, realtimeHub, type StreamItem } from "@/server/realtime/stream";
import { runBulkSkipTrace } from "@/server/skip-trace/run-job";
import { ProviderUnavailableError } from "@/server/providers/http";
import { createSandboxSkipTrace } from "@/server/providers/sandbox/skip-trace";
import type { SkipTraceProvider } from "@/server/providers/skip-trace";
import { SmsSendError, type SmsSender } from "@/server/providers/sms-sender";
import { NOT_BILLED } from "@/server/providers/billing";
import { campaignOrg, recordingSender, uniquePhone } from "@/test/campaign-fixtures";
import { callerFor, createMember, createTeam, type TestUser } from "@/test/factories";
import { notifyCapReached, notifyCircuitOpen } from "./producers";
import { notify } from "./service";

afterAll(async () => {
  await realtimeHub(db).close();
});

const mine = (user: TestUser) => db.notification.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
const kindsOf = async (user: TestUser) => (await mine(user)).map((n) => n.kind);

describe("producers notify the right users once", () => {
  it("a new reply: the lead's assignee, then the thread's assignee once it has one; a redelivered webhook or a retried job adds nothing", async () => {
    const team = await createTeam();
    const other = await createMember(team.org.id, "user");
    const sender = await db.smsSenderIdentity.create({ data: { organizationId: team.org.id, kind: "phone_number", value: uniquePhone() } });
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "12 Elm St", city: "Austin", state: "TX", zip: "78701", ownerName: "LOPEZ, MARIA" });
    await db.lead.update({ where: { id: lead.id }, data: { assigneeId: team.user.id } });
    const phone = uniquePhone();
    await db.leadPhone.create({ data: { organizationId: team.org.id, leadId: lead.id, number: phone, source: "test" } });

    const text = { MessageSid: `SM${"c3".repeat(16)}`, From: phone, To: sender.value, Body: "Maybe, what is your offer?", NumSegments: "1" };
    const first = await handleInboundWebhook(db, text);
    if (first.duplicate) throw new Error("fixture: the text was not recorded");
    await runInboundFollowup(db, first.messageId);
    await runInboundFollowup(db, first.messageId); // the job retried
    expect((await handleInboundWebhook(db, text)).duplicate).toBe(true); // Twilio redelivered

    const [notice] = await mine(team.user);
    expect(await kindsOf(team.user)).toEqual(["new_reply"]);
    expect(notice).toMatchObject({ organizationId: team.org.id, title: "New reply from LOPEZ, MARIA", leadId: lead.id, subjectType: "conversation", readAt: null });
    expect(notice!.link).toBe(`/inbox?thread=${notice!.subjectId}`);
    expect(notice!.body).toContain("Maybe, what is your offer?");
    for (const nobody of [team.admin, team.manager, other]) expect(await kindsOf(nobody)).toEqual([]);

    // The thread's assignee comes first.
    await db.conversation.updateMany({ where: { organizationId: team.org.id, phone }, data: { assignedUserId: other.id } });
    const second = await handleInboundWebhook(db, { ...text, MessageSid: `SM${"d4".repeat(16)}`, Body: "Call me" });
    if (second.duplicate) throw new Error("fixture: the second text was not recorded");
    await runInboundFollowup(db, second.messageId);
    expect(await kindsOf(other)).toEqual(["new_reply"]);
    expect(await kindsOf(team.user)).toEqual(["new_reply"]);
  });

  it("a campaign finished: its creator, once", async () => {
    const org = await campaignOrg();
    const { leadId } = await org.lead();
    const id = await org.launched([leadId]);
    const { sender } = recordingSender();
    for (let run = 0; run < 5; run++) {
      await runCampaignDispatch(db, id, { signal: new AbortController().signal, sender });
      if ((await db.campaign.findUniqueOrThrow({ where: { id } })).status === "completed") break;
    }
    expect((await db.campaign.findUniqueOrThrow({ where: { id } })).status).toBe("completed");
    await runCampaignDispatch(db, id, { signal: new AbortController().signal, sender }); // a late run of the chain
    const notices = await mine(org.team.manager);
    expect(notices.map((n) => [n.kind, n.subjectId, n.link])).toEqual([["campaign_finished", id, `/campaigns/${id}`]]);
    expect(notices[0]!.body).toContain("1 of 1 texted");
    for (const nobody of [org.team.admin, org.team.user]) expect(await kindsOf(nobody)).toEqual([]);
  });

  it("an import finished: whoever started it, once (a second run of the job adds nothing)", async () => {
    const team = await createTeam();
    const upload = await db.importUpload.create({
      data: {
        organizationId: team.org.id,
        createdById: team.manager.id,
        fileName: "spring-list.csv",
        rowCount: 2,
        completedAt: new Date(),
        chunks: { create: { index: 0, data: new TextEncoder().encode("Address,Zip\n1 Oak St,94105\n2 Oak St,94105\n") } },
      },
    });
    const job = await db.importJob.create({
      data: { organizationId: team.org.id, createdById: team.manager.id, fileName: "spring-list.csv", uploadId: upload.id, mapping: { address: 0, zip: 1 }, totalRows: 2 },
    });
    expect((await runImport(db, job.id)).outcome).toBe("completed");
    await runImport(db, job.id);
    const notices = await mine(team.manager);
    expect(notices.map((n) => [n.kind, n.title, n.subjectId])).toEqual([["import_finished", "Import of spring-list.csv finished", job.id]]);
    expect(notices[0]!.body).toBe("2 new leads from 2 rows.");
    for (const nobody of [team.admin, team.user]) expect(await kindsOf(nobody)).toEqual([]);
  });

  it("a bulk skip trace finished: whoever started it, once", async () => {
    const team = await createTeam();
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "5 Pine St", city: "Austin", state: "TX", zip: "78701", ownerName: "SMITH, ANN" });
    const job = await db.skipTraceJob.create({ data: { organizationId: team.org.id, createdById: team.manager.id, leadIds: [lead.id], total: 1 } });
    const provider = createSandboxSkipTrace();
    expect(await runBulkSkipTrace(db, job.id, provider)).toBe("completed");
    await runBulkSkipTrace(db, job.id, provider);
    expect((await mine(team.manager)).map((n) => [n.kind, n.subjectId])).toEqual([["skip_trace_finished", job.id]]);
    for (const nobody of [team.admin, team.user]) expect(await kindsOf(nobody)).toEqual([]);
  });

  it("a kill switch flipped: the other admins and managers, not whoever flipped it nor users", async () => {
    const team = await createTeam();
    const secondAdmin = await createMember(team.org.id, "admin");
    const deactivated = await createMember(team.org.id, "manager", { deactivated: true });
    await callerFor(team.admin).killSwitches.set({ kind: "sms", engaged: true, reason: "Carrier complaint" });
    for (const told of [secondAdmin, team.manager]) {
      const [notice] = await mine(told);
      expect(notice).toMatchObject({ kind: "kill_switch", title: "SMS sending switched off", link: "/settings/kill-switches" });
      expect(notice!.body).toContain("Carrier complaint");
    }
    for (const nobody of [team.admin, team.user, deactivated]) expect(await kindsOf(nobody)).toEqual([]);
    await callerFor(team.admin).killSwitches.set({ kind: "sms", engaged: false, reason: "Resolved" });
    expect((await mine(team.manager)).map((n) => n.title)).toEqual(["SMS sending switched off", "SMS sending switched back on"]);
  });

  it("a daily cap reached: the admins, once per provider per day; a circuit found open: the admins, once an hour per provider", async () => {
    const team = await createTeam();
    await notifyCapReached(db, { orgId: team.org.id, provider: "twilio_sms" });
    await notifyCapReached(db, { orgId: team.org.id, provider: "twilio_sms" });
    await notifyCapReached(db, { orgId: team.org.id, provider: "batchdata" });
    const at = new Date("2026-11-29T10:05:00Z");
    await notifyCircuitOpen(db, { orgId: team.org.id, provider: "batchdata", at });
    await notifyCircuitOpen(db, { orgId: team.org.id, provider: "batchdata", at: new Date("2026-11-29T10:45:00Z") }); // another process, same hour
    await notifyCircuitOpen(db, { orgId: team.org.id, provider: "batchdata", at: new Date("2026-11-29T11:20:00Z") });
    expect((await mine(team.admin)).map((n) => [n.kind, n.subjectId])).toEqual([
      ["cap_reached", "twilio_sms"],
      ["cap_reached", "batchdata"],
      ["circuit_open", "batchdata"],
      ["circuit_open", "batchdata"],
    ]);
    for (const nobody of [team.manager, team.user]) expect(await kindsOf(nobody)).toEqual([]);
  });

  it("a daily cap reached says when it resets on the organization's clock, not in UTC", async () => {
    const team = await createTeam();
    await db.organization.update({ where: { id: team.org.id }, data: { timeZone: "America/Chicago" } });
    await notifyCapReached(db, { orgId: team.org.id, provider: "attom", resetsAt: new Date("2026-12-01T06:00:00.000Z") });
    const [notice] = await mine(team.admin);
    expect(notice!.body).toContain("until the cap resets at midnight (12:00 AM CST on Tue, Dec 1)");
    expect(notice!.body).not.toContain("UTC");
  });

  it("a bulk skip trace stopped at the daily cap tells the admins the cap was reached and its creator that it stopped", async () => {
    const team = await createTeam();
    await db.budgetSetting.create({ data: { organizationId: team.org.id, provider: "batchdata", costPerCallCents: 10, dailyCapCents: 0 } });
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "7 Pine St", city: "Austin", state: "TX", zip: "78701", ownerName: "SMITH, BOB" });
    const job = await db.skipTraceJob.create({ data: { organizationId: team.org.id, createdById: team.manager.id, leadIds: [lead.id], total: 1 } });
    expect(await runBulkSkipTrace(db, job.id, createSandboxSkipTrace())).toBe("stopped_cap");
    expect((await mine(team.admin)).map((n) => [n.kind, n.subjectId])).toEqual([["cap_reached", "batchdata"]]);
    expect((await mine(team.manager)).map((n) => [n.kind, n.title])).toEqual([["skip_trace_finished", "Skip trace stopped at the daily cap"]]);
  });
});

describe("a daily cap met by an organization's call", () => {
  it("a campaign text refused by the SMS cap, and a single skip trace refused by the BatchData cap, tell the admins once a day each", async () => {
    const org = await campaignOrg({ capCents: 1 });
    const { leadId } = await org.lead();
    const id = await org.launched([leadId]);
    const { sender } = recordingSender();
    await runCampaignDispatch(db, id, { signal: new AbortController().signal, sender });
    expect((await db.campaign.findUniqueOrThrow({ where: { id } })).haltReason).toBe("daily_cap");
    const second = await org.launched([(await org.lead()).leadId]);
    await runCampaignDispatch(db, second, { signal: new AbortController().signal, sender });

    await db.budgetSetting.create({ data: { organizationId: org.orgId, provider: "batchdata", costPerCallCents: 10, dailyCapCents: 0 } });
    for (let i = 0; i < 2; i++) {
      const refused = await org.manager.skipTrace.run({ leadId }).catch((e: unknown) => e);
      expect((refused as TRPCError).code).toBe("PRECONDITION_FAILED");
    }
    expect((await mine(org.team.admin)).map((n) => [n.kind, n.subjectId, n.link])).toEqual([
      ["cap_reached", "twilio_sms", "/settings/budgets"],
      ["cap_reached", "batchdata", "/settings/budgets"],
    ]);
    for (const nobody of [org.team.manager, org.team.user]) expect(await kindsOf(nobody)).toEqual([]);
  });
});

describe("a circuit found open by an organization's call", () => {
  it("a bulk skip trace refused by BatchData's open circuit tells that organization's admins once, not another organization's", async () => {
    const team = await createTeam();
    const bystanders = await createTeam();
    const leads = [];
    for (const n of [1, 2]) leads.push((await callerFor(team.manager).leads.create({ addressLine1: `${n} Birch St`, city: "Austin", state: "TX", zip: "78701", ownerName: "DOE, JAN" })).lead.id);
    const open: SkipTraceProvider = { ...createSandboxSkipTrace(), trace: async () => Promise.reject(new ProviderUnavailableError("batchdata", new Date(Date.now() + 30_000))) };
    for (const leadId of leads) {
      const job = await db.skipTraceJob.create({ data: { organizationId: team.org.id, createdById: team.manager.id, leadIds: [leadId], total: 1 } });
      await runBulkSkipTrace(db, job.id, open);
    }
    expect((await mine(team.admin)).map((n) => [n.kind, n.subjectId, n.link])).toEqual([["circuit_open", "batchdata", "/settings/providers"]]);
    expect(await kindsOf(bystanders.admin)).toEqual([]);
  });

  it("a campaign text refused by Twilio's open circuit (re-wrapped by the adapter) tells the admins", async () => {
    const org = await campaignOrg();
    const { leadId } = await org.lead();
    const id = await org.launched([leadId]);
    const refusal = new ProviderUnavailableError("twilio", new Date(Date.now() + 30_000));
    const sender: SmsSender = {
      name: "sandbox",
      simulated: true,
      send: async () => Promise.reject(new SmsSendError("PROVIDER_UNAVAILABLE", refusal.message, { code: null, permanent: false, effect: "retry_later" }, NOT_BILLED, refusal.details, { cause: refusal })),
    };
    await runCampaignDispatch(db, id, { signal: new AbortController().signal, sender, sliceMs: 500 });
    expect((await mine(org.team.admin)).map((n) => [n.kind, n.subjectId])).toEqual([["circuit_open", "twilio"]]);
    expect(await kindsOf(org.team.manager)).toEqual([]);
  });
});

describe("preferences, privacy and the bell's procedures", () => {
  it("a kind switched off is not notified; switched back on it is", async () => {
    const team = await createTeam();
    const manager = callerFor(team.manager);
    expect((await manager.notifications.preferences()).kinds.every((k) => k.inApp)).toBe(true);
    await manager.notifications.updatePreferences({ kinds: [{ kind: "kill_switch", inApp: false }] });
    const prefs = await manager.notifications.preferences();
    expect(prefs.kinds.find((k) => k.kind === "kill_switch")).toEqual({ kind: "kill_switch", inApp: false });
    expect(prefs.kinds.find((k) => k.kind === "new_reply")).toEqual({ kind: "new_reply", inApp: true });

    await callerFor(team.admin).killSwitches.set({ kind: "search", engaged: true, reason: "Audit" });
    expect(await kindsOf(team.manager)).toEqual([]);
    await manager.notifications.updatePreferences({ kinds: [{ kind: "kill_switch", inApp: true }] });
    await callerFor(team.admin).killSwitches.set({ kind: "search", engaged: false, reason: "Done" });
    expect(await kindsOf(team.manager)).toEqual(["kill_switch"]);
  });

  it("a user sees, counts and marks only their own, never another user's or another organization's", async () => {
    const team = await createTeam();
    const other = await createTeam();
    const send = (orgId: string, user: TestUser, key: string) =>
      db.$transaction((tx) => notify(tx, { organizationId: orgId, kind: "import_finished", to: { userIds: [user.id] }, title: `For ${key}`, body: key, dedupeKey: key }));
    for (let i = 0; i < 3; i++) await send(team.org.id, team.user, `mine-${i}`);
    await send(team.org.id, team.manager, "colleague");
    await send(other.org.id, other.user, "elsewhere");
    // A member of both organizations sees each organization's own in each.
    await db.membership.create({ data: { organizationId: other.org.id, userId: team.user.id, role: "user" } });
    await send(other.org.id, team.user, "mine-in-other-org");

    const me = callerFor(team.user);
    expect(await me.notifications.unreadCount()).toEqual({ count: 3 });
    const first = await me.notifications.list({ limit: 2 });
    expect(first.items.map((n) => n.body)).toEqual(["mine-2", "mine-1"]);
    const second = await me.notifications.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((n) => n.body)).toEqual(["mine-0"]);
    expect(second.nextCursor).toBeNull();

    const colleagues = await db.notification.findFirstOrThrow({ where: { userId: team.manager.id } });
    const elsewhere = await db.notification.findFirstOrThrow({ where: { userId: other.user.id } });
    for (const foreign of [colleagues, elsewhere]) {
      const error = await me.notifications.markRead({ ids: [first.items[0]!.id, foreign.id] }).catch((e: unknown) => e);
      expect((error as TRPCError).code).toBe("NOT_FOUND");
      expect((await db.notification.findUniqueOrThrow({ where: { id: foreign.id } })).readAt).toBeNull();
    }
    expect(await me.notifications.unreadCount()).toEqual({ count: 3 });

    expect(await me.notifications.markRead({ ids: [first.items[0]!.id] })).toEqual({ count: 1 });
    expect(await me.notifications.unreadCount()).toEqual({ count: 2 });
    expect((await me.notifications.list({ unreadOnly: true })).items.map((n) => n.body)).toEqual(["mine-1", "mine-0"]);
    expect(await me.notifications.markAllRead()).toEqual({ count: 2 });
    expect(await me.notifications.unreadCount()).toEqual({ count: 0 });
    // Marking all read touched nobody else's, not even my own in the other organization.
    expect((await db.notification.findUniqueOrThrow({ where: { id: colleagues.id } })).readAt).toBeNull();
    expect((await db.notification.findFirstOrThrow({ where: { userId: team.user.id, organizationId: other.org.id } })).readAt).toBeNull();
  });
});

describe("the live event", () => {
  type Subscriber = { items: StreamItem[]; stop: () => void; waitFor: (count: number) => Promise<StreamItem[]> };

  async function subscribe(organizationId: string, userId: string, lastEventId: string): Promise<Subscriber> {
    const abort = new AbortController();
    const stream = organizationEvents(db, { organizationId, userId, topics: null, lastEventId, signal: abort.signal });
    const items: StreamItem[] = [];
    const done = (async () => {
      for await (const item of stream) items.push(item);
    })();
    return {
      items,
      stop: () => {
        abort.abort();
        void done.catch(() => {});
      },
      waitFor: async (count) => {
        const deadline = Date.now() + 20_000;
        while (items.length < count) {
          if (Date.now() > deadline) throw new Error(`expected ${count} live events, got ${items.length}: ${JSON.stringify(items)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        return items;
      },
    };
  }

  it("reaches only the notified user's subscription", async () => {
    const team = await createTeam();
    // Both streams resume after a first event of the organization, so none raised later is missed.
    await raiseEvent(db, { organizationId: team.org.id, topic: "job", subjectId: "start" });
    const start = await db.realtimeEvent.findFirstOrThrow({ where: { organizationId: team.org.id }, orderBy: { id: "desc" } });
    const a = await subscribe(team.org.id, team.user.id, start.id.toString());
    const b = await subscribe(team.org.id, team.manager.id, start.id.toString());

    const [notified] = await db.$transaction((tx) =>
      notify(tx, { organizationId: team.org.id, kind: "import_finished", to: { userIds: [team.user.id] }, title: "Done", body: "Done", dedupeKey: "live-1" }),
    );
    expect(notified).toBe(team.user.id);
    // Then an event for everyone: B's next event is this one, so B was not sent the notification before it.
    await raiseEvent(db, { organizationId: team.org.id, topic: "job", subjectId: "marker" });

    const notification = await db.notification.findFirstOrThrow({ where: { userId: team.user.id } });
    const aItems = await a.waitFor(2);
    const bItems = await b.waitFor(1);
    const events = (items: StreamItem[]) => items.flatMap((item) => (item.kind === "event" ? [item.event] : []));
    expect(events(aItems).map((e) => [e.topic, e.subjectId, e.userId])).toEqual([
      ["notification", notification.id, team.user.id],
      ["job", "marker", null],
    ]);
    expect(events(aItems)[0]!.data).toEqual({ kind: "import_finished" });
    expect(events(bItems).map((e) => [e.topic, e.subjectId])).toEqual([["job", "marker"]]);
    a.stop();
    b.stop();
  });
});
