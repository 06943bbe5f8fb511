import { describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { callerFor, createTeam, testSessionId } from "@/test/factories";
import { consentStatusFor } from "./consent";
import { CONSENT_EXPORT_COLUMNS } from "./consent-export";

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));
const { GET: exportRoute } = await import("@/app/api/compliance/consent/export/route");

let counter = 0;
const uniquePhone = () => `+1646${String(4_000_000 + ((++counter * 7919) % 1_000_000)).padStart(7, "0")}`;
const typed = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
let sids = 0;
/** 32 hex digits, unique in this file's run. */
const newSid = () => `${Date.now().toString(16).padStart(16, "0")}${(++sids).toString(16).padStart(16, "0")}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error("expected a refusal");
  return error as TRPCError & { appCode?: string; details?: Record<string, unknown>; cause?: { issues?: { path: (string | number)[] }[] } };
}

async function orgReady() {
  const team = await createTeam();
  const orgId = team.org.id;
  const sender = uniquePhone();
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: sender } });
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${++counter} Consent Ct`, city: "Austin", state: "TX", zip: "78701", ownerName: "Dana Park" });
  const phone = uniquePhone();
  await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test" } });
  const inbound = async (body: string, from = phone) => {
    const result = await handleInboundWebhook(db, { MessageSid: `SM${newSid()}`, From: from, To: sender, Body: body, NumSegments: "1" });
    if (result.duplicate) throw new Error("fixture: the inbound message was taken for a duplicate");
    return result;
  };
  return { team, orgId, leadId: lead.id, phone, inbound };
}

describe("consent.record", () => {
  it("records a consent with its evidence, phone in E.164, actor and both instants, and audits it", async () => {
    const org = await orgReady();
    const given = minutesAgo(90);
    const { event } = await callerFor(org.team.manager).consent.record({
      phone: typed(org.phone),
      leadId: org.leadId,
      type: "express_written",
      evidence: "Signed the web form checkbox: 'I agree to receive texts'",
      documentRef: "forms/2026-11-29-dana.pdf",
      occurredAt: given,
    });
    expect(event).toMatchObject({
      type: "express_written",
      source: "recorded",
      phone: org.phone,
      lead: { id: org.leadId, archived: false },
      evidence: "Signed the web form checkbox: 'I agree to receive texts'",
      documentRef: "forms/2026-11-29-dana.pdf",
      actor: { id: org.team.manager.id, email: org.team.manager.email },
      occurredAt: given,
    });
    expect(event.recordedAt.getTime()).toBeGreaterThan(given.getTime());
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.orgId, action: "consent.recorded" } });
    expect(audit).toMatchObject({ actorId: org.team.manager.id, details: { phone: org.phone, type: "express_written", leadId: org.leadId } });
  });

  it("refuses a missing evidence, a bad phone (naming the field), a future instant, and a plain user", async () => {
    const org = await orgReady();
    const manager = callerFor(org.team.manager);
    const noEvidence = await failure(manager.consent.record({ phone: org.phone, type: "verbal", evidence: " " }));
    expect(noEvidence.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(noEvidence.cause)).toContain("evidence");

    const badPhone = await failure(manager.consent.record({ phone: "12", type: "verbal", evidence: "Said yes on the call" }));
    expect(badPhone.code).toBe("BAD_REQUEST");
    expect(badPhone.details).toEqual({ field: "phone" });
    expect(badPhone.cause?.issues?.[0]?.path).toEqual(["phone"]);

    const future = await failure(manager.consent.record({ phone: org.phone, type: "verbal", evidence: "Said yes on the call", occurredAt: new Date(Date.now() + 86_400_000) }));
    expect(future.details).toEqual({ field: "occurredAt" });

    expect((await failure(callerFor(org.team.user).consent.record({ phone: org.phone, type: "verbal", evidence: "Said yes" }))).code).toBe("FORBIDDEN");
    expect(await db.consentEvent.count({ where: { organizationId: org.orgId } })).toBe(0);
  });
});

describe("consent.list", () => {
  it("merges recorded consents, STOP revocations and START replies newest first, with filters and pages", async () => {
    const org = await orgReady();
    const manager = callerFor(org.team.manager);
    await manager.consent.record({ phone: org.phone, leadId: org.leadId, type: "verbal", evidence: "Said yes on the call", occurredAt: minutesAgo(60) });
    const stop = await org.inbound("STOP");
    expect(stop.suppressionId).toBeTruthy();
    await new Promise((r) => setTimeout(r, 5));
    await org.inbound("START");
    const other = uniquePhone();
    await manager.consent.record({ phone: other, type: "inbound_initiated", evidence: "They texted us first asking about the sale", occurredAt: minutesAgo(120) });

    const all = await callerFor(org.team.user).consent.list({});
    expect(all.items.map((e) => [e.type, e.source, e.phone])).toEqual([
      ["inbound_initiated", "start_reply", org.phone],
      ["revoked", "keyword", org.phone],
      ["verbal", "recorded", org.phone],
      ["inbound_initiated", "recorded", other],
    ]);
    const times = all.items.map((e) => e.occurredAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    expect((await manager.consent.list({ filters: { type: "revoked" } })).items.map((e) => e.id)).toEqual([`optout:${stop.suppressionId}`]);
    expect((await manager.consent.list({ filters: { q: other.slice(-7) } })).items).toHaveLength(1);
    // The lead's log: its own rows and every event on its phones (an opt-out covers the number).
    expect((await manager.consent.list({ filters: { leadId: org.leadId } })).items).toHaveLength(3);
    const window = await manager.consent.list({ filters: { from: minutesAgo(130), to: minutesAgo(30) } });
    expect(window.items.map((e) => e.type)).toEqual(["verbal", "inbound_initiated"]);

    const first = await manager.consent.list({ limit: 3 });
    expect(first.nextCursor).not.toBeNull();
    const second = await manager.consent.list({ limit: 3, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(all.items.map((e) => e.id));
    expect(second.nextCursor).toBeNull();
    // A cursor of the right shape on a day that does not exist is a 400, not a query with an invalid date.
    expect((await failure(manager.consent.list({ cursor: "2026-13-45T10:00:00.000Z|consent:abc" }))).code).toBe("BAD_REQUEST");
  });

  it("an opt-out lifted with documented consent is one consent row with who lifted it, not two", async () => {
    const org = await orgReady();
    const manager = callerFor(org.team.manager);
    const { suppression } = await manager.suppressions.add({ phone: org.phone, evidence: "Called: do not text me" });
    await manager.suppressions.lift({ id: suppression.id, optInKind: "documented_consent", consentType: "verbal", reason: "Called back", evidence: "Recorded call 2026-11-29" });
    const { items } = await manager.consent.list({});
    expect(items.map((e) => [e.type, e.source])).toEqual([
      ["verbal", "opt_out_lift"],
      ["revoked", "manual"],
    ]);
    expect(items[0]).toMatchObject({ actor: { id: org.team.manager.id }, evidence: expect.stringContaining("Recorded call 2026-11-29") });
  });

  it("a person reporting a START reply records an inbound-initiated consent; a lift from before the log still shows once", async () => {
    const org = await orgReady();
    const manager = callerFor(org.team.manager);
    const { suppression } = await manager.suppressions.add({ phone: org.phone, evidence: "Called: do not text me" });
    await manager.suppressions.lift({ id: suppression.id, optInKind: "start_reply", reason: "They texted START to the old number", evidence: "Screenshot in the deal folder" });
    // A lift recorded before the consent log existed: no ConsentEvent names it.
    const older = uniquePhone();
    const legacy = await db.suppression.create({
      data: { organizationId: org.orgId, phone: older, reason: "manual", evidence: "Asked by letter", actorUserId: org.team.manager.id, createdAt: minutesAgo(20), liftedAt: minutesAgo(10), liftedById: org.team.manager.id, liftReason: "Documented consent: signed again" },
    });
    const { items } = await manager.consent.list({});
    expect(items.map((e) => [e.type, e.source, e.phone])).toEqual([
      ["inbound_initiated", "opt_out_lift", org.phone],
      ["revoked", "manual", org.phone],
      // Its kind of consent was not recorded: it counts as verbal, never as express written (which can lift a DNC block).
      ["verbal", "opt_out_lift", older],
      ["revoked", "manual", older],
    ]);
    expect(items[2]).toMatchObject({ id: `optin:${legacy.id}`, evidence: "Documented consent: signed again", actor: { id: org.team.manager.id } });
  });

  it("archiving a lead keeps its consent and opt-out rows in the log", async () => {
    const org = await orgReady();
    const manager = callerFor(org.team.manager);
    await manager.consent.record({ phone: org.phone, leadId: org.leadId, type: "express_written", evidence: "Signed form" });
    await org.inbound("STOP");
    await manager.suppressions.add({ phone: org.phone, evidence: "Also said so on the phone", leadId: org.leadId });
    expect(await manager.leads.bulk({ target: { ids: [org.leadId] }, action: { kind: "archive" } })).toEqual({ matched: 1, changed: 1 });

    const { items } = await manager.consent.list({ filters: { leadId: org.leadId } });
    expect(items.map((e) => e.type)).toEqual(["revoked", "express_written"]);
    expect(items[1]!.lead).toEqual({ id: org.leadId, label: expect.any(String), archived: true });
    expect(await db.consentEvent.count({ where: { organizationId: org.orgId, leadId: org.leadId } })).toBe(1);
    expect(await db.suppression.count({ where: { organizationId: org.orgId, phone: org.phone } })).toBe(1);
  });

  it("never shows another organization's consents or opt-outs, even for the same number", async () => {
    const ours = await orgReady();
    const theirs = await orgReady();
    await callerFor(theirs.team.manager).consent.record({ phone: ours.phone, type: "verbal", evidence: "their secret evidence" });
    await theirs.inbound("STOP", ours.phone);
    await callerFor(ours.team.manager).consent.record({ phone: ours.phone, type: "verbal", evidence: "our evidence" });

    const { items } = await callerFor(ours.team.admin).consent.list({});
    expect(items.map((e) => e.evidence)).toEqual(["our evidence"]);
    expect((await failure(callerFor(ours.team.admin).consent.list({ filters: { leadId: theirs.leadId } }))).code).toBe("NOT_FOUND");
    const status = await consentStatusFor(db, { organizationId: ours.orgId, phones: [ours.phone] });
    expect(status.get(ours.phone)).toMatchObject({ current: true, lastRevokedAt: null });
  });
});

describe("consentStatusFor", () => {
  it("consent then STOP is not current; a START reply after makes it current again; in one query for many phones", async () => {
    const org = await orgReady();
    const never = uniquePhone();
    await callerFor(org.team.manager).consent.record({ phone: org.phone, type: "express_written", evidence: "Signed form", documentRef: "form-17", occurredAt: minutesAgo(30) });

    let status = await consentStatusFor(db, { organizationId: org.orgId, phones: [org.phone, never] });
    expect(status.get(org.phone)).toMatchObject({ current: true, latest: { type: "express_written", evidence: "Signed form", documentRef: "form-17", source: "recorded" } });
    expect(status.get(never)).toEqual({ latest: null, current: false, lastRevokedAt: null });

    await org.inbound("STOP");
    status = await consentStatusFor(db, { organizationId: org.orgId, phones: [org.phone] });
    expect(status.get(org.phone)).toMatchObject({ current: false, latest: { type: "express_written" }, lastRevokedAt: expect.any(Date) });

    await new Promise((r) => setTimeout(r, 5));
    await org.inbound("START");
    status = await consentStatusFor(db, { organizationId: org.orgId, phones: [org.phone] });
    expect(status.get(org.phone)).toMatchObject({ current: true, latest: { type: "inbound_initiated", source: "start_reply" } });

    // A consent recorded while the opt-out is live does not make the number textable.
    await org.inbound("STOP");
    await callerFor(org.team.manager).consent.record({ phone: org.phone, type: "verbal", evidence: "Said yes again" });
    status = await consentStatusFor(db, { organizationId: org.orgId, phones: [org.phone] });
    expect(status.get(org.phone)).toMatchObject({ current: false, latest: { type: "verbal" } });

    // One statement, however many phones (the function reads nothing else).
    const phones = Array.from({ length: 200 }, () => uniquePhone());
    const spy = vi.spyOn(db, "$queryRaw");
    try {
      expect((await consentStatusFor(db, { organizationId: org.orgId, phones: [...phones, org.phone] })).size).toBe(201);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("consent settings", () => {
  it("both off by default; admins turn each on (audited with before and after), others cannot", async () => {
    const org = await orgReady();
    const off = { requireRecordedConsent: false, allowDncWithExpressConsent: false };
    expect(await callerFor(org.team.user).consent.settings()).toEqual({ ...off, canEdit: false });
    expect((await failure(callerFor(org.team.manager).consent.updateSettings({ requireRecordedConsent: true }))).code).toBe("FORBIDDEN");
    expect((await failure(callerFor(org.team.admin).consent.updateSettings({}))).code).toBe("BAD_REQUEST");
    expect(await callerFor(org.team.admin).consent.updateSettings({ requireRecordedConsent: true })).toEqual({ ...off, requireRecordedConsent: true, canEdit: true });
    expect(await callerFor(org.team.admin).consent.updateSettings({ allowDncWithExpressConsent: true })).toEqual({ requireRecordedConsent: true, allowDncWithExpressConsent: true, canEdit: true });
    expect(await callerFor(org.team.user).consent.settings()).toEqual({ requireRecordedConsent: true, allowDncWithExpressConsent: true, canEdit: false });
    const audits = await db.auditLog.findMany({ where: { organizationId: org.orgId, action: "consent.setting_changed" }, orderBy: { createdAt: "asc" }, select: { details: true } });
    expect(audits.map((a) => a.details)).toEqual([
      { before: { requireRecordedConsent: false }, after: { requireRecordedConsent: true } },
      { before: { allowDncWithExpressConsent: false }, after: { allowDncWithExpressConsent: true } },
    ]);
  });
});

describe("GET /api/compliance/consent/export", () => {
  it("streams the log as CSV with the page's filters, this organization only", async () => {
    const org = await orgReady();
    const theirs = await orgReady();
    await callerFor(theirs.team.manager).consent.record({ phone: org.phone, type: "verbal", evidence: "their secret evidence" });
    await callerFor(org.team.manager).consent.record({ phone: org.phone, leadId: org.leadId, type: "verbal", evidence: "=HYPERLINK(\"x\")", documentRef: "call-42", occurredAt: minutesAgo(10) });
    const stop = await org.inbound("STOP");

    const signIn = (who: { id: string; email: string }) =>
      (session.current = { user: { id: who.id, email: who.email }, sessionId: testSessionId(who.id), expires: new Date(Date.now() + 3_600_000).toISOString() });
    // The export carries every opt-out's evidence in bulk: managers and admins, like the opt-out export.
    signIn(org.team.user);
    expect((await exportRoute(new Request("http://localhost/api/compliance/consent/export"))).status).toBe(403);
    signIn(org.team.manager);
    const response = await exportRoute(new Request("http://localhost/api/compliance/consent/export"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="consent-log-\d{4}-\d\d-\d\d\.csv"/);
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CONSENT_EXPORT_COLUMNS]);
    expect(rows.map((r) => [r.type, r.source, r.phone])).toEqual([
      ["revoked", "keyword", org.phone],
      ["verbal", "recorded", org.phone],
    ]);
    expect(rows[0]!.event_id).toBe(`optout:${stop.suppressionId}`);
    expect(rows[1]).toMatchObject({ evidence: "'=HYPERLINK(\"x\")", document_ref: "call-42", lead_id: org.leadId, recorded_by: org.team.manager.email });

    const filtered = await exportRoute(new Request(`http://localhost/api/compliance/consent/export?filters=${encodeURIComponent(JSON.stringify({ type: "verbal" }))}`));
    expect((parse(await filtered.text(), { columns: true }) as unknown[]).length).toBe(1);
    const bad = await exportRoute(new Request(`http://localhost/api/compliance/consent/export?filters=${encodeURIComponent(JSON.stringify({ q: "abc" }))}`));
    expect(bad.status).toBe(400);
    session.current = null;
  });
});
