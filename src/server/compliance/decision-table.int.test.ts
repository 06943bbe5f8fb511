import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STATE_QUIET_HOURS } from "@/lib/quiet-hours";
import { db } from "@/server/db";
import { createOrganization, createTeam } from "@/test/factories";
import { decideSend, decideSendBatch, evaluateSends, type SendKind } from "./decide";
import { loadDecisionSettings } from "./rules";

/**
 * The decision table of issue 10: every case goes through the real decideSend on real Postgres,
 * in an organization with the rules seeded from COMPLIANCE.md, at a fixed instant. Local times
 * below are written out with their UTC offset (EST −5, CST −6, MST −7, HST −10; EDT −4, CDT −5 in
 * summer), never computed by the code under test.
 */

type Place = { zip: string | null; areaCode: string; label: string; leadState?: string };
const PLACES = {
  FL: { zip: "33101", areaCode: "305", label: "Miami FL (Eastern)" },
  OK: { zip: "73102", areaCode: "405", label: "Oklahoma City OK (Central)" },
  MD: { zip: "21201", areaCode: "410", label: "Baltimore MD (Eastern)" },
  CT: { zip: "06103", areaCode: "860", label: "Hartford CT (Eastern)" },
  TX: { zip: "78701", areaCode: "512", label: "Austin TX (Central)" },
  AL: { zip: "35203", areaCode: "205", label: "Birmingham AL (Central)" },
  LA: { zip: "70112", areaCode: "504", label: "New Orleans LA (Central)" },
  MS: { zip: "39201", areaCode: "601", label: "Jackson MS (Central)" },
  KY: { zip: "40202", areaCode: "502", label: "Louisville KY (Eastern)" },
  RI: { zip: "02903", areaCode: "401", label: "Providence RI (Eastern)" },
  NY: { zip: "10001", areaCode: "212", label: "New York NY (federal only)" },
  AZ: { zip: "85004", areaCode: "602", label: "Phoenix AZ (no DST)" },
  /** Property ZIP in Central Texas, phone from Miami: both zones count, Texas rules. */
  TX_305: { zip: "75201", areaCode: "305", label: "Dallas ZIP + 305 phone" },
  /** Phoenix ZIP, Denver phone: equal in winter, an hour apart in summer. */
  AZ_303: { zip: "85004", areaCode: "303", label: "Phoenix ZIP + 303 phone" },
  /** No lead address: the area code gives the zone (and, as the fallback, the state). */
  HI_ONLY: { zip: null, areaCode: "808", label: "808 area code only" },
  FL_ONLY: { zip: null, areaCode: "305", label: "305 area code only (Florida by fallback)" },
  /** A lead with no usable ZIP but its property state written down: that state, not the area code's. */
  FL_STATE_212: { zip: "", areaCode: "212", label: "Florida lead without ZIP, 212 phone", leadState: "FL" },
  /** Property state disagreeing with the area code's: the address wins over the fallback. */
  NY_STATE_305: { zip: "", areaCode: "305", label: "New York lead without ZIP, 305 phone", leadState: "NY" },
} satisfies Record<string, Place>;

type Expected = "allowed" | { deferred: string; reason?: "quiet_hours" | "frequency_cap" } | { blocked: string };
type Case = {
  name: string;
  place: keyof typeof PLACES;
  at: string;
  expected: Expected;
  kind?: SendKind;
  /** Outbound messages already sent to the phone (UTC instants). */
  sent?: string[];
  suppressed?: boolean;
  /** A keyword STOP at this instant (for the confirmation cases). */
  stopAt?: string;
  landline?: boolean;
  /** On the internal do-not-contact list, or flagged TCPA by skip tracing. */
  dnc?: "internal" | "tcpa";
};

const d = (until: string, reason: "quiet_hours" | "frequency_cap" = "quiet_hours") => ({ deferred: until, reason });

const CASES: Case[] = [
  // Florida 08:00–20:00 (Eastern), Tue 2026-12-01 unless said
  { name: "FL weekday 07:59 EST", place: "FL", at: "2026-12-01T12:59:00Z", expected: d("2026-12-01T13:00:00Z") },
  { name: "FL weekday 08:00 EST", place: "FL", at: "2026-12-01T13:00:00Z", expected: "allowed" },
  { name: "FL weekday 19:59 EST", place: "FL", at: "2026-12-02T00:59:00Z", expected: "allowed" },
  { name: "FL weekday 20:00 EST (federal would allow)", place: "FL", at: "2026-12-02T01:00:00Z", expected: d("2026-12-02T13:00:00Z") },
  { name: "FL Sunday 07:30 EST", place: "FL", at: "2026-11-29T12:30:00Z", expected: d("2026-11-29T13:00:00Z") },
  { name: "FL Sunday 20:30 EST → Monday 08:00", place: "FL", at: "2026-11-30T01:30:00Z", expected: d("2026-11-30T13:00:00Z") },
  // Oklahoma 08:00–20:00 (Central)
  { name: "OK weekday 07:59 CST", place: "OK", at: "2026-12-01T13:59:00Z", expected: d("2026-12-01T14:00:00Z") },
  { name: "OK weekday 08:00 CST", place: "OK", at: "2026-12-01T14:00:00Z", expected: "allowed" },
  { name: "OK weekday 19:59 CST", place: "OK", at: "2026-12-02T01:59:00Z", expected: "allowed" },
  { name: "OK weekday 20:00 CST", place: "OK", at: "2026-12-02T02:00:00Z", expected: d("2026-12-02T14:00:00Z") },
  // Maryland 08:00–20:00 (Eastern)
  { name: "MD weekday 20:00 EST", place: "MD", at: "2026-12-02T01:00:00Z", expected: d("2026-12-02T13:00:00Z") },
  { name: "MD weekday noon", place: "MD", at: "2026-12-01T17:00:00Z", expected: "allowed" },
  // Connecticut 09:00–20:00
  { name: "CT weekday 08:59 EST", place: "CT", at: "2026-12-01T13:59:00Z", expected: d("2026-12-01T14:00:00Z") },
  { name: "CT weekday 09:00 EST", place: "CT", at: "2026-12-01T14:00:00Z", expected: "allowed" },
  { name: "CT weekday 19:59 EST", place: "CT", at: "2026-12-02T00:59:00Z", expected: "allowed" },
  { name: "CT weekday 20:00 EST", place: "CT", at: "2026-12-02T01:00:00Z", expected: d("2026-12-02T14:00:00Z") },
  // Texas Mon–Sat 09:00–21:00, Sunday 12:00–21:00 (Central)
  { name: "TX weekday 08:59 CST", place: "TX", at: "2026-12-01T14:59:00Z", expected: d("2026-12-01T15:00:00Z") },
  { name: "TX weekday 09:00 CST", place: "TX", at: "2026-12-01T15:00:00Z", expected: "allowed" },
  { name: "TX weekday 20:59 CST", place: "TX", at: "2026-12-02T02:59:00Z", expected: "allowed" },
  { name: "TX weekday 21:00 CST", place: "TX", at: "2026-12-02T03:00:00Z", expected: d("2026-12-02T15:00:00Z") },
  { name: "TX Sunday 11:59 CST", place: "TX", at: "2026-11-29T17:59:00Z", expected: d("2026-11-29T18:00:00Z") },
  { name: "TX Sunday 12:00 CST", place: "TX", at: "2026-11-29T18:00:00Z", expected: "allowed" },
  { name: "TX Saturday 09:00 CST", place: "TX", at: "2026-11-28T15:00:00Z", expected: "allowed" },
  { name: "TX Saturday 21:30 CST → Sunday noon", place: "TX", at: "2026-11-29T03:30:00Z", expected: d("2026-11-29T18:00:00Z") },
  // Alabama / Louisiana / Mississippi: no Sunday sends
  { name: "AL Sunday 10:00 CST → Monday 08:00", place: "AL", at: "2026-11-29T16:00:00Z", expected: d("2026-11-30T14:00:00Z") },
  { name: "AL Saturday 20:59 CST", place: "AL", at: "2026-11-29T02:59:00Z", expected: "allowed" },
  { name: "AL Saturday 21:00 CST → Monday 08:00", place: "AL", at: "2026-11-29T03:00:00Z", expected: d("2026-11-30T14:00:00Z") },
  { name: "AL Monday 08:00 CST", place: "AL", at: "2026-11-30T14:00:00Z", expected: "allowed" },
  { name: "LA Sunday noon → Monday 08:00", place: "LA", at: "2026-11-29T18:00:00Z", expected: d("2026-11-30T14:00:00Z") },
  { name: "LA weekday noon", place: "LA", at: "2026-12-01T18:00:00Z", expected: "allowed" },
  { name: "MS Sunday 09:00 → Monday 08:00", place: "MS", at: "2026-11-29T15:00:00Z", expected: d("2026-11-30T14:00:00Z") },
  { name: "MS weekday 20:59 CST", place: "MS", at: "2026-12-02T02:59:00Z", expected: "allowed" },
  // Kentucky 10:00–21:00 (Louisville is Eastern)
  { name: "KY weekday 09:59 EST", place: "KY", at: "2026-12-01T14:59:00Z", expected: d("2026-12-01T15:00:00Z") },
  { name: "KY weekday 10:00 EST", place: "KY", at: "2026-12-01T15:00:00Z", expected: "allowed" },
  { name: "KY weekday 20:59 EST", place: "KY", at: "2026-12-02T01:59:00Z", expected: "allowed" },
  { name: "KY weekday 21:00 EST", place: "KY", at: "2026-12-02T02:00:00Z", expected: d("2026-12-02T15:00:00Z") },
  // Rhode Island weekdays 09:00–18:00, no weekend window
  { name: "RI weekday 08:59 EST", place: "RI", at: "2026-12-01T13:59:00Z", expected: d("2026-12-01T14:00:00Z") },
  { name: "RI weekday 17:59 EST", place: "RI", at: "2026-12-01T22:59:00Z", expected: "allowed" },
  { name: "RI weekday 18:00 EST", place: "RI", at: "2026-12-01T23:00:00Z", expected: d("2026-12-02T14:00:00Z") },
  { name: "RI Friday 18:00 → Monday 09:00", place: "RI", at: "2026-12-04T23:00:00Z", expected: d("2026-12-07T14:00:00Z") },
  { name: "RI Saturday noon → Monday 09:00", place: "RI", at: "2026-11-28T17:00:00Z", expected: d("2026-11-30T14:00:00Z") },
  // Federal / org window 08:00–21:00
  { name: "NY weekday 07:59 EST", place: "NY", at: "2026-12-01T12:59:00Z", expected: d("2026-12-01T13:00:00Z") },
  { name: "NY weekday 20:59 EST", place: "NY", at: "2026-12-02T01:59:00Z", expected: "allowed" },
  { name: "NY weekday 21:00 EST", place: "NY", at: "2026-12-02T02:00:00Z", expected: d("2026-12-02T13:00:00Z") },
  { name: "NY Sunday 08:00 EST", place: "NY", at: "2026-11-29T13:00:00Z", expected: "allowed" },
  // DST change days 2026 (spring forward Sun Mar 8, fall back Sun Nov 1)
  { name: "NY spring-forward day 07:59 EDT", place: "NY", at: "2026-03-08T11:59:00Z", expected: d("2026-03-08T12:00:00Z") },
  { name: "NY spring-forward day 08:00 EDT", place: "NY", at: "2026-03-08T12:00:00Z", expected: "allowed" },
  { name: "NY Saturday 21:00 EST before spring-forward → 08:00 EDT", place: "NY", at: "2026-03-08T02:00:00Z", expected: d("2026-03-08T12:00:00Z") },
  { name: "NY fall-back day 07:59 EST", place: "NY", at: "2026-11-01T12:59:00Z", expected: d("2026-11-01T13:00:00Z") },
  { name: "NY Saturday 21:00 EDT before fall-back → 08:00 EST", place: "NY", at: "2026-11-01T01:00:00Z", expected: d("2026-11-01T13:00:00Z") },
  { name: "TX spring-forward Sunday 11:59 CDT", place: "TX", at: "2026-03-08T16:59:00Z", expected: d("2026-03-08T17:00:00Z") },
  { name: "FL fall-back Sunday 20:00 EST → Monday 08:00", place: "FL", at: "2026-11-02T01:00:00Z", expected: d("2026-11-02T13:00:00Z") },
  // Arizona: MST all year
  { name: "AZ July 07:59 MST", place: "AZ", at: "2026-07-15T14:59:00Z", expected: d("2026-07-15T15:00:00Z") },
  { name: "AZ July 08:00 MST", place: "AZ", at: "2026-07-15T15:00:00Z", expected: "allowed" },
  { name: "AZ December 20:59 MST", place: "AZ", at: "2026-12-02T03:59:00Z", expected: "allowed" },
  { name: "AZ spring-forward Sunday 07:59 MST (no change)", place: "AZ", at: "2026-03-08T14:59:00Z", expected: d("2026-03-08T15:00:00Z") },
  // Ambiguous zones: only the hours all candidates allow
  { name: "Dallas ZIP + 305: 08:30 CST / 09:30 EST", place: "TX_305", at: "2026-12-01T14:30:00Z", expected: d("2026-12-01T15:00:00Z") },
  { name: "Dallas ZIP + 305: 20:30 CST / 21:30 EST", place: "TX_305", at: "2026-12-02T02:30:00Z", expected: d("2026-12-02T15:00:00Z") },
  { name: "Dallas ZIP + 305: 19:00 CST / 20:00 EST", place: "TX_305", at: "2026-12-02T01:00:00Z", expected: "allowed" },
  { name: "Phoenix ZIP + 303, July: 07:30 MST / 08:30 MDT", place: "AZ_303", at: "2026-07-15T14:30:00Z", expected: d("2026-07-15T15:00:00Z") },
  { name: "Phoenix ZIP + 303, July: 19:30 MST / 20:30 MDT", place: "AZ_303", at: "2026-07-16T02:30:00Z", expected: "allowed" },
  { name: "Phoenix ZIP + 303, July: 20:00 MST / 21:00 MDT", place: "AZ_303", at: "2026-07-16T03:00:00Z", expected: d("2026-07-16T15:00:00Z") },
  { name: "Phoenix ZIP + 303, December: same hour both", place: "AZ_303", at: "2026-12-01T15:00:00Z", expected: "allowed" },
  { name: "808 only: 07:59 HST", place: "HI_ONLY", at: "2026-12-01T17:59:00Z", expected: d("2026-12-01T18:00:00Z") },
  { name: "305 only: Florida by area code, 20:00 EST", place: "FL_ONLY", at: "2026-12-02T01:00:00Z", expected: d("2026-12-02T13:00:00Z") },
  { name: "Florida lead without ZIP, 212 phone: Florida's 20:00 applies", place: "FL_STATE_212", at: "2026-12-02T01:30:00Z", expected: d("2026-12-02T13:00:00Z") },
  { name: "New York lead without ZIP, 305 phone: federal 21:00, not Florida's 20:00", place: "NY_STATE_305", at: "2026-12-02T01:30:00Z", expected: "allowed" },
  // Frequency cap: every outbound message in the rolling 24 h
  { name: "NY 2 sent → allowed", place: "NY", at: "2026-12-01T17:00:00Z", sent: ["2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"], expected: "allowed" },
  {
    name: "NY 3 sent → deferred past the oldest, then to 08:00",
    place: "NY",
    at: "2026-12-01T17:00:00Z",
    sent: ["2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"],
    expected: d("2026-12-02T13:00:00Z", "frequency_cap"),
  },
  {
    name: "NY 3 sent, one 25 h ago → allowed",
    place: "NY",
    at: "2026-12-01T17:00:00Z",
    sent: ["2026-11-30T16:00:00Z", "2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"],
    expected: "allowed",
  },
  {
    name: "FL 3 sent → the oldest leaves at 09:00 EST",
    place: "FL",
    at: "2026-12-01T17:00:00Z",
    sent: ["2026-12-01T14:00:00Z", "2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z"],
    expected: d("2026-12-02T14:00:00Z", "frequency_cap"),
  },
  {
    name: "OK 4 sent → the second-oldest leaves",
    place: "OK",
    at: "2026-12-01T20:00:00Z",
    sent: ["2026-12-01T14:00:00Z", "2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z", "2026-12-01T17:00:00Z"],
    expected: d("2026-12-02T15:00:00Z", "frequency_cap"),
  },
  // At 13:00Z (08:00 EST) the three texts are still in the window: the first instant both allow is 24 h after the oldest.
  { name: "FL quiet and capped: quiet hours named, both waited for", place: "FL", at: "2026-12-01T12:00:00Z", sent: ["2026-12-01T01:00:00Z", "2026-12-01T00:30:00Z", "2026-12-01T00:10:00Z"], expected: d("2026-12-02T00:10:00Z") },
  { name: "HELP answer with 5 sent at night: exempt", place: "FL", kind: "help_reply", at: "2026-12-01T07:00:00Z", sent: ["2026-12-01T01:00:00Z", "2026-12-01T02:00:00Z", "2026-12-01T03:00:00Z", "2026-12-01T04:00:00Z", "2026-12-01T05:00:00Z"], expected: "allowed" },
  { name: "STOP confirmation at 00:01 EST: exempt", place: "NY", kind: "opt_out_confirmation", at: "2026-12-01T05:01:00Z", stopAt: "2026-12-01T05:00:00Z", expected: "allowed" },
  { name: "inbox reply FL 07:59: not exempt", place: "FL", kind: "inbox_reply", at: "2026-12-01T12:59:00Z", expected: d("2026-12-01T13:00:00Z") },
  { name: "auto-reply (START) at 23:00 EST: not exempt", place: "NY", kind: "auto_reply", at: "2026-12-02T04:00:00Z", expected: d("2026-12-02T13:00:00Z") },
  { name: "test text 07:00 CST in Texas: not exempt", place: "TX", kind: "test", at: "2026-12-01T13:00:00Z", expected: d("2026-12-01T15:00:00Z") },
  // Suppression and the phone outrank quiet hours and the cap
  { name: "suppressed at night: blocked, not deferred", place: "NY", at: "2026-12-02T07:00:00Z", suppressed: true, expected: { blocked: "suppressed" } },
  { name: "suppressed at noon: blocked", place: "FL", at: "2026-12-01T17:00:00Z", suppressed: true, expected: { blocked: "suppressed" } },
  { name: "suppressed and capped: blocked", place: "FL", at: "2026-12-01T17:00:00Z", suppressed: true, sent: ["2026-12-01T14:00:00Z", "2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z"], expected: { blocked: "suppressed" } },
  { name: "suppressed, HELP answered anyway", place: "FL", kind: "help_reply", at: "2026-12-02T03:00:00Z", suppressed: true, expected: "allowed" },
  { name: "landline at night: blocked", place: "TX", at: "2026-12-02T07:00:00Z", landline: true, expected: { blocked: "phone_landline" } },
  // DNC (compliance/dnc.ts) outranks quiet hours; a HELP answer is not a solicitation
  { name: "internal DNC at night: blocked, not deferred", place: "FL", at: "2026-12-02T03:00:00Z", dnc: "internal", expected: { blocked: "dnc_listed" } },
  { name: "internal DNC at noon: blocked", place: "TX", at: "2026-12-01T18:00:00Z", dnc: "internal", expected: { blocked: "dnc_listed" } },
  { name: "skip-trace TCPA flag: blocked", place: "NY", at: "2026-12-01T17:00:00Z", dnc: "tcpa", expected: { blocked: "dnc_listed" } },
  { name: "internal DNC, HELP answered", place: "NY", kind: "help_reply", at: "2026-12-01T17:00:00Z", dnc: "internal", expected: "allowed" },
];

let counter = 0;
function phoneFor(areaCode: string): string {
  counter++;
  return `+1${areaCode}${String(200 + (counter % 700))}${String(1000 + counter).padStart(4, "0")}`;
}

type Prepared = Case & { phone: string; leadId: string | null };

async function prepare(orgId: string, cases: Case[]): Promise<Prepared[]> {
  const out: Prepared[] = [];
  for (const c of cases) {
    const place: Place = PLACES[c.place];
    const phone = phoneFor(place.areaCode);
    let leadId: string | null = null;
    if (place.zip !== null) {
      const key = `${counter}-${place.zip}`;
      const lead = await db.lead.create({
        data: {
          organizationId: orgId,
          source: "manual",
          addressLine1: `${counter} Table St`,
          city: place.label,
          state: place.leadState ?? c.place.slice(0, 2),
          zip: place.zip,
          normalizedAddress: key,
          normalizedOwner: "",
          dedupKey: key,
        },
      });
      leadId = lead.id;
      await db.leadPhone.create({ data: { organizationId: orgId, leadId, number: phone, source: "test", type: c.landline ? "landline" : "mobile", tcpa: c.dnc === "tcpa" } });
    } else if (c.landline) {
      throw new Error("landline cases need a lead");
    }
    if (c.sent?.length) {
      const conversation = await db.conversation.create({ data: { organizationId: orgId, phone, leadId } });
      await db.message.createMany({
        data: c.sent.map((at) => ({ organizationId: orgId, conversationId: conversation.id, direction: "outbound" as const, body: "earlier", status: "delivered" as const, createdAt: new Date(at) })),
      });
    }
    if (c.suppressed) await db.suppression.create({ data: { organizationId: orgId, phone, reason: "manual", evidence: "asked by phone", liveKey: `${phone}|`, createdAt: new Date("2026-01-01T00:00:00Z") } });
    if (c.dnc === "internal") await db.dncEntry.create({ data: { organizationId: orgId, phone, reason: "asked us by letter", liveKey: phone, createdAt: new Date("2026-01-01T00:00:00Z") } });
    if (c.stopAt) await db.suppression.create({ data: { organizationId: orgId, phone, reason: "keyword", evidence: "STOP", liveKey: `${phone}|`, createdAt: new Date(c.stopAt) } });
    out.push({ ...c, phone, leadId });
  }
  return out;
}

function expectMatches(c: Prepared, answer: { outcome: string; reason?: string; until?: Date }) {
  if (c.expected === "allowed") expect(answer, c.name).toMatchObject({ outcome: "allowed" });
  else if ("blocked" in c.expected) expect(answer, c.name).toMatchObject({ outcome: "blocked", reason: c.expected.blocked });
  else {
    expect(answer, c.name).toMatchObject({ outcome: "deferred", reason: c.expected.reason });
    expect(answer.until?.toISOString(), c.name).toBe(new Date(c.expected.deferred).toISOString());
  }
}

describe("the decision table (issue 10)", () => {
  let orgId: string;
  let prepared: Prepared[];

  beforeAll(async () => {
    orgId = (await createOrganization("Decision Table Realty")).id;
    prepared = await prepare(orgId, CASES);
  }, 120_000);

  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it("every new organization gets COMPLIANCE.md's rows (the migration's seed equals DEFAULT_STATE_QUIET_HOURS)", async () => {
    const settings = await loadDecisionSettings(db, orgId);
    expect(settings.rules).toEqual(DEFAULT_STATE_QUIET_HOURS);
    expect(settings.orgWindow).toEqual({ start: "08:00", end: "21:00" });
    expect(settings.frequencyCap).toBe(3);
  });

  it("the batch form answers exactly as the single decision, case by case", async () => {
    // Batch first (it records nothing), grouped by instant and kind; then decideSend case by case.
    const groups = new Map<string, Prepared[]>();
    for (const c of prepared) {
      const key = `${c.at}|${c.kind ?? "campaign"}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const batchAnswers = new Map<Prepared, unknown>();
    for (const group of groups.values()) {
      const answers = await evaluateSends(db, { orgId, kind: group[0]!.kind ?? "campaign", at: new Date(group[0]!.at), recipients: group.map((c) => ({ phone: c.phone, leadId: c.leadId })) });
      group.forEach((c, i) => batchAnswers.set(c, answers[i]));
    }
    for (const c of prepared) {
      const single = await decideSend(db, { orgId, phone: c.phone, leadId: c.leadId, kind: c.kind ?? "campaign", at: new Date(c.at) });
      expectMatches(c, single);
      const { decisionId: _id, ...verdict } = single;
      expect(batchAnswers.get(c), c.name).toEqual(verdict);
      const row = await db.sendDecision.findUniqueOrThrow({ where: { id: single.decisionId } });
      expect(row, c.name).toMatchObject({ phone: c.phone, leadId: c.leadId, kind: c.kind ?? "campaign", outcome: single.outcome, decidedAt: new Date(c.at) });
      if (single.outcome !== "allowed") {
        expect(row.ruleName, c.name).toBe(single.rule.name);
        expect(row.ruleSource, c.name).toBeTruthy();
        expect(row.message, c.name).toBe(single.message);
      }
      if (single.outcome === "deferred") expect(row.deferredUntil?.toISOString(), c.name).toBe(single.until.toISOString());
    }
  }, 120_000);

  it("names the rule that decided, with its source, in a sentence a person reads", async () => {
    const [florida] = await evaluateSends(db, { orgId, kind: "campaign", at: new Date("2026-12-02T01:00:00Z"), recipients: [{ phone: prepared.find((c) => c.place === "FL")!.phone, leadId: prepared.find((c) => c.place === "FL")!.leadId }] });
    expect(florida).toMatchObject({ outcome: "deferred", rule: { name: "Florida", source: "FTSA §501.616(6)", state: "FL" } });
    expect(florida!.outcome === "deferred" && florida!.message).toMatch(/Florida allows 08:00–20:00 on Tuesday.*It can go Wed, Dec 2, 8:00 AM EST/);
    const capped = prepared.find((c) => c.name.startsWith("FL 3 sent"))!;
    const [cap] = await evaluateSends(db, { orgId, kind: "campaign", at: new Date(capped.at), recipients: [{ phone: capped.phone, leadId: capped.leadId }] });
    // Florida's cap equals the organization's (3): the organization's setting is named; a stricter row would be.
    expect(cap).toMatchObject({ outcome: "deferred", reason: "frequency_cap", rule: { name: "Organization frequency cap", source: "organization setting" } });
    expect(cap!.outcome === "deferred" && cap!.message).toContain("3 messages in the last 24 hours and Organization frequency cap allows 3");
  });

  it("decides 2,000 recipients in one batch with a constant number of queries, and records them in one insert", async () => {
    const nyLead = prepared.find((c) => c.place === "NY" && !c.sent && !c.suppressed)!;
    const recipients = Array.from({ length: 2000 }, (_, i) => ({ phone: `+1212${String(5_000_000 + i)}`, leadId: i % 2 ? nyLead.leadId : null }));
    let queries = 0;
    const counting = db.$extends({ query: { $allOperations: ({ args, query }) => (queries++, query(args)) } }) as unknown as typeof db;
    const decisions = await decideSendBatch(counting, { orgId, kind: "campaign", at: new Date("2026-12-01T17:00:00Z"), campaignId: "campaign-1", recipients });
    expect(decisions).toHaveLength(2000);
    expect(new Set(decisions.map((x) => x.outcome))).toEqual(new Set(["allowed"]));
    expect(queries).toBeLessThanOrEqual(12);
    expect(await db.sendDecision.count({ where: { organizationId: orgId, campaignId: "campaign-1" } })).toBe(2000);
  }, 60_000);
});

describe("tenancy of the rules and the counts", () => {
  it("another organization's edited rules, its messages and its suppressions never change this organization's decisions", async () => {
    const mine = await createTeam("Mine Realty");
    const theirs = await createTeam("Theirs Realty");
    const phone = "+13055550777";
    const at = new Date("2026-12-01T23:30:00Z"); // 18:30 EST in Miami: Florida allows
    // Theirs: Florida 09:00–17:00 with a cap of 1, three texts to the same number, and an opt-out.
    await db.complianceRule.update({
      where: { organizationId_scope: { organizationId: theirs.org.id, scope: "FL" } },
      data: { weekdays: [{ start: "09:00", end: "17:00" }], frequencyCap: 1 },
    });
    const conversation = await db.conversation.create({ data: { organizationId: theirs.org.id, phone } });
    await db.message.createMany({
      data: [1, 2, 3].map((h) => ({ organizationId: theirs.org.id, conversationId: conversation.id, direction: "outbound" as const, body: "x", status: "delivered" as const, createdAt: new Date(at.getTime() - h * 3_600_000) })),
    });
    expect(await evaluateSends(db, { orgId: theirs.org.id, kind: "campaign", at, recipients: [{ phone }] })).toMatchObject([{ outcome: "deferred", rule: { name: "Florida" } }]);
    await db.suppression.create({ data: { organizationId: theirs.org.id, phone, reason: "manual", evidence: "theirs", liveKey: `${phone}|` } });

    expect(await decideSend(db, { orgId: mine.org.id, phone, kind: "campaign", at })).toMatchObject({ outcome: "allowed" });
    expect((await loadDecisionSettings(db, mine.org.id)).rules.find((r) => r.state === "FL")).toMatchObject({ weekdays: [{ start: "08:00", end: "20:00" }], frequencyCap: 3 });
  });
});
