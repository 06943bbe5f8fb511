import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { stopQueue } from "@/server/jobs/queue";
import { callerFor, createTeam, testSessionId, type TestUser } from "@/test/factories";
import { runImport } from "./run";
import { storeUpload, UPLOAD_CHUNK_BYTES } from "./upload";
import type { ImportMappingInput, ImportUploadResponse } from "./schema";

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));

const { GET: rejectsRoute } = await import("@/app/api/imports/[id]/rejects/route");
const { POST: uploadRoute } = await import("@/app/api/imports/upload/route");

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

function signInAs(user: TestUser | null) {
  session.current = user ? { user: { id: user.id, email: user.email }, sessionId: testSessionId(user.id), expires: new Date(Date.now() + 60_000).toISOString() } : null;
}

/** The bytes as a request body stream, in pieces of `pieceBytes` as a network delivers them. */
function streamOf(content: string | Uint8Array, pieceBytes = 16 * 1024): ReadableStream<Uint8Array> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}

/** POST /api/imports/upload as the browser does: the raw file as a streamed body. */
async function upload(content: string | Uint8Array | ReadableStream<Uint8Array>, opts: { as?: TestUser | null; fileName?: string; headers?: Record<string, string> } = {}) {
  signInAs(opts.as === undefined ? team.manager : opts.as);
  const body = content instanceof ReadableStream ? content : streamOf(content);
  const request = new Request(`http://test/api/imports/upload?${new URLSearchParams({ fileName: opts.fileName ?? "list.csv" })}`, {
    method: "POST",
    body,
    headers: { "content-type": "text/csv", ...opts.headers },
    duplex: "half",
  } as RequestInit);
  return uploadRoute(request);
}

async function uploadOk(content: string | Uint8Array, opts: { as?: TestUser; fileName?: string } = {}) {
  const response = await upload(content, opts);
  expect(response.status).toBe(201);
  return ((await response.json()) as ImportUploadResponse).upload;
}

/** Upload as the UI does: upload the file, preview (detected mapping), create, then the worker's run. */
async function importCsv(
  content: string,
  opts: { as?: TestUser; mapping?: ImportMappingInput; batchSize?: number; run?: boolean; fileName?: string } = {},
) {
  const caller = callerFor(opts.as ?? team.manager);
  const uploaded = await uploadOk(content, { as: opts.as, fileName: opts.fileName });
  const preview = await caller.imports.preview({ uploadId: uploaded.id });
  expect(preview.error).toBeNull();
  const job = await caller.imports.create({ uploadId: uploaded.id, mapping: opts.mapping ?? preview.mapping });
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
    expect(leads.map((lead) => [lead.addressLine1, lead.source, lead.hasPhone, lead.textable])).toEqual([
      ["1 Elm St", "csv", true, true],
      ["2 Elm St", "csv", true, false], // a landline alone is a phone, not a textable one
      ["3 Elm St", "csv", false, false], // its only phone was unreadable and dropped
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
    expect(ann.temperature).not.toBe("COLD");
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
    const { id: uploadId } = await uploadOk(content, { fileName: "probate-nov.csv" });
    const preview = await caller.imports.preview({ uploadId });
    const job = await caller.imports.create({ uploadId, mapping: { ...preview.mapping, fixedTags: ["Probate Nov"] } });
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

    signInAs(team.manager);
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

  it("reports every problem of a row in words, and a row with too few columns as such; the rejects CSV has them all", async () => {
    const header = ["Street", "City", "State", "Zip", "Beds", "Year Built", "Est Value", "Last Sale Date", "Owner"];
    const rows = [
      ["21 Good St", "Austin", "TX", "78701", "3", "1990", "250000", "2001-05-06", "Ann Lee"],
      // six bad fields in one row
      ["22 Bad St", "Austin", "ZZ", "ABCDE", "three", "1200", "about 300k", "2004-02-30", "Bo Ray"],
      // a row that stops after three columns
      ["23 Short St", "too few", "columns"],
    ];
    const { id, caller, preview } = await importCsv(csv([header, ...rows]));
    const sixProblems = ['Invalid state "ZZ"', 'Invalid ZIP code "ABCDE"', 'Beds is not a number: "three"', `Year built is out of range (1600–${new Date().getUTCFullYear() + 2}): "1200"`, 'Estimated value is not an amount in dollars: "about 300k"', 'Last sale date is not a date: "2004-02-30"'];
    const tooFew =
      "This row has 3 columns but the header has 9, so it has no Zip, Beds, Year Built, Est Value and 2 more. " +
      "A separator may be missing, or a value holding a comma or a line break may need quotes.";
    // The preview shows the same, one problem at a time.
    expect(preview.sampleRows[1]).toMatchObject({ rowNumber: 2, lead: null, problems: sixProblems, rejection: sixProblems.join("; ") });
    expect(preview.sampleRows[2]).toMatchObject({ rowNumber: 3, lead: null, problems: [tooFew] });

    const job = await caller.imports.get({ id });
    expect(counts(job)).toMatchObject({ created: 1, rejected: 2 });
    expect(job.rejects).toEqual([
      { rowNumber: 2, reason: sixProblems.join("; ") },
      { rowNumber: 3, reason: tooFew },
    ]);
    expect(JSON.stringify(job.rejects)).not.toMatch(/Invalid state "columns"/);

    signInAs(team.manager);
    const response = await rejectsRoute(new Request(`http://test/api/imports/${id}/rejects`), { params: Promise.resolve({ id }) });
    const records = parse(await response.text(), { relax_column_count: true }) as string[][];
    expect(records[1]!.slice(0, 2)).toEqual(["2", sixProblems.join("; ")]);
    expect(records[2]).toEqual(["3", tooFew, "23 Short St", "too few", "columns"]);
  });

  it("makes a Notes column a note on the lead, written by whoever imported it", async () => {
    const { id } = await importCsv(
      csv([
        ["Address", "Zip", "Notes"],
        ["31 Note St", "78701", "Owner wants to sell after probate.\nCall back in May."],
        ["32 Note St", "78701", ""],
      ]),
    );
    const leads = await db.lead.findMany({
      where: { importJobId: id },
      select: { addressLine1: true, notes: { select: { body: true, authorId: true, organizationId: true } } },
      orderBy: { addressLine1: "asc" },
    });
    expect(leads).toEqual([
      { addressLine1: "31 Note St", notes: [{ body: "Owner wants to sell after probate.\nCall back in May.", authorId: team.manager.id, organizationId: team.org.id }] },
      { addressLine1: "32 Note St", notes: [] },
    ]);
    // The lead page lists it like any other note.
    const lead = await db.lead.findFirstOrThrow({ where: { importJobId: id, addressLine1: "31 Note St" }, select: { id: true } });
    const detail = await callerFor(team.manager).leads.get({ id: lead.id });
    expect(JSON.stringify(detail)).toContain("Call back in May.");
  });

  it("answers 404 for another organization's rejects and 403 for a user", async () => {
    const { id } = await importCsv(csv([["Address", "Zip"], ["", "78701"], ["1 Their St", "78701"]]), { as: other.manager });
    const call = () => rejectsRoute(new Request(`http://test/api/imports/${id}/rejects`), { params: Promise.resolve({ id }) });
    signInAs(team.admin);
    const foreign = await call();
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain("1 Their St");
    signInAs(other.user);
    expect((await call()).status).toBe(403);
    signInAs(null);
    expect((await call()).status).toBe(401);
    signInAs(other.manager);
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
    const { id: uploadId } = await uploadOk(content, { fileName: "semi.csv" });
    const preview = await callerFor(team.manager).imports.preview({ uploadId });
    expect(preview).toMatchObject({
      fileName: "semi.csv",
      encoding: "utf-8",
      sampleRecords: [["1 Pine St", "78701", "Smith, John", "512-555-0101"], ["", "78701", "Nobody", ""]],
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
    const problemOf = async (content: string | Uint8Array) => {
      const uploaded = await uploadOk(content);
      const preview = await caller.imports.preview({ uploadId: uploaded.id });
      expect(preview.error).toBe(uploaded.problem);
      return uploaded.problem;
    };
    expect(await problemOf("")).toBe("The file is empty.");
    expect(await problemOf("Address,Zip\n")).toMatch(/no data rows/);
    expect(await problemOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toMatch(/Excel/);
    const unreadable = await caller.imports.preview({ uploadId: (await uploadOk(`Address,Zip\n1 A St,"${"x".repeat(1_100_000)}\n`)).id });
    expect(unreadable.error).toMatch(/could not be read at row 1/);

    const { id: uploadId } = await uploadOk("Address,Notes\n1 A St,hi\n");
    const noZip = await caller.imports.preview({ uploadId });
    expect(noZip.mappingProblem).toMatch(/ZIP/);
    const error = await caller.imports.create({ uploadId, mapping: noZip.mapping }).catch((e: unknown) => e);
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

describe("CSV import: streaming upload", () => {
  it("imports a 12 MB file (over the old 10 MB request limit) streamed through the upload route, in 256 KiB chunks", async () => {
    // The bytes are what this is about, not the row count: 10,000 rows with a long note each make
    // the 12 MB (90,000 short rows took ~100 s of a loaded CI machine's Vitest run to import).
    const rows = 10_000;
    const header = "Property Address,City,State,Zip,Owner,Phone,Notes\n";
    const lines = Array.from({ length: rows }, (_, i) => `"${i + 1} Stream Ave Unit ${i}",Austin,TX,78701,Owner Number ${i},(512) 555-${String(1000 + (i % 9000)).slice(0, 4)},${"n".repeat(1_300)}\n`);
    const content = header + lines.join("");
    const bytes = Buffer.byteLength(content);
    expect(bytes).toBeGreaterThan(12 * 1024 * 1024);

    const uploaded = await uploadOk(content, { fileName: "big-list.csv" });
    expect(uploaded).toMatchObject({ fileName: "big-list.csv", byteSize: bytes, rowCount: rows, problem: null });
    expect(await db.importUploadChunk.count({ where: { uploadId: uploaded.id } })).toBe(Math.ceil(bytes / UPLOAD_CHUNK_BYTES));

    const caller = callerFor(team.manager);
    const preview = await caller.imports.preview({ uploadId: uploaded.id });
    expect(preview).toMatchObject({ rowCount: rows, error: null, mappingProblem: null });
    expect(preview.sampleRows).toHaveLength(5);
    const job = await caller.imports.create({ uploadId: uploaded.id, mapping: preview.mapping });
    expect(job).toMatchObject({ fileName: "big-list.csv", totalRows: rows });
    expect(await runImport(db, job.id, { batchSize: 2000 })).toEqual({ outcome: "completed", processedRows: rows });
    const done = await caller.imports.get({ id: job.id });
    expect(counts(done)).toEqual({ processed: rows, created: rows, duplicates: 0, rejected: 0, total: rows });
    expect(await db.lead.count({ where: { importJobId: job.id } })).toBe(rows);
    expect(await db.leadPhone.count({ where: { lead: { importJobId: job.id } } })).toBe(rows);
    // The finished import keeps only the first chunk of its file, which the rejects download reads its header from.
    expect(await db.importUploadChunk.count({ where: { uploadId: uploaded.id } })).toBe(1);
    signInAs(team.manager);
    const rejects = await rejectsRoute(new Request(`http://test/api/imports/${job.id}/rejects`), { params: Promise.resolve({ id: job.id }) });
    expect((await rejects.text()).split("\n")[0]).toBe("row_number,reason,Property Address,City,State,Zip,Owner,Phone,Notes");
  }, 120_000);

  it("is not seen by the proxy (Next buffers the body of every request the proxy sees), so it sets the API security headers itself", async () => {
    const { config } = await import("@/proxy");
    const matched = (path: string) => config.matcher.some((source: string) => new RegExp(`^${source}$`).test(path));
    expect(matched("/api/imports/upload")).toBe(false);
    expect(matched("/api/imports/abc/rejects")).toBe(true);
    // The tRPC API skips it too, for speed (route-headers.int.test.ts).
    expect(matched("/api/trpc/imports.preview")).toBe(false);

    const response = await upload("Address,Zip\n1 Header St,78701\n");
    expect(response.status).toBe(201);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect((await upload("x", { as: null })).headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("previews from the start of the file: a file unreadable further in previews, and fails only when imported", async () => {
    const content = `Address,Zip\n${Array.from({ length: 40_000 }, (_, i) => `${i + 1} Head St,78701\n`).join("")}`;
    const uploaded = await uploadOk(content);
    expect(await db.importUploadChunk.count({ where: { uploadId: uploaded.id } })).toBeGreaterThanOrEqual(3);
    // After the first chunk comes a cell over csv-parse's 1 MB record limit: unreadable.
    await db.importUploadChunk.update({ where: { uploadId_index: { uploadId: uploaded.id, index: 1 } }, data: { data: new Uint8Array(1_100_000).fill(0x78) } });

    const caller = callerFor(team.manager);
    const preview = await caller.imports.preview({ uploadId: uploaded.id });
    expect(preview).toMatchObject({ error: null, rowCount: 40_000 });
    expect(preview.sampleRecords).toEqual([1, 2, 3, 4, 5].map((n) => [`${n} Head St`, "78701"]));
    const job = await caller.imports.create({ uploadId: uploaded.id, mapping: preview.mapping });
    expect((await runImport(db, job.id, { batchSize: 5000 })).outcome).toBe("failed");
    expect((await caller.imports.get({ id: job.id })).error).toMatch(/could not be read at row/);
  });

  it("reads a Windows-1252 file (Excel's US CSV) as such", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("Address,Zip,Owner\n1 Caf"), 0xe9, ...new TextEncoder().encode(" St,78701,Jos"), 0xe9, 0x0a]);
    const uploaded = await uploadOk(bytes);
    const caller = callerFor(team.manager);
    const shown = await caller.imports.preview({ uploadId: uploaded.id });
    expect(shown.encoding).toBe("windows-1252");
    expect(shown.sampleRows[0]!.lead).toMatchObject({ addressLine1: "1 Café St", ownerName: "José" });
    const job = await caller.imports.create({ uploadId: uploaded.id, mapping: shown.mapping });
    await runImport(db, job.id);
    expect(await db.lead.findFirst({ where: { importJobId: job.id }, select: { ownerName: true } })).toEqual({ ownerName: "José" });
  });

  it("refuses signed-out callers, users below manager, a missing file name, and a body over the limit", async () => {
    expect((await upload("Address,Zip\n1 A St,78701\n", { as: null })).status).toBe(401);
    expect((await upload("Address,Zip\n1 A St,78701\n", { as: team.user })).status).toBe(403);
    expect((await upload("Address,Zip\n1 A St,78701\n", { fileName: "  " })).status).toBe(400);
    expect((await upload("Address,Zip\n1 A St,78701\n", { fileName: "a\u0000.csv" })).status).toBe(400);

    const before = await db.importUpload.count();
    const declared = await upload("Address,Zip\n", { headers: { "content-length": String(300 * 1024 * 1024) } });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { appCode: string } }).error.appCode).toBe("PAYLOAD_TOO_LARGE");

    // A body without a length is counted as it streams: past the limit it is refused and nothing is kept.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode("1 Endless Rd,78701\n".repeat(5000)));
      },
    });
    const error = await storeUpload({ db, orgId: team.org.id, userId: team.manager.id }, { fileName: "endless.csv", body: endless, maxBytes: 2 * 1024 * 1024 }).catch((e: unknown) => e);
    expect((error as { appCode?: string }).appCode).toBe("PAYLOAD_TOO_LARGE");
    expect(pulled).toBeLessThan(30);
    expect(await db.importUpload.count()).toBe(before);
    expect(await db.importUploadChunk.count({ where: { upload: { fileName: "endless.csv" } } })).toBe(0);
  });

  it("deletes an upload cut off midway", async () => {
    const before = await db.importUpload.count();
    let sent = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++sent > 5) return controller.error(new Error("connection reset"));
        controller.enqueue(new Uint8Array(200 * 1024).fill(0x41));
      },
    });
    const response = await upload(broken, { fileName: "cut.csv" });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await db.importUpload.count()).toBe(before);
  });

  it("keeps uploads to the organization: another organization's upload id is not found", async () => {
    const theirs = await uploadOk("Address,Zip\n1 Their Secret St,78701\n", { as: other.manager, fileName: "their-upload.csv" });
    const caller = callerFor(team.admin);
    for (const attempt of [
      () => caller.imports.preview({ uploadId: theirs.id }),
      () => caller.imports.create({ uploadId: theirs.id, mapping: { address: 0, zip: 1 } }),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect((error as TRPCError).code).toBe("NOT_FOUND");
      expect(JSON.stringify(error)).not.toContain("Their Secret");
    }
    expect(await db.importJob.count({ where: { uploadId: theirs.id } })).toBe(0);
  });

  it("deletes the organization's uploads no import was started from after a day, and keeps the imported ones", async () => {
    const abandoned = await uploadOk("Address,Zip\n1 Old St,78701\n");
    const { id: jobId } = await importCsv("Address,Zip\n2 Old St,78701\n", { run: false });
    const { uploadId: imported } = await db.importJob.findUniqueOrThrow({ where: { id: jobId }, select: { uploadId: true } });
    const theirs = await uploadOk("Address,Zip\n3 Old St,78701\n", { as: other.manager });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await db.importUpload.updateMany({ where: { id: { in: [abandoned.id, imported, theirs.id] } }, data: { createdAt: dayAgo } });

    await uploadOk("Address,Zip\n4 New St,78701\n");
    const left = await db.importUpload.findMany({ where: { id: { in: [abandoned.id, imported, theirs.id] } }, select: { id: true } });
    expect(left.map((upload) => upload.id).sort()).toEqual([imported, theirs.id].sort());
    expect(await db.importUploadChunk.count({ where: { uploadId: abandoned.id } })).toBe(0);
  });
});

describe("CSV downloads: formulas are neutralised", () => {
  it("the rejects CSV prefixes cells (and headers) a spreadsheet would run", async () => {
    const header = ["Address", "Zip", "=HYPERLINK(\"http://x\")", "Notes"];
    const rows = [
      ["", "78701", "@SUM(1+1)", "=cmd|' /C calc'!A0"],
      ["-2+3 Main St", "ZZZZZ", "+1", "plain"],
    ];
    const { id } = await importCsv(csv([header, ...rows]));
    signInAs(team.manager);
    const response = await rejectsRoute(new Request(`http://test/api/imports/${id}/rejects`), { params: Promise.resolve({ id }) });
    expect(response.status).toBe(200);
    const records = parse(await response.text()) as string[][];
    expect(records).toEqual([
      ["row_number", "reason", "Address", "Zip", "'=HYPERLINK(\"http://x\")", "Notes"],
      ["1", "Missing property address", "", "78701", "'@SUM(1+1)", "'=cmd|' /C calc'!A0"],
      ["2", 'Invalid ZIP code "ZZZZZ"', "'-2+3 Main St", "ZZZZZ", "'+1", "plain"],
    ]);
  });
});
