import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as inboundPOST } from "@/app/api/webhooks/twilio/inbound/route";
import type { LeadStatus } from "@/generated/prisma/enums";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import { callerFor, createTeam } from "@/test/factories";
import { sendSms } from "./send";
import { signedTwilioWebhook } from "./webhook-signature";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";

let counter = 0;
const uniquePhone = () => `+1469${String(3_000_000 + (++counter * 7919) % 1_000_000).padStart(7, "0")}`;

async function orgWithLead(status: LeadStatus = "new") {
  const team = await createTeam();
  await allowSendingAtAnyHour(team.org.id);
  const orgId = team.org.id;
  const senderNumber = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: senderNumber } });
  await db.budgetSetting.create({ data: { organizationId: orgId, provider: "twilio_sms", costPerCallCents: 3, dailyCapCents: 10_000 } });
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${300 + counter} Elm St`, city: "Austin", state: "TX", zip: "78701", ownerName: "Pat Kim" });
  if (status !== "new") await db.lead.update({ where: { id: lead.id }, data: { status } });
  const phone = uniquePhone();
  await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test" } });
  const reply = async (body: string) => {
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
  const leadState = async () => ({
    status: (await db.lead.findUniqueOrThrow({ where: { id: lead.id }, select: { status: true } })).status,
    activities: (await db.activityEvent.findMany({ where: { leadId: lead.id, kind: { not: "created" } }, orderBy: { createdAt: "asc" }, select: { kind: true, details: true } })).map((a) => ({
      kind: a.kind,
      details: a.details,
    })),
  });
  const ctx = { db, orgId, userId: team.manager.id, requestId: `test-${orgId}` };
  return { orgId, leadId: lead.id, phone, reply, leadState, ctx };
}

describe("an inbound reply on the lead", () => {
  it("moves a new lead to replied and puts the text in and out on its timeline", async () => {
    const org = await orgWithLead("new");
    await sendSms(org.ctx, { phone: org.phone, leadId: org.leadId, body: "Hi Pat, would you sell the Elm St house?", kind: "inbox_reply" }, createSandboxSmsSender());
    await org.reply("Maybe, what are you offering?");
    const { status, activities } = await org.leadState();
    expect(status).toBe("replied");
    // The inbound text and the move are written together (same timestamp), so compared by kind.
    const byKind = Object.fromEntries(activities.map((a) => [a.kind, a.details]));
    expect(activities).toHaveLength(3);
    expect(byKind.message_out).toMatchObject({ phone: org.phone, sendKind: "inbox_reply" });
    expect(byKind.message_in).toMatchObject({ phone: org.phone, outcome: "none" });
    expect(byKind.status_changed).toMatchObject({ from: "new", to: "replied", reason: "sms_reply" });
    const messages = await db.message.findMany({ where: { organizationId: org.orgId }, orderBy: { createdAt: "asc" }, select: { direction: true } });
    expect(messages.map((m) => m.direction)).toEqual(["outbound", "inbound"]);
  });

  it("moves a contacted lead too, once: a second reply records the text only", async () => {
    const org = await orgWithLead("contacted");
    await org.reply("Who is this?");
    await org.reply("ok call me");
    const { status, activities } = await org.leadState();
    expect(status).toBe("replied");
    expect(activities.map((a) => a.kind).sort()).toEqual(["message_in", "message_in", "status_changed"]);
  });

  it("never moves a lead further along (or dead) backwards", async () => {
    for (const status of ["interested", "under_contract", "closed", "dead"] as const) {
      const org = await orgWithLead(status);
      await org.reply("Sounds good");
      const state = await org.leadState();
      expect(state.status).toBe(status);
      expect(state.activities.map((a) => a.kind)).toEqual(["message_in"]);
    }
  });

  it("a STOP still suppresses, is on the timeline, and does not count as a reply", async () => {
    const org = await orgWithLead("contacted");
    await org.reply("STOP");
    const { status, activities } = await org.leadState();
    expect(status).toBe("contacted");
    expect(activities).toEqual([{ kind: "message_in", details: expect.objectContaining({ outcome: "opt_out" }) }]);
    expect(await db.suppression.count({ where: { organizationId: org.orgId, phone: org.phone, reason: "keyword", liftedAt: null } })).toBe(1);
  });
});
