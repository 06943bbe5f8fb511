import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as inboundPOST } from "@/app/api/webhooks/twilio/inbound/route";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { runCampaignDispatch } from "@/server/campaigns/dispatcher";
import { runInboundFollowup } from "@/server/inbox/inbound-followup";
import { signedTwilioWebhook } from "@/server/messaging/webhook-signature";
import { campaignOrg, recordingSender } from "@/test/campaign-fixtures";
import { runSequenceSweep } from "./sequences";

/** An organization ready to text (campaign-fixtures), a lead, and its replies posted through the signed inbound webhook. */
async function setup(phone: Parameters<Awaited<ReturnType<typeof campaignOrg>>["lead"]>[0] = [{}]) {
  const org = await campaignOrg();
  const lead = await org.lead(phone, "LOPEZ, MARIA");
  const post = async (body: string, messageSid = `SM${randomBytes(16).toString("hex")}`) => {
    const { url, init } = signedTwilioWebhook(env, "/api/webhooks/twilio/inbound", {
      MessageSid: messageSid,
      AccountSid: "AC00000000000000000000000000000000",
      From: lead.number,
      To: org.senderIdentity.value,
      Body: body,
      NumSegments: "1",
    });
    expect((await inboundPOST(new Request(url, init))).status).toBe(200);
    return (await db.message.findFirstOrThrow({ where: { providerMessageId: messageSid }, select: { id: true } })).id;
  };
  /** Outbound auto-replies to the lead's number (messages whose decision is an auto_reply). */
  const autoReplies = () =>
    db.$queryRaw<{ body: string }[]>`
      SELECT m."body" FROM "Message" m JOIN "SendDecision" d ON d."messageId" = m."id"
      WHERE d."organizationId" = ${org.orgId} AND d."phone" = ${lead.number} AND d."kind" = 'auto_reply' AND m."direction" = 'outbound'`;
  const firings = () => db.autoResponderFiring.findMany({ where: { organizationId: org.orgId }, orderBy: { createdAt: "asc" } });
  const rule = (fields: Partial<Parameters<typeof org.manager.automation.createRule>[0]> = {}) =>
    org.manager.automation.createRule({
      name: "Interested",
      intents: ["interested"],
      phrases: [],
      campaignId: null,
      replyTemplate: "Great, {{owner_first_name|there}}! When can we talk? - {{brand}}",
      setStatus: null,
      assignUserId: null,
      tagId: null,
      enabled: true,
      ...fields,
    });
  return { ...org, addLead: org.lead, lead, post, autoReplies, firings, rule };
}

const dispatch = (campaignId: string, sender: ReturnType<typeof recordingSender>["sender"]) =>
  runCampaignDispatch(db, campaignId, { signal: new AbortController().signal, sender, sliceMs: 5_000 });

const jobsFor = (inboundMessageId: string) =>
  db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sms-inbound-followup' AND data->>'inboundMessageId' = ${inboundMessageId}`.then((r) => r[0]!.n);

describe("auto-responders", () => {
  it("an interested reply fires the rule: the reply goes through the send decision, the actions apply, a job retry sends nothing more", async () => {
    const org = await setup();
    const tag = await db.tag.create({ data: { organizationId: org.orgId, name: "Hot", color: "red" } });
    await org.rule({ setStatus: "interested", tagId: tag.id, assignUserId: org.team.manager.id });
    const messageId = await org.post("Yes I'm interested, what's your offer?");
    await runInboundFollowup(db, messageId);
    await runInboundFollowup(db, messageId); // the job retried

    expect((await org.autoReplies()).map((m) => m.body)).toEqual([`Great, Maria! When can we talk? - ${org.team.org.name}`]);
    const [firing] = await org.firings();
    expect(firing).toMatchObject({ status: "sent", inboundMessageId: messageId, matchReason: "The reply reads as interested." });
    const lead = await db.lead.findUniqueOrThrow({ where: { id: org.lead.leadId }, include: { tags: true } });
    expect(lead.status).toBe("interested");
    expect(lead.assigneeId).toBe(org.team.manager.id);
    expect(lead.tags.map((t) => t.tagId)).toEqual([tag.id]);
  });

  it("two follow-up jobs for two replies on one thread at once: one auto-reply, the other firing throttled", async () => {
    const org = await setup();
    await org.rule({ intents: [], phrases: ["how much"] });
    const first = await org.post("How much would you pay?");
    const second = await org.post("how much??");
    await Promise.all([runInboundFollowup(db, first), runInboundFollowup(db, second)]);
    await Promise.all([runInboundFollowup(db, first), runInboundFollowup(db, second)]);
    expect(await org.autoReplies()).toHaveLength(1);
    expect((await org.firings()).map((f) => f.status).sort()).toEqual(["sent", "throttled"]);
  });

  it("a redelivered webhook records nothing and queues no job, so there is no second auto-reply", async () => {
    const org = await setup();
    await org.rule();
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const messageId = await org.post("Yes, interested", sid);
    await org.post("Yes, interested", sid); // Twilio's redelivery
    expect(await db.message.count({ where: { organizationId: org.orgId, direction: "inbound" } })).toBe(1);
    expect(await jobsFor(messageId)).toBe(1);
    await runInboundFollowup(db, messageId);
    expect(await org.autoReplies()).toHaveLength(1);
  });

  it("never after an opt-out: a STOP fires nothing, and a later reply from the suppressed number gets nothing", async () => {
    const org = await setup();
    await org.rule({ intents: ["interested", "question", "unknown", "not_interested"], phrases: ["stop"] });
    const stop = await org.post("STOP");
    await runInboundFollowup(db, stop);
    const later = await org.post("Actually yes I'm interested");
    await runInboundFollowup(db, later);
    expect(await org.autoReplies()).toHaveLength(0);
    expect(await org.firings()).toHaveLength(0);
  });

  it("a compliance block is recorded on the firing with its reason and the decision, and not retried", async () => {
    const org = await setup([{ dnc: true }]);
    await org.rule();
    const messageId = await org.post("yes interested");
    await runInboundFollowup(db, messageId);
    await runInboundFollowup(db, messageId);
    expect(await org.autoReplies()).toHaveLength(0);
    const [firing] = await org.firings();
    expect(firing).toMatchObject({ status: "blocked", reason: "dnc_listed" });
    const decisions = await db.sendDecision.findMany({ where: { organizationId: org.orgId, kind: "auto_reply" } });
    expect(decisions.map((d) => [d.id, d.outcome, d.reason])).toEqual([[firing!.decisionId, "blocked", "dnc_listed"]]);
  });

  it("a reply the frequency cap holds back is recorded as deferred with the decision's reason, and not sent later", async () => {
    const org = await setup();
    const recording = recordingSender();
    await dispatch(await org.launched([org.lead.leadId]), recording.sender);
    expect(recording.sends).toHaveLength(1);
    await db.organizationSettings.update({ where: { organizationId: org.orgId }, data: { smsFrequencyCap24h: 1 } });
    await org.rule();
    const messageId = await org.post("yes interested");
    await runInboundFollowup(db, messageId);
    await runInboundFollowup(db, messageId);
    expect(await org.autoReplies()).toHaveLength(0);
    const [firing] = await org.firings();
    expect(firing).toMatchObject({ status: "deferred", reason: "frequency_cap" });
    expect(firing!.reasonMessage).toContain("not held for later");
  });

  it("the test box says which rule would fire and why, in position order, and nothing for an opt-out", async () => {
    const org = await setup();
    await org.rule({ name: "Price", intents: [], phrases: ["how much"], replyTemplate: "Our offer depends on the house - {{brand}}" });
    await org.rule({ name: "Questions", intents: ["question"] });
    const asked = await org.manager.automation.testRules({ body: "How much would you offer?", campaignId: null });
    expect(asked.match).toMatchObject({ ruleName: "Price", reason: 'The reply contains "how much".', reply: `Our offer depends on the house - ${org.team.org.name}` });
    expect(asked.verdicts.map((v) => v.matched)).toEqual([true, true]);
    const stop = await org.manager.automation.testRules({ body: "stop", campaignId: null });
    expect(stop.match).toBeNull();
    expect(stop.blockedReason).toContain("opt-out");
  });
});

describe("follow-up sequences", () => {
  const STEP = { delayDays: 1, sendAt: "10:00", template: "Hi {{owner_first_name|there}}, still thinking about {{property_address}}? - {{brand}}" };

  /** A launched campaign with a sequence attached, its first message sent, the sweep run. */
  async function enrolled(options: { exitStatuses?: ("dead" | "closed")[]; dnc?: boolean } = {}) {
    const org = await setup();
    const recording = recordingSender();
    const campaignId = await org.launched([org.lead.leadId]);
    const { id: sequenceId } = await org.manager.automation.createSequence({ name: "Nudge", campaignId, steps: [STEP], exitStatuses: options.exitStatuses ?? [], enabled: true });
    await dispatch(campaignId, recording.sender);
    expect(recording.sends).toHaveLength(1);
    await runSequenceSweep(db); // enters
    await runSequenceSweep(db); // idempotent
    const step = () => db.campaignRecipient.findFirst({ where: { campaignId, step: 1 } });
    const enrollment = () => db.sequenceEnrollment.findFirstOrThrow({ where: { sequenceId } });
    /** Pretends the first message went out two days ago, so the step is due now. */
    const backdate = async () => {
      await db.campaignRecipient.deleteMany({ where: { campaignId, step: 1 } });
      await db.sequenceEnrollment.updateMany({ where: { sequenceId }, data: { step: 0, lastSentAt: new Date(Date.now() - 2 * 86_400_000) } });
      await runSequenceSweep(db);
    };
    return { ...org, recording, campaignId, sequenceId, step, enrollment, backdate };
  }

  it("a recipient enters once the first message is sent; the step waits for 10:00 on the lead's clock the next day", async () => {
    const org = await enrolled();
    const row = (await org.step())!;
    expect(row).toMatchObject({ status: "pending", phone: org.lead.number, body: `Hi Maria, still thinking about 101 Main St? - ${org.team.org.name}` });
    // The lead is in Austin, TX: Central time.
    const local = (at: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "America/Chicago", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
    const sent = await db.message.findFirstOrThrow({ where: { organizationId: org.orgId, direction: "outbound" } });
    const [sentDay] = local(sent.createdAt).split(", ");
    const [stepDay, stepTime] = local(row.notBefore!).split(", ");
    expect(stepTime).toBe("10:00");
    expect((Date.parse(stepDay!) - Date.parse(sentDay!)) / 86_400_000).toBeGreaterThanOrEqual(1);
    expect((Date.parse(stepDay!) - Date.parse(sentDay!)) / 86_400_000).toBeLessThanOrEqual(2);
    expect((await org.enrollment()).status).toBe("active");
    const [listed] = (await org.manager.automation.sequences()).sequences;
    expect(listed!.counts).toMatchObject({ active: 1, completed: 0, exited: 0 });
  });

  it("a due step is sent by the campaign dispatcher through the decision; the campaign completes only after the sequence", async () => {
    const org = await enrolled();
    await org.backdate();
    const row = (await org.step())!;
    expect(row.notBefore!.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await db.campaign.findUniqueOrThrow({ where: { id: org.campaignId } })).status).toBe("running");
    await dispatch(org.campaignId, org.recording.sender);
    expect(org.recording.sends.map((s) => s.body)).toEqual([expect.any(String), row.body]);
    expect((await org.step())!.status).toBe("sent");
    const decision = await db.sendDecision.findFirstOrThrow({ where: { organizationId: org.orgId, campaignId: org.campaignId, outcome: "allowed", messageId: (await org.step())!.messageId } });
    expect(decision.kind).toBe("campaign");
    // The enrollment is still active until the sweep sees the last step sent: the campaign runs on.
    await dispatch(org.campaignId, org.recording.sender);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: org.campaignId } })).status).toBe("running");
    await runSequenceSweep(db);
    expect((await org.enrollment()).status).toBe("completed");
    await dispatch(org.campaignId, org.recording.sender);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: org.campaignId } })).status).toBe("completed");
    expect(org.recording.sends).toHaveLength(2);
  });

  it("a reply stops the sequence: the waiting step is excluded and never sent", async () => {
    const org = await enrolled();
    const reply = await org.post("Maybe, call me next week");
    await runInboundFollowup(db, reply);
    expect(await org.enrollment()).toMatchObject({ status: "exited", exitReason: "replied" });
    expect(await org.step()).toMatchObject({ status: "excluded", reason: "sequence_exit" });
    await org.backdate(); // even when its time has come, an exited recipient gets no step
    expect(await org.step()).toBeNull();
    await dispatch(org.campaignId, org.recording.sender);
    expect(org.recording.sends).toHaveLength(1);
    const [listed] = (await org.manager.automation.sequences()).sequences;
    expect(listed!.counts).toMatchObject({ active: 0, exited: 1, exitedBy: { replied: 1 } });
  });

  it("an opt-out stops everything: no step and no auto-reply", async () => {
    const org = await enrolled();
    await org.rule({ intents: ["interested", "question", "unknown", "not_interested"] });
    const stop = await org.post("STOP");
    await runInboundFollowup(db, stop);
    expect(await org.enrollment()).toMatchObject({ status: "exited", exitReason: "opted_out" });
    expect(await org.step()).toMatchObject({ status: "excluded" });
    await dispatch(org.campaignId, org.recording.sender);
    expect(org.recording.sends).toHaveLength(1);
    expect(await org.autoReplies()).toHaveLength(0);
    expect(await org.firings()).toHaveLength(0);
  });

  it("a lead moved to an exit status leaves the sequence (whatever moved it)", async () => {
    const org = await enrolled({ exitStatuses: ["dead"] });
    await db.lead.update({ where: { id: org.lead.leadId }, data: { status: "contacted" } });
    expect((await org.enrollment()).status).toBe("active");
    await db.lead.update({ where: { id: org.lead.leadId }, data: { status: "dead" } });
    expect(await org.enrollment()).toMatchObject({ status: "exited", exitReason: "status_dead" });
    expect(await org.step()).toMatchObject({ status: "excluded", reason: "sequence_exit" });
  });

  it("a compliance block of a step is recorded on the recipient and ends the sequence for that phone", async () => {
    const org = await enrolled();
    await db.leadPhone.updateMany({ where: { organizationId: org.orgId, number: org.lead.number }, data: { dnc: true } });
    await org.backdate();
    await dispatch(org.campaignId, org.recording.sender);
    expect(org.recording.sends).toHaveLength(1);
    expect(await org.step()).toMatchObject({ status: "skipped", reason: "dnc_listed" });
    await runSequenceSweep(db);
    expect(await org.enrollment()).toMatchObject({ status: "exited", exitReason: "blocked_dnc_listed" });
  });

  it("started on a selection: a campaign of its own, running, with the first step waiting for its time; a lead without a phone is skipped", async () => {
    const org = await setup();
    const phoneless = await org.addLead([]);
    const { id } = await org.manager.automation.createSequence({ name: "Drip", campaignId: null, steps: [STEP, { delayDays: 3, sendAt: null, template: "Last note - {{brand}}" }], exitStatuses: [], enabled: true });
    const started = await org.manager.automation.startSequence({ id, leadIds: [org.lead.leadId, phoneless.leadId], senderIdentityId: null });
    expect(started).toMatchObject({ enrolled: 1, skipped: [{ leadId: phoneless.leadId, reason: "no_textable_phone" }] });
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: started.campaignId } });
    expect(campaign).toMatchObject({ status: "running", name: "Drip (follow-up)", organizationId: org.orgId });
    const row = await db.campaignRecipient.findFirstOrThrow({ where: { campaignId: started.campaignId } });
    expect(row).toMatchObject({ step: 1, status: "pending", phone: org.lead.number });
    expect(row.notBefore!.getTime()).toBeGreaterThan(Date.now());
    // Its campaign reads like any other on the campaign pages.
    expect(await org.manager.campaigns.get({ id: started.campaignId })).toMatchObject({ id: started.campaignId, status: "running" });
    await org.manager.campaigns.stats({ id: started.campaignId });
    const [listed] = (await org.manager.automation.sequences()).sequences;
    expect(listed!.counts).toMatchObject({ active: 1, completed: 0, exited: 0 });
  });

  it("a campaign has one sequence, and a sequence may not name another organization's campaign", async () => {
    const org = await setup();
    const campaignId = await org.launched([org.lead.leadId]);
    await org.manager.automation.createSequence({ name: "A", campaignId, steps: [STEP], exitStatuses: [], enabled: true });
    await expect(org.manager.automation.createSequence({ name: "B", campaignId, steps: [STEP], exitStatuses: [], enabled: true })).rejects.toMatchObject({ code: "CONFLICT" });
    const other = await setup();
    await expect(other.manager.automation.createSequence({ name: "C", campaignId, steps: [STEP], exitStatuses: [], enabled: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
