import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";
import { callerFor, createTeam } from "@/test/factories";
import { loadRegistryExtract } from "./dnc-registry";

let counter = 0;
const phoneIn = (areaCode: number) => `+1${areaCode}${String(2_000_000 + ((++counter * 7919) % 7_000_000)).padStart(7, "0")}`;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

async function team() {
  const t = await createTeam();
  await allowSendingAtAnyHour(t.org.id);
  const ctx = { db, orgId: t.org.id, userId: t.admin.id, requestId: "preflight-test" };
  const extract = (areaCode: number, extractDate: string, numbers: string[]) =>
    loadRegistryExtract(ctx, { areaCode, extractDate, fileName: `${areaCode}.txt`, body: [new TextEncoder().encode(numbers.map((n) => n.slice(2)).join("\n"))] });
  return { ...t, manager: callerFor(t.manager), admin: callerFor(t.admin), extract };
}

describe("sendDecisions.preflight (the campaign pre-flight)", () => {
  it("counts what the decision would answer, by reason with an example, and records no decision", async () => {
    const org = await team();
    const [optedOut, listed, fine1, fine2] = [phoneIn(512), phoneIn(512), phoneIn(512), phoneIn(737)];
    await org.manager.suppressions.add({ phone: optedOut!, evidence: "Asked on the phone" });
    await org.manager.dnc.add({ phone: listed!, reason: "Lawyer's letter" });
    await org.extract(512, daysAgo(2), [phoneIn(512)]);
    const before = await db.sendDecision.count({ where: { organizationId: org.org.id } });

    const answer = await org.manager.sendDecisions.preflight({ recipients: [optedOut, listed, fine1, fine2].map((phone) => ({ phone: phone! })) });
    expect(answer).toMatchObject({ total: 4, allowed: 2, blocked: 2, deferred: 0, warnings: [] });
    expect(answer.reasons.map((r) => [r.outcome, r.reason, r.count])).toEqual(expect.arrayContaining([["blocked", "suppressed", 1], ["blocked", "dnc_listed", 1]]));
    expect(answer.reasons.find((r) => r.reason === "dnc_listed")!.example).toContain("Lawyer's letter");
    expect(await db.sendDecision.count({ where: { organizationId: org.org.id } })).toBe(before);
    expect(await db.dncCheck.count({ where: { organizationId: org.org.id, purpose: "preflight" } })).toBe(4);
  });

  it("warns when a registry extract is older than 31 days, or when none is loaded; a fresh one clears it", async () => {
    const org = await team();
    const recipients = [{ phone: phoneIn(512) }];
    expect((await org.manager.sendDecisions.preflight({ recipients })).warnings.map((w) => w.code)).toEqual(["dnc_registry_missing"]);
    await org.extract(512, daysAgo(40), [phoneIn(512)]);
    const stale = (await org.manager.sendDecisions.preflight({ recipients })).warnings;
    expect(stale).toEqual([{ code: "dnc_registry_stale", message: expect.stringContaining(`area code 512 is older than 31 days (oldest ${daysAgo(40)})`) }]);
    await org.extract(512, daysAgo(0), [phoneIn(512)]);
    expect((await org.manager.sendDecisions.preflight({ recipients })).warnings).toEqual([]);
  });

  it("another organization's opt-outs, do-not-contact entries and registry never change this one's answers", async () => {
    const mine = await team();
    const theirs = await team();
    const shared = phoneIn(512);
    await theirs.manager.suppressions.add({ phone: shared, evidence: "Their opt-out" });
    await theirs.manager.dnc.add({ phone: shared, reason: "Their list" });
    await theirs.extract(512, daysAgo(1), [shared]);
    const answer = await mine.manager.sendDecisions.preflight({ recipients: [{ phone: shared }] });
    expect(answer).toMatchObject({ allowed: 1, blocked: 0, reasons: [], warnings: [{ code: "dnc_registry_missing" }] });
  });

  it("refuses a malformed phone or more than 10,000 recipients with a 400 naming the problem; users may not run it", async () => {
    const org = await team();
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: { code: string; message: string }) => ({ code: error.code, message: error.message }));
    expect(await refusal(org.manager.sendDecisions.preflight({ recipients: [{ phone: "512-555-0100" }] }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("E.164") });
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ phone: `+1512${String(2_000_000 + i).padStart(7, "0")}` }));
    expect(await refusal(org.manager.sendDecisions.preflight({ recipients: tooMany }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("10,000") });
    expect(await refusal(callerFor(org.user).sendDecisions.preflight({ recipients: [{ phone: phoneIn(512) }] }))).toMatchObject({ code: "FORBIDDEN" });
  });
});
