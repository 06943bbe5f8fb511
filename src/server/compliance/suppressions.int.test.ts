import { describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { sendSms } from "@/server/messaging/send";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import { callerFor, createTeam, testSessionId } from "@/test/factories";
import { decideSend } from "./decide";
import { suppress } from "./suppressions";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));
const { GET: exportRoute } = await import("@/app/api/compliance/suppressions/export/route");

let counter = 0;
/** Outside the sandbox's 555-01xx family, so the simulated sender delivers. */
const uniquePhone = () => `+1646${String(3_000_000 + ((++counter * 7919) % 1_000_000)).padStart(7, "0")}`;
/** "+16463007919" → "(646) 300-7919", as a person types it. */
const typed = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error("expected a refusal");
  return error as TRPCError & { appCode?: string; details?: Record<string, unknown> };
}

async function orgReady() {
  const team = await createTeam();
  await allowSendingAtAnyHour(team.org.id);
  const orgId = team.org.id;
  await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: uniquePhone() } });
  await db.budgetSetting.create({ data: { organizationId: orgId, provider: "twilio_sms", costPerCallCents: 1, dailyCapCents: 10_000 } });
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${++counter} Opt Out Ln`, city: "Austin", state: "TX", zip: "78701", ownerName: "Robin Hale" });
  const phone = uniquePhone();
  await db.leadPhone.create({ data: { organizationId: orgId, leadId: lead.id, number: phone, type: "mobile", source: "test" } });
  const send = () => sendSms({ db, orgId, userId: team.manager.id, requestId: `test-${orgId}` }, { phone, leadId: lead.id, body: "Hi Robin", kind: "campaign" }, createSandboxSmsSender());
  const decide = (number = phone) => decideSend(db, { orgId, phone: number, leadId: lead.id, kind: "campaign" });
  return { team, orgId, leadId: lead.id, phone, send, decide };
}

describe("suppressions.add", () => {
  it("a number a user adds by hand is refused by sendSms and decideSend as suppressed, org-wide, and marks the lead's phone opted out", async () => {
    const org = await orgReady();
    expect((await org.decide()).outcome).toBe("allowed");

    const added = await callerFor(org.team.user).suppressions.add({ phone: typed(org.phone), evidence: "Owner called: do not text me", leadId: org.leadId });

    expect(added.created).toBe(true);
    expect(added.suppression).toMatchObject({
      phone: org.phone,
      reason: "manual",
      scope: "organization",
      evidence: "Owner called: do not text me",
      addedBy: { id: org.team.user.id, email: org.team.user.email },
      lifted: null,
    });
    expect(await org.decide()).toMatchObject({ outcome: "blocked", reason: "suppressed" });
    const refused = await failure(org.send());
    expect(refused.appCode).toBe("PRECONDITION_FAILED");
    expect(refused.details).toMatchObject({ reason: "suppressed" });
    expect(await db.message.count({ where: { organizationId: org.orgId, direction: "outbound" } })).toBe(0);
    expect(await db.leadPhone.findFirst({ where: { organizationId: org.orgId, number: org.phone }, select: { status: true } })).toEqual({ status: "opted_out" });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.orgId, action: "suppression.added" } });
    expect(audit).toMatchObject({ actorId: org.team.user.id, targetId: added.suppression.id, details: { phone: org.phone, leadId: org.leadId } });
  });

  it("adding a number already on the list changes nothing and says so", async () => {
    const org = await orgReady();
    const caller = callerFor(org.team.user);
    const first = await caller.suppressions.add({ phone: org.phone, evidence: "Asked by email" });
    const again = await caller.suppressions.add({ phone: typed(org.phone), evidence: "Asked again on a call" });
    expect(again).toMatchObject({ created: false, suppression: { id: first.suppression.id, evidence: "Asked by email" } });
    expect(await db.suppression.count({ where: { organizationId: org.orgId, phone: org.phone } })).toBe(1);
    expect(await db.auditLog.count({ where: { organizationId: org.orgId, action: "suppression.added" } })).toBe(1);
  });

  it("refuses a number that is not one, and a missing evidence note, naming the field", async () => {
    const org = await orgReady();
    const caller = callerFor(org.team.user);
    const badPhone = await failure(caller.suppressions.add({ phone: "555-12", evidence: "Asked by email" }));
    expect(badPhone.code).toBe("BAD_REQUEST");
    expect(badPhone.message).toMatch(/not a valid US or Canadian phone number/);
    const noEvidence = await failure(caller.suppressions.add({ phone: org.phone, evidence: "  " }));
    expect(noEvidence.code).toBe("BAD_REQUEST");
    expect(noEvidence.message).toMatch(/evidence/);
    expect(await db.suppression.count({ where: { organizationId: org.orgId } })).toBe(0);
  });
});

describe("suppressions.lift", () => {
  it("needs a manager; with documented consent it re-allows the number, nulls the live key, and is audited with the actor", async () => {
    const org = await orgReady();
    const { suppression } = await callerFor(org.team.user).suppressions.add({ phone: org.phone, evidence: "Said stop on a call" });
    const lift = { id: suppression.id, optInKind: "documented_consent" as const, reason: "Owner asked to hear offers again", evidence: "Signed consent form, 2026-11-20, in the deal folder" };

    const forbidden = await failure(callerFor(org.team.user).suppressions.lift(lift));
    expect(forbidden.code).toBe("FORBIDDEN");
    expect(await org.decide()).toMatchObject({ outcome: "blocked", reason: "suppressed" });

    const lifted = await callerFor(org.team.manager).suppressions.lift(lift);

    expect(lifted.suppression.lifted).toMatchObject({ by: { id: org.team.manager.id }, reason: expect.stringContaining("Signed consent form") });
    expect(lifted.suppression.lifted?.reason).toMatch(/^Documented consent: Owner asked to hear offers again/);
    const row = await db.suppression.findUniqueOrThrow({ where: { id: suppression.id } });
    expect(row).toMatchObject({ liveKey: null, liftedById: org.team.manager.id });
    expect(await org.decide()).toMatchObject({ outcome: "allowed" });
    const message = await org.send();
    expect(message.status).toBe("queued");
    expect(await db.leadPhone.findFirst({ where: { organizationId: org.orgId, number: org.phone }, select: { status: true } })).toEqual({ status: "ok" });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.orgId, action: "suppression.lifted" } });
    expect(audit).toMatchObject({
      actorId: org.team.manager.id,
      targetId: suppression.id,
      details: { phone: org.phone, optInKind: "documented_consent", reason: lift.reason, evidence: lift.evidence },
    });

    const twice = await failure(callerFor(org.team.admin).suppressions.lift(lift));
    expect(twice.code).toBe("PRECONDITION_FAILED");
    expect(twice.message).toMatch(/already lifted/);
    // A new opt-out after the opt-in is recorded anew.
    expect((await callerFor(org.team.user).suppressions.add({ phone: org.phone, evidence: "Said stop again" })).created).toBe(true);
    expect(await org.decide()).toMatchObject({ outcome: "blocked", reason: "suppressed" });
  });

  it("refuses to lift a wrong-number report for one lead (that is not consent)", async () => {
    const org = await orgReady();
    const id = await db.$transaction((tx) => suppress(tx, { organizationId: org.orgId, phone: org.phone, leadId: org.leadId, reason: "wrong_number", evidence: "wrong number" }));
    const error = await failure(
      callerFor(org.team.admin).suppressions.lift({ id, optInKind: "documented_consent", reason: "Try again", evidence: "They said yes on a call" }),
    );
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toMatch(/wrong-number report/);
    expect(await db.suppression.findUniqueOrThrow({ where: { id } })).toMatchObject({ liftedAt: null, liveKey: `${org.phone}|${org.leadId}` });
  });
});

describe("suppressions.import", () => {
  it("keeps every valid row, reports bad rows with their spreadsheet row number and why, is idempotent and audited", async () => {
    const org = await orgReady();
    const [a, b, c] = [uniquePhone(), uniquePhone(), uniquePhone()];
    await callerFor(org.team.user).suppressions.add({ phone: c, evidence: "Already on the list" });
    const csv = [
      "Name,Phone,Notes",
      `Ann,${typed(a)},said stop at the door`, // row 2
      "Bob,12345,", // row 3: not a number
      "Cy,,no number", // row 4: empty phone
      `Dee,${a},again`, // row 5: repeat within the file
      `Eve,${c.slice(2)},`, // row 6: already suppressed
      `Fay,${b},"=HYPERLINK(""http://x"")"`, // row 7
      "", // blank lines are skipped
    ].join("\n");
    const input = { fileName: "door-knocks.csv", csv, source: "Door-knocking opt-out sheet, November" };

    const forbidden = await failure(callerFor(org.team.user).suppressions.import(input));
    expect(forbidden.code).toBe("FORBIDDEN");

    const result = await callerFor(org.team.manager).suppressions.import(input);

    expect(result).toEqual({
      rows: 6,
      added: 2,
      alreadySuppressed: 2,
      rejectedCount: 2,
      rejected: [
        { row: 3, value: "12345", reason: "Not a valid US or Canadian phone number." },
        { row: 4, value: "", reason: 'No phone number in the "Phone" column.' },
      ],
      phoneColumn: "Phone",
    });
    const rows = await db.suppression.findMany({ where: { organizationId: org.orgId, reason: "import" }, orderBy: { phone: "asc" } });
    expect(rows.map((r) => r.phone).sort()).toEqual([a, b].sort());
    expect(rows.find((r) => r.phone === a)?.evidence).toBe("Imported from door-knocks.csv, row 2: Door-knocking opt-out sheet, November (evidence: said stop at the door)");
    expect(rows.every((r) => r.actorUserId === org.team.manager.id && r.liveKey === `${r.phone}|`)).toBe(true);
    expect(await decideSend(db, { orgId: org.orgId, phone: b, kind: "campaign" })).toMatchObject({ outcome: "blocked", reason: "suppressed" });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.orgId, action: "suppressions.imported" } });
    expect(audit).toMatchObject({ actorId: org.team.manager.id, details: { fileName: "door-knocks.csv", rows: 6, added: 2, alreadySuppressed: 2, rejected: 2 } });

    const again = await callerFor(org.team.manager).suppressions.import(input);
    expect(again).toMatchObject({ added: 0, alreadySuppressed: 4, rejectedCount: 2 });
    expect(await db.suppression.count({ where: { organizationId: org.orgId } })).toBe(3);
  });

  it("reads a headerless one-column list and semicolon files; refuses a file without a phone column", async () => {
    const org = await orgReady();
    const caller = callerFor(org.team.manager);
    const [a, b] = [uniquePhone(), uniquePhone()];
    expect(await caller.suppressions.import({ fileName: "plain.csv", csv: `${a}\n${b}\n`, source: "Old CRM export" })).toMatchObject({ rows: 2, added: 2, phoneColumn: "column 1 (no header)" });
    const c = uniquePhone();
    expect(await caller.suppressions.import({ fileName: "excel.csv", csv: `\uFEFFMobile;Reason\n${c};refused\n`, source: "Excel list" })).toMatchObject({ added: 1, rejectedCount: 0 });
    expect((await db.suppression.findFirstOrThrow({ where: { organizationId: org.orgId, phone: c } })).evidence).toContain("reason: refused");
    const error = await failure(caller.suppressions.import({ fileName: "names.csv", csv: "Name,Street\nAnn,1 Main St\n", source: "Wrong file" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/No phone column found/);
  });

  it("an imported number shows as opted out on the leads that have it, and sendSms refuses it", async () => {
    const org = await orgReady();
    const result = await callerFor(org.team.manager).suppressions.import({ fileName: "crm.csv", csv: `Cell Phone\n${typed(org.phone)}\n`, source: "Old CRM" });
    expect(result).toMatchObject({ added: 1, phoneColumn: "Cell Phone" });
    expect(await db.leadPhone.findFirst({ where: { organizationId: org.orgId, number: org.phone }, select: { status: true } })).toEqual({ status: "opted_out" });
    expect((await failure(org.send())).details).toMatchObject({ reason: "suppressed" });
  });

  it("another organization's opt-out of the same number does not count as ours", async () => {
    const ours = await orgReady();
    const theirs = await orgReady();
    await callerFor(theirs.team.user).suppressions.add({ phone: ours.phone, evidence: "Their note" });
    const result = await callerFor(ours.team.manager).suppressions.import({ fileName: "x.csv", csv: `phone\n${ours.phone}\n`, source: "Our list" });
    expect(result).toMatchObject({ added: 1, alreadySuppressed: 0 });
  });
});

describe("suppressions.list", () => {
  it("shows newest first with who and which message, filters by digits, reason and live/lifted, and pages by cursor", async () => {
    const org = await orgReady();
    const caller = callerFor(org.team.manager);
    const [p1, p2, p3] = [uniquePhone(), uniquePhone(), uniquePhone()];
    await caller.suppressions.add({ phone: p1, evidence: "first" });
    await caller.suppressions.import({ fileName: "l.csv", csv: `phone\n${p2}\n`, source: "a list" });
    const third = await caller.suppressions.add({ phone: p3, evidence: "third" });
    await caller.suppressions.lift({ id: third.suppression.id, optInKind: "start_reply", reason: "Texted START to our other number", evidence: "Screenshot in the CRM" });

    const live = await callerFor(org.team.user).suppressions.list({});
    expect(live.items.map((i) => i.phone)).toEqual([p2, p1]);
    expect((await caller.suppressions.list({ filters: { state: "lifted" } })).items.map((i) => i.phone)).toEqual([p3]);
    expect((await caller.suppressions.list({ filters: { state: "all", reason: "import" } })).items.map((i) => i.phone)).toEqual([p2]);
    expect((await caller.suppressions.list({ filters: { state: "all", q: typed(p1).slice(6) } })).items.map((i) => i.phone)).toEqual([p1]);

    const first = await caller.suppressions.list({ filters: { state: "all" }, limit: 2 });
    expect(first.items.map((i) => i.phone)).toEqual([p3, p2]);
    const rest = await caller.suppressions.list({ filters: { state: "all" }, limit: 2, cursor: first.nextCursor });
    expect(rest).toMatchObject({ items: [{ phone: p1 }], nextCursor: null });
  });

  it("shows the inbound message that caused a keyword opt-out", async () => {
    const org = await orgReady();
    const conversation = await db.conversation.create({ data: { organizationId: org.orgId, phone: org.phone, leadId: org.leadId } });
    const message = await db.message.create({ data: { organizationId: org.orgId, conversationId: conversation.id, direction: "inbound", body: "STOP", status: "received" } });
    await db.$transaction((tx) => suppress(tx, { organizationId: org.orgId, phone: org.phone, leadId: null, reason: "keyword", sourceMessageId: message.id, evidence: "STOP" }));
    const { items } = await callerFor(org.team.user).suppressions.list({});
    expect(items[0]).toMatchObject({ reason: "keyword", sourceMessage: { id: message.id, body: "STOP" }, addedBy: null });
  });
});

describe("GET /api/compliance/suppressions/export", () => {
  const as = (user: { id: string; email: string } | null) => {
    session.current = user ? { user: { id: user.id, email: user.email }, sessionId: testSessionId(user.id), expires: new Date(Date.now() + 60_000).toISOString() } : null;
  };
  const get = (query = "") => exportRoute(new Request(`http://test/api/compliance/suppressions/export${query}`, { headers: { "x-request-id": "req-optouts-1" } }));

  it("streams only our organization's rows, live and lifted, with formulas neutralised; audited", async () => {
    const ours = await orgReady();
    const theirs = await orgReady();
    await callerFor(theirs.team.user).suppressions.add({ phone: theirs.phone, evidence: "their secret note" });
    const added = await callerFor(ours.team.user).suppressions.add({ phone: ours.phone, evidence: "=cmd|' /C calc'!A0" });
    const other = uniquePhone();
    const lifted = await callerFor(ours.team.user).suppressions.add({ phone: other, evidence: "said stop" });
    await callerFor(ours.team.manager).suppressions.lift({ id: lifted.suppression.id, optInKind: "documented_consent", reason: "Consent", evidence: "Form on file" });

    as(ours.team.manager);
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="opt-outs-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await response.text();
    expect(text).not.toContain(theirs.phone);
    expect(text).not.toContain("their secret note");
    const [header, ...rows] = parse(text) as string[][];
    expect(header?.slice(0, 5)).toEqual(["phone", "reason", "scope", "status", "evidence"]);
    expect(rows.map((r) => [r[0], r[3]])).toEqual([
      [other, "lifted"],
      [ours.phone, "live"],
    ]);
    expect(rows[1]?.[4]).toBe("'=cmd|' /C calc'!A0");
    expect(rows[1]?.[6]).toBe(ours.team.user.email);
    expect(rows[1]?.at(-1)).toBe(added.suppression.id);
    expect(await db.auditLog.count({ where: { organizationId: ours.orgId, action: "suppressions.exported", actorId: ours.team.manager.id } })).toBe(1);

    const liveOnly = await get(`?filters=${encodeURIComponent(JSON.stringify({ state: "live" }))}`);
    expect((parse(await liveOnly.text()) as string[][]).slice(1).map((r) => r[0])).toEqual([ours.phone]);
  });

  it("refuses a user (403) and a signed-out caller (401); a bad search is a 400", async () => {
    const org = await orgReady();
    as(org.team.user);
    expect((await get()).status).toBe(403);
    as(null);
    expect((await get()).status).toBe(401);
    as(org.team.admin);
    const bad = await get(`?filters=${encodeURIComponent(JSON.stringify({ state: "gone" }))}`);
    expect(bad.status).toBe(400);
  });
});
