import { describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { db } from "@/server/db";
import { callerFor, createTeam, testSessionId } from "@/test/factories";
import { decideSend, decideSendBatch } from "./decide";

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));
const { GET: exportRoute } = await import("@/app/api/compliance/decisions/export/route");

const NIGHT = new Date("2026-12-02T03:00:00Z"); // 22:00 EST, 21:00 CST
const NOON = new Date("2026-12-01T17:00:00Z");

function as(user: { id: string; email: string } | null) {
  session.current = user ? { user: { id: user.id, email: user.email }, sessionId: testSessionId(user.id), expires: new Date(Date.now() + 60_000).toISOString() } : null;
}

describe("the rules page procedures", () => {
  it("admins edit the Florida row and the preview of a Florida recipient follows; managers read and preview but cannot edit; audited", async () => {
    const team = await createTeam();
    const admin = callerFor(team.admin);
    const manager = callerFor(team.manager);
    const at = new Date("2026-12-01T23:30:00Z"); // 18:30 EST in Miami
    expect(await manager.complianceRules.preview({ propertyZip: "33101", at })).toMatchObject({ outcome: "allowed", states: [{ state: "FL" }] });

    const current = await manager.complianceRules.get();
    expect(current.canEdit).toBe(false);
    expect(current.rules.find((r) => r.state === "FL")).toMatchObject({ weekdays: [{ start: "08:00", end: "20:00" }], source: "FTSA §501.616(6)" });
    const edited = current.rules.map(({ updatedAt: _u, note, ...rule }) =>
      rule.state === "FL" ? { ...rule, weekdays: [{ start: "09:00", end: "18:00" }], ...(note ? { note } : {}) } : { ...rule, ...(note ? { note } : {}) },
    );
    await expect(manager.complianceRules.update({ orgWindow: current.orgWindow, frequencyCap: 3, rules: edited })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const saved = await admin.complianceRules.update({ orgWindow: current.orgWindow, frequencyCap: 3, rules: edited });
    expect(saved.rules.find((r) => r.state === "FL")?.weekdays).toEqual([{ start: "09:00", end: "18:00" }]);

    const preview = await manager.complianceRules.preview({ propertyZip: "33101", at });
    expect(preview).toMatchObject({ outcome: "deferred", reason: "quiet_hours", rule: { name: "Florida", state: "FL" }, until: new Date("2026-12-02T14:00:00Z") });
    expect(preview.zones).toEqual([{ zone: "America/New_York", source: "property ZIP 33101", localTime: "Tuesday, 6:30 PM EST" }]);
    expect(await db.auditLog.findFirst({ where: { organizationId: team.org.id, action: "compliance.rules_updated" } })).toMatchObject({ actorId: team.admin.id, details: { changed: ["FL"] } });

    await expect(admin.complianceRules.update({ orgWindow: current.orgWindow, frequencyCap: 3, rules: edited.filter((r) => r.state !== null) })).rejects.toMatchObject({ message: expect.stringContaining("federal row") });
    await expect(manager.complianceRules.preview({ phone: "12", at })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("the decision log", () => {
  async function orgWithDecisions() {
    const team = await createTeam();
    const orgId = team.org.id;
    const phone = "+12125550400";
    await db.suppression.create({ data: { organizationId: orgId, phone: "+12125550401", reason: "manual", evidence: "asked", liveKey: "+12125550401|" } });
    await decideSend(db, { orgId, phone, kind: "campaign", at: NOON });
    await decideSend(db, { orgId, phone, kind: "inbox_reply", at: NIGHT, actorUserId: team.user.id });
    await decideSend(db, { orgId, phone: "+12125550401", kind: "campaign", at: NOON });
    await decideSendBatch(db, { orgId, kind: "campaign", at: NIGHT, campaignId: "camp-1", recipients: Array.from({ length: 7 }, (_, i) => ({ phone: `+1212555050${i}` })) });
    return { team, orgId };
  }

  it("lists newest first with filters and keyset pages; users cannot read it; another org's decisions never show", async () => {
    const { team } = await orgWithDecisions();
    const other = await orgWithDecisions();
    const manager = callerFor(team.manager);
    const all = await manager.sendDecisions.list({ limit: 100 });
    expect(all.items).toHaveLength(10);
    expect(all.items.map((i) => i.decidedAt.getTime())).toEqual([...all.items.map((i) => i.decidedAt.getTime())].sort((a, b) => b - a));
    const theirs = await db.sendDecision.findMany({ where: { organizationId: other.orgId }, select: { id: true } });
    expect(all.items.map((i) => i.id)).not.toEqual(expect.arrayContaining([theirs[0]!.id]));

    const deferred = await manager.sendDecisions.list({ filters: { outcome: "deferred", kind: "inbox_reply" } });
    expect(deferred.items).toMatchObject([{ phone: "+12125550400", reason: "quiet_hours", ruleName: "Federal", ruleSource: "47 CFR 64.1200(c)(1)", actor: { id: team.user.id }, deferredUntil: new Date("2026-12-02T13:00:00Z") }]);
    expect((await manager.sendDecisions.list({ filters: { reason: "suppressed" } })).items).toMatchObject([{ phone: "+12125550401", ruleSource: expect.stringContaining("64.1200") }]);
    expect((await manager.sendDecisions.list({ filters: { phone: "555 0401" } })).items).toHaveLength(1);
    expect((await manager.sendDecisions.list({ filters: { from: new Date("2026-12-02T00:00:00Z"), to: new Date("2026-12-03T00:00:00Z") } })).items).toHaveLength(8);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof manager.sendDecisions.list>> = await manager.sendDecisions.list({ limit: 3, cursor });
      pages.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.items.map((i) => i.id));
    await expect(callerFor(team.user).sendDecisions.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("exports the filtered log as a streamed CSV for managers, with the rule and its source; audited; refused to users", async () => {
    const { team } = await orgWithDecisions();
    await orgWithDecisions();
    const get = (query = "") => exportRoute(new Request(`http://test/api/compliance/decisions/export${query}`, { headers: { "x-request-id": "req-decisions-1" } }));
    as(team.user);
    expect((await get()).status).toBe(403);
    as(team.manager);
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="send-decisions-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r.kind === "inbox_reply")).toMatchObject({ outcome: "deferred", reason: "quiet_hours", deferred_until: "2026-12-02T13:00:00.000Z", rule: "Federal", rule_source: "47 CFR 64.1200(c)(1)", actor: team.user.email });
    const filtered = parse(await (await get(`?filters=${encodeURIComponent(JSON.stringify({ outcome: "blocked" }))}`)).text(), { columns: true }) as Record<string, string>[];
    expect(filtered.map((r) => r.phone)).toEqual(["+12125550401"]);
    expect(await db.auditLog.count({ where: { organizationId: team.org.id, action: "send_decisions.exported" } })).toBe(2);
  });
});
