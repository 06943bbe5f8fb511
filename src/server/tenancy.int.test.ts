import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { appRouter } from "@/server/root";
import { callerFor, createMember, createTeam, type TestUser } from "@/test/factories";
import { PROCEDURE_CATALOG, type ForeignOrg } from "@/test/procedure-catalog";

type AnyCaller = Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;

function call(caller: unknown, path: string, input: unknown) {
  const [namespace, name] = path.split(".") as [string, string];
  return (caller as AnyCaller)[namespace]![name]!(input);
}

async function snapshotOrg(orgId: string) {
  return db.organization.findUniqueOrThrow({
    where: { id: orgId },
    include: {
      memberships: { orderBy: { id: "asc" } },
      invites: { orderBy: { id: "asc" } },
      auditLogs: { orderBy: { id: "asc" } },
      budgets: { orderBy: { provider: "asc" } },
      killSwitches: { orderBy: { kind: "asc" } },
      dailySpend: { orderBy: { provider: "asc" } },
      spendEntries: { orderBy: { id: "asc" } },
      cacheEntries: { orderBy: { id: "asc" } },
      searchRuns: { orderBy: { id: "asc" } },
      leads: { orderBy: { id: "asc" }, include: { notes: true, tags: true, activities: true, phones: true, emails: true } },
      skipTraces: { orderBy: { id: "asc" } },
      skipTraceJobs: { orderBy: { id: "asc" } },
      tags: { orderBy: { id: "asc" } },
      smsSenderIdentities: { orderBy: { id: "asc" } },
      conversations: { orderBy: { id: "asc" } },
      messages: { orderBy: { id: "asc" } },
      suppressions: { orderBy: { id: "asc" } },
      consentEvents: { orderBy: { id: "asc" } },
      sendDecisions: { orderBy: { id: "asc" } },
      smsReplyReviews: { orderBy: { id: "asc" } },
      savedReplies: { orderBy: { id: "asc" } },
      dncEntries: { orderBy: { id: "asc" } },
      dncRegistryUploads: { orderBy: { id: "asc" }, include: { current: true } },
      dncChecks: { orderBy: { id: "asc" } },
      notifications: { orderBy: { id: "asc" } },
      notificationPreferences: { orderBy: { kind: "asc" } },
      apiKeys: { orderBy: { id: "asc" } },
      savedSearches: { orderBy: { id: "asc" } },
      searchAddAllJobs: { orderBy: { id: "asc" } },
      userPreferences: { orderBy: { key: "asc" } },
      tasks: { orderBy: { id: "asc" } },
      webhookEndpoints: { orderBy: { id: "asc" }, include: { deliveries: { orderBy: { id: "asc" } } } },
      settings: true,
    },
  });
}

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

describe("tenancy: another organization's data is unreachable", () => {
  let own: { admin: TestUser };
  let foreign: ForeignOrg;
  let foreignBefore: Awaited<ReturnType<typeof snapshotOrg>>;

  beforeAll(async () => {
    const ours = await createTeam("Our org");
    own = { admin: ours.admin };
    const theirs = await createTeam("Their org");
    const extra = await createMember(theirs.org.id, "user");
    const invite = await db.invite.create({
      data: {
        organizationId: theirs.org.id,
        email: "their-invitee@example.com",
        role: "user",
        tokenHash: `hash-${theirs.org.id}`,
        expiresAt: new Date(Date.now() + 86_400_000),
        invitedById: theirs.admin.id,
      },
    });
    const audit = await db.auditLog.create({ data: { organizationId: theirs.org.id, action: "test.secret", actorId: theirs.admin.id } });
    const theirNotification = await db.notification.create({
      data: { organizationId: theirs.org.id, userId: theirs.admin.id, kind: "kill_switch", title: "their secret notification", body: "their secret notification body", dedupeKey: "their-secret" },
    });
    await db.notificationPreference.create({ data: { organizationId: theirs.org.id, userId: theirs.admin.id, kind: "new_reply", inApp: false } });
    await db.budgetSetting.create({ data: { organizationId: theirs.org.id, provider: "attom", dailyCapCents: 4321, costPerCallCents: 7 } });
    await db.killSwitch.create({ data: { organizationId: theirs.org.id, kind: "sms", engaged: true, reason: "their secret reason", changedById: theirs.admin.id } });
    // They search the same ZIP we will, then add the page to their leads.
    const searchQuery = { location: { zips: ["94105"] } };
    const theirCaller = callerFor(theirs.manager);
    await theirCaller.search.run(searchQuery);
    await theirCaller.search.addToLeads({ query: searchQuery });
    // They resolve the city we will (the resolution is shared; what they paid stays theirs).
    await theirCaller.search.resolvePlace({ location: { city: "Austin", state: "TX" } });
    const theirLead = await db.lead.findFirstOrThrow({ where: { organizationId: theirs.org.id } });
    const theirUpload = await db.importUpload.create({
      data: {
        organizationId: theirs.org.id,
        createdById: theirs.manager.id,
        fileName: "their-secret-list.csv",
        rowCount: 1,
        completedAt: new Date(),
        chunks: { create: { index: 0, data: new TextEncoder().encode("Address,Zip\n9 Their Way,94105\n") } },
      },
    });
    const theirImport = await db.importJob.create({
      data: {
        organizationId: theirs.org.id,
        createdById: theirs.manager.id,
        fileName: "their-secret-list.csv",
        uploadId: theirUpload.id,
        mapping: { address: 0, zip: 1 },
        totalRows: 1,
      },
    });
    const theirTag = await theirCaller.tags.create({ name: "their-hot-list", color: "red" });
    await theirCaller.leads.setTags({ leadId: theirLead.id, tagIds: [theirTag.id] });
    const theirNote = await theirCaller.notes.add({ leadId: theirLead.id, body: "their private note" });
    const theirTask = await theirCaller.tasks.create({ leadId: theirLead.id, note: "their secret task", dueOn: "2026-01-01" });
    await theirCaller.skipTrace.run({ leadId: theirLead.id });
    const theirJob = await db.skipTraceJob.create({ data: { organizationId: theirs.org.id, leadIds: [theirLead.id], total: 1, status: "completed" } });
    // Their texting: a sending number, a lead phone that asked something ambiguous (a review item)
    // and a number that texted STOP (a suppression).
    const theirSender = await db.smsSenderIdentity.create({ data: { organizationId: theirs.org.id, kind: "phone_number", value: "+15125550900" } });
    const theirLeadPhone = await db.leadPhone.create({ data: { organizationId: theirs.org.id, leadId: theirLead.id, number: "+15125550901", source: "test" } });
    const inbound = (sid: string, from: string, body: string) => handleInboundWebhook(db, { MessageSid: sid, From: from, To: theirSender.value, Body: body, NumSegments: "1" });
    const theirReview = await inbound(`SM${"a1".repeat(16)}`, theirLeadPhone.number, "their secret reply: stop by tomorrow?");
    const theirOptOut = await inbound(`SM${"b2".repeat(16)}`, "+15125550902", "STOP");
    if (theirReview.duplicate || theirOptOut.duplicate || !theirOptOut.suppressionId) throw new Error("fixture: their inbound messages were not recorded");
    const theirReviewRow = await db.smsReplyReview.findUniqueOrThrow({ where: { messageId: theirReview.messageId } });
    // Their do-not-contact list and a registry extract listing the same number.
    const theirDnc = await db.dncEntry.create({ data: { organizationId: theirs.org.id, phone: "+15125550903", reason: "their secret dnc reason", addedById: theirs.admin.id, liveKey: "+15125550903" } });
    const theirExtract = await db.dncRegistryUpload.create({
      data: { organizationId: theirs.org.id, areaCode: 512, fileName: "their-registry-512.txt", extractDate: new Date(), status: "current", numberCount: 1, uploadedById: theirs.admin.id },
    });
    await db.dncRegistryNumber.create({ data: { uploadId: theirExtract.id, number: 5125550903n } });
    await db.dncRegistryAreaCode.create({ data: { organizationId: theirs.org.id, areaCode: 512, uploadId: theirExtract.id, extractDate: new Date(), numberCount: 1 } });
    const theirDecision = await db.sendDecision.create({
      data: { organizationId: theirs.org.id, phone: "+15125550902", kind: "campaign", outcome: "blocked", reason: "suppressed", message: "their secret decision", ruleName: "their secret rule" },
    });
    // A consent they recorded (their consent log), and their settings requiring one.
    const theirConsent = await db.consentEvent.create({
      data: { organizationId: theirs.org.id, phone: "+15125550904", leadId: theirLead.id, type: "verbal", source: "recorded", evidence: "their secret consent evidence", documentRef: "their-consent-doc.pdf", actorUserId: theirs.admin.id, occurredAt: new Date() },
    });
    await db.organizationSettings.upsert({ where: { organizationId: theirs.org.id }, create: { organizationId: theirs.org.id, requireRecordedConsent: true }, update: { requireRecordedConsent: true } });
    // Their saved filter and a campaign to their lead, launched (its recipients frozen).
    const theirFilter = await theirCaller.savedFilters.save({ name: "their secret filter", filters: { zip: "94105" } });
    const theirCampaign = await theirCaller.campaigns.create({
      name: "their secret campaign",
      template: "their secret template - {{brand}}. Reply STOP to opt out.",
      senderIdentityId: theirSender.id,
      audience: { kind: "filter", savedFilterId: theirFilter.id },
      ratePerSecond: 1,
    });
    await theirCaller.campaigns.preflight({ id: theirCampaign.id });
    const theirSavedReply = await theirCaller.savedReplies.save({ name: "their secret saved reply", body: "their secret saved body {{owner_first_name}}" });
    const theirRule = await db.autoResponderRule.create({ data: { organizationId: theirs.org.id, name: "their secret auto rule", intents: ["interested"], replyTemplate: "their secret auto reply" } });
    const theirSequence = await db.sequence.create({ data: { organizationId: theirs.org.id, name: "their secret sequence", steps: [{ delayDays: 1, sendAt: "10:00", template: "their secret step" }] } });
    // Their saved search, an "add all" of their search, and their list columns (issue 14 items 6, 7, 9).
    const theirSavedSearch = await theirCaller.search.save({ name: "their secret search", query: searchQuery });
    const theirAddAll = await db.searchAddAllJob.create({ data: { organizationId: theirs.org.id, createdById: theirs.manager.id, query: searchQuery, total: 1, status: "completed" } });
    await callerFor(theirs.manager).preferences.setLeadColumns({ columns: ["equity", "value"] });
    const theirKey = await callerFor(theirs.admin).apiKeys.create({ name: "their secret api key", scopes: ["leads:read", "leads:write"] });
    // Their webhook endpoint (Settings → Webhooks) and a delivery in its log.
    const theirHook = await callerFor(theirs.admin).webhooks.create({ url: "https://hooks.example.com/their-secret-hook", description: "their secret webhook", events: ["lead.created"] });
    const theirDelivery = await db.webhookDelivery.create({
      data: { id: "msg_theirsecretdelivery", organizationId: theirs.org.id, endpointId: theirHook.endpoint.id, eventType: "lead.created", eventData: { leadId: theirLead.id }, dedupeKey: "tenancy", occurredAt: new Date(), payload: "their secret payload" },
    });
    foreign = {
      savedSearchId: theirSavedSearch.id,
      addAllJobId: theirAddAll.id,
      apiKeyId: theirKey.apiKey.id,
      webhookEndpointId: theirHook.endpoint.id,
      webhookDeliveryId: theirDelivery.id,
      autoResponderRuleId: theirRule.id,
      sequenceId: theirSequence.id,
      savedReplyId: theirSavedReply.id,
      orgId: theirs.org.id,
      savedFilterId: theirFilter.id,
      campaignId: theirCampaign.id,
      admin: theirs.admin,
      member: extra,
      inviteId: invite.id,
      auditEntryId: audit.id,
      notificationId: theirNotification.id,
      importJobId: theirImport.id,
      importUploadId: theirUpload.id,
      searchQuery,
      leadId: theirLead.id,
      leadAddress: { addressLine1: theirLead.addressLine1, city: theirLead.city, state: theirLead.state, zip: theirLead.zip, ownerName: theirLead.ownerName },
      noteId: theirNote.id,
      taskId: theirTask.id,
      tagId: theirTag.id,
      tagName: theirTag.name,
      skipTraceJobId: theirJob.id,
      senderIdentityId: theirSender.id,
      senderNumber: theirSender.value,
      conversationId: theirReview.conversationId,
      messageId: theirReview.messageId,
      messagePhone: theirLeadPhone.number,
      leadPhoneId: theirLeadPhone.id,
      suppressionId: theirOptOut.suppressionId,
      suppressedPhone: "+15125550902",
      replyReviewId: theirReviewRow.id,
      dncEntryId: theirDnc.id,
      dncPhone: theirDnc.phone,
      sendDecisionId: theirDecision.id,
      fingerprints: [theirSavedReply.id, "their secret saved reply", "their secret saved body", theirFilter.id, "their secret filter", theirCampaign.id, "their secret campaign", "their secret template", theirConsent.id, "+15125550904", "their secret consent evidence", "their-consent-doc.pdf", theirDecision.id, "their secret decision", "their secret rule", theirDnc.id, "their secret dnc reason", "their-registry-512.txt", theirSender.id, theirSender.value, theirLeadPhone.number, "+15125550902", "their secret reply", theirReview.messageId, theirReview.conversationId, theirOptOut.suppressionId, theirReviewRow.id, theirJob.id, theirTag.id, theirNote.id, "their private note", theirs.org.id, "Their org", theirs.admin.id, theirs.admin.email, extra.id, extra.email, invite.id, invite.email, audit.id, theirLead.id, "their secret reason", theirs.manager.id, theirImport.id, "their-secret-list.csv"],
    };
    foreign.fingerprints.push(theirRule.id, "their secret auto rule", "their secret auto reply", theirSequence.id, "their secret sequence", "their secret step");
    foreign.fingerprints.push(theirNotification.id, "their secret notification");
    foreign.fingerprints.push(theirSavedSearch.id, "their secret search", theirAddAll.id);
    foreign.fingerprints.push(theirKey.apiKey.id, "their secret api key", theirKey.apiKey.prefix);
    foreign.fingerprints.push(theirHook.endpoint.id, "their-secret-hook", "their secret webhook", theirHook.secret.slice(6), theirDelivery.id, "their secret payload");
    foreign.fingerprints.push(theirTask.id, "their secret task");
    foreignBefore = await snapshotOrg(foreign.orgId);
  });

  it("covers every procedure of the app router", () => {
    const catalogued = Object.keys(PROCEDURE_CATALOG).sort();
    expect(procedurePaths, "add new procedures to src/test/procedure-catalog.ts").toEqual(catalogued);
  });

  for (const path of procedurePaths) {
    const entry = PROCEDURE_CATALOG[path];
    if (!entry || entry.tenancy.kind === "exempt") continue;
    const tenancy = entry.tenancy;

    if (tenancy.kind === "foreign-id") {
      it(`${path} answers NOT_FOUND for another organization's ids`, async () => {
        const error = await call(callerFor(own.admin), path, tenancy.input(foreign)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe("NOT_FOUND");
      });
    } else {
      it(`${path} returns only our organization's data`, async () => {
        const input = typeof tenancy.input === "function" ? tenancy.input(foreign) : tenancy.input;
        const result = await call(callerFor(own.admin), path, input);
        const serialized = JSON.stringify(result);
        for (const fingerprint of foreign.fingerprints) expect(serialized).not.toContain(fingerprint);
      });
    }
  }

  it("left the other organization's rows untouched", async () => {
    expect(await snapshotOrg(foreign.orgId)).toEqual(foreignBefore);
  });
});
