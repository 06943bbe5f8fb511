import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { suppress } from "@/server/compliance/suppressions";
import { campaignOrg, recordingSender, SMS_PRICE_CENTS } from "@/test/campaign-fixtures";
import { waitFor } from "@/test/wait-for";
import { runCampaignDispatch } from "./dispatcher";

const run = (campaignId: string, sender: ReturnType<typeof recordingSender>["sender"], options: { sliceMs?: number } = {}) =>
  runCampaignDispatch(db, campaignId, { signal: new AbortController().signal, sender, ...options });

async function error(promise: Promise<unknown>) {
  const caught = await promise.then(() => null, (e: unknown) => e);
  if (!caught) throw new Error("expected a refusal");
  return caught as { code: string; message: string };
}

describe("campaign editor", () => {
  it("previews the template on real leads of the audience, flags unknown and empty fields, and offers the compliance fix", async () => {
    const org = await campaignOrg();
    const first = await org.lead([{}], "LOPEZ, MARIA");
    const second = await org.lead([{}], "");
    const preview = await org.manager.campaigns.preview({
      template: "Hi {{owner_first_name}}, about {{property_address}} in {{cty}} 🏠",
      audience: { kind: "selection", leadIds: [first.leadId, second.leadId] },
    });
    expect(preview.audienceLeads).toBe(2);
    expect(preview.samples.map((s) => s.body)).toEqual(["Hi Maria, about 101 Main St in 🏠", "Hi, about 102 Main St in 🏠"]);
    expect(preview.samples[0]).toMatchObject({ encoding: "UCS-2", segments: 1, phone: first.number });
    expect(preview.samples[1]!.emptyFields).toEqual(["owner_first_name"]);
    expect(preview.unknownFields).toEqual(["cty"]);
    expect(preview.firstMessageProblems.map((p) => p.code)).toEqual(["no_sender_identification", "no_opt_out_language"]);
    expect(preview.fixedTemplate).toContain("Reply STOP to opt out.");
  });

  it("refuses a throttle above the sender's throughput and a sender of another organization", async () => {
    const org = await campaignOrg({ messagesPerSecond: 1 });
    const { leadId } = await org.lead();
    expect((await error(org.campaign([leadId], { ratePerSecond: 5 }))).message).toContain("above what");
    const other = await campaignOrg();
    const refused = await error(
      org.manager.campaigns.create({ name: "x", template: "Hi - {{brand}}. Reply STOP to opt out.", senderIdentityId: other.senderIdentity.id, audience: { kind: "selection", leadIds: [leadId] }, ratePerSecond: 1 }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
  });
});

describe("pre-flight", () => {
  it("explains every exclusion with counts and a drill-down, estimates segments and cost, and freezes recipients at launch", async () => {
    const org = await campaignOrg();
    const ok = await org.lead([{}]);
    const twoPhones = await org.lead([{ type: "landline" }, { isBest: true }]);
    const noPhone = await org.lead([]);
    const landline = await org.lead([{ type: "landline" }]);
    const wrong = await org.lead([{ status: "wrong_number" }]);
    const litigator = await org.lead([{ tcpa: true }]);
    const dncFlagged = await org.lead([{ dnc: true }]);
    const optedOut = await org.lead([{}]);
    await db.$transaction((tx) => suppress(tx, { organizationId: org.orgId, phone: optedOut.number, leadId: null, reason: "keyword", evidence: "STOP" }));
    const duplicate = await org.lead([{ number: ok.number }]);
    const { id } = await org.campaign([ok, twoPhones, noPhone, landline, wrong, litigator, dncFlagged, optedOut, duplicate].map((l) => l.leadId));

    const report = await org.manager.campaigns.preflight({ id });
    expect(report).toMatchObject({ audienceLeads: 9, eligible: 2, deferred: 0, excluded: 7 });
    const byReason = Object.fromEntries(report.exclusions.map((e) => [e.reason, e.count]));
    expect(byReason).toEqual({ no_textable_phone: 1, phone_landline: 1, phone_wrong_number: 1, litigator: 1, dnc_listed: 1, suppressed: 1, duplicate_phone: 1 });
    expect(report.segments).toMatchObject({ total: 2, maxPerMessage: 1 });
    expect(report.estimatedCostCents).toBe(2 * SMS_PRICE_CENTS);
    expect(report.budget.fits).toBe(true);

    const drill = await org.manager.campaigns.exclusions({ id, reason: "litigator" });
    expect(drill).toMatchObject({ total: 1, items: [{ leadId: litigator.leadId, phone: litigator.number }] });
    // The lead with a landline and a better mobile is texted on the mobile.
    const recipients = await org.manager.campaigns.recipients({ id, status: "pending" });
    expect(recipients.items.map((r) => r.phone).sort()).toEqual([ok.number, twoPhones.numbers[1]].sort());

    const campaign = await org.manager.campaigns.get({ id });
    expect(campaign.preflightFresh).toBe(true);
    await org.manager.campaigns.launch({ id });
    // A lead added to the audience's filter later is not texted: the recipients are frozen.
    await org.lead([{}]);
    expect((await org.manager.campaigns.recipients({ id })).total).toBe(9);
    expect((await org.manager.campaigns.get({ id })).status).toBe("running");
  });

  it("a pre-flight run again meanwhile makes a launch of the older one CONFLICT; a launched campaign's recipients are never rewritten", async () => {
    const org = await campaignOrg();
    const { leadId } = await org.lead();
    const { id } = await org.campaign([leadId]);
    await org.manager.campaigns.preflight({ id });
    const { launchCampaign } = await import("./service");
    const ctx = { db, orgId: org.orgId, userId: org.team.manager.id };
    // The launch read its campaign; a second pre-flight commits before the launch does.
    const readBefore = await db.campaign.findUniqueOrThrow({ where: { id } });
    await org.manager.campaigns.preflight({ id });
    const stale = await db.campaign.updateMany({ where: { id, status: "draft", preflightAt: readBefore.preflightAt }, data: { status: "running" } });
    expect(stale.count).toBe(0);
    await launchCampaign(ctx, id);
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: id } });
    expect((await error(org.manager.campaigns.preflight({ id }))).code).toBe("CONFLICT");
    expect(await db.campaignRecipient.findMany({ where: { campaignId: id } })).toEqual(recipients);
  });

  it("an update changes only the fields it gives", async () => {
    const org = await campaignOrg();
    const { leadId } = await org.lead();
    const { id } = await org.campaign([leadId], { ratePerSecond: 7, allPhones: true, scheduledAt: new Date(Date.now() + 86_400_000) });
    await org.manager.campaigns.update({ id, name: "Renamed" });
    expect(await db.campaign.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Renamed", ratePerSecond: 7, allPhones: true, scheduledAt: expect.any(Date) });
  });

  it("the pre-flight warns when the first message does not name the sender or say how to stop", async () => {
    const org = await campaignOrg();
    const { leadId } = await org.lead();
    const { id } = await org.campaign([leadId], { template: "Hi {{owner_first_name|there}}, selling?" });
    const report = await org.manager.campaigns.preflight({ id });
    expect(report.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["no_sender_identification", "no_opt_out_language"]));
  });

  it("launch needs a fresh pre-flight: missing, or made before an edit, it is refused", async () => {
    const org = await campaignOrg();
    const { leadId } = await org.lead();
    const { id } = await org.campaign([leadId]);
    expect((await error(org.manager.campaigns.launch({ id }))).message).toContain("pre-flight");
    await org.manager.campaigns.preflight({ id });
    await org.manager.campaigns.update({ id, template: "Changed - {{brand}}. Reply STOP to opt out." });
    expect((await org.manager.campaigns.get({ id })).preflightFresh).toBe(false);
    expect((await error(org.manager.campaigns.launch({ id }))).message).toContain("pre-flight");
    await org.manager.campaigns.preflight({ id });
    await org.manager.campaigns.launch({ id });
    expect((await error(org.manager.campaigns.update({ id, name: "late" }))).code).toBe("CONFLICT");
  });
});

describe("dispatcher", () => {
  it("sends every eligible recipient exactly once through the one send path, then completes with counters and cost", async () => {
    const org = await campaignOrg();
    const leads = await Promise.all([0, 1, 2, 3, 4].map(() => org.lead()));
    const id = await org.launched(leads.map((l) => l.leadId));
    const { sender, sends } = recordingSender();

    await run(id, sender);
    await run(id, sender); // a second run (a retry, another worker) finds nothing to send

    expect(sends.map((s) => s.to).sort()).toEqual(leads.map((l) => l.number).sort());
    expect(sends[0]!.body).toMatch(/^Hi Jordan, would you sell 10\d Main St\? - Org .*\. Reply STOP to opt out\.$/);
    const campaign = await org.manager.campaigns.get({ id });
    expect(campaign.status).toBe("completed");
    expect(campaign.stats).toMatchObject({ recipients: 5, sent: 5, pending: 0, costCents: 5 * SMS_PRICE_CENTS });
    const messages = await db.message.findMany({ where: { campaignId: id } });
    expect(messages).toHaveLength(5);
    expect(await db.sendDecision.count({ where: { campaignId: id, outcome: "allowed", messageId: { not: null } } })).toBe(5);
  });

  it("a STOP that arrives mid-campaign stops the next message to that number (skipped with the reason)", async () => {
    const org = await campaignOrg();
    const leads = await Promise.all([0, 1, 2].map(() => org.lead()));
    const id = await org.launched(leads.map((l) => l.leadId), { ratePerSecond: 1 });
    const { sender, sends, beforeSend } = recordingSender();
    const stopper = leads[2]!.number;
    // The stopper's turn comes after the others'; the first send is the moment its STOP arrives.
    await db.campaignRecipient.updateMany({ where: { campaignId: id, phone: stopper }, data: { notBefore: new Date(Date.now() + 300) } });
    beforeSend(async () => {
      beforeSend(null);
      await db.$transaction((tx) => suppress(tx, { organizationId: org.orgId, phone: stopper, leadId: null, reason: "keyword", evidence: "STOP" }));
    });

    await run(id, sender);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await run(id, sender);
    expect(sends).toHaveLength(2);

    expect(sends.map((s) => s.to)).not.toContain(stopper);
    const skipped = await org.manager.campaigns.recipients({ id, status: "skipped" });
    expect(skipped.items).toMatchObject([{ phone: stopper, reason: "suppressed" }]);
  });

  it("the kill switch halts a running campaign within 2 s; resume is refused until it is off, then goes on without duplicates", async () => {
    const org = await campaignOrg();
    const leads = await Promise.all([0, 1, 2, 3, 4, 5].map(() => org.lead()));
    const id = await org.launched(leads.map((l) => l.leadId), { ratePerSecond: 2 });
    const { sender, sends } = recordingSender();
    const running = run(id, sender);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const engagedAt = Date.now();
    await db.killSwitch.create({ data: { organizationId: org.orgId, kind: "sms", engaged: true, reason: "carrier complaint" } });
    const sentWhenEngaged = sends.length;
    await waitFor(() => db.campaign.findUniqueOrThrow({ where: { id } }), (campaign) => campaign.status === "halted", { timeoutMs: 5_000 });
    expect(Date.now() - engagedAt).toBeLessThan(2_000);
    await running;
    // At most the one send already past its decision when the switch was engaged.
    expect(sends.length - sentWhenEngaged).toBeLessThanOrEqual(1);
    const halted = await org.manager.campaigns.get({ id });
    expect(halted).toMatchObject({ status: "halted", haltReason: "kill_switch" });
    expect(halted.haltMessage).toContain("carrier complaint");
    const sentBefore = sends.length;
    expect(sentBefore).toBeLessThan(6);

    expect((await error(org.manager.campaigns.resume({ id }))).message).toContain("carrier complaint");
    await db.killSwitch.update({ where: { organizationId_kind: { organizationId: org.orgId, kind: "sms" } }, data: { engaged: false } });
    await org.manager.campaigns.resume({ id });
    await run(id, sender);
    expect(sends.map((s) => s.to).sort()).toEqual(leads.map((l) => l.number).sort());
    expect((await org.manager.campaigns.get({ id })).status).toBe("completed");
  });

  it("pause stops it at the next send; resume continues without duplicates; cancel leaves the rest unsent", async () => {
    const org = await campaignOrg();
    const leads = await Promise.all(Array.from({ length: 10 }, () => org.lead()));
    const id = await org.launched(leads.map((l) => l.leadId), { ratePerSecond: 2 });
    const { sender, sends, beforeSend } = recordingSender();
    beforeSend(async () => {
      if (sends.length === 1) await org.manager.campaigns.pause({ id });
    });
    await run(id, sender);
    const afterPause = sends.length;
    expect(afterPause).toBeGreaterThanOrEqual(2);
    expect(afterPause).toBeLessThan(10);
    expect((await org.manager.campaigns.get({ id })).status).toBe("paused");
    beforeSend(null);
    await run(id, sender);
    expect(sends.length).toBe(afterPause); // paused: nothing

    await org.manager.campaigns.resume({ id });
    beforeSend(async () => {
      if (sends.length === afterPause + 1) await org.manager.campaigns.cancel({ id });
    });
    await run(id, sender);
    expect(new Set(sends.map((s) => s.to)).size).toBe(sends.length);
    const campaign = await org.manager.campaigns.get({ id });
    expect(campaign.status).toBe("cancelled");
    expect(campaign.stats.sent + campaign.stats.cancelled).toBe(10);
    expect(campaign.stats.cancelled).toBeGreaterThan(0);
  });

  it("recipients in quiet hours are deferred to their window and sent when it opens", async () => {
    const org = await campaignOrg();
    // The organization's window opens in two hours of the lead's local time (Austin: Central), for an hour.
    const hour = Number(new Intl.DateTimeFormat("en-US", { timeZone: "America/Chicago", hour: "2-digit", hourCycle: "h23" }).format(new Date()));
    const at = (offset: number) => `${String((hour + offset) % 24).padStart(2, "0")}:00`;
    const window = (hour + 3) % 24 > (hour + 2) % 24 ? { quietHoursStart: at(2), quietHoursEnd: at(3) } : { quietHoursStart: "00:00", quietHoursEnd: "01:00" };
    await db.organizationSettings.update({ where: { organizationId: org.orgId }, data: window });
    // An Austin number for an Austin property: one zone, so the window is the organization's.
    const { leadId, number } = await org.lead([{ number: `+15127${String(Date.now() % 1_000_000).padStart(6, "0")}` }]);
    const { id } = await org.campaign([leadId]);
    const report = await org.manager.campaigns.preflight({ id });
    expect(report, JSON.stringify({ window, report })).toMatchObject({ eligible: 1, deferred: 1 });
    expect(report.deferrals[0]).toMatchObject({ reason: "quiet_hours" });
    await org.manager.campaigns.launch({ id });
    const { sender, sends } = recordingSender();
    const first = await run(id, sender);
    expect(sends).toEqual([]);
    expect(first.nextRunAt?.getTime()).toBeGreaterThan(Date.now());
    const pending = await db.campaignRecipient.findFirstOrThrow({ where: { campaignId: id } });
    expect(pending.notBefore?.getTime()).toBe(report.deferrals[0]!.firstAt.getTime());

    // The window opens (the organization's window now covers now, and the recipient's instant has come).
    await db.organizationSettings.update({ where: { organizationId: org.orgId }, data: { quietHoursStart: "00:00", quietHoursEnd: "24:00" } });
    await db.campaignRecipient.update({ where: { id: pending.id }, data: { notBefore: new Date(Date.now() - 1000) } });
    await run(id, sender);
    expect(sends.map((s) => s.to)).toEqual([number]);
  });

  it("stops at the SMS daily cap with a clear state, 0 cents over, and goes on after the cap resets", async () => {
    const org = await campaignOrg({ capCents: 3 * SMS_PRICE_CENTS });
    const leads = await Promise.all([0, 1, 2, 3, 4].map(() => org.lead()));
    const id = await org.launched(leads.map((l) => l.leadId));
    const { sender, sends } = recordingSender();
    const result = await run(id, sender);
    expect(sends).toHaveLength(3);
    const campaign = await org.manager.campaigns.get({ id });
    expect(campaign).toMatchObject({ status: "halted", haltReason: "daily_cap" });
    expect(campaign.resumeAt!.getTime()).toBeGreaterThan(Date.now());
    expect(result.nextRunAt?.getTime()).toBe(campaign.resumeAt!.getTime());
    const spend = await db.dailySpend.findMany({ where: { organizationId: org.orgId, provider: "twilio_sms" } });
    expect(spend.reduce((sum, day) => sum + day.spentCents + day.reservedCents, 0)).toBe(3 * SMS_PRICE_CENTS);
    expect(campaign.stats).toMatchObject({ sent: 3, pending: 2 });

    // The next org-day: the cap resets, the campaign resumes by itself.
    await db.budgetSetting.updateMany({ where: { organizationId: org.orgId, provider: "twilio_sms" }, data: { dailyCapCents: 100 } });
    await db.campaign.update({ where: { id }, data: { resumeAt: new Date(Date.now() - 1000) } });
    await run(id, sender);
    expect(sends).toHaveLength(5);
    expect((await org.manager.campaigns.get({ id })).status).toBe("completed");
  });
});

describe("dispatcher and Twilio's refusals", () => {
  it("records permanent refusals on the phone (21610 suppressed, 21211 invalid, 21614 landline) and fails those recipients", async () => {
    const org = await campaignOrg();
    // The simulated sender refuses these fictional numbers exactly as Twilio does.
    const optedOut = await org.lead([{ number: "+15125550193" }]);
    const invalid = await org.lead([{ number: "+15125550194" }]);
    const landline = await org.lead([{ number: "+15125550195" }]);
    const fine = await org.lead();
    const id = await org.launched([optedOut, invalid, landline, fine].map((l) => l.leadId));
    await run(id, recordingSender().sender);

    const failed = await org.manager.campaigns.recipients({ id, status: "failed" });
    expect(Object.fromEntries(failed.items.map((r) => [r.phone, r.message?.errorCode]))).toEqual({ [optedOut.number]: "21610", [invalid.number]: "21211", [landline.number]: "21614" });
    expect(await db.suppression.count({ where: { organizationId: org.orgId, phone: optedOut.number, liftedAt: null } })).toBe(1);
    expect((await db.leadPhone.findFirstOrThrow({ where: { leadId: invalid.leadId } })).status).toBe("invalid");
    expect((await db.leadPhone.findFirstOrThrow({ where: { leadId: landline.leadId } })).type).toBe("landline");
    const campaign = await org.manager.campaigns.get({ id });
    expect(campaign).toMatchObject({ status: "completed", stats: { sent: 1, failed: 3 } });
    // Refused sends cost nothing.
    expect(campaign.stats.costCents).toBe(SMS_PRICE_CENTS);
  });

  it("backs off on Twilio's 429 (the organization's send clock moves back) and sends the message once it passes", async () => {
    const org = await campaignOrg();
    const { leadId, number } = await org.lead();
    const id = await org.launched([leadId]);
    const { sender: inner, sends } = recordingSender();
    let refusals = 0;
    const { smsSendError } = await import("@/server/providers/sms-sender");
    const { NOT_BILLED } = await import("@/server/providers/billing");
    const busy = {
      ...inner,
      async send(request: Parameters<typeof inner.send>[0]) {
        if (refusals++ === 0) throw smsSendError(20429, { httpStatus: 429, providerMessage: "Too Many Requests", billing: NOT_BILLED, retryAfterSeconds: 1 });
        return inner.send(request);
      },
    };
    const first = await run(id, busy);
    expect(sends).toEqual([]);
    const waiting = await db.campaignRecipient.findFirstOrThrow({ where: { campaignId: id } });
    expect(waiting).toMatchObject({ status: "pending", messageId: null, attempts: 1 });
    expect(waiting.notBefore!.getTime()).toBeGreaterThan(Date.now() + 500);
    const pace = await db.smsSendPace.findUniqueOrThrow({ where: { organizationId: org.orgId } });
    expect(pace.nextSlotAt.getTime()).toBeGreaterThan(Date.now() + 500);
    expect(first.nextRunAt).not.toBeNull();

    await new Promise((resolve) => setTimeout(resolve, waiting.notBefore!.getTime() - Date.now() + 50));
    await run(id, busy);
    expect(sends.map((s) => s.to)).toEqual([number]);
    const campaign = await org.manager.campaigns.get({ id });
    expect(campaign).toMatchObject({ status: "completed", stats: { sent: 1, failed: 0 } });
    // The refused attempt's message row stays as what happened (failed, 20429), the sent one is the recipient's.
    expect((await db.message.findMany({ where: { campaignId: id }, orderBy: { createdAt: "asc" } })).map((m) => m.errorCode)).toEqual(["20429", null]);
  });
});

describe("schedule and test send", () => {
  it("a scheduled campaign waits for its instant, then sends; a test send texts the given number with the first lead's message, outside the campaign", async () => {
    const org = await campaignOrg();
    const { leadId, number } = await org.lead([{}], "LOPEZ, MARIA");
    const at = new Date(Date.now() + 3_600_000);
    const id = await org.launched([leadId], { scheduledAt: at });
    expect((await org.manager.campaigns.get({ id })).status).toBe("scheduled");
    const { sender, sends } = recordingSender();
    const early = await run(id, sender);
    expect(sends).toEqual([]);
    expect(early.nextRunAt?.getTime()).toBe(at.getTime());

    const test = await org.manager.campaigns.testSend({ id, phone: "+16465550123" });
    expect(test.body).toMatch(/^Hi Maria, would you sell 10\d Main St\?/);
    const testMessage = await db.message.findUniqueOrThrow({ where: { id: test.messageId } });
    expect(testMessage.campaignId).toBeNull();
    expect(await db.sendDecision.findFirstOrThrow({ where: { messageId: test.messageId } })).toMatchObject({ kind: "test", outcome: "allowed" });

    // Its instant comes.
    await db.campaign.update({ where: { id }, data: { scheduledAt: new Date(Date.now() - 1000) } });
    await run(id, sender);
    expect(sends.map((s) => s.to)).toEqual([number]);
    expect((await org.manager.campaigns.get({ id })).status).toBe("completed");
  });
});
