import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";
import { callerFor, createTeam } from "@/test/factories";
import { decideSend, decideSendBatch, type SendKind } from "./decide";

// The two consent settings of issue 10 (items 3 and 4) in the one send decision: campaigns may
// require a current recorded consent; registry / skip-trace-DNC numbers may pass with a current
// express written consent. Both off by default.

let counter = 0;
const uniquePhone = () => `+1415${String(5_000_000 + ((++counter * 7919) % 1_000_000)).padStart(7, "0")}`;

async function orgWithLead() {
  const team = await createTeam();
  const orgId = team.org.id;
  await allowSendingAtAnyHour(orgId); // quiet hours are not the subject here
  const sender = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: sender } });
  const admin = callerFor(team.admin);
  const phoneOnLead = async (flags: { dnc?: boolean; tcpa?: boolean } = {}) => {
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${++counter} Consent Rd`, city: "Austin", state: "TX", zip: "78701", ownerName: "Robin Vale" });
    const phone = uniquePhone();
    await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test", ...flags } });
    return { leadId: lead.id, phone };
  };
  const decide = async (kind: SendKind, to: { leadId: string; phone: string }) => {
    const single = await decideSend(db, { orgId, kind, phone: to.phone, leadId: to.leadId });
    const [batch] = await decideSendBatch(db, { orgId, kind, recipients: [to] });
    expect({ outcome: batch!.outcome, reason: "reason" in batch! ? batch.reason : null }).toEqual({ outcome: single.outcome, reason: "reason" in single ? single.reason : null });
    return single;
  };
  const consent = (phone: string, type: "express_written" | "verbal") => callerFor(team.manager).consent.record({ phone, type, evidence: `${type} consent on file` });
  const stop = (from: string) => handleInboundWebhook(db, { MessageSid: `SM${randomBytes(16).toString("hex")}`, From: from, To: sender, Body: "STOP", NumSegments: "1" });
  return { orgId, admin, phoneOnLead, decide, consent, stop };
}

describe("require recorded consent before campaign sends", () => {
  it("blocks campaign texts to numbers without a current consent (not inbox replies), until one is recorded; a STOP withdraws it", async () => {
    const org = await orgWithLead();
    const to = await org.phoneOnLead();
    expect((await org.decide("campaign", to)).outcome).toBe("allowed"); // off by default

    await org.admin.consent.updateSettings({ requireRecordedConsent: true });
    const refused = await org.decide("campaign", to);
    expect(refused).toMatchObject({ outcome: "blocked", reason: "no_recorded_consent", rule: { name: "Recorded consent required" } });
    expect(refused.outcome === "blocked" && refused.message).toContain("Record one in Compliance → Consent log");
    expect((await org.decide("inbox_reply", to)).outcome).toBe("allowed");

    await org.consent(to.phone, "verbal");
    expect((await org.decide("campaign", to)).outcome).toBe("allowed");

    await org.stop(to.phone);
    expect(await org.decide("campaign", to)).toMatchObject({ outcome: "blocked", reason: "suppressed" });
    const logged = await db.sendDecision.findMany({ where: { organizationId: org.orgId, phone: to.phone, kind: "campaign" }, select: { outcome: true, reason: true, ruleName: true } });
    expect(logged).toContainEqual({ outcome: "blocked", reason: "no_recorded_consent", ruleName: "Recorded consent required" });
  });
});

describe("DNC-listed numbers with express written consent", () => {
  it("a skip-trace DNC flag blocks by default; with the setting on, only a current express written consent lets it through", async () => {
    const org = await orgWithLead();
    const to = await org.phoneOnLead({ dnc: true });
    await org.consent(to.phone, "express_written");
    expect(await org.decide("campaign", to)).toMatchObject({ outcome: "blocked", reason: "dnc_listed" }); // setting off

    await org.admin.consent.updateSettings({ allowDncWithExpressConsent: true });
    expect((await org.decide("campaign", to)).outcome).toBe("allowed");
    expect((await org.decide("inbox_reply", to)).outcome).toBe("allowed");

    const verbalOnly = await org.phoneOnLead({ dnc: true });
    await org.consent(verbalOnly.phone, "verbal");
    const refused = await org.decide("campaign", verbalOnly);
    expect(refused).toMatchObject({ outcome: "blocked", reason: "dnc_listed" });
    expect(refused.outcome === "blocked" && refused.message).toContain("current express written consent, and it has none");
  });

  it("never lifts the internal do-not-contact list or a TCPA litigator flag", async () => {
    const org = await orgWithLead();
    await org.admin.consent.updateSettings({ allowDncWithExpressConsent: true });
    const litigator = await org.phoneOnLead({ tcpa: true });
    const ours = await org.phoneOnLead();
    await org.admin.dnc.add({ phone: ours.phone, reason: "Asked us by phone never to contact them" });
    for (const to of [litigator, ours]) {
      await org.consent(to.phone, "express_written");
      expect(await org.decide("campaign", to)).toMatchObject({ outcome: "blocked", reason: "dnc_listed" });
    }
  });

  it("another organization's consents and settings change nothing here", async () => {
    const mine = await orgWithLead();
    const theirs = await orgWithLead();
    const to = await mine.phoneOnLead({ dnc: true });
    await theirs.admin.consent.updateSettings({ allowDncWithExpressConsent: true, requireRecordedConsent: true });
    await theirs.consent(to.phone, "express_written");
    expect(await mine.decide("campaign", to)).toMatchObject({ outcome: "blocked", reason: "dnc_listed" });
    await mine.admin.consent.updateSettings({ allowDncWithExpressConsent: true });
    expect(await mine.decide("campaign", to)).toMatchObject({ outcome: "blocked", reason: "dnc_listed" }); // their consent is not ours
  });
});
