import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { stopQueue } from "@/server/jobs/queue";
import { callerFor, createTeam, testSessionId, type TestUser } from "@/test/factories";
import { runImport } from "./run";
import type { ImportMappingInput } from "./schema";

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));

const { GET: rejectsRoute } = await import("@/app/api/imports/[id]/rejects/route");

const csv = (rows: (string | number)[][]) => stringify(rows);

let team: Awaited<ReturnType<typeof createTeam>>;
let other: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  team = await createTeam("Importers");
  other = await createTeam("Other importers");
});

afterAll(async () => {
  await stopQueue({ timeoutMs: 1000 });
});

/** Upload as the UI does: preview (detected mapping), create, then the worker's run. */
async function importCsv(
  content: string,
  opts: { as?: TestUser; mapping?: ImportMappingInput; batchSize?: number; run?: boolean; fileName?: string } = {},
) {
  const caller = callerFor(opts.as ?? team.manager);
  const preview = await caller.imports.preview({ fileName: opts.fileName ?? "list.csv", content });
  expect(preview.error).toBeNull();
  const job = await caller.imports.create({ fileName: opts.fileName ?? "list.csv", content, mapping: opts.mapping ?? preview.mapping });
  if (opts.run !== false) await runImport(db, job.id, { batchSize: opts.batchSize ?? 500 });
  return { id: job.id, preview, caller };
}

function counts(job: { processedRows: number; createdCount: number; duplicateCount: number; rejectedCount: number; totalRows: number }) {
  return { processed: job.processedRows, created: job.createdCount, duplicates: job.duplicateCount, rejected: job.rejectedCount, total: job.totalRows };
}

// ─── fixtures: 100 people, each owning one property ───
const FIRST = ["John", "Mary", "Robert", "Linda", "Michael", "Barbara", "David", "Susan", "James", "Karen"];
const LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Moore"];
const STREETS: [string, string, string][] = [
  // [clean spelling, messy spelling of the same street, ZIP]
  ["Main Street", "MAIN ST", "78701"],
  ["North Oak Avenue", "N. Oak Ave", "78702"],
  ["Sunset Boulevard", "sunset blvd", "78703"],
  ["Lakeview Drive", "LAKEVIEW DR.", "78704"],
  ["Cedar Lane", "Cedar Ln", "78705"],
];

type Person = { first: string; last: string; house: number; street: number; unit: number | null };
const PEOPLE: Person[] = Array.from({ length: 100 }, (_, i) => ({
  first: FIRST[i % 10]!,
  last: LAST[Math.floor(i / 10)]!,
  house: 100 + i,
  street: i % 5,
  unit: i % 4 === 0 ? (i % 9) + 1 : null,
}));

function cleanRow(p: Person, i: number) {
  const [street, , zip] = STREETS[p.street]!;
  return [
    `${p.house} ${street}${p.unit ? ` Apt ${p.unit}` : ""}`,
    "Austin",
    "TX",
    zip,
    `${p.first} ${p.last}`,
    `(512) 555-${String(1000 + i).padStart(4, "0")}`,
    `${p.first.toLowerCase()}.${p.last.toLowerCase()}${i}@example.com`,
  ];
}

/** The same people as another list provider writes them. */
function messyRow(p: Person, i: number) {
  const [, street, zip] = STREETS[p.street]!;
  const unit = p.unit ? [` #${p.unit}`, ` Unit ${p.unit}`, ` APT. ${p.unit}`][i % 3] : "";
  const owner = i % 2 === 0 ? `${p.last.toUpperCase()}, ${p.first.toUpperCase()}` : `${p.first}  ${p.last} Jr.`;
  return [`  ${p.house} ${street}${unit} `, "AUSTIN", "Texas", `${zip}-${1000 + i}`, owner, `512555${String(1000 + i).padStart(4, "0")}`, ""];
}

const HEADER = ["Property Address", "City", "State", "Zip Code", "Owner 1 Full Name", "Phone 1", "Email"];

describe("CSV import: dedup", () => {
  it("re-importing the same people, spelled another way, creates no duplicates", async () => {
    // The first file repeats two of its rows in other spellings (one in the same batch, one later).
    const firstRows = PEOPLE.map(cleanRow);
    firstRows.splice(3, 0, messyRow(PEOPLE[2]!, 2));
    firstRows.push(messyRow(PEOPLE[10]!, 10));
    const first = await importCsv(csv([HEADER, ...firstRows]), { batchSize: 25 });
    const firstJob = await first.caller.imports.get({ id: first.id });
    expect(firstJob.status).toBe("completed");
    expect(counts(firstJob)).toEqual({ processed: 102, created: 100, duplicates: 2, rejected: 0, total: 102 });

    // Another provider's export of the same 100 people plus 3 new properties.
    const newcomers = [
      ["9 Brand New Rd", "Austin", "TX", "78710", "Nina New", "", ""],
      ["10 Brand New Rd", "Austin", "TX", "78710", "Nina New", "", ""],
      ["123 Main Street Apt 4", "Austin", "TX", "78799", "John Smith", "", ""], // same street, other ZIP: another place
    ];
    const second = await importCsv(csv([HEADER, ...PEOPLE.map(messyRow), ...newcomers]), { batchSize: 40 });
    const secondJob = await second.caller.imports.get({ id: second.id });
    expect(counts(secondJob)).toEqual({ processed: 103, created: 3, duplicates: 100, rejected: 0, total: 103 });
    // i.e. 0 % of the re-imported people became duplicate leads (SPEC: under 5 %)
    expect(await db.lead.count({ where: { organizationId: team.org.id } })).toBe(103);
  });
});

describe("CSV import: what is stored", () => {
  beforeEach(async () => {
    await db.lead.deleteMany({ where: { organizationId: team.org.id } });
  });

  it("stores phones in E.164 with a best phone, emails, tags, and one imported event per lead", async () => {
    const header = ["Address", "Zip", "Owner", "Cell", "Landline", "Email 1", "Email 2", "Lists", "Est Value", "Equity %", "Mailing Address"];
    const { id } = await importCsv(
      csv([
        header,
        ["1 Elm St", "78701", "Ann Lee", "512 555 0101", "(512) 555-0102", "ANN@example.com", "ann@example.com", "Probate;Vacant", "$410,000", "85", "PO Box 7, Dallas TX 75201"],
        ["2 Elm St", "78701", "Bo Park", "", "512-555-0103", "bo@", "", "probate", "", "", ""],
        ["3 Elm St", "78701", "Cy Diaz", "555-0104", "", "", "", "", "", "", ""],
      ]),
      { mapping: undefined },
    );
    const leads = await db.lead.findMany({
      where: { organizationId: team.org.id, importJobId: id },
      include: { phones: { orderBy: { number: "asc" } }, emails: true, tags: { include: { tag: true } }, activities: true },
      orderBy: { addressLine1: "asc" },
    });
    expect(leads.map((lead) => [lead.addressLine1, lead.source, lead.hasPhone])).toEqual([
      ["1 Elm St", "csv", true],
      ["2 Elm St", "csv", false], // a landline alone is not textable
      ["3 Elm St", "csv", false], // its only phone was unreadable and dropped
    ]);
    const [ann, bo, cy] = leads as [(typeof leads)[number], (typeof leads)[number], (typeof leads)[number]];
    expect(ann.phones.map((p) => [p.number, p.type, p.isBest, p.source])).toEqual([
      ["+15125550101", "mobile", true, "csv"],
      ["+15125550102", "landline", false, "csv"],
    ]);
    expect(ann.emails.map((e) => e.email)).toEqual(["ann@example.com"]);
    expect(ann.tags.map((t) => t.tag.name).sort()).toEqual(["Probate", "Vacant"]);
    expect(bo.tags.map((t) => t.tag.name)).toEqual(["Probate"]); // matched case-insensitively
    expect(ann.estimatedValueCents).toBe(41_000_000n);
    expect(ann.absentee).toBe(true);
    expect(ann.score).toBeGreaterThanOrEqual(60); // equity + absentee
    expect(ann.temperature).not.toBe("DEAD");
    expect(bo.phones.map((p) => [p.number, p.isBest])).toEqual([["+15125550103", false]]);
    expect(bo.emails).toEqual([]);
    expect(cy.phones).toEqual([]);

    for (const lead of leads) {
      expect(lead.activities.map((a) => a.kind)).toEqual(["imported"]);
      expect(lead.activities[0]!.actorId).toBe(team.manager.id);
    }
    expect(cy.activities[0]!.details).toMatchObject({ importJobId: id, rowNumber: 3, droppedPhones: ["555-0104"] });
    expect(bo.activities[0]!.details).toMatchObject({ rowNumber: 2, droppedEmails: ["bo@"] });
  });

  it("puts the import's own tags on every lead it creates", async () => {
    const content = csv([["Address", "Zip"], ["5 Oak St", "78701"], ["6 Oak St", "78701"]]);
    const caller = callerFor(team.manager);
    const preview = await caller.imports.preview({ fileName: "probate-nov.csv", content });
    const job = await caller.imports.create({ fileName: "probate-nov.csv", content, mapping: { ...preview.mapping, fixedTags: ["Probate Nov"] } });
    await runImport(db, job.id);
    const tagged = await db.leadTag.count({ where: { organizationId: team.org.id, tag: { name: "Probate Nov" } } });
    expect(tagged).toBe(2);
  });
});

describe("CSV import: bad rows", () => {
  it("keeps every good row and lists each rejection with its reason; the rejects CSV has the original columns", async () => {
    const header = ["Street", "City", "State", "Zip", "Beds", "Last Sale Date", "Phone"];
    const rows = [
      ["11 Good St", "Austin", "TX", "78701", "3", "2001-05-06", "512-555-0111"],
      ["", "Austin", "TX", "78701", "3", "", ""],
      ["13 Good St", "Austin", "TX", "78701", "", "", "12345"],
      ["14 Bad St", "Austin", "ZZ", "78701", "", "", ""],
      ["15 Bad St", "Austin", "TX", "ABCDE", "", "", ""],
      ["16 Bad St", "Austin", "TX", "78701", "three", "", ""],
      ["17 Good St", "", "", "78701", "2", "", ""],
      ["18 Bad St", "Austin", "TX", "78701", "", "31/31/2001", ""],
      ["19 Bad St", "Austin", "", "", "", "", ""],
      ["20 Good St", "Austin", "TX", "78701", "4", "", "(512) 555-0120"],
    ];
    const { id, caller } = await importCsv(csv([header, ...rows]), { batchSize: 3 });
    const job = await caller.imports.get({ id });
    expect(counts(job)).toEqual({ processed: 10, created: 4, duplicates: 0, rejected: 6, total: 10 });
    expect(job.rejects).toEqual([
      { rowNumber: 2, reason: "Missing property address" },
      { rowNumber: 4, reason: 'Invalid state "ZZ"' },
      { rowNumber: 5, reason: 'Invalid ZIP code "ABCDE"' },
      { rowNumber: 6, reason: 'Beds is not a number: "three"' },
      { rowNumber: 8, reason: 'Last sale date is not a date: "31/31/2001"' },
      { rowNumber: 9, reason: "Missing ZIP code (or city and state)" },
    ]);
    const imported = await db.lead.findMany({ where: { importJobId: id }, select: { addressLine1: true, hasPhone: true }, orderBy: { addressLine1: "asc" } });
    expect(imported).toEqual([
      { addressLine1: "11 Good St", hasPhone: true },
      { addressLine1: "13 Good St", hasPhone: false },
      { addressLine1: "17 Good St", hasPhone: false },
      { addressLine1: "20 Good St", hasPhone: true },
    ]);

    session.current = { user: { id: team.manager.id, email: team.manager.email }, sessionId: testSessionId(team.manager.id), expires: new Date(Date.now() + 60_000).toISOString() };
    const response = await rejectsRoute(new Request(`http://test/api/imports/${id}/rejects`, { headers: { "x-request-id": "req-rejects-1" } }), {
      params: Promise.resolve({ id }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="list-rejected-rows.csv"');
    expect(response.headers.get("x-request-id")).toBe("req-rejects-1");
    const records = parse(await response.text()) as string[][];
    expect(records[0]).toEqual(["row_number", "reason", ...header]);
    expect(records.slice(1).map((r) => [r[0], r[1]])).toEqual(job.rejects.map((r) => [String(r.rowNumber), r.reason]));
    expect(records[4]).toEqual(["6", 'Beds is not a number: "three"', "16 Bad St", "Austin", "TX", "78701", "three", "", ""]);
  });

  it("answers 404 for another organization's rejects and 403 for a user", async () => {
    const { id } = await importCsv(csv([["Address", "Zip"], ["", "78701"], ["1 Their St", "78701"]]), { as: other.manager });
    const call = () => rejectsRoute(new Request(`http://test/api/imports/${id}/rejects`), { params: Promise.resolve({ id }) });
    session.current = { user: { id: team.admin.id, email: team.admin.email }, sessionId: testSessionId(team.admin.id), expires: new Date(Date.now() + 60_000).toISOString() };
    const foreign = await call();
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain("1 Their St");
    session.current = { user: { id: other.user.id, email: other.user.email }, sessionId: testSessionId(other.user.id), expires: new Date(Date.now() + 60_000).toISOString() };
    expect((await call()).status).toBe(403);
    session.current = null;
    expect((await call()).status).toBe(401);
    session.current = { user: { id: other.manager.id, email: other.manager.email }, sessionId: testSessionId(other.manager.id), expires: new Date(Date.now() + 60_000).toISOString() };
    expect((await call()).status).toBe(200);
  });
});

/** n distinct properties (no dedup collisions), one row each. */
function bulkCsv(n: number, prefix: string) {
  return csv([["Address", "Zip", "Owner"], ...Array.from({ length: n }, (_, i) => [`${i + 1} ${prefix} Way`, "73301", `Owner ${prefix} ${i + 1}`])]);
}

describe("CSV import: cancel and resume", () => {
  it("a cancelled import stops between batches and keeps what it imported", async () => {
    const { id, caller } = await importCsv(bulkCsv(2000, "Cancel"), { run: false });
    const run = runImport(db, id, { batchSize: 50 });
    for (let i = 0; i < 400; i++) {
      const { processedRows } = await db.importJob.findUniqueOrThrow({ where: { id }, select: { processedRows: true } });
      if (processedRows >= 100) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const cancelled = await caller.imports.cancel({ id });
    expect(cancelled.status).toBe("cancelled");
    expect((await run).outcome).toBe("cancelled");

    const job = await caller.imports.get({ id });
    expect(job.status).toBe("cancelled");
    expect(job.processedRows).toBeGreaterThanOrEqual(100);
    expect(job.processedRows).toBeLessThan(2000);
    expect(job.processedRows).toBe(job.createdCount + job.duplicateCount + job.rejectedCount);
    expect(await db.lead.count({ where: { importJobId: id } })).toBe(job.createdCount);
    // running it again (a retried queue job) does nothing
    expect((await runImport(db, id)).outcome).toBe("skipped");
    expect(await db.lead.count({ where: { importJobId: id } })).toBe(job.createdCount);
    // cancelling a finished import changes nothing
    expect((await caller.imports.cancel({ id })).processedRows).toBe(job.processedRows);
  });

  it("a resumed import continues where it stopped without creating anything twice", async () => {
    const { id, caller } = await importCsv(bulkCsv(100, "Resume"), { run: false });
    const partial = await runImport(db, id, { batchSize: 20, stopAfterBatches: 2 });
    expect(partial).toEqual({ outcome: "interrupted", processedRows: 40 });
    let job = await caller.imports.get({ id });
    expect(job.status).toBe("running");
    expect(counts(job)).toEqual({ processed: 40, created: 40, duplicates: 0, rejected: 0, total: 100 });

    // the process died after storing rows 31–40 but before their progress was saved
    await db.importJob.update({ where: { id }, data: { processedRows: 30, createdCount: 30 } });
    const resumed = await runImport(db, id, { batchSize: 20 });
    expect(resumed).toEqual({ outcome: "completed", processedRows: 100 });
    job = await caller.imports.get({ id });
    expect(job.status).toBe("completed");
    expect(counts(job)).toEqual({ processed: 100, created: 90, duplicates: 10, rejected: 0, total: 100 });
    expect(await db.lead.count({ where: { importJobId: id } })).toBe(100);
    const events = await db.activityEvent.count({ where: { kind: "imported", lead: { importJobId: id } } });
    expect(events).toBe(100);
  });

  it("reports progress after every batch, and the counts add up", async () => {
    const { id } = await importCsv(bulkCsv(30, "Progress"), { run: false });
    const seen: number[] = [];
    for (let batch = 1; batch <= 4; batch++) {
      await runImport(db, id, { batchSize: 10, stopAfterBatches: 1 });
      const job = await db.importJob.findUniqueOrThrow({ where: { id } });
      seen.push(job.processedRows);
      expect(job.processedRows).toBe(job.createdCount + job.duplicateCount + job.rejectedCount);
    }
    expect(seen).toEqual([10, 20, 30, 30]);
    expect((await db.importJob.findUniqueOrThrow({ where: { id } })).status).toBe("completed");
  });
});

describe("CSV import: preview, validation, tenancy", () => {
  it("previews the detected mapping and the first rows as they would import", async () => {
    const content = "\uFEFFProperty Address;Zip Code;Owner 1 Full Name;Phone 1\n1 Pine St;78701;Smith, John;512-555-0101\n;78701;Nobody;\n";
    const preview = await callerFor(team.manager).imports.preview({ fileName: "semi.csv", content });
    expect(preview).toMatchObject({
      headers: ["Property Address", "Zip Code", "Owner 1 Full Name", "Phone 1"],
      mapping: { address: 0, zip: 1, ownerName: 2, phones: [3] },
      rowCount: 2,
      error: null,
      mappingProblem: null,
    });
    expect(preview.sampleRows[0]).toMatchObject({ rowNumber: 1, rejection: null, lead: { addressLine1: "1 Pine St", ownerName: "Smith, John", phones: [{ number: "+15125550101" }] } });
    expect(preview.sampleRows[1]).toMatchObject({ rowNumber: 2, lead: null, rejection: "Missing property address" });
  });

  it("says why a file cannot be imported", async () => {
    const caller = callerFor(team.manager);
    expect((await caller.imports.preview({ fileName: "empty.csv", content: "" })).error).toBe("The file is empty.");
    expect((await caller.imports.preview({ fileName: "h.csv", content: "Address,Zip\n" })).error).toMatch(/no data rows/);
    expect((await caller.imports.preview({ fileName: "x.xlsx", content: "PK\u0003\u0004rest" })).error).toMatch(/Excel/);
    const noZip = await caller.imports.preview({ fileName: "nozip.csv", content: "Address,Notes\n1 A St,hi\n" });
    expect(noZip.mappingProblem).toMatch(/ZIP/);
    const error = await caller.imports
      .create({ fileName: "nozip.csv", content: "Address,Notes\n1 A St,hi\n", mapping: noZip.mapping })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("lists only the organization's imports, newest first, and refuses other organizations' ids", async () => {
    const theirs = await importCsv(bulkCsv(2, "Theirs"), { as: other.manager, fileName: "their-list.csv" });
    const ours = await importCsv(bulkCsv(2, "Ours"), { fileName: "our-list.csv" });
    const list = await callerFor(team.admin).imports.list();
    expect(list[0]!.id).toBe(ours.id);
    expect(list.map((job) => job.id)).not.toContain(theirs.id);
    expect(list[0]!.createdBy?.id).toBe(team.manager.id);
    const error = await callerFor(team.admin).imports.get({ id: theirs.id }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
  });
});
