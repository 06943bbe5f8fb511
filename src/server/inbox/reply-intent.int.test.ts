import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as inboundPOST } from "@/app/api/webhooks/twilio/inbound/route";
import type { LeadStatus } from "@/generated/prisma/enums";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { signedTwilioWebhook } from "@/server/messaging/webhook-signature";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";
import { callerFor, createTeam } from "@/test/factories";
import { applyReplyIntent } from "./reply-intent";

let counter = 0;
const uniquePhone = () => `+1469${String(5_000_000 + ((++counter * 7919) % 1_000_000)).padStart(7, "0")}`;

/** An organization with a lead and its phone, replies posted through the signed inbound webhook (as lead-replies.int.test.ts). */
async function orgWithLead(options: { status?: LeadStatus; mode?: "suggest" | "apply" } = {}) {
  const team = await createTeam();
  await allowSendingAtAnyHour(team.org.id);
  const orgId = team.org.id;
  const senderNumber = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: senderNumber } });
  if (options.mode) await callerFor(team.admin).smsSettings.updateReplyIntent({ mode: options.mode, ruleSet: null });
  const { lead } = await callerFor(team.manager).leads.create({
    addressLine1: `${500 + counter} Birch St`,
    city: "Austin",
    state: "TX",
    zip: "78701",
    ownerName: "Pat Kim",
    equityPct: 55,
  });
  if (options.status && options.status !== "new") await db.lead.update({ where: { id: lead.id }, data: { status: options.status } });
  const phone = uniquePhone();
  await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test" } });
  /** Posts the reply and returns its message id. */
  const reply = async (body: string) => {
    const MessageSid = `SM${randomBytes(16).toString("hex")}`;
    const { url, init } = signedTwilioWebhook(env, "/api/webhooks/twilio/inbound", {
      MessageSid,
      AccountSid: "AC00000000000000000000000000000000",
      From: phone,
      To: senderNumber,
      Body: body,
      NumSegments: "1",
    });
    expect((await inboundPOST(new Request(url, init))).status).toBe(200);
    return (await db.message.findFirstOrThrow({ where: { providerMessageId: MessageSid }, select: { id: true } })).id;
  };
  const leadRow = () => db.lead.findUniqueOrThrow({ where: { id: lead.id } });
  const activities = (kind: "reply_classified" | "status_changed") =>
    db.activityEvent.findMany({ where: { leadId: lead.id, kind }, orderBy: { createdAt: "asc" }, select: { details: true } }).then((rows) => rows.map((r) => r.details as Record<string, unknown>));
  return { team, orgId, leadId: lead.id, reply, leadRow, activities };
}

type Factor = { factor: string; points: number; detail: string };
const factorsOf = (lead: { scoreFactors: unknown }) => lead.scoreFactors as Factor[];

describe("applyReplyIntent", () => {
  it("apply mode: an interested reply moves the lead to Interested, raises its score and explains why", async () => {
    const org = await orgWithLead({ mode: "apply", status: "contacted" });
    const before = await org.leadRow();
    const messageId = await org.reply("Make me an offer, call me at 5pm");
    expect((await org.leadRow()).status).toBe("replied"); // the webhook's move; intent runs in the follow-up job

    await applyReplyIntent(db, messageId);

    const message = await db.message.findUniqueOrThrow({ where: { id: messageId }, select: { replyIntent: true, replyIntentReason: true } });
    expect(message).toEqual({ replyIntent: "interested", replyIntentReason: 'Matched "make me an offer" (interested).' });
    const lead = await org.leadRow();
    expect(lead.status).toBe("interested");
    expect(lead.replyIntent).toBe("interested");
    expect(factorsOf(lead)).toContainEqual({ factor: "reply_intent", points: 20, detail: 'Latest reply reads as interested: Matched "make me an offer" (interested).' });
    // Rescored from its stored facts: the reply (+15, the webhook's move to replied) and its intent (+20).
    expect(lead.score).toBe(before.score + 15 + 20);
    expect(factorsOf(lead).map((f) => f.factor)).toEqual(["base", "equity", "replied", "reply_intent"]);
    expect(await org.activities("status_changed")).toContainEqual(
      expect.objectContaining({ from: "replied", to: "interested", reason: "reply_intent", intent: "interested", messageId }),
    );
    expect(await org.activities("reply_classified")).toEqual([
      expect.objectContaining({ messageId, intent: "interested", mode: "apply", appliedStatus: "interested", suggestedStatus: null, reason: message.replyIntentReason }),
    ]);
  });

  it("suggest mode (the default): records the suggestion with its reason and leaves the status alone", async () => {
    const org = await orgWithLead({ status: "contacted" });
    const messageId = await org.reply("Not interested, we are keeping it");
    await applyReplyIntent(db, messageId);

    const lead = await org.leadRow();
    expect(lead.status).toBe("replied");
    expect(await org.activities("reply_classified")).toEqual([
      expect.objectContaining({ messageId, intent: "not_interested", mode: "suggest", suggestedStatus: "dead", appliedStatus: null, reason: 'Matched "not interested" (not interested).' }),
    ]);
    expect(factorsOf(lead).find((f) => f.factor === "reply_intent")).toMatchObject({ points: -25 });
  });

  it("apply mode never moves a lead out of a later stage", async () => {
    const org = await orgWithLead({ mode: "apply", status: "negotiating" });
    await applyReplyIntent(db, await org.reply("Not for sale"));
    expect((await org.leadRow()).status).toBe("negotiating");
    expect(await org.activities("status_changed")).toEqual([]);
  });

  it("running it twice changes nothing the second time", async () => {
    const org = await orgWithLead({ mode: "apply" });
    const messageId = await org.reply("Yes I'm interested");
    await applyReplyIntent(db, messageId);
    const lead = await org.leadRow();
    const counts = async () => ({
      activities: await db.activityEvent.count({ where: { leadId: org.leadId } }),
      audit: await db.auditLog.count({ where: { organizationId: org.orgId } }),
    });
    const first = await counts();

    await applyReplyIntent(db, messageId);
    await Promise.all([applyReplyIntent(db, messageId), applyReplyIntent(db, messageId)]);

    expect(await counts()).toEqual(first);
    const again = await org.leadRow();
    expect({ status: again.status, score: again.score, updatedAt: again.updatedAt, factors: again.scoreFactors }).toEqual({
      status: "interested",
      score: lead.score,
      updatedAt: lead.updatedAt,
      factors: lead.scoreFactors,
    });
  });

  it("an opt-out reads as opt_out and moves nothing (the webhook suppressed it)", async () => {
    const org = await orgWithLead({ mode: "apply", status: "contacted" });
    const messageId = await org.reply("STOP");
    await applyReplyIntent(db, messageId);
    expect(await db.message.findUniqueOrThrow({ where: { id: messageId }, select: { replyIntent: true } })).toEqual({ replyIntent: "opt_out" });
    expect((await org.leadRow()).status).toBe("contacted");
  });

  it("another organization's message id does nothing to this organization", async () => {
    const ours = await orgWithLead({ mode: "apply", status: "contacted" });
    const theirs = await orgWithLead({ mode: "apply", status: "contacted" });
    const ourMessage = await ours.reply("Who is this?");
    const oursBefore = await ours.leadRow();
    const ourActivities = await db.activityEvent.count({ where: { organizationId: ours.orgId } });

    await applyReplyIntent(db, await theirs.reply("I'm interested"));

    expect(await ours.leadRow()).toEqual(oursBefore);
    expect(await db.activityEvent.count({ where: { organizationId: ours.orgId } })).toBe(ourActivities);
    expect(await db.message.findUniqueOrThrow({ where: { id: ourMessage }, select: { replyIntent: true } })).toEqual({ replyIntent: null });
    expect((await theirs.leadRow()).status).toBe("interested");
  });

  it("reads replies with the organization's own intent rules; a rule set that does not validate is refused, naming the rule", async () => {
    const org = await orgWithLead({ status: "contacted" });
    const admin = callerFor(org.team.admin);
    const ruleSet = { version: 1 as const, rules: [{ id: "local-yes", intent: "interested" as const, match: "whole_body" as const, phrases: ["you bet"], explanation: "Regional yes." }] };
    const saved = await admin.smsSettings.updateReplyIntent({ mode: "apply", ruleSet });
    expect(saved.replyIntent).toMatchObject({ mode: "apply", customisedRules: true, rules: ruleSet });
    expect(await db.auditLog.findFirst({ where: { organizationId: org.orgId, action: "settings.reply_intent_updated" }, orderBy: { createdAt: "desc" }, select: { details: true } })).toMatchObject({
      details: { mode: { before: "suggest", after: "apply" }, added: ["local-yes"], rulesReset: false },
    });
    expect((await admin.smsSettings.tryRules({ body: "You bet!" })).intent).toEqual({ intent: "interested", ruleId: "local-yes", matchedText: "you bet", reason: 'Matched "you bet" (interested).' });

    const messageId = await org.reply("You bet!");
    await applyReplyIntent(db, messageId);
    expect((await org.leadRow()).status).toBe("interested");

    const refused = await admin.smsSettings
      .updateReplyIntent({ mode: "apply", ruleSet: { version: 1, rules: [{ ...ruleSet.rules[0]!, intent: "opt_out" as never }] } })
      .then(() => null, (error: { code?: string; message: string }) => error);
    expect(refused?.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(refused)).toContain("opt-outs come from the texting reply rules");
  });
});
