import { parse } from "csv-parse/sync";
import { describe, expect, it, vi } from "vitest";
import { TRPCError } from "@trpc/server";
import { db, sqlPoolOf } from "@/server/db";
import { callerFor, createTeam, testSessionId } from "@/test/factories";
import { checkDnc } from "./dnc";
import { registryFreshness, REGISTRY_BATCH } from "./dnc-registry";
import type { RegistryUploadResult } from "./dnc-schema";

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));
const { POST: uploadRoute } = await import("@/app/api/compliance/dnc/registry/route");
const { GET: exportListRoute } = await import("@/app/api/compliance/dnc/export/route");
const { GET: exportChecksRoute } = await import("@/app/api/compliance/dnc/checks/export/route");

const DAY = 86_400_000;
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

function as(user: { id: string; email: string } | null) {
  session.current = user ? { user: { id: user.id, email: user.email }, sessionId: testSessionId(user.id), expires: new Date(Date.now() + 60_000).toISOString() } : null;
}

type Upload = { status: number; body: RegistryUploadResult & { error?: { code?: string; message?: string } } };

/** POST the file to the route as a stream of pieces (as a browser's upload arrives). */
async function upload(user: { id: string; email: string }, areaCode: number | string, extractDate: string, content: string | Iterable<string>, fileName = `${areaCode}.txt`): Promise<Upload> {
  as(user);
  const pieces = typeof content === "string" ? [content] : content;
  const encoder = new TextEncoder();
  const iterator = pieces[Symbol.iterator]();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const params = new URLSearchParams({ areaCode: String(areaCode), extractDate, fileName });
  const response = await uploadRoute(new Request(`http://test/api/compliance/dnc/registry?${params}`, { method: "POST", body, duplex: "half" } as RequestInit));
  return { status: response.status, body: (await response.json()) as Upload["body"] };
}

const lines = (numbers: number[]) => numbers.map((n) => `${n}\n`).join("");

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error("expected a refusal");
  return error as TRPCError;
}

describe("internal do-not-contact list", () => {
  it("managers add with a reason (once per number), admins remove with a reason; the row and the audit trail keep both", async () => {
    const team = await createTeam();
    const manager = callerFor(team.manager);
    const added = await manager.dnc.add({ phone: "(512) 555-0142", reason: "Owner called and asked never to be contacted" });
    expect(added).toMatchObject({ created: true, entry: { phone: "+15125550142", reason: "Owner called and asked never to be contacted", addedBy: { id: team.manager.id }, removed: null } });
    const again = await manager.dnc.add({ phone: "+1 512 555 0142", reason: "second time" });
    expect(again).toMatchObject({ created: false, entry: { id: added.entry.id, reason: "Owner called and asked never to be contacted" } });

    expect((await failure(callerFor(team.user).dnc.add({ phone: "5125550143", reason: "a user tries" }))).code).toBe("FORBIDDEN");
    expect((await failure(manager.dnc.remove({ id: added.entry.id, reason: "a manager tries" }))).code).toBe("FORBIDDEN");
    const short = await failure(callerFor(team.admin).dnc.remove({ id: added.entry.id, reason: "" }));
    expect(short.code).toBe("BAD_REQUEST");

    const removed = await callerFor(team.admin).dnc.remove({ id: added.entry.id, reason: "Signed consent form on file, Nov 20" });
    expect(removed.entry).toMatchObject({ id: added.entry.id, phone: "+15125550142", removed: { by: { id: team.admin.id }, reason: "Signed consent form on file, Nov 20" } });
    expect((await failure(callerFor(team.admin).dnc.remove({ id: added.entry.id, reason: "twice" }))).code).toBe("PRECONDITION_FAILED");

    // Added again later: a new live row beside the removed one (history kept).
    const readded = await manager.dnc.add({ phone: "5125550142", reason: "Asked again" });
    expect(readded.created).toBe(true);
    expect(readded.entry.id).not.toBe(added.entry.id);
    expect(await db.dncEntry.count({ where: { organizationId: team.org.id, phone: "+15125550142" } })).toBe(2);

    const live = await manager.dnc.list({});
    expect(live.items.map((i) => i.id)).toEqual([readded.entry.id]);
    const removedRows = await manager.dnc.list({ filters: { state: "removed" } });
    expect(removedRows.items.map((i) => i.id)).toEqual([added.entry.id]);
    expect((await manager.dnc.list({ filters: { state: "all", q: "555-0142" } })).items).toHaveLength(2);

    const audit = await db.auditLog.findMany({ where: { organizationId: team.org.id, action: { startsWith: "dnc." } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, a.actorId, a.targetId])).toEqual([
      ["dnc.added", team.manager.id, added.entry.id],
      ["dnc.removed", team.admin.id, added.entry.id],
      ["dnc.added", team.manager.id, readded.entry.id],
    ]);
    expect(audit[1]!.details).toMatchObject({ phone: "+15125550142", reason: "Signed consent form on file, Nov 20", addedFor: "Owner called and asked never to be contacted" });
  });

  it("refuses a number that is not a US/Canadian phone under the field", async () => {
    const team = await createTeam();
    const error = await failure(callerFor(team.manager).dnc.add({ phone: "12345", reason: "bad number" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/not a valid US or Canadian phone number/);
  });
});

describe("internal list import and exports", () => {
  it("imports a CSV once per number (notes kept in the reason), and exports the list and the check evidence of this organization only", async () => {
    const team = await createTeam();
    const theirs = await createTeam();
    await callerFor(theirs.manager).dnc.add({ phone: "5125550699", reason: "their secret reason" });
    await callerFor(team.manager).dnc.add({ phone: "5125550601", reason: "=cmd|' /C calc'!A0" });
    const imported = await callerFor(team.manager).dnc.import({
      fileName: "old-tool.csv",
      source: "Export of our previous tool",
      csv: "Name,Phone,Notes\nAnn,(512) 555-0601,\nBob,512-555-0602,asked twice\nCid,12345,\nBob again,+15125550602,\n",
    });
    expect(imported).toMatchObject({ rows: 4, added: 1, alreadyListed: 2, rejectedCount: 1, phoneColumn: "Phone", rejected: [{ row: 4, value: "12345" }] });
    const listed = await callerFor(team.manager).dnc.list({});
    expect(listed.items.find((i) => i.phone === "+15125550602")?.reason).toBe("Imported from old-tool.csv, row 3: Export of our previous tool (evidence: asked twice)");
    expect((await failure(callerFor(team.user).dnc.import({ fileName: "x.csv", source: "user", csv: "phone\n5125550603\n" }))).code).toBe("FORBIDDEN");
    await callerFor(team.manager).dnc.check({ phone: "5125550602" });

    as(team.manager);
    const list = await exportListRoute(new Request("http://test/api/compliance/dnc/export"));
    expect(list.status).toBe(200);
    const rows = parse(await list.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.phone, r.status, r.reason])).toEqual([
      ["+15125550602", "listed", "Imported from old-tool.csv, row 3: Export of our previous tool (evidence: asked twice)"],
      ["+15125550601", "listed", "'=cmd|' /C calc'!A0"],
    ]);
    const checks = await exportChecksRoute(new Request("http://test/api/compliance/dnc/checks/export"));
    const checkRows = parse(await checks.text(), { columns: true }) as Record<string, string>[];
    expect(checkRows).toEqual([expect.objectContaining({ phone: "+15125550602", result: "listed", sources: "internal", purpose: "manual", checked_by: team.manager.email })]);
    as(team.user);
    expect((await exportChecksRoute(new Request("http://test/api/compliance/dnc/checks/export"))).status).toBe(403);
  });
});

describe("registry upload (POST /api/compliance/dnc/registry)", () => {
  it("loads an area code's extract, counts rejected lines and repeats, and replaces only that area code on re-upload", async () => {
    const team = await createTeam();
    const first = await upload(team.admin, 512, day(-3), ["5125550100\n5125550101\r\n51255", "50102\n7375550100\nnot a number\n5125550100\n"]);
    expect(first.status).toBe(201);
    expect(first.body.upload).toMatchObject({ areaCode: 512, status: "current", numberCount: 3, rejectedCount: 2, duplicateCount: 1, extractDate: day(-3), uploadedBy: { id: team.admin.id } });
    expect(first.body.rejects).toEqual([
      { line: 4, value: "7375550100", reason: "Not in area code 512." },
      { line: 5, value: "not a number", reason: "Not a 10-digit phone number." },
    ]);
    const other = await upload(team.admin, 737, day(-2), "7375550100\n");
    expect(other.status).toBe(201);

    const check = async (...phones: string[]) => checkDnc(db, { organizationId: team.org.id, phones });
    const before = await check("+15125550100", "+15125550102", "+15125550103", "+17375550100");
    expect([...before.values()].map((r) => [r.phone, r.registry.listed])).toEqual([
      ["+15125550100", true],
      ["+15125550102", true],
      ["+15125550103", false],
      ["+17375550100", true],
    ]);

    const second = await upload(team.admin, 512, day(-1), lines([5125550103, 5125550104]));
    expect(second.body.upload).toMatchObject({ status: "current", numberCount: 2 });
    const after = await check("+15125550100", "+15125550103", "+15125550104", "+17375550100");
    expect([...after.values()].map((r) => [r.phone, r.registry.listed, r.registry.extractDate])).toEqual([
      ["+15125550100", false, day(-1)],
      ["+15125550103", true, day(-1)],
      ["+15125550104", true, day(-1)],
      ["+17375550100", true, day(-2)],
    ]);
    // The replaced set is gone from storage, its upload kept as history.
    expect(await db.dncRegistryNumber.count({ where: { uploadId: first.body.upload.id } })).toBe(0);
    expect(await db.dncRegistryUpload.findUniqueOrThrow({ where: { id: first.body.upload.id } })).toMatchObject({ status: "replaced" });
    const audit = await db.auditLog.findMany({ where: { organizationId: team.org.id, action: "dnc.registry_loaded" } });
    expect(audit).toHaveLength(3);

    const overview = await callerFor(team.manager).dnc.registry();
    expect(overview.freshness).toMatchObject({ status: "fresh", areaCodeCount: 2, numberCount: 3, staleAreaCodes: [] });
    expect(overview.uploads.map((u) => [u.areaCode, u.status])).toEqual([
      [512, "current"],
      [737, "current"],
      [512, "replaced"],
    ]);

    // An older extract (a re-upload by mistake) never replaces fresher data: 400 under its field, nothing changed.
    const older = await upload(team.admin, 512, day(-2), lines([5125550199]));
    expect(older.status).toBe(400);
    expect(JSON.stringify(older.body)).toContain(`already holds the extract of ${day(-1)}`);
    expect([...(await check("+15125550103", "+15125550199")).values()].map((r) => [r.phone, r.registry.listed, r.registry.extractDate])).toEqual([
      ["+15125550103", true, day(-1)],
      ["+15125550199", false, day(-1)],
    ]);
  });

  it("is not seen by the proxy (it would buffer the body), so it sets the API security headers itself", async () => {
    const { config } = await import("@/proxy");
    const matched = (path: string) => config.matcher.some((source: string) => new RegExp(`^${source}$`).test(path));
    expect(matched("/api/compliance/dnc/registry")).toBe(false);
    expect(matched("/api/compliance/dnc/export")).toBe(true);
    const team = await createTeam();
    as(team.admin);
    const response = await uploadRoute(new Request("http://test/api/compliance/dnc/registry?areaCode=512&extractDate=2026-01-01&fileName=512.txt", { method: "POST", body: "5125550100\n" }));
    expect(response.status).toBe(201);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    as(null);
    const refused = await uploadRoute(new Request("http://test/api/compliance/dnc/registry?areaCode=512&extractDate=2026-01-01&fileName=512.txt", { method: "POST", body: "5125550100\n" }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("a file without a number of the area code is refused and changes nothing; only admins upload", async () => {
    const team = await createTeam();
    await upload(team.admin, 512, day(-1), "5125550100\n");
    const wrong = await upload(team.admin, 512, day(0), "7375550100\n7375550101\n");
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.message).toMatch(/No line of the file is a phone number of area code 512/);
    const result = await checkDnc(db, { organizationId: team.org.id, phones: ["+15125550100"] });
    expect(result.get("+15125550100")!.registry).toMatchObject({ listed: true, extractDate: day(-1) });
    const failed = await db.dncRegistryUpload.findFirstOrThrow({ where: { organizationId: team.org.id, status: "failed" } });
    expect(await db.dncRegistryNumber.count({ where: { uploadId: failed.id } })).toBe(0);

    expect((await upload(team.manager, 512, day(0), "5125550101\n")).status).toBe(403);
    expect((await upload(team.admin, 511, day(0), "5115550101\n")).status).toBe(400);
    expect((await upload(team.admin, 512, day(3), "5125550101\n")).status).toBe(400);
  });

  it("admins remove an area code's data with a reason: its numbers are no longer listed nor stored, the upload kept as history", async () => {
    const team = await createTeam();
    const loaded = await upload(team.admin, 512, day(-1), "5125550100\n");
    await upload(team.admin, 737, day(-1), "7375550100\n");
    expect((await failure(callerFor(team.manager).dnc.removeAreaCode({ areaCode: 512, reason: "manager tries" }))).code).toBe("FORBIDDEN");
    expect((await failure(callerFor(team.admin).dnc.removeAreaCode({ areaCode: 214, reason: "never loaded" }))).code).toBe("NOT_FOUND");
    expect(await callerFor(team.admin).dnc.removeAreaCode({ areaCode: 512, reason: "Subscription for 512 ended" })).toEqual({ areaCode: 512, numberCount: 1 });
    const result = await checkDnc(db, { organizationId: team.org.id, phones: ["+15125550100", "+17375550100"] });
    expect(result.get("+15125550100")!.registry).toMatchObject({ loaded: false, listed: false });
    expect(result.get("+17375550100")!.registry.listed).toBe(true);
    expect(await db.dncRegistryNumber.count({ where: { uploadId: loaded.body.upload.id } })).toBe(0);
    const overview = await callerFor(team.manager).dnc.registry();
    expect(overview.freshness.areaCodes.map((a) => a.areaCode)).toEqual([737]);
    expect(overview.uploads.find((u) => u.id === loaded.body.upload.id)?.status).toBe("removed");
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: team.org.id, action: "dnc.registry_removed" } });
    expect(audit).toMatchObject({ actorId: team.admin.id, details: { areaCode: 512, reason: "Subscription for 512 ended", numberCount: 1 } });
  });

  it("an extract older than 31 days is stale: flagged per area code, overall, and on every check against it", async () => {
    const team = await createTeam();
    await upload(team.admin, 512, day(-40), "5125550100\n");
    await upload(team.admin, 737, day(-31), "7375550100\n");
    const freshness = await registryFreshness(db, team.org.id);
    expect(freshness).toMatchObject({ status: "stale", staleAreaCodes: [512], oldestExtractDate: day(-40), staleAfterDays: 31 });
    expect(freshness.areaCodes.map((a) => [a.areaCode, a.ageDays, a.stale])).toEqual([
      [512, 40, true],
      [737, 31, false],
    ]);
    const result = await checkDnc(db, { organizationId: team.org.id, phones: ["+15125550100", "+17375550100", "+12145550100"] });
    expect(result.get("+15125550100")!.registry).toMatchObject({ listed: true, stale: true, ageDays: 40 });
    expect(result.get("+17375550100")!.registry).toMatchObject({ listed: true, stale: false });
    expect(result.get("+12145550100")!.registry).toMatchObject({ areaCode: 214, loaded: false, listed: false, stale: false });
    expect((await registryFreshness(db, (await createTeam()).org.id)).status).toBe("none");
  });
});

describe("checkDnc", () => {
  it("names every source per phone, at the instant asked, in one statement that records one evidence row per phone", async () => {
    const team = await createTeam();
    const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "1 Flag St", city: "Austin", state: "TX", zip: "78701", ownerName: "Pat" });
    const { lead: other } = await callerFor(team.manager).leads.create({ addressLine1: "2 Flag St", city: "Austin", state: "TX", zip: "78701", ownerName: "Sam" });
    await db.leadPhone.createMany({
      data: [
        { organizationId: team.org.id, leadId: lead.id, number: "+15125550201", dnc: true, source: "skip-trace" },
        { organizationId: team.org.id, leadId: lead.id, number: "+15125550202", tcpa: true, source: "skip-trace" },
        // The flag is the number's: another lead's row with it flagged lists it for every lead.
        { organizationId: team.org.id, leadId: other.id, number: "+15125550203", dnc: true, tcpa: true, source: "skip-trace" },
        { organizationId: team.org.id, leadId: lead.id, number: "+15125550203", source: "manual" },
      ],
    });
    await upload(team.admin, 512, day(-2), lines([5125550204, 5125550205]));
    await callerFor(team.manager).dnc.add({ phone: "5125550205", reason: "Asked on a call" });
    const internalOnly = await callerFor(team.manager).dnc.add({ phone: "5125550206", reason: "Letter" });
    const removedLater = await callerFor(team.manager).dnc.add({ phone: "5125550207", reason: "Email" });
    const beforeRemoval = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await callerFor(team.admin).dnc.remove({ id: removedLater.entry.id, reason: "Consent form signed" });

    const phones = ["+15125550200", "+15125550201", "+15125550202", "+15125550203", "+15125550204", "+15125550205", "+15125550206", "+15125550207", "+442071838750"];
    const pool = sqlPoolOf(db)!;
    const spy = vi.spyOn(pool, "query");
    const results = await checkDnc(db, { organizationId: team.org.id, phones: [...phones, "+15125550201"], purpose: "preflight" });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();

    const sources = Object.fromEntries(phones.map((p) => [p, results.get(p)!.sources]));
    expect(sources).toEqual({
      "+15125550200": [],
      "+15125550201": ["skip_trace_dnc"],
      "+15125550202": ["skip_trace_tcpa"],
      "+15125550203": ["skip_trace_dnc", "skip_trace_tcpa"],
      "+15125550204": ["registry"],
      "+15125550205": ["internal", "registry"],
      "+15125550206": ["internal"],
      "+15125550207": [],
      "+442071838750": [],
    });
    expect(results.get("+15125550206")).toMatchObject({ listed: true, internal: { entryId: internalOnly.entry.id, reason: "Letter" } });
    expect(results.get("+15125550204")!.registry).toMatchObject({ areaCode: 512, loaded: true, listed: true, extractDate: day(-2), ageDays: 2, stale: false });
    expect(results.get("+442071838750")!.registry).toMatchObject({ areaCode: null, loaded: false });
    // Asked about an instant before the removal, the removed entry still listed the number.
    const past = await checkDnc(db, { organizationId: team.org.id, phones: ["+15125550207"], at: beforeRemoval });
    expect(past.get("+15125550207")!.sources).toEqual(["internal"]);

    const evidence = await db.dncCheck.findMany({ where: { organizationId: team.org.id, purpose: "preflight" }, orderBy: { phone: "asc" } });
    expect(evidence).toHaveLength(phones.length);
    expect(evidence.find((e) => e.phone === "+15125550205")).toMatchObject({ listed: true, sources: ["internal", "registry"], registryExtractDate: new Date(`${day(-2)}T00:00:00Z`) });
    expect(evidence.find((e) => e.phone === "+15125550200")).toMatchObject({ listed: false, sources: [], registryExtractDate: new Date(`${day(-2)}T00:00:00Z`) });
    expect(evidence.find((e) => e.phone === "+442071838750")).toMatchObject({ listed: false, registryExtractDate: null });
  });

  it("works inside a transaction too (the decision may call it there)", async () => {
    const team = await createTeam();
    await callerFor(team.manager).dnc.add({ phone: "5125550301", reason: "Asked" });
    await upload(team.admin, 512, day(-1), "5125550302\n");
    const result = await db.$transaction((tx) => checkDnc(tx, { organizationId: team.org.id, phones: ["+15125550301", "+15125550302", "+15125550303", "+442071838750"], at: new Date() }));
    expect(result.get("+15125550301")!.sources).toEqual(["internal"]);
    expect(result.get("+15125550302")!.sources).toEqual(["registry"]);
    expect(result.get("+15125550303")!.listed).toBe(false);
    expect(result.get("+442071838750")).toMatchObject({ listed: false, registry: { areaCode: null, loaded: false } });
    expect(await db.dncCheck.count({ where: { organizationId: team.org.id } })).toBe(4);
  });

  it("dnc.check answers one typed number with its sources and records it as a manual check by that member", async () => {
    const team = await createTeam();
    await callerFor(team.manager).dnc.add({ phone: "5125550401", reason: "Asked" });
    const answer = await callerFor(team.manager).dnc.check({ phone: "(512) 555-0401" });
    expect(answer).toMatchObject({ phone: "+15125550401", listed: true, sources: ["internal"], registry: { areaCode: 512, loaded: false } });
    expect(await db.dncCheck.findFirstOrThrow({ where: { organizationId: team.org.id } })).toMatchObject({ phone: "+15125550401", purpose: "manual", checkedById: team.manager.id, listed: true });
    expect((await failure(callerFor(team.user).dnc.check({ phone: "5125550401" }))).code).toBe("FORBIDDEN");
  });

  it("another organization's internal list, registry uploads and skip-trace flags never list a number for this one", async () => {
    const ours = await createTeam();
    const theirs = await createTeam();
    const { lead: theirLead } = await callerFor(theirs.manager).leads.create({ addressLine1: "9 Their Way", city: "Austin", state: "TX", zip: "78701", ownerName: "Them" });
    await db.leadPhone.create({ data: { organizationId: theirs.org.id, leadId: theirLead.id, number: "+15125550502", dnc: true, tcpa: true, source: "skip-trace" } });
    await callerFor(theirs.manager).dnc.add({ phone: "5125550501", reason: "their list" });
    await upload(theirs.admin, 512, day(-1), lines([5125550501, 5125550502, 5125550503]));

    const ourResults = await checkDnc(db, { organizationId: ours.org.id, phones: ["+15125550501", "+15125550502", "+15125550503"] });
    for (const result of ourResults.values()) expect(result).toMatchObject({ listed: false, sources: [], registry: { loaded: false } });
    expect((await callerFor(ours.admin).dnc.list({ filters: { state: "all" } })).items).toEqual([]);
    expect((await callerFor(ours.admin).dnc.registry()).freshness.status).toBe("none");

    // Our upload of the same area code leaves theirs as it was.
    await upload(ours.admin, 512, day(0), lines([5125550509]));
    const theirResults = await checkDnc(db, { organizationId: theirs.org.id, phones: ["+15125550503", "+15125550509"] });
    expect(theirResults.get("+15125550503")!.registry).toMatchObject({ listed: true, extractDate: day(-1) });
    expect(theirResults.get("+15125550509")!.registry.listed).toBe(false);
  });
});

describe("a registry of a million numbers", () => {
  it("loads 1,000,000 numbers streamed in pieces, then checks 10,000 phones against it quickly", { timeout: 120_000 }, async () => {
    const team = await createTeam();
    const COUNT = 1_000_000;
    // Every 7th number of area code 512 from 512-200-0000 on: realistic spread, all valid.
    const numberAt = (i: number) => 5_122_000_000 + i * 7;
    function* file() {
      const perPiece = 20_000; // ~220 KB pieces, like a network read
      for (let start = 0; start < COUNT; start += perPiece) {
        let piece = "";
        for (let i = start; i < Math.min(start + perPiece, COUNT); i++) piece += `${numberAt(i)}\r\n`;
        yield piece;
      }
    }
    const started = performance.now();
    const result = await upload(team.admin, 512, day(-1), file());
    const seconds = (performance.now() - started) / 1000;
    expect(result.status).toBe(201);
    expect(result.body.upload).toMatchObject({ numberCount: COUNT, rejectedCount: 0, duplicateCount: 0, status: "current" });
    expect(await db.dncRegistryNumber.count({ where: { uploadId: result.body.upload.id } })).toBe(COUNT);
    expect(COUNT / REGISTRY_BATCH).toBeGreaterThan(1);

    // Half listed (every 7th number hit exactly), half one past a listed number (not listed).
    const phones = Array.from({ length: 10_000 }, (_, k) => `+1${numberAt(k * 97) + (k % 2)}`);
    const checkStarted = performance.now();
    const results = await checkDnc(db, { organizationId: team.org.id, phones, purpose: "bench" });
    const checkMs = performance.now() - checkStarted;
    expect([...results.values()].filter((r) => r.registry.listed)).toHaveLength(5_000);
    expect(await db.dncCheck.count({ where: { organizationId: team.org.id, purpose: "bench" } })).toBe(10_000);

    console.info(
      `[dnc] 1M-number upload: ${seconds.toFixed(2)} s over the route (${Math.round(COUNT / seconds).toLocaleString("en-US")} numbers/s; service-measured ${result.body.seconds.toFixed(2)} s, ${result.body.numbersPerSecond.toLocaleString("en-US")}/s); 10k-phone check + evidence: ${checkMs.toFixed(0)} ms`,
    );
    // Generous bounds for a shared 2-core machine: the point is "completes, and checks are fast".
    expect(seconds).toBeLessThan(60);
    expect(checkMs).toBeLessThan(5_000);
  });
});
