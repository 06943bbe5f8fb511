import { beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { createTeam, testSessionId } from "@/test/factories";
import { leadFilterSql, leadsCsvStream } from "./export";
import { leadOrderBy, leadWhere } from "../lead-records/filters";
import { leadFiltersSchema, leadSortSchema, type LeadFiltersInput, type LeadSort } from "./schema";

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));

const { GET: exportRoute } = await import("@/app/api/leads/export/route");

/** The columns SPEC §4 asks for, in order. */
const EXPECTED_HEADER = [
  "id", "source", "status", "temperature", "score", "address", "city", "state", "zip", "owner_name", "owner_is_corporate",
  "mailing_address", "mailing_street", "mailing_city", "mailing_state", "mailing_zip", "absentee", "property_type", "beds", "baths",
  "size_sqft", "year_built", "estimated_value", "assessed_value", "equity_pct", "last_sale_date", "last_sale_price", "skip_trace_provider",
  "best_phone", "best_phone_reason", "all_phones",
  "phone_1", "phone_1_type", "phone_1_flags", "phone_2", "phone_2_type", "phone_2_flags", "phone_3", "phone_3_type", "phone_3_flags",
  "phone_4", "phone_4_type", "phone_4_flags", "phone_5", "phone_5_type", "phone_5_flags",
  "emails", "dnc_flag", "tags", "assignee", "last_note", "note_count", "created_at",
];

let seq = 0;
function leadData(orgId: string, overrides: Partial<Prisma.LeadCreateManyInput> = {}): Prisma.LeadCreateManyInput {
  seq++;
  return {
    organizationId: orgId,
    source: "manual",
    addressLine1: `${seq} Export Ave`,
    city: "Austin",
    state: "TX",
    zip: "78701",
    normalizedAddress: `${seq} EXPORT AVE|78701`,
    ownerName: `Owner ${seq}`,
    normalizedOwner: `OWNER ${seq}`,
    dedupKey: `${seq} EXPORT AVE|78701#OWNER ${seq}`,
    ...overrides,
  };
}

async function readAll(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

async function exportRows(orgId: string, filters: LeadFiltersInput = {}, sort?: LeadSort, batchSize?: number) {
  const text = await readAll(leadsCsvStream(db, orgId, leadFiltersSchema.parse(filters), sort ?? leadSortSchema.parse(undefined), { batchSize }));
  const [header, ...rows] = parse(text) as string[][];
  return { header: header!, rows, byId: new Map(rows.map((row) => [row[0]!, Object.fromEntries(header!.map((h, i) => [h, row[i]!]))])) };
}

let team: Awaited<ReturnType<typeof createTeam>>;
let other: Awaited<ReturnType<typeof createTeam>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  team = await createTeam("Exporters");
  other = await createTeam("Other exporters");
  const orgId = team.org.id;
  const hot = await db.tag.create({ data: { organizationId: orgId, name: "Hot list", color: "#dc2626" } });
  const probate = await db.tag.create({ data: { organizationId: orgId, name: "Probate", color: "#2563eb" } });

  const [richLead, markedLead, noTextableLead, plainLead, injectLead] = await db.lead.createManyAndReturn({
    data: [
      leadData(orgId, {
        source: "attom",
        status: "contacted",
        temperature: "HOT",
        score: 72,
        addressLine1: "1 Rich Rd",
        ownerName: "Acme Holdings LLC",
        ownerIsCorporate: true,
        mailingAddress: "PO Box 5, Dallas, TX 75201",
        absentee: true,
        propertyType: "SFR",
        beds: 3,
        baths: 2.5,
        sizeSqft: 1850,
        yearBuilt: 1978,
        estimatedValueCents: 32_500_050n,
        assessedValueCents: 5n,
        equityPct: 62.5,
        lastSaleDate: new Date("2004-03-14T00:00:00Z"),
        lastSalePriceCents: 15_000_000n,
        hasPhone: true,
        skipTracedAt: new Date(),
        assigneeId: team.manager.id,
        createdAt: new Date("2026-01-02T03:04:05.678Z"),
      }),
      leadData(orgId, { status: "new", hasPhone: true, addressLine1: "2 Marked Way" }),
      leadData(orgId, { status: "new", hasPhone: false, addressLine1: "3 Landline Ln" }),
      leadData(orgId, { status: "dead", hasPhone: false, addressLine1: "4 Plain St", ownerName: null, normalizedOwner: "" }),
      leadData(orgId, { status: "new", addressLine1: "5 Inject St", ownerName: "=HYPERLINK(\"http://x\")", city: "-Austin" }),
    ],
    select: { id: true },
  });
  Object.assign(ids, { rich: richLead!.id, marked: markedLead!.id, noTextable: noTextableLead!.id, plain: plainLead!.id, inject: injectLead!.id });

  const phone = (leadId: string, number: string, extra: Partial<Prisma.LeadPhoneCreateManyInput> = {}): Prisma.LeadPhoneCreateManyInput => ({
    organizationId: orgId,
    leadId,
    number,
    source: "batchdata",
    ...extra,
  });
  await db.leadPhone.createMany({
    data: [
      // rich: no phone marked best → the best-scored textable mobile (not the DNC one, not the landline)
      phone(ids.rich!, "+15125550101", { type: "landline", score: 95 }),
      phone(ids.rich!, "+15125550102", { type: "mobile", score: 90, dnc: true }),
      phone(ids.rich!, "+15125550103", { type: "mobile", score: 70, source: "sandbox" }),
      phone(ids.rich!, "+15125550104", { type: "mobile", score: 60 }),
      phone(ids.rich!, "+15125550105", { type: "mobile", score: 99, tcpa: true }),
      phone(ids.rich!, "+15125550106", { type: "mobile", score: 98, status: "wrong_number" }),
      // marked: the phone marked best wins whatever its score
      phone(ids.marked!, "+15125550201", { type: "mobile", score: 90 }),
      phone(ids.marked!, "+15125550202", { type: "unknown", score: 10, isBest: true, source: "csv" }),
      // no textable phone
      phone(ids.noTextable!, "+15125550301", { type: "landline", score: 80 }),
    ],
  });
  await db.leadEmail.createMany({
    data: [
      { organizationId: orgId, leadId: ids.rich!, email: "a@example.com", source: "batchdata", createdAt: new Date("2026-01-01") },
      { organizationId: orgId, leadId: ids.rich!, email: "b@example.com", source: "batchdata", createdAt: new Date("2026-01-02") },
    ],
  });
  await db.leadTag.createMany({
    data: [
      { organizationId: orgId, leadId: ids.rich!, tagId: probate.id },
      { organizationId: orgId, leadId: ids.rich!, tagId: hot.id },
      { organizationId: orgId, leadId: ids.marked!, tagId: hot.id },
    ],
  });
  ids.hotTag = hot.id;

  // The other organization: same addresses, its own phones and tag names.
  const theirs = await db.lead.createManyAndReturn({
    data: [
      leadData(other.org.id, { addressLine1: "1 Rich Rd", hasPhone: true, status: "contacted" }),
      leadData(other.org.id, { status: "new", addressLine1: "7 50%_ Promo Way", temperature: "HOT", score: 70 }),
      leadData(other.org.id, { status: "new", addressLine1: "8 5000 Way", skipTracedAt: new Date(), source: "csv" }),
      leadData(other.org.id, { status: "dead", addressLine1: "6 Archived Elm St", archivedAt: new Date() }),
    ],
    select: { id: true },
  });
  ids.theirFirst = theirs[0]!.id;
  ids.theirSecond = theirs[1]!.id;
  ids.theirThird = theirs[2]!.id;
});

describe("leads CSV export", () => {
  it("writes exactly the specified header and one row per lead", async () => {
    const { header, rows } = await exportRows(team.org.id);
    expect(header).toEqual(EXPECTED_HEADER);
    expect(rows).toHaveLength(5);
  });

  it("formats every column: dollars from cents, dates, booleans, phones, emails, tags, assignee", async () => {
    const { byId } = await exportRows(team.org.id);
    expect(byId.get(ids.rich!)).toEqual({
      id: ids.rich,
      source: "attom",
      status: "contacted",
      temperature: "HOT",
      score: "72",
      address: "1 Rich Rd",
      city: "Austin",
      state: "TX",
      zip: "78701",
      owner_name: "Acme Holdings LLC",
      owner_is_corporate: "true",
      mailing_address: "PO Box 5, Dallas, TX 75201",
      mailing_street: "PO Box 5",
      mailing_city: "Dallas",
      mailing_state: "TX",
      mailing_zip: "75201",
      absentee: "true",
      property_type: "SFR",
      beds: "3",
      baths: "2.5",
      size_sqft: "1850",
      year_built: "1978",
      estimated_value: "325000.50",
      assessed_value: "0.05",
      equity_pct: "62.5",
      last_sale_date: "2004-03-14",
      last_sale_price: "150000.00",
      skip_trace_provider: "sandbox",
      best_phone: "+15125550103",
      best_phone_reason: "",
      all_phones: "+15125550105;+15125550106;+15125550101;+15125550102;+15125550103;+15125550104",
      phone_1: "+15125550105", phone_1_type: "mobile", phone_1_flags: "tcpa",
      phone_2: "+15125550106", phone_2_type: "mobile", phone_2_flags: "wrong_number",
      phone_3: "+15125550101", phone_3_type: "landline", phone_3_flags: "",
      phone_4: "+15125550102", phone_4_type: "mobile", phone_4_flags: "dnc",
      phone_5: "+15125550103", phone_5_type: "mobile", phone_5_flags: "",
      emails: "a@example.com;b@example.com",
      dnc_flag: "true",
      tags: "Hot list;Probate",
      assignee: team.manager.email,
      last_note: "",
      note_count: "0",
      created_at: "2026-01-02T03:04:05.678Z",
    });
    expect(byId.get(ids.marked!)).toMatchObject({ best_phone: "+15125550202", skip_trace_provider: "csv", dnc_flag: "false", all_phones: "+15125550202;+15125550201" });
    expect(byId.get(ids.noTextable!)).toMatchObject({ best_phone: "", best_phone_reason: "The only phone cannot take a text: 1 landline", skip_trace_provider: "", all_phones: "+15125550301", dnc_flag: "false" });
    expect(byId.get(ids.plain!)).toMatchObject({ owner_name: "", estimated_value: "", absentee: "", beds: "", emails: "", tags: "", assignee: "" });
  });

  it("defuses spreadsheet formulas in free text", async () => {
    const { byId } = await exportRows(team.org.id);
    expect(byId.get(ids.inject!)).toMatchObject({ owner_name: "'=HYPERLINK(\"http://x\")", city: "'-Austin" });
  });

  it("applies the list filters", async () => {
    const exported = async (filters: LeadFiltersInput) => [...(await exportRows(team.org.id, filters)).byId.keys()].sort();
    expect(await exported({ status: ["new"] })).toEqual([ids.marked, ids.noTextable, ids.inject].sort());
    expect(await exported({ tagIds: [ids.hotTag!] })).toEqual([ids.rich, ids.marked].sort());
    // Has a phone: any number (the landline-only lead too); textable: one that can take a text.
    expect(await exported({ hasPhone: true })).toEqual([ids.rich, ids.marked, ids.noTextable].sort());
    expect(await exported({ textable: true })).toEqual([ids.rich, ids.marked].sort());
    expect(await exported({ hasPhone: true, textable: false })).toEqual([ids.noTextable]);
    expect(await exported({ q: "rich" })).toEqual([ids.rich]);
    expect(await exported({ q: "acme" })).toEqual([ids.rich]);
    expect(await exported({ status: ["closed"] })).toEqual([]);
  });

  it("never contains another organization's leads", async () => {
    const ours = await exportRows(team.org.id, {}, undefined, 2);
    const text = ours.rows.flat().join("\n");
    expect(text).not.toContain(ids.theirFirst);
    expect(text).not.toContain(ids.theirSecond);
    expect(text).not.toContain(ids.theirThird);
    // and a tag id of ours cannot pull theirs in
    const theirs = await exportRows(other.org.id, { tagIds: [ids.hotTag!] });
    expect(theirs.rows).toEqual([]);
    expect([...(await exportRows(other.org.id)).byId.keys()].sort()).toEqual([ids.theirFirst, ids.theirSecond, ids.theirThird].sort());
  });

  it.each([
    { field: "createdAt", direction: "desc" },
    { field: "ownerName", direction: "asc" },
    { field: "ownerName", direction: "desc" },
    { field: "status", direction: "asc" },
    { field: "status", direction: "desc" },
    { field: "score", direction: "desc" },
    { field: "addressLine1", direction: "asc" },
  ] as LeadSort[])("pages in the list's order (%o) without skipping or repeating a lead", async (sort) => {
    const { rows } = await exportRows(team.org.id, {}, sort, 2);
    const expected = await db.lead.findMany({ where: { organizationId: team.org.id, archivedAt: null }, orderBy: leadOrderBy(sort), select: { id: true } });
    expect(rows.map((row) => row[0])).toEqual(expected.map((lead) => lead.id));
  });
});

describe("the export's SQL filters", () => {
  it.each<LeadFiltersInput>([
    {},
    { status: ["new", "dead"] },
    { temperature: ["HOT"] },
    { source: ["attom", "csv"] },
    { tagIds: ["does-not-exist"] },
    { hasPhone: false },
    { skipTraced: true },
    { skipTraced: false },
    { zip: "78701" },
    { assigneeId: "unassigned" },
    { scoreMin: 50, scoreMax: 80 },
    { q: "ELM" },
    { q: "inject" },
    { q: "50%_" },
    { archived: "include" },
    { archived: "only" },
    { status: ["new"], hasPhone: true, q: "way" },
    { textable: true },
    { textable: false, hasPhone: true },
  ])("select exactly what the list's leadWhere selects: %o", async (input) => {
    const filters = leadFiltersSchema.parse(input);
    for (const orgId of [team.org.id, other.org.id]) {
      const viaSql = await db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT l.id FROM "Lead" l WHERE ${leadFilterSql(orgId, filters)} ORDER BY l.id`);
      const viaPrisma = await db.lead.findMany({ where: leadWhere(orgId, filters), orderBy: { id: "asc" }, select: { id: true } });
      expect(viaSql.map((row) => row.id)).toEqual(viaPrisma.map((lead) => lead.id));
    }
  });

  it("treat % and _ in free text literally", async () => {
    const parsed = leadFiltersSchema.parse({ q: "50%_" });
    const found = await db.lead.findMany({ where: leadWhere(other.org.id, parsed), select: { addressLine1: true } });
    expect(found.map((lead) => lead.addressLine1)).toEqual(["7 50%_ Promo Way"]);
  });

  it("select by tag and assignee like the list does", async () => {
    for (const filters of [{ tagIds: [ids.hotTag!] }, { assigneeId: team.manager.id }]) {
      const parsed = leadFiltersSchema.parse(filters);
      const viaSql = await db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT l.id FROM "Lead" l WHERE ${leadFilterSql(team.org.id, parsed)} ORDER BY l.id`);
      const viaPrisma = await db.lead.findMany({ where: leadWhere(team.org.id, parsed), orderBy: { id: "asc" }, select: { id: true } });
      expect(viaSql.map((row) => row.id)).toEqual(viaPrisma.map((lead) => lead.id));
      expect(viaSql.length).toBeGreaterThan(0);
    }
  });
});

describe("leads CSV export at size", () => {
  it("streams 5,000 leads page by page, pulling the next page only when the reader wants it", async () => {
    const big = await createTeam("Big exporter");
    for (let i = 0; i < 5; i++) {
      await db.lead.createMany({ data: Array.from({ length: 1000 }, () => leadData(big.org.id, { source: "csv", estimatedValueCents: 12_345n })) });
    }
    const queryRaw = vi.spyOn(db, "$queryRaw");
    try {
      const reader = leadsCsvStream(db, big.org.id, leadFiltersSchema.parse({}), leadSortSchema.parse(undefined)).getReader();
      const decoder = new TextDecoder();
      const header = await reader.read();
      expect(decoder.decode(header.value)).toBe(`${EXPECTED_HEADER.join(",")}\n`);
      const idsOf = (chunk: Uint8Array | undefined) => decoder.decode(chunk).split("\n").filter(Boolean).map((line) => line.slice(0, line.indexOf(",")));
      const seen = new Set<string>();
      const firstPage = idsOf((await reader.read()).value);
      expect(firstPage).toHaveLength(1000);
      for (const id of firstPage) seen.add(id);
      // one page read, at most one more fetched ahead
      expect(queryRaw.mock.calls.length).toBeLessThanOrEqual(2);

      let rows = firstPage.length;
      let chunks = 1;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks++;
        const page = idsOf(value);
        rows += page.length;
        for (const id of page) seen.add(id);
      }
      expect(rows).toBe(5000);
      expect(chunks).toBe(5);
      expect(seen.size).toBe(5000);
      expect(queryRaw).toHaveBeenCalledTimes(6); // 5 full pages + the empty one that ends it
    } finally {
      queryRaw.mockRestore();
    }
  });
});

describe("GET /api/leads/export", () => {
  const as = (user: { id: string; email: string } | null) => {
    session.current = user ? { user: { id: user.id, email: user.email }, sessionId: testSessionId(user.id), expires: new Date(Date.now() + 60_000).toISOString() } : null;
  };
  const get = (query = "") => exportRoute(new Request(`http://test/api/leads/export${query}`, { headers: { "x-request-id": "req-export-1" } }));

  it("answers a manager with a CSV attachment named for the org's day", async () => {
    as(team.manager);
    const filters = encodeURIComponent(JSON.stringify({ status: ["new"] }));
    const sort = encodeURIComponent(JSON.stringify({ field: "ownerName", direction: "asc" }));
    const response = await get(`?filters=${filters}&sort=${sort}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get("x-request-id")).toBe("req-export-1");
    const [header, ...rows] = parse(await response.text()) as string[][];
    expect(header).toEqual(EXPECTED_HEADER);
    expect(rows.map((row) => row[0]).sort()).toEqual([ids.marked, ids.noTextable, ids.inject].sort());
    const audit = await db.auditLog.findFirst({ where: { organizationId: team.org.id, action: "leads.exported" }, orderBy: { createdAt: "desc" } });
    expect(audit?.actorId).toBe(team.manager.id);
  });

  it("refuses a user (403) and a signed-out caller (401)", async () => {
    as(team.user);
    const forbidden = await get();
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("FORBIDDEN");
    as(null);
    const unauthorized = await get();
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("x-request-id")).toBe("req-export-1");
  });

  it("says what is wrong with bad filters (400)", async () => {
    as(team.admin);
    const notJson = await get("?filters=%7Bstatus");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toMatch(/"filters" parameter must be JSON/);
    const badZip = await get(`?filters=${encodeURIComponent(JSON.stringify({ zip: "7870" }))}`);
    expect(badZip.status).toBe(400);
    expect((await badZip.json()).error.message).toMatch(/filters\.zip: Enter a 5-digit ZIP/);
    const badSort = await get(`?sort=${encodeURIComponent(JSON.stringify({ field: "price" }))}`);
    expect(badSort.status).toBe(400);
    expect((await badSort.json()).error.message).toMatch(/sort\.field/);
  });
});
