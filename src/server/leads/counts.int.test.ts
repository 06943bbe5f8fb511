import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { toAppError } from "@/server/errors";
import { detectMapping } from "@/lib/csv-import/detect";
import { callerFor, createTeam, type TestUser } from "@/test/factories";
import { raceTest } from "@/test/database-kind";
import { leadWhere } from "../lead-records/filters";
import { runImport } from "./import/run";
import { storeUpload } from "./import/upload";
import { FOLD_DELTAS_AFTER, foldLeadCountDeltas } from "./service";
import { LEAD_STATUSES, leadFiltersSchema, TEMPERATURES, type LeadFiltersInput } from "./schema";

/**
 * leads.counts answers from "LeadCount", the counters the triggers on "Lead" keep. These tests
 * compare every organization's counters with a count of the leads themselves after each kind of
 * write, concurrent ones included, and the procedure's answer with the leads it describes.
 */

type Team = { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let team: Team;
let other: Team;

const STREETS = ["Oak St", "Maple Ave", "Pine Rd", "Cedar Ln"];
const SOURCES = ["sandbox", "csv", "manual", "attom"] as const;

async function seed(orgId: string, count: number, prefix: string, assigneeId?: string) {
  await db.lead.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      organizationId: orgId,
      source: SOURCES[i % 4]!,
      addressLine1: `${100 + i} ${STREETS[i % 4]}`,
      city: "Austin",
      state: "TX",
      zip: i % 2 ? "78701" : "78702",
      normalizedAddress: `${prefix}${i}`,
      normalizedOwner: `${prefix}o${i}`,
      dedupKey: `${prefix}-${i}`,
      ownerName: i % 3 ? `Owner ${i}` : null,
      status: LEAD_STATUSES[i % 8]!,
      temperature: TEMPERATURES[(i * 3) % 4]!,
      score: (i * 37) % 101,
      hasPhone: i % 3 === 0,
      skipTracedAt: i % 4 === 0 ? new Date() : null,
      archivedAt: i % 9 === 8 ? new Date() : null,
      assigneeId: assigneeId && i % 5 === 0 ? assigneeId : null,
    })),
  });
}

/** Every organization's counters against a GROUP BY over its leads: no difference anywhere. */
async function expectCountersExact() {
  const differences = await db.$queryRaw<{ organizationId: string; counted: number; actual: number }[]>`
    WITH actual AS (
      SELECT "organizationId", status, temperature, source, "hasPhone", textable, "skipTracedAt" IS NOT NULL AS "skipTraced", "archivedAt" IS NOT NULL AS archived, count(*)::int AS n
      FROM "Lead" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ), counted AS (
      SELECT "organizationId", status, temperature, source, "hasPhone", textable, "skipTraced", archived, sum(count)::int AS count
      FROM (SELECT "organizationId", status, temperature, source, "hasPhone", textable, "skipTraced", archived, count FROM "LeadCount"
            UNION ALL SELECT "organizationId", status, temperature, source, "hasPhone", textable, "skipTraced", archived, count FROM "LeadCountDelta") u
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(count) <> 0
    )
    SELECT COALESCE(a."organizationId", c."organizationId") AS "organizationId", COALESCE(c.count, 0) AS counted, COALESCE(a.n, 0) AS actual
    FROM actual a FULL JOIN counted c USING ("organizationId", status, temperature, source, "hasPhone", textable, "skipTraced", archived)
    WHERE COALESCE(c.count, 0) <> COALESCE(a.n, 0)`;
  expect(differences).toEqual([]);
}

/** What the counts must say, counted from the leads with the list's own Prisma filters. */
async function expectedCounts(orgId: string, input: LeadFiltersInput) {
  const filters = leadFiltersSchema.parse(input);
  const groups = await db.lead.groupBy({ by: ["status", "temperature", "hasPhone", "textable"], where: leadWhere(orgId, { ...filters, status: undefined }), _count: { _all: true } });
  const byStatus = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0]));
  const byTemperature = Object.fromEntries(TEMPERATURES.map((t) => [t, 0]));
  const withPhoneByStatus = { ...byStatus };
  const textableByStatus = { ...byStatus };
  let total = 0;
  for (const group of groups) {
    byStatus[group.status]! += group._count._all;
    byTemperature[group.temperature]! += group._count._all;
    if (group.hasPhone) withPhoneByStatus[group.status]! += group._count._all;
    if (group.textable) textableByStatus[group.status]! += group._count._all;
    total += group._count._all;
  }
  return { total, byStatus, byTemperature, withPhoneByStatus, textableByStatus };
}

beforeAll(async () => {
  [team, other] = await Promise.all([createTeam(), createTeam()]);
  await seed(team.org.id, 300, "t", team.user.id);
  await seed(other.org.id, 120, "x");
});

describe("the lead counters", () => {
  it("start exact for the seeded leads, per organization", async () => {
    await expectCountersExact();
    const counts = await callerFor(team.manager).leads.counts({ filters: { archived: "include" } });
    expect(counts.total).toBe(300);
    expect((await callerFor(other.admin).leads.counts({ filters: { archived: "include" } })).total).toBe(120);
  });

  it("follow single updates, outcomes, archive/restore, skip tracing and deletes", async () => {
    const caller = callerFor(team.manager);
    const [a, b, c] = await db.lead.findMany({ where: { organizationId: team.org.id, archivedAt: null }, orderBy: { id: "asc" }, take: 3 });
    await caller.leads.update({ id: a!.id, patch: { status: "negotiating" } });
    await caller.leads.setOutcome({ id: b!.id, outcome: "won", amountCents: 100_00, date: "2026-01-02" });
    await caller.leads.bulk({ target: { ids: [c!.id] }, action: { kind: "archive" } });
    await expectCountersExact();
    await caller.leads.bulk({ target: { ids: [c!.id] }, action: { kind: "restore" } });
    await db.lead.update({ where: { id: a!.id }, data: { skipTracedAt: new Date(), hasPhone: true, temperature: "ON_FIRE" } });
    await db.lead.update({ where: { id: a!.id }, data: { score: 99 } }); // no counted column: no change
    await db.lead.delete({ where: { id: b!.id } });
    await expectCountersExact();
  });

  it("follow bulk actions on a whole filter", async () => {
    const caller = callerFor(team.manager);
    const result = await caller.leads.bulk({ target: { filters: { status: ["new", "contacted"] } }, action: { kind: "status", status: "replied" } });
    expect(result.changed).toBeGreaterThan(50);
    await caller.leads.bulk({ target: { filters: { zip: "78701", temperature: ["HOT"] } }, action: { kind: "archive" } });
    await expectCountersExact();
    await caller.leads.bulk({ target: { filters: { archived: "only" } }, action: { kind: "restore" } });
    await expectCountersExact();
  });

  it("follow a CSV import (batches inserted by the import run) and a re-import of the same rows", async () => {
    const header = ["Property Address", "City", "State", "Zip Code", "Owner 1 Full Name", "Phone 1"];
    const lines = [header.join(",")];
    for (let i = 0; i < 240; i++) lines.push([`"${500 + i} Import Way"`, "Austin", "TX", "78703", `"Imported Owner ${i}"`, i % 2 ? `(512) 555-${String(1000 + i)}` : ""].join(","));
    const before = (await callerFor(team.manager).leads.counts({ filters: { archived: "include" } })).total;
    for (let round = 0; round < 2; round++) {
      const upload = await storeUpload({ db, orgId: team.org.id, userId: team.manager.id }, { fileName: "counts.csv", body: [Buffer.from(lines.join("\n"))] });
      const job = await db.importJob.create({
        data: { organizationId: team.org.id, createdById: team.manager.id, fileName: "counts.csv", uploadId: upload.id, mapping: detectMapping(header), totalRows: upload.rowCount },
      });
      await runImport(db, job.id, { batchSize: 50 });
    }
    const after = await callerFor(team.manager).leads.counts({ filters: { archived: "include" } });
    expect(after.total).toBe(before + 240);
    expect(after.total).toBe(await db.lead.count({ where: { organizationId: team.org.id } }));
    await expectCountersExact();
  });

  raceTest("stay exact under concurrent creates, updates, bulk actions and deletes in many transactions", async () => {
    const caller = callerFor(team.manager);
    const ids = (await db.lead.findMany({ where: { organizationId: team.org.id }, select: { id: true }, orderBy: { id: "asc" }, take: 220 })).map((l) => l.id);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      writes.push(caller.leads.create({ addressLine1: `${i} Race Rd`, city: "Austin", state: "TX", zip: "78704", status: LEAD_STATUSES[i % 8]! }));
      writes.push(caller.leads.update({ id: ids[i]!, patch: { status: LEAD_STATUSES[(i + 3) % 8]! } }));
      // Transactions that touch the same counters in the same statements as the others.
      writes.push(
        db.$transaction(async (tx) => {
          await tx.lead.createMany({
            data: Array.from({ length: 5 }, (_, j) => ({
              organizationId: team.org.id, source: "csv" as const, addressLine1: `${i}-${j} Race Tx`, city: "Austin", state: "TX", zip: "78704",
              normalizedAddress: `race${i}-${j}`, normalizedOwner: "", dedupKey: `race-${i}-${j}`, status: "new" as const,
            })),
          });
          await tx.lead.updateMany({ where: { id: { in: ids.slice(30 + i * 4, 34 + i * 4) } }, data: { temperature: "HOT" } });
        }),
      );
    }
    writes.push(caller.leads.bulk({ target: { ids: ids.slice(150, 200) }, action: { kind: "status", status: "dead" } }));
    writes.push(caller.leads.bulk({ target: { ids: ids.slice(100, 150) }, action: { kind: "archive" } }));
    writes.push(db.lead.deleteMany({ where: { id: { in: ids.slice(200, 210) } } }));
    // Folds running between the writes.
    for (let i = 0; i < 5; i++) writes.push(foldLeadCountDeltas(db, team.org.id));
    // A transaction that rolls back leaves the counters as they were.
    writes.push(
      db
        .$transaction(async (tx) => {
          await tx.lead.updateMany({ where: { organizationId: team.org.id }, data: { status: "closed" } });
          throw new Error("rolled back on purpose");
        })
        .catch(() => null),
    );
    const outcomes = await Promise.allSettled(writes);
    // Postgres may abort a transaction as a deadlock's victim (the org-wide update above locks every
    // row), and on a loaded machine a transaction may wait past its maxWait for a connection (refused
    // as DATABASE_BUSY before it started): either wrote nothing, which the counters must show as well.
    // Nothing else may fail.
    const wroteNothing = (o: PromiseSettledResult<unknown>) =>
      o.status === "rejected" && (/deadlock detected/.test(String((o.reason as Error)?.message ?? o.reason)) || toAppError(o.reason).appCode === "DATABASE_BUSY");
    expect(outcomes.filter((o) => o.status === "rejected" && !wroteNothing(o))).toEqual([]);
    await expectCountersExact();
  }, 60_000);

  raceTest("stay exact, with every lead's phone flags what its phones say, under concurrent phone writes, marks, opt-outs and DNC entries", async () => {
    // The seed wrote the flags by hand; from here on the triggers own them.
    await db.$executeRaw`SELECT leadflow_refresh_lead_phone_flags(array_agg(id)) FROM "Lead"`;
    await expectCountersExact();
    const manager = callerFor(team.manager);
    const user = callerFor(team.user);
    const leads = (await db.lead.findMany({ where: { organizationId: team.org.id }, select: { id: true }, orderBy: { id: "desc" }, take: 40 })).map((l) => l.id);
    const shared = (i: number) => `+1512555${String(7000 + (i % 6)).padStart(4, "0")}`; // numbers several leads share
    // Phones to mark: two per lead on leads 20–29.
    await db.leadPhone.createMany({
      data: leads.slice(20, 30).flatMap((leadId, i) => [
        { organizationId: team.org.id, leadId, number: `+1512555${String(8000 + i)}`, type: "mobile" as const, source: "batchdata", isBest: true },
        { organizationId: team.org.id, leadId, number: `+1512555${String(8100 + i)}`, type: "unknown" as const, source: "batchdata" },
      ]),
    });
    await db.leadPhone.createMany({ data: leads.slice(30, 40).map((leadId, i) => ({ organizationId: team.org.id, leadId, number: shared(i), type: "mobile" as const, source: "csv" })) });
    const marked = await db.leadPhone.findMany({ where: { leadId: { in: leads.slice(20, 30) } }, orderBy: { number: "asc" } });
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      writes.push(user.leads.addPhone({ leadId: leads[i]!, number: shared(i), type: "mobile" }));
      writes.push(
        db.$transaction(async (tx) => {
          // A trace's set-based writes: new phones of every kind, one batch per transaction.
          await tx.leadPhone.createMany({
            data: [
              { organizationId: team.org.id, leadId: leads[10 + i]!, number: shared(i + 3), type: "mobile", source: "sandbox" },
              { organizationId: team.org.id, leadId: leads[10 + i]!, number: `+1512555${String(9000 + i)}`, type: (["voip", "landline", "mobile"] as const)[i % 3], dnc: i % 2 === 0, source: "sandbox" },
            ],
          });
          await tx.lead.update({ where: { id: leads[10 + i]! }, data: { skipTracedAt: new Date() } });
        }),
      );
      writes.push(user.leads.markPhone({ phoneId: marked[i]!.id, mark: (["wrong_number", "verified", "do_not_call"] as const)[i % 3]! }));
      writes.push(user.leads.markPhone({ phoneId: marked[10 + i]!.id, mark: i % 2 ? "verified" : "wrong_number" }));
    }
    for (let i = 0; i < 6; i++) {
      // Opt-outs and DNC entries of numbers being added to leads at the same moment.
      if (i % 2) writes.push(user.suppressions.add({ phone: shared(i), evidence: "Asked on a call to stop." }));
      else writes.push(manager.dnc.add({ phone: shared(i), reason: "Asked by letter not to be contacted." }));
    }
    writes.push(db.leadPhone.deleteMany({ where: { leadId: { in: leads.slice(30, 40) } } }));
    const outcomes = await Promise.allSettled(writes);
    const deadlockVictim = (o: PromiseSettledResult<unknown>) => o.status === "rejected" && /deadlock detected/.test(String((o.reason as Error)?.message ?? o.reason));
    expect(outcomes.filter((o) => o.status === "rejected" && !deadlockVictim(o))).toEqual([]);
    await expectCountersExact();
    // Every lead's flags are what its phones, the opt-outs and the DNC list say now.
    const wrong = await db.$queryRaw<{ id: string }[]>`
      SELECT l.id FROM "Lead" l WHERE l."hasPhone" IS DISTINCT FROM EXISTS (SELECT 1 FROM "LeadPhone" p WHERE p."leadId" = l.id)
        OR l.textable IS DISTINCT FROM EXISTS (SELECT 1 FROM "LeadPhone" p WHERE p."leadId" = l.id AND leadflow_phone_textable(p))`;
    expect(wrong).toEqual([]);
    // And the opt-outs and DNC entries took: no lead is textable through a listed number alone.
    const listed = await db.lead.count({ where: { id: { in: leads.slice(0, 6) }, textable: true } });
    expect(listed).toBe(0);
    expect(await db.lead.count({ where: { id: { in: leads.slice(0, 20) }, hasPhone: false } })).toBe(0);
  }, 60_000);

  it("fold their deltas into the counters without changing any answer", async () => {
    const caller = callerFor(team.manager);
    await foldLeadCountDeltas(db, team.org.id); // (a read below the fold threshold does not fold)
    await caller.leads.bulk({ target: { filters: { zip: "78702" } }, action: { kind: "status", status: "contacted" } });
    // Counted before the read: a read that finds more than FOLD_DELTAS_AFTER folds them itself, after answering.
    expect(await db.leadCountDelta.count({ where: { organizationId: team.org.id } })).toBeGreaterThan(0);
    const before = await caller.leads.counts({ filters: { archived: "include" } });
    await foldLeadCountDeltas(db, team.org.id);
    expect(await db.leadCountDelta.count({ where: { organizationId: team.org.id } })).toBe(0);
    expect(await caller.leads.counts({ filters: { archived: "include" } })).toEqual(before);
    await expectCountersExact();
  });

  it("are folded by a counts read that finds many deltas, after it answered", async () => {
    const caller = callerFor(team.manager);
    const ids = (await db.lead.findMany({ where: { organizationId: team.org.id }, select: { id: true }, take: FOLD_DELTAS_AFTER + 20 })).map((l) => l.id);
    // One statement per lead: one delta row each way.
    for (const id of ids) await db.lead.update({ where: { id }, data: { hasPhone: true, temperature: "WARM", status: "interested" } });
    const deltas = await db.leadCountDelta.count({ where: { organizationId: team.org.id } });
    expect(deltas).toBeGreaterThan(FOLD_DELTAS_AFTER);
    expect(await caller.leads.counts({ filters: {} })).toEqual(await expectedCounts(team.org.id, {}));
    await expect.poll(() => db.leadCountDelta.count({ where: { organizationId: team.org.id } })).toBeLessThan(deltas);
    await expectCountersExact();
  });

  it("are removed with their organization, and a truncate-free delete of every lead leaves zeros", async () => {
    const doomed = await createTeam();
    await seed(doomed.org.id, 40, "d");
    await db.lead.deleteMany({ where: { organizationId: doomed.org.id, status: "new" } });
    await expectCountersExact();
    await db.organization.delete({ where: { id: doomed.org.id } });
    expect(await db.leadCount.count({ where: { organizationId: doomed.org.id } })).toBe(0);
    expect(await db.leadCountDelta.count({ where: { organizationId: doomed.org.id } })).toBe(0);
    await expectCountersExact();
  });
});

describe("leads.counts", () => {
  const cases: LeadFiltersInput[] = [
    {},
    { archived: "include" },
    { archived: "only" },
    { hasPhone: true },
    { hasPhone: false, skipTraced: true },
    { textable: true },
    { textable: false, hasPhone: true, archived: "include" },
    { temperature: ["HOT", "ON_FIRE"], source: ["csv", "attom"] },
    { status: ["new"] }, // the status filter is left out of the counts
    { tagIds: [] }, // an empty list is no filter
    // Filters the counters do not hold: counted from the leads.
    { zip: "78701" },
    { zip: "78701", hasPhone: true, archived: "include" },
    { scoreMin: 40, scoreMax: 80 },
    { q: "maple" },
    { assigneeId: "unassigned" },
  ];
  it.each(cases)("says what the leads say for %o", async (filters) => {
    const counts = await callerFor(team.user).leads.counts({ filters });
    expect(counts).toEqual(await expectedCounts(team.org.id, filters));
  });

  it("counts by tag and assignee like the list filters", async () => {
    const caller = callerFor(team.manager);
    const tag = await caller.tags.create({ name: `counted-${Date.now()}`, color: "green" });
    const ids = (await db.lead.findMany({ where: { organizationId: team.org.id }, take: 17, select: { id: true } })).map((l) => l.id);
    await caller.leads.bulk({ target: { ids }, action: { kind: "tag", tagId: tag.id } });
    for (const filters of [{ tagIds: [tag.id] }, { assigneeId: team.user.id }, { tagIds: [tag.id], temperature: ["WARM" as const] }]) {
      expect(await caller.leads.counts({ filters })).toEqual(await expectedCounts(team.org.id, filters));
    }
    expect((await caller.leads.counts({ filters: { tagIds: [tag.id], archived: "include" } })).total).toBe(17);
  });

  it("never counts another organization's leads", async () => {
    const mine = await callerFor(other.user).leads.counts({ filters: { archived: "include" } });
    expect(mine.total).toBe(await db.lead.count({ where: { organizationId: other.org.id } }));
    expect(mine).toEqual(await expectedCounts(other.org.id, { archived: "include" }));
  });

  it("reads the counters, not the leads, when the filters allow (no scan of the organization's rows)", async () => {
    // The counters are the source: a counter row changed by hand shows in the answer.
    await foldLeadCountDeltas(db, other.org.id);
    const row = await db.leadCount.findFirstOrThrow({ where: { organizationId: other.org.id, archived: false, count: { gt: 0 } } });
    const key = { organizationId_status_temperature_source_hasPhone_skipTraced_archived_textable: { ...row, count: undefined } };
    await db.leadCount.update({ where: key, data: { count: { increment: 1000 } } });
    try {
      const counts = await callerFor(other.user).leads.counts({ filters: {} });
      const actual = await expectedCounts(other.org.id, {});
      expect(counts.total - actual.total).toBe(1000);
      expect(counts.byStatus[row.status] - actual.byStatus[row.status]!).toBe(1000);
      // A filter the counters cannot answer counts the leads themselves.
      expect(await callerFor(other.user).leads.counts({ filters: { zip: "78702" } })).toEqual(await expectedCounts(other.org.id, { zip: "78702" }));
    } finally {
      await db.leadCount.update({ where: key, data: { count: { decrement: 1000 } } });
    }
  });
});
