import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as inboundPOST } from "@/app/api/webhooks/twilio/inbound/route";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { signedTwilioWebhook } from "@/server/messaging/webhook-signature";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";
import { callerFor, createMember, createTeam } from "@/test/factories";
import { runScheduledReply } from "./service";

let counter = 0;
const uniquePhone = () => `+1469${String(4_000_000 + ((++counter * 7919) % 1_000_000)).padStart(7, "0")}`;

/** An organization with a sending number, a texting budget, and a way to add leads that text in. */
async function inboxOrg() {
  const team = await createTeam();
  const orgId = team.org.id;
  await allowSendingAtAnyHour(orgId);
  const senderNumber = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: senderNumber } });
  await db.budgetSetting.create({ data: { organizationId: orgId, provider: "twilio_sms", costPerCallCents: 3, dailyCapCents: 10_000 } });
  const manager = callerFor(team.manager);
  const user = callerFor(team.user);

  const addLead = async (facts: { street: string; owner: string }) => {
    const { lead } = await manager.leads.create({ addressLine1: facts.street, city: "Austin", state: "TX", zip: "78701", ownerName: facts.owner });
    const phone = uniquePhone();
    await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test" } });
    /** The lead's phone texts the organization: a signed inbound webhook through the real route. */
    const textIn = async (body: string) => {
      const { url, init } = signedTwilioWebhook(env, "/api/webhooks/twilio/inbound", {
        MessageSid: `SM${randomBytes(16).toString("hex")}`,
        AccountSid: "AC00000000000000000000000000000000",
        From: phone,
        To: senderNumber,
        Body: body,
        NumSegments: "1",
      });
      const response = await inboundPOST(new Request(url, init));
      expect(response.status).toBe(200);
    };
    const thread = async () => db.conversation.findFirstOrThrow({ where: { organizationId: orgId, phone }, select: { id: true, unreadCount: true, archivedAt: true } });
    return { leadId: lead.id, phone, textIn, thread };
  };
  return { team, orgId, manager, user, addLead };
}

const ids = (page: { items: { id: string }[] }) => page.items.map((t) => t.id).sort();

describe("inbox threads", () => {
  it("filters and search return the right threads", async () => {
    const org = await inboxOrg();
    const rivera = await org.addLead({ street: "12 Juniper Ln", owner: "Ana Rivera" });
    const chen = await org.addLead({ street: "400 Oak Hollow Dr", owner: "Wei Chen" });
    const stopped = await org.addLead({ street: "9 Pecan St", owner: "Sam Stone" });

    await rivera.textIn("Maybe, what would you offer for the juniper house?");
    await org.manager.messaging.sendToLead({ leadId: chen.leadId, phone: chen.phone, body: "Hi Wei, are you open to an offer on Oak Hollow?" });
    await stopped.textIn("STOP");
    const [riveraThread, chenThread, stoppedThread] = await Promise.all([rivera.thread(), chen.thread(), stopped.thread()]);

    await db.lead.update({ where: { id: chen.leadId }, data: { temperature: "HOT" } });
    const campaign = await db.campaign.create({ data: { organizationId: org.orgId, name: "Oak Hollow mailer", template: "Hi", audience: {} } });
    await db.conversation.update({ where: { id: chenThread.id }, data: { lastCampaignId: campaign.id } });
    await org.manager.inbox.assign({ id: chenThread.id, userId: org.team.user.id });

    const all = await org.user.inbox.threads({});
    expect(ids(all)).toEqual([riveraThread.id, chenThread.id, stoppedThread.id].sort());
    // Newest activity first: the STOP came last.
    expect(all.items[0]!.id).toBe(stoppedThread.id);
    const rivieraRow = all.items.find((t) => t.id === riveraThread.id)!;
    expect(rivieraRow).toMatchObject({ ownerName: "Ana Rivera", address: "12 Juniper Ln, Austin, TX", lastDirection: "inbound", unreadCount: 1, optedOut: false });
    expect(rivieraRow.lastMessagePreview).toContain("juniper house");

    expect(ids(await org.user.inbox.threads({ filters: { unread: true } }))).toEqual([riveraThread.id, stoppedThread.id].sort());
    expect(ids(await org.user.inbox.threads({ filters: { needsReply: true } }))).toEqual([riveraThread.id, stoppedThread.id].sort());
    expect(ids(await org.user.inbox.threads({ filters: { optedOut: true } }))).toEqual([stoppedThread.id]);
    expect(ids(await org.user.inbox.threads({ filters: { optedOut: false } }))).toEqual([riveraThread.id, chenThread.id].sort());
    expect(ids(await org.user.inbox.threads({ filters: { temperature: ["HOT"] } }))).toEqual([chenThread.id]);
    // "Dead" was renamed "Cold": a link or saved view that still says DEAD filters the same threads.
    await db.lead.update({ where: { id: rivera.leadId }, data: { temperature: "COLD" } });
    const cold = ids(await org.user.inbox.threads({ filters: { temperature: ["COLD"] } }));
    expect(cold).toContain(riveraThread.id);
    expect(cold).not.toContain(chenThread.id);
    expect(ids(await org.user.inbox.threads({ filters: { temperature: ["DEAD"] } }))).toEqual(cold);
    expect(ids(await org.user.inbox.threads({ filters: { campaignId: campaign.id } }))).toEqual([chenThread.id]);
    expect(ids(await org.user.inbox.threads({ filters: { assignedToMe: true } }))).toEqual([chenThread.id]);
    expect(ids(await org.manager.inbox.threads({ filters: { assignedToMe: true } }))).toEqual([]);

    // Search: owner name, address, message text, the number's digits typed any way.
    expect(ids(await org.user.inbox.threads({ q: "rivera" }))).toEqual([riveraThread.id]);
    expect(ids(await org.user.inbox.threads({ q: "oak hollow" }))).toEqual([chenThread.id]);
    expect(ids(await org.user.inbox.threads({ q: "JUNIPER HOUSE" }))).toEqual([riveraThread.id]);
    const digits = stopped.phone.slice(-7);
    expect(ids(await org.user.inbox.threads({ q: `${digits.slice(0, 3)}-${digits.slice(3)}` }))).toEqual([stoppedThread.id]);
    expect(ids(await org.user.inbox.threads({ q: "100%" }))).toEqual([]);
    // The whole number in another format finds it; a word whose letters surround those digits is no phone
    // number (CI saw "kbdmx36geu5" list a thread whose number holds 365).
    expect(ids(await org.user.inbox.threads({ q: `(${stopped.phone.slice(2, 5)}) ${stopped.phone.slice(5, 8)}-${stopped.phone.slice(8)}` }))).toEqual([stoppedThread.id]);
    expect(ids(await org.user.inbox.threads({ q: `zz${digits.slice(0, 3)}q${digits.slice(3)}zz` }))).toEqual([]);
    // Search combines with filters.
    expect(ids(await org.user.inbox.threads({ q: "oak hollow", filters: { unread: true } }))).toEqual([]);
  });

  it("pages with a keyset cursor, newest first, without repeats", async () => {
    const org = await inboxOrg();
    const leads = [];
    for (let i = 0; i < 5; i++) leads.push(await org.addLead({ street: `${i + 1} Page St`, owner: `Owner ${i}` }));
    for (const lead of leads) await lead.textIn("hello");
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await org.user.inbox.threads({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const expected = await Promise.all([...leads].reverse().map((l) => l.thread().then((t) => t.id)));
    expect(seen).toEqual(expected);
  });

  it("unread counts go up on inbound and to zero on markRead; markUnread brings it back", async () => {
    const org = await inboxOrg();
    const lead = await org.addLead({ street: "5 Read St", owner: "Rae Reed" });
    expect(await org.user.inbox.unreadCount()).toEqual({ threads: 0 });
    await lead.textIn("Hello?");
    await lead.textIn("Anyone there?");
    const { id } = await lead.thread();
    expect((await lead.thread()).unreadCount).toBe(2);
    expect(await org.user.inbox.unreadCount()).toEqual({ threads: 1 });

    expect(await org.user.inbox.markRead({ id })).toMatchObject({ id, unreadCount: 0 });
    expect(await org.manager.inbox.unreadCount()).toEqual({ threads: 0 });
    // Shared by the organization: a teammate sees it read too.
    expect((await org.manager.inbox.thread({ id })).unreadCount).toBe(0);

    expect(await org.user.inbox.markUnread({ id })).toMatchObject({ unreadCount: 1 });
    expect(await org.user.inbox.unreadCount()).toEqual({ threads: 1 });
    // Marking read raised a live event for the organization's open inboxes.
    expect(await db.realtimeEvent.count({ where: { organizationId: org.orgId, topic: "inbox", subjectId: id, data: { path: ["kind"], equals: "read" } } })).toBe(1);
  });

  it("archive takes a thread out of the inbox; the next inbound message brings it back", async () => {
    const org = await inboxOrg();
    const lead = await org.addLead({ street: "7 Archive Rd", owner: "Ari Cole" });
    await lead.textIn("Not now, maybe later");
    const { id } = await lead.thread();
    await org.user.inbox.archive({ id });
    expect(ids(await org.user.inbox.threads({}))).toEqual([]);
    expect(ids(await org.user.inbox.threads({ filters: { archived: true } }))).toEqual([id]);

    await lead.textIn("Actually, call me");
    expect((await lead.thread()).archivedAt).toBeNull();
    expect(ids(await org.user.inbox.threads({}))).toEqual([id]);
    expect(ids(await org.user.inbox.threads({ filters: { archived: true } }))).toEqual([]);

    await org.user.inbox.archive({ id });
    expect((await org.user.inbox.unarchive({ id })).archived).toBe(false);
  });

  it("assigns to a teammate, unassigns, and refuses someone outside the organization", async () => {
    const org = await inboxOrg();
    const lead = await org.addLead({ street: "3 Assign Ave", owner: "Kim Lee" });
    await lead.textIn("Who is this?");
    const { id } = await lead.thread();
    const assigned = await org.user.inbox.assign({ id, userId: org.team.manager.id });
    expect(assigned.assignedUser?.id).toBe(org.team.manager.id);
    expect((await org.manager.inbox.threads({ filters: { assignedToMe: true } })).items.map((t) => t.id)).toEqual([id]);

    const stranger = await createTeam();
    await expect(org.user.inbox.assign({ id, userId: stranger.admin.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const gone = await createMember(org.orgId, "user", { deactivated: true });
    await expect(org.user.inbox.assign({ id, userId: gone.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await org.user.inbox.thread({ id })).assignedUser?.id).toBe(org.team.manager.id);

    expect((await org.user.inbox.assign({ id, userId: null })).assignedUser).toBeNull();
  });

  it("shows the thread newest first with delivery states and the lead's key facts; changes the status like the lead page", async () => {
    const org = await inboxOrg();
    const lead = await org.addLead({ street: "21 Facts Blvd", owner: "Dee Fox" });
    await org.manager.messaging.sendToLead({ leadId: lead.leadId, phone: lead.phone, body: "Hi Dee, interested in selling?" });
    await lead.textIn("Yes, make me an offer");
    const { id } = await lead.thread();
    const thread = await org.user.inbox.thread({ id });
    expect(thread.messages.map((m) => m.direction)).toEqual(["inbound", "outbound"]);
    expect(thread.messages[1]).toMatchObject({ body: "Hi Dee, interested in selling?", segments: 1 });
    expect(["queued", "sending", "sent", "delivered"]).toContain(thread.messages[1]!.status);
    expect(thread.lead).toMatchObject({ id: lead.leadId, ownerName: "Dee Fox", addressLine1: "21 Facts Blvd", status: "replied" });
    expect(thread.leadPhone).toMatchObject({ type: "mobile", status: "ok" });
    expect(thread.suppression).toBeNull();

    const older = await org.user.inbox.thread({ id, limit: 1 });
    expect(older.messages).toHaveLength(1);
    const rest = await org.user.inbox.thread({ id, limit: 1, cursor: older.nextCursor! });
    expect(rest.messages.map((m) => m.direction)).toEqual(["outbound"]);
    expect(rest.nextCursor).toBeNull();

    const changed = await org.user.inbox.setLeadStatus({ id, status: "interested" });
    expect(changed).toMatchObject({ leadId: lead.leadId, status: "interested" });
    const events = await db.activityEvent.findMany({ where: { leadId: lead.leadId, kind: "status_changed", actorId: org.team.user.id }, select: { details: true } });
    expect(events.map((e) => e.details)).toEqual([{ from: "replied", to: "interested" }]);
    expect((await org.user.leads.get({ id: lead.leadId })).status).toBe("interested");
  });
});

describe("replying from the inbox", () => {
  it("sends through the one send path and reads the thread", async () => {
    const org = await inboxOrg();
    const lead = await org.addLead({ street: "8 Reply Way", owner: "Jo Park" });
    await lead.textIn("What's your offer?");
    const { id } = await lead.thread();
    expect(await org.user.inbox.replyCheck({ id })).toMatchObject({ outcome: "allowed", reason: null });
    const sent = await org.user.inbox.reply({ id, body: "Hi Jo, could we talk tomorrow?", idempotencyKey: "inbox-reply-test-1" });
    const again = await org.user.inbox.reply({ id, body: "Hi Jo, could we talk tomorrow?", idempotencyKey: "inbox-reply-test-1" });
    expect(again.id).toBe(sent.id);
    const outbound = await db.message.findMany({ where: { conversationId: id, direction: "outbound" }, select: { id: true, body: true } });
    expect(outbound).toEqual([{ id: sent.id, body: "Hi Jo, could we talk tomorrow?" }]);
    const decision = await db.sendDecision.findFirstOrThrow({ where: { messageId: sent.id }, select: { kind: true, outcome: true, actorUserId: true } });
    expect(decision).toMatchObject({ kind: "inbox_reply", outcome: "allowed", actorUserId: org.team.user.id });
    expect((await lead.thread()).unreadCount).toBe(0);
  });

  it("a suppressed thread's reply is refused with the reason and nothing is sent", async () => {
    const org = await inboxOrg();
    const lead = await org.addLead({ street: "4 Stop Ct", owner: "Max Hall" });
    await lead.textIn("STOP");
    const { id } = await lead.thread();
    const before = await db.message.count({ where: { conversationId: id, direction: "outbound" } });

    const check = await org.user.inbox.replyCheck({ id });
    expect(check).toMatchObject({ outcome: "blocked", reason: "suppressed" });
    expect(check.message).toMatch(/STOP/);
    expect((await org.user.inbox.thread({ id })).suppression).toMatchObject({ reason: "keyword" });
    expect((await org.user.inbox.threads({ filters: { optedOut: true } })).items.map((t) => t.id)).toEqual([id]);

    await expect(org.user.inbox.reply({ id, body: "Sorry to bother you, one last question" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/STOP/) });
    await expect(org.user.inbox.scheduleReply({ id, body: "Later then" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/STOP/) });
    expect(await db.message.count({ where: { conversationId: id, direction: "outbound" } })).toBe(before);
    expect(await db.scheduledReply.count({ where: { conversationId: id } })).toBe(0);
    // The refusal is in the decision log.
    expect(await db.sendDecision.count({ where: { organizationId: org.orgId, phone: lead.phone, kind: "inbox_reply", outcome: "blocked", reason: "suppressed" } })).toBe(1);
  });

  it("quiet hours: the check says when; a scheduled reply waits, then goes through the send path deciding again", async () => {
    const org = await inboxOrg();
    const lead = await org.addLead({ street: "6 Night Ln", owner: "Lou Night" });
    const late = await org.addLead({ street: "7 Night Ln", owner: "Lee Late" });
    await lead.textIn("Text me tomorrow");
    await late.textIn("Text me tomorrow too");
    const [{ id }, lateThread] = await Promise.all([lead.thread(), late.thread()]);

    // A one-hour window two hours from now in the recipient's zone (Austin): now is outside it.
    const hour = Number(new Intl.DateTimeFormat("en-US", { timeZone: "America/Chicago", hour: "numeric", hourCycle: "h23" }).format(new Date()));
    const start = (hour + 2) % 24;
    const window = { quietHoursStart: `${String(start).padStart(2, "0")}:00`, quietHoursEnd: `${String(start + 1).padStart(2, "0")}:00` };
    await db.organizationSettings.update({ where: { organizationId: org.orgId }, data: window });

    const check = await org.user.inbox.replyCheck({ id });
    expect(check).toMatchObject({ outcome: "deferred", reason: "quiet_hours" });
    expect(check.until!.getTime()).toBeGreaterThan(Date.now());
    await expect(org.user.inbox.reply({ id, body: "Good morning!" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    const scheduled = await org.user.inbox.scheduleReply({ id, body: "Good morning, Lou!" });
    expect(scheduled).toMatchObject({ status: "scheduled", body: "Good morning, Lou!" });
    expect(scheduled.sendAt.getTime()).toBe(check.until!.getTime());
    expect((await org.user.inbox.thread({ id })).scheduled.map((s) => s.id)).toEqual([scheduled.id]);
    const job = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'inbox-scheduled-reply' AND data->>'scheduledReplyId' = ${scheduled.id} AND start_after >= ${check.until!}`;
    expect(Number(job[0]!.n)).toBe(1);
    const lateScheduled = await org.user.inbox.scheduleReply({ id: lateThread.id, body: "Good morning, Lee!" });

    // Still before the window: the job decides again and waits for the next opening.
    await runScheduledReply(db, scheduled.id, createSandboxSmsSender());
    expect(await db.scheduledReply.findUniqueOrThrow({ where: { id: scheduled.id }, select: { status: true } })).toEqual({ status: "scheduled" });
    expect(await db.message.count({ where: { conversationId: id, direction: "outbound" } })).toBe(0);

    // The window opens: it is sent, once.
    await allowSendingAtAnyHour(org.orgId);
    await runScheduledReply(db, scheduled.id, createSandboxSmsSender());
    await runScheduledReply(db, scheduled.id, createSandboxSmsSender());
    const done = await db.scheduledReply.findUniqueOrThrow({ where: { id: scheduled.id }, select: { status: true, messageId: true } });
    expect(done.status).toBe("sent");
    expect(await db.message.findMany({ where: { conversationId: id, direction: "outbound" }, select: { id: true, body: true } })).toEqual([{ id: done.messageId, body: "Good morning, Lou!" }]);

    // An opt-out in between stops the other one, with the reason.
    await late.textIn("STOP");
    await runScheduledReply(db, lateScheduled.id, createSandboxSmsSender());
    const stopped = await db.scheduledReply.findUniqueOrThrow({ where: { id: lateScheduled.id }, select: { status: true, outcome: true } });
    expect(stopped.status).toBe("blocked");
    expect(stopped.outcome).toMatch(/STOP/);
    expect(await db.message.count({ where: { conversationId: lateThread.id, direction: "outbound" } })).toBe(0);
  });
});

describe("another organization's threads", () => {
  it("are NOT_FOUND for every inbox action, and never listed", async () => {
    const ours = await inboxOrg();
    const theirs = await inboxOrg();
    const theirLead = await theirs.addLead({ street: "1 Private Pl", owner: "Their Owner" });
    await theirLead.textIn("their private words");
    const { id } = await theirLead.thread();
    const caller = ours.manager;
    const notFound = { code: "NOT_FOUND" };
    await expect(caller.inbox.thread({ id })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.markRead({ id })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.markUnread({ id })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.archive({ id })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.unarchive({ id })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.assign({ id, userId: null })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.replyCheck({ id })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.reply({ id, body: "hello" })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.scheduleReply({ id, body: "hello" })).rejects.toMatchObject(notFound);
    await expect(caller.inbox.setLeadStatus({ id, status: "dead" })).rejects.toMatchObject(notFound);
    expect((await caller.inbox.threads({ q: "their private words" })).items).toEqual([]);
    expect(await caller.inbox.unreadCount()).toEqual({ threads: 0 });
    // Untouched.
    expect(await db.conversation.findUniqueOrThrow({ where: { id }, select: { unreadCount: true, archivedAt: true, assignedUserId: true } })).toEqual({
      unreadCount: 1,
      archivedAt: null,
      assignedUserId: null,
    });
    expect(await db.message.count({ where: { conversationId: id, direction: "outbound" } })).toBe(0);
  });
});
