import { describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { raceTest } from "@/test/database-kind";
import { callerFor, createTeam } from "@/test/factories";
import { decideSend, OPT_OUT_CONFIRMATION_WINDOW_MS } from "./decide";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";

let counter = 0;
const uniquePhone = () => `+1737${String(3_000_000 + (++counter * 7919) % 1_000_000).padStart(7, "0")}`;

async function org() {
  const team = await createTeam();
  await allowSendingAtAnyHour(team.org.id);
  const orgId = team.org.id;
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: `${++counter} Decision Way`, city: "Austin", state: "TX", zip: "78701", ownerName: "Casey Lane" });
  const optOut = (phone: string, createdAt = new Date()) =>
    db.suppression.create({ data: { organizationId: orgId, phone, reason: "keyword", evidence: "STOP", createdAt, liveKey: `${phone}|` } });
  const decisions = (phone: string) => db.sendDecision.findMany({ where: { organizationId: orgId, phone }, orderBy: { decidedAt: "asc" } });
  return { orgId, leadId: lead.id, optOut, decisions };
}

describe("the send decision", () => {
  it("allows a clean number and records the decision", async () => {
    const { orgId, decisions } = await org();
    const phone = uniquePhone();
    const decision = await decideSend(db, { orgId, phone, kind: "campaign" });
    expect(decision.outcome).toBe("allowed");
    expect(await decisions(phone)).toMatchObject([{ id: decision.decisionId, outcome: "allowed", kind: "campaign", reason: null }]);
  });

  it("blocks on the organization's sms kill switch, with the admin's reason, and records why", async () => {
    const { orgId, decisions } = await org();
    await db.killSwitch.create({ data: { organizationId: orgId, kind: "sms", engaged: true, reason: "carrier audit" } });
    const phone = uniquePhone();
    const decision = await decideSend(db, { orgId, phone, kind: "inbox_reply" });
    expect(decision).toMatchObject({ outcome: "blocked", reason: "kill_switch" });
    expect(decision.outcome === "blocked" && decision.message).toContain("carrier audit");
    expect(await decisions(phone)).toMatchObject([{ outcome: "blocked", reason: "kill_switch" }]);
  });

  it("blocks a number suppressed for the organization, and a wrong number only for its lead", async () => {
    const { orgId, leadId, optOut } = await org();
    const suppressed = uniquePhone();
    await optOut(suppressed);
    expect(await decideSend(db, { orgId, phone: suppressed, kind: "campaign" })).toMatchObject({ outcome: "blocked", reason: "suppressed" });

    const wrong = uniquePhone();
    await db.suppression.create({ data: { organizationId: orgId, phone: wrong, reason: "wrong_number", leadId, evidence: "wrong number", liveKey: `${wrong}|${leadId}` } });
    expect(await decideSend(db, { orgId, phone: wrong, leadId, kind: "campaign" })).toMatchObject({ outcome: "blocked", reason: "suppressed" });
    expect(await decideSend(db, { orgId, phone: wrong, kind: "campaign" })).toMatchObject({ outcome: "allowed" });
  });

  it("blocks invalid and landline numbers everywhere in the organization", async () => {
    const { orgId, leadId } = await org();
    const invalid = uniquePhone();
    const landline = uniquePhone();
    await db.leadPhone.createMany({
      data: [
        { organizationId: orgId, leadId, number: invalid, status: "invalid", source: "test" },
        { organizationId: orgId, leadId, number: landline, type: "landline", source: "test" },
      ],
    });
    expect(await decideSend(db, { orgId, phone: invalid, kind: "campaign" })).toMatchObject({ outcome: "blocked", reason: "phone_invalid" });
    expect(await decideSend(db, { orgId, phone: landline, kind: "auto_reply" })).toMatchObject({ outcome: "blocked", reason: "phone_landline" });
  });

  it("never lets another organization's suppression or kill switch decide for this one", async () => {
    const mine = await org();
    const theirs = await org();
    const phone = uniquePhone();
    await theirs.optOut(phone);
    await db.killSwitch.create({ data: { organizationId: theirs.orgId, kind: "sms", engaged: true, reason: "theirs" } });
    expect(await decideSend(db, { orgId: mine.orgId, phone, kind: "campaign" })).toMatchObject({ outcome: "allowed" });
  });
});

describe("the one STOP confirmation", () => {
  it("allows one confirmation after a keyword opt-out, refuses a redelivered second one, and none after the window", async () => {
    const { orgId, optOut, decisions } = await org();
    const phone = uniquePhone();
    await optOut(phone);
    expect(await decideSend(db, { orgId, phone, kind: "opt_out_confirmation" })).toMatchObject({ outcome: "allowed" });
    expect(await decideSend(db, { orgId, phone, kind: "opt_out_confirmation" })).toMatchObject({ outcome: "blocked", reason: "no_opt_out_to_confirm" });
    expect((await decisions(phone)).map((d) => d.outcome)).toEqual(["allowed", "blocked"]);

    const late = uniquePhone();
    await optOut(late, new Date(Date.now() - OPT_OUT_CONFIRMATION_WINDOW_MS - 60_000));
    expect(await decideSend(db, { orgId, phone: late, kind: "opt_out_confirmation" })).toMatchObject({ outcome: "blocked", reason: "no_opt_out_to_confirm" });
  });

  it("one confirmation per STOP even when this process's clock is an hour behind the database's", async () => {
    const { orgId, decisions } = await org();
    const phone = uniquePhone();
    // Stamped by the database, as the inbound webhook's statement does.
    await db.$executeRaw`INSERT INTO "Suppression" ("id", "organizationId", "phone", "reason", "evidence", "createdAt", "liveKey")
      VALUES (${`skew-${phone}`}, ${orgId}, ${phone}, 'keyword', 'STOP', (now() AT TIME ZONE 'UTC'), ${`${phone}|`})`;
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() - 60 * 60_000);
      expect(await decideSend(db, { orgId, phone, kind: "opt_out_confirmation" })).toMatchObject({ outcome: "allowed" });
      expect(await decideSend(db, { orgId, phone, kind: "opt_out_confirmation" })).toMatchObject({ outcome: "blocked", reason: "no_opt_out_to_confirm" });
    } finally {
      vi.useRealTimers();
    }
    expect((await decisions(phone)).map((d) => d.outcome)).toEqual(["allowed", "blocked"]);
  });

  it("gives no confirmation to a refusal in free text or a provider 21610 opt-out", async () => {
    const { orgId } = await org();
    for (const reason of ["refusal", "provider_21610"] as const) {
      const phone = uniquePhone();
      await db.suppression.create({ data: { organizationId: orgId, phone, reason, evidence: reason, liveKey: `${phone}|` } });
      expect(await decideSend(db, { orgId, phone, kind: "opt_out_confirmation" })).toMatchObject({ outcome: "blocked", reason: "no_opt_out_to_confirm" });
    }
  });

  raceTest("ten concurrent confirmations of one STOP: exactly one is allowed, every decision recorded", async () => {
    const { orgId, optOut, decisions } = await org();
    const phone = uniquePhone();
    await optOut(phone);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => decideSend(db, { orgId, phone, kind: "opt_out_confirmation" })));
    expect(outcomes.filter((d) => d.outcome === "allowed")).toHaveLength(1);
    const recorded = await decisions(phone);
    expect(recorded).toHaveLength(10);
    expect(recorded.filter((d) => d.outcome === "allowed")).toHaveLength(1);
  });
});
