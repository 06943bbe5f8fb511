import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { parse } from "csv-parse/sync";
import { db } from "@/server/db";
import type { SkipTracePhone, SkipTraceProvider, SkipTraceResult } from "@/server/providers/skip-trace";
import { runBulkSkipTrace } from "@/server/skip-trace/run-job";
import { callerFor, createTeam, type TestUser } from "@/test/factories";
import { leadsCsvStream } from "./export";
import { leadFiltersSchema, leadSortSchema } from "./schema";

/**
 * Issue 14 items 1, 2 and 10: "has a phone" (any number) and "textable" (a number that can take a
 * text) are two filters, two list columns and two counts; a bulk-traced lead's export row carries
 * its provider and says why it has no best phone; a teammate marks phones wrong, verified or do
 * not call, recorded with who and when, and the textable flag and count follow.
 */

type Team = { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let team: Team;
let other: Team;
const ids: { flagged: string; clean: string; unmatched: string } = { flagged: "", clean: "", unmatched: "" };

const phone = (number: string, overrides: Partial<SkipTracePhone> = {}): SkipTracePhone => ({
  number, type: "mobile", carrier: "T-Mobile", dnc: false, tcpa: false, score: 50, reachable: true, ...overrides,
});

/** A provider that answers what each lead's street says: the lead, a clean lead, no match. */
function scripted(): SkipTraceProvider {
  const byStreet: Record<string, SkipTracePhone[] | null> = {
    "12 Trace St": [phone("+15125550111", { dnc: true, score: 80 }), phone("+15125550112", { tcpa: true, score: 70 }), phone("+15125550113", { type: "voip", score: 60 })],
    "14 Trace St": [phone("+15125550121", { score: 90 }), phone("+15125550122", { score: 40 })],
    "16 Trace St": null,
  };
  return {
    name: "sandbox",
    simulated: true,
    async trace(requests) {
      const value: SkipTraceResult[] = requests.map((request) => {
        const phones = byStreet[request.address.street];
        if (!phones) return { requestId: request.requestId, matched: false, persons: [], confidence: null, error: null, raw: null };
        return {
          requestId: request.requestId,
          matched: true,
          confidence: 90,
          error: null,
          raw: { street: request.address.street },
          persons: [{ name: { first: "Jordan", last: "Rivera", full: "Jordan Rivera" }, phones, emails: ["jordan@example.com"], litigator: false, deceased: false, bankruptcy: false }],
        };
      });
      return { value, billing: { units: value.filter((r) => r.matched).length, possiblyBilled: true } };
    },
  };
}

async function exportRow(orgId: string, leadId: string) {
  const text = await new Response(leadsCsvStream(db, orgId, leadFiltersSchema.parse({ archived: "include" }), leadSortSchema.parse(undefined))).text();
  const [header, ...rows] = parse(text) as string[][];
  const row = rows.find((r) => r[0] === leadId);
  return row ? Object.fromEntries(header!.map((h, i) => [h, row[i]!])) : null;
}

beforeAll(async () => {
  [team, other] = await Promise.all([createTeam(), createTeam()]);
  await db.budgetSetting.create({ data: { organizationId: team.org.id, provider: "batchdata", dailyCapCents: 5000, costPerCallCents: 7 } });
  const manager = callerFor(team.manager);
  const create = async (street: string) =>
    (await manager.leads.create({ addressLine1: street, city: "Austin", state: "TX", zip: "78701", ownerName: "Jordan Rivera", mailingAddress: "PO Box 9, Dallas, TX 75201", absentee: true })).lead.id;
  ids.flagged = await create("12 Trace St");
  ids.clean = await create("14 Trace St");
  ids.unmatched = await create("16 Trace St");
  await manager.notes.add({ leadId: ids.flagged, body: "Called, no answer." });
  await manager.notes.add({ leadId: ids.flagged, body: "Left a voicemail; try again Friday." });
  const job = await db.skipTraceJob.create({
    data: { organizationId: team.org.id, createdById: team.manager.id, leadIds: [ids.flagged, ids.clean, ids.unmatched], total: 3 },
  });
  expect(await runBulkSkipTrace(db, job.id, scripted())).toBe("completed");
  expect(await db.skipTraceJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ matched: 2, noMatch: 1 });
});

describe("has a phone and textable (issue 14 item 1)", () => {
  it("lists a traced lead whose 3 phones are DNC, TCPA-flagged and VoIP under 'has a phone', not textable", async () => {
    const caller = callerFor(team.user);
    const listed = async (filters: Parameters<typeof caller.leads.list>[0]["filters"]) => (await caller.leads.list({ filters })).items.map((l) => l.id).sort();
    expect(await listed({ hasPhone: true })).toEqual([ids.flagged, ids.clean].sort());
    expect(await listed({ hasPhone: false })).toEqual([ids.unmatched]);
    expect(await listed({ textable: true })).toEqual([ids.clean]);
    expect(await listed({ hasPhone: true, textable: false })).toEqual([ids.flagged]);
    const row = (await caller.leads.list({})).items.find((l) => l.id === ids.flagged);
    expect(row).toMatchObject({ hasPhone: true, textable: false });
    expect((await caller.leads.get({ id: ids.flagged })).phones.map((p) => [p.number, p.textable, p.blockers])).toEqual([
      ["+15125550111", false, ["dnc"]],
      ["+15125550112", false, ["tcpa"]],
      ["+15125550113", false, ["voip"]],
    ]);
  });

  it("counts 'With a phone' 2 and 'Textable' 1 after the bulk trace that matched 2 leads", async () => {
    const caller = callerFor(team.user);
    expect((await caller.leads.counts({ filters: { hasPhone: true } })).total).toBe(2);
    expect((await caller.leads.counts({ filters: { textable: true } })).total).toBe(1);
    const counts = await caller.leads.counts({ filters: {} });
    expect(counts.total).toBe(3);
    expect(counts.withPhoneByStatus.new).toBe(2);
    expect(counts.textableByStatus.new).toBe(1);
  });
});

describe("the export of a bulk-traced lead (issue 14 item 2)", () => {
  it("carries its provider, says why there is no best phone, and has per-phone columns, the mailing address and notes", async () => {
    const lead = await db.lead.findUniqueOrThrow({ where: { id: ids.flagged } });
    expect(await exportRow(team.org.id, ids.flagged)).toEqual({
      id: ids.flagged,
      source: "manual",
      status: "new",
      temperature: lead.temperature,
      score: String(lead.score),
      address: "12 Trace St",
      city: "Austin",
      state: "TX",
      zip: "78701",
      owner_name: "Jordan Rivera",
      owner_is_corporate: "false",
      mailing_address: "PO Box 9, Dallas, TX 75201",
      mailing_street: "PO Box 9",
      mailing_city: "Dallas",
      mailing_state: "TX",
      mailing_zip: "75201",
      absentee: "true",
      property_type: "",
      beds: "",
      baths: "",
      size_sqft: "",
      year_built: "",
      estimated_value: "",
      assessed_value: "",
      equity_pct: "",
      last_sale_date: "",
      last_sale_price: "",
      skip_trace_provider: "sandbox",
      best_phone: "",
      best_phone_reason: "None of the 3 phones can take a text: 1 VoIP line, 1 DNC-flagged, 1 TCPA-flagged",
      all_phones: "+15125550111;+15125550112;+15125550113",
      phone_1: "+15125550111", phone_1_type: "mobile", phone_1_flags: "dnc",
      phone_2: "+15125550112", phone_2_type: "mobile", phone_2_flags: "tcpa",
      phone_3: "+15125550113", phone_3_type: "voip", phone_3_flags: "",
      phone_4: "", phone_4_type: "", phone_4_flags: "",
      phone_5: "", phone_5_type: "", phone_5_flags: "",
      emails: "jordan@example.com",
      dnc_flag: "true",
      tags: "",
      assignee: "",
      last_note: "Left a voicemail; try again Friday.",
      note_count: "2",
      created_at: lead.createdAt.toISOString(),
    });
    expect(await exportRow(team.org.id, ids.clean)).toMatchObject({ skip_trace_provider: "sandbox", best_phone: "+15125550121", best_phone_reason: "" });
    expect(await exportRow(team.org.id, ids.unmatched)).toMatchObject({ skip_trace_provider: "sandbox", best_phone: "", best_phone_reason: "No phone numbers", all_phones: "" });
  });
});

describe("leads.markPhone (issue 14 item 10)", () => {
  const phoneOf = async (number: string) => db.leadPhone.findFirstOrThrow({ where: { organizationId: team.org.id, number } });
  const textableCount = async () => (await callerFor(team.user).leads.counts({ filters: { textable: true } })).total;

  it("wrong number: recorded with who and when, not textable, no longer the best phone, the textable count drops", async () => {
    const before = await textableCount();
    const best = await phoneOf("+15125550121");
    expect(best.isBest).toBe(true);
    const lead = await callerFor(team.user).leads.markPhone({ phoneId: best.id, mark: "wrong_number" });
    const marked = lead.phones.find((p) => p.number === "+15125550121")!;
    expect(marked).toMatchObject({ status: "wrong_number", textable: false, isBest: false, blockers: ["wrong_number"], wrongNumberBy: { id: team.user.id } });
    expect(marked.wrongNumberAt).toBeInstanceOf(Date);
    // The other mobile takes over as the best phone; the lead stays textable through it.
    expect(lead.phones.find((p) => p.isBest)?.number).toBe("+15125550122");
    expect(lead.textable).toBe(true);
    expect(await textableCount()).toBe(before);
    const second = await phoneOf("+15125550122");
    const after = await callerFor(team.user).leads.markPhone({ phoneId: second.id, mark: "wrong_number" });
    expect(after).toMatchObject({ hasPhone: true, textable: false });
    expect(after.phones.some((p) => p.isBest)).toBe(false);
    expect(await textableCount()).toBe(before - 1);
    const event = after.activity.find((a) => a.kind === "phone_marked");
    expect(event).toMatchObject({ actor: { id: team.user.id }, details: { phone: "+15125550122", mark: "wrong_number", bestPhone: null } });
  });

  it("verified: clears a wrong-number mark and becomes the best phone; the lead is textable again", async () => {
    const before = await textableCount();
    const phoneRow = await phoneOf("+15125550122");
    const lead = await callerFor(team.manager).leads.markPhone({ phoneId: phoneRow.id, mark: "verified" });
    const verified = lead.phones.find((p) => p.number === "+15125550122")!;
    expect(verified).toMatchObject({ status: "ok", isBest: true, textable: true, verifiedBy: { id: team.manager.id }, wrongNumberAt: null });
    expect(lead.textable).toBe(true);
    expect(await textableCount()).toBe(before + 1);
    // Of two verified numbers the latest verified is the best phone.
    const first = await phoneOf("+15125550121");
    const again = await callerFor(team.manager).leads.markPhone({ phoneId: first.id, mark: "verified" });
    expect(again.phones.find((p) => p.isBest)?.number).toBe("+15125550121");
    expect(await exportRow(team.org.id, ids.clean)).toMatchObject({ best_phone: "+15125550121", phone_1_flags: "verified" });
  });

  it("do not call: the phone is marked, the number goes on the internal DNC list (audited), and it stops being textable", async () => {
    const before = await textableCount();
    const phoneRow = await phoneOf("+15125550121");
    const lead = await callerFor(team.user).leads.markPhone({ phoneId: phoneRow.id, mark: "do_not_call" });
    const marked = lead.phones.find((p) => p.number === "+15125550121")!;
    expect(marked).toMatchObject({ textable: false, isBest: false, onDncList: true, doNotCallBy: { id: team.user.id } });
    expect(marked.blockers).toEqual(["do_not_call", "dnc_list"]);
    expect(lead.phones.find((p) => p.isBest)?.number).toBe("+15125550122");
    const entry = await db.dncEntry.findFirstOrThrow({ where: { organizationId: team.org.id, phone: "+15125550121", liftedAt: null } });
    expect(entry).toMatchObject({ addedById: team.user.id, reason: "Marked do not call on the lead at 14 Trace St" });
    expect(await db.auditLog.count({ where: { organizationId: team.org.id, action: "dnc.added", targetId: entry.id, actorId: team.user.id } })).toBe(1);
    // Still textable through the verified 0122.
    expect(lead.textable).toBe(true);
    expect(await textableCount()).toBe(before);
  });

  it("refuses another organization's phone, and a mark it does not know", async () => {
    const phoneRow = await phoneOf("+15125550122");
    await expect(callerFor(other.admin).leads.markPhone({ phoneId: phoneRow.id, mark: "wrong_number" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await phoneOf("+15125550122")).status).toBe("ok");
    const bad = await callerFor(team.user).leads.markPhone({ phoneId: phoneRow.id, mark: "spam" as never }).catch((e: unknown) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    await expect(callerFor(null).leads.markPhone({ phoneId: phoneRow.id, mark: "verified" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
