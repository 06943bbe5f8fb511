import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { callerFor, createTeam, type TestUser } from "@/test/factories";
import { raceTest } from "@/test/database-kind";
import { LEAD_STATUSES, type LeadFiltersInput } from "./schema";

type Caller = ReturnType<typeof callerFor>;
const codeOf = (error: unknown) => (error as TRPCError).code;

const STREETS = ["Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm Ct"];
const OWNERS = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", null];
const ZIPS = ["78701", "78702", "30301"];
const SOURCES = ["sandbox", "csv", "manual", "attom"] as const;
const TEMPS = ["COLD", "WARM", "HOT", "ON_FIRE"] as const;

type Seeded = { id: string; status: string; temperature: string; score: number; source: string; zip: string; hasPhone: boolean; skipTracedAt: Date | null; assigneeId: string | null; ownerName: string | null; addressLine1: string; createdAt: Date; archivedAt: Date | null; tagged: boolean };

let team: { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let caller: Caller;
let seeded: Seeded[];
let tagId: string;

beforeAll(async () => {
  team = await createTeam();
  caller = callerFor(team.manager);
  const base = Date.UTC(2026, 0, 1);
  const rows: Prisma.LeadCreateManyInput[] = Array.from({ length: 73 }, (_, i) => ({
    organizationId: team.org.id,
    source: SOURCES[i % 4]!,
    addressLine1: `${100 + i} ${STREETS[i % 5]}`,
    city: "Austin",
    state: "TX",
    zip: ZIPS[i % 3]!,
    normalizedAddress: `k${i}`,
    ownerName: OWNERS[i % 5] ?? null,
    normalizedOwner: `o${i}`,
    dedupKey: `dedup-${i}`,
    status: LEAD_STATUSES[i % 8]!,
    temperature: TEMPS[i % 4]!,
    score: (i * 37) % 101,
    hasPhone: i % 3 === 0,
    skipTracedAt: i % 4 === 0 ? new Date(base) : null,
    assigneeId: i % 5 === 0 ? team.user.id : null,
    archivedAt: i % 10 === 9 ? new Date(base) : null,
    // Several leads share a timestamp so the id tiebreak matters.
    createdAt: new Date(base + Math.floor(i / 3) * 60_000),
  }));
  await db.lead.createMany({ data: rows });
  const tag = await caller.tags.create({ name: "motivated", color: "red" });
  tagId = tag.id;
  const all = await db.lead.findMany({ where: { organizationId: team.org.id }, orderBy: { addressLine1: "asc" } });
  const toTag = all.filter((_, i) => i % 6 === 0).map((lead) => lead.id);
  await caller.leads.bulk({ target: { ids: toTag }, action: { kind: "tag", tagId } });
  seeded = (await db.lead.findMany({ where: { organizationId: team.org.id }, include: { tags: true } })).map((lead) => ({ ...lead, tagged: lead.tags.length > 0 }));
});

async function listAll(filters: LeadFiltersInput, sort?: { field: "createdAt" | "updatedAt" | "score" | "ownerName" | "addressLine1" | "status"; direction: "asc" | "desc" }, limit = 7) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result: Awaited<ReturnType<Caller["leads"]["list"]>> = await caller.leads.list({ filters, sort, cursor, limit });
    ids.push(...result.items.map((item) => item.id));
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return ids;
}

describe("leads.list", () => {
  const cases: [string, LeadFiltersInput, (lead: Seeded) => boolean][] = [
    ["no filter (archived excluded)", {}, (l) => !l.archivedAt],
    ["status", { status: ["new", "replied"] }, (l) => !l.archivedAt && ["new", "replied"].includes(l.status)],
    ["temperature", { temperature: ["HOT"] }, (l) => !l.archivedAt && l.temperature === "HOT"],
    ["tag", { tagIds: [] as string[] }, (l) => !l.archivedAt && l.tagged],
    ["has phone", { hasPhone: true }, (l) => !l.archivedAt && l.hasPhone],
    ["not skip traced", { skipTraced: false }, (l) => !l.archivedAt && !l.skipTracedAt],
    ["zip", { zip: "78702" }, (l) => !l.archivedAt && l.zip === "78702"],
    ["source", { source: ["csv", "manual"] }, (l) => !l.archivedAt && ["csv", "manual"].includes(l.source)],
    ["assignee", { assigneeId: "ASSIGNEE" }, (l) => !l.archivedAt && l.assigneeId !== null],
    ["unassigned", { assigneeId: "unassigned" }, (l) => !l.archivedAt && l.assigneeId === null],
    ["score range", { scoreMin: 30, scoreMax: 60 }, (l) => !l.archivedAt && l.score >= 30 && l.score <= 60],
    ["free text on address", { q: "maple" }, (l) => !l.archivedAt && l.addressLine1.includes("Maple")],
    ["free text on owner", { q: "HOPPER" }, (l) => !l.archivedAt && (l.ownerName ?? "").includes("Hopper")],
    ["archived only", { archived: "only" }, (l) => !!l.archivedAt],
    ["combined", { status: ["new", "contacted", "replied", "interested"], hasPhone: true, zip: "78701" }, (l) => !l.archivedAt && ["new", "contacted", "replied", "interested"].includes(l.status) && l.hasPhone && l.zip === "78701"],
  ];
  it.each(cases)("filters by %s, across every page, without gaps or repeats", async (_label, rawFilters, predicate) => {
    const filters = { ...rawFilters };
    if (filters.tagIds) filters.tagIds = [tagId];
    if (filters.assigneeId === "ASSIGNEE") filters.assigneeId = team.user.id;
    const ids = await listAll(filters);
    const expected = seeded.filter(predicate);
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(expected.map((l) => l.id).sort());
  });

  const sorts = [
    ["createdAt", "desc"],
    ["createdAt", "asc"],
    ["score", "desc"],
    ["score", "asc"],
    ["ownerName", "asc"],
    ["ownerName", "desc"],
    ["addressLine1", "desc"],
    ["status", "asc"],
  ] as const;
  it.each(sorts)("sorts by %s %s with a stable order across pages", async (field, direction) => {
    const ids = await listAll({}, { field, direction }, 5);
    const byId = new Map(seeded.map((l) => [l.id, l]));
    const rows = ids.map((id) => byId.get(id)!);
    expect(rows).toHaveLength(seeded.filter((l) => !l.archivedAt).length);
    const sign = direction === "asc" ? 1 : -1;
    const key = (l: Seeded) => (field === "status" ? LEAD_STATUSES.indexOf(l.status as (typeof LEAD_STATUSES)[number]) : (l[field] as string | number | Date | null));
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [key(rows[i - 1]!), key(rows[i]!)];
      // Postgres' default: nulls last ascending, first descending.
      if (a === null && b !== null) expect(direction).toBe("desc");
      if (a !== null && b === null) expect(direction).toBe("asc");
      if ((a === null) !== (b === null)) continue;
      // +1 when the pair is ascending, -1 when descending; equal keys (or two nulls) fall back to the id.
      const step = a !== null && b !== null && a < b ? 1 : a !== null && b !== null && a > b ? -1 : rows[i - 1]!.id < rows[i]!.id ? 1 : -1;
      expect(step).toBe(sign);
    }
  });

  it("counts leads per status for the other filters", async () => {
    const counts = await caller.leads.counts({ filters: { zip: "78701", status: ["new"] } });
    const live = seeded.filter((l) => !l.archivedAt && l.zip === "78701");
    expect(counts.total).toBe(live.length);
    for (const status of LEAD_STATUSES) expect(counts.byStatus[status]).toBe(live.filter((l) => l.status === status).length);
  });

  it("rejects malformed filters with BAD_REQUEST naming the field", async () => {
    const error = await caller.leads.list({ filters: { zip: "7870" } }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("BAD_REQUEST");
  });
});

describe("leads.create", () => {
  const input = { addressLine1: "742 Evergreen Terrace", city: "Springfield", state: "or", zip: "97403", ownerName: "Homer Simpson", equityPct: 85, absentee: true };

  it("creates a scored lead with a 'created' timeline entry, and dedups a differently written copy", async () => {
    const { lead, created } = await caller.leads.create(input);
    expect(created).toBe(true);
    expect(lead).toMatchObject({ state: "OR", source: "manual", status: "new", score: 60, temperature: "WARM" });
    expect(lead.scoreFactors.map((f) => f.factor)).toEqual(["base", "equity", "absentee_owner"]);
    expect(lead.activity.map((a) => a.kind)).toEqual(["created"]);

    const again = await caller.leads.create({ ...input, addressLine1: "742 EVERGREEN TER.", ownerName: "SIMPSON, HOMER" });
    expect(again).toMatchObject({ created: false, lead: { id: lead.id } });
  });

  it("refuses a sale date Postgres cannot store (the year 0000) with a 400 naming the field, not a 500", async () => {
    const error = await caller.leads.create({ ...input, addressLine1: "1 Year Zero Rd", lastSaleDate: "0000-01-01" }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("BAD_REQUEST");
    expect((error as { message: string }).message).toMatch(/year 1000/);
  });

  it("recognizes a company owner on manual create and on rename, and scores it", async () => {
    const { lead } = await caller.leads.create({ addressLine1: "15 Holding Co Rd", city: "Austin", state: "TX", zip: "78701", ownerName: "Acme Holdings, L.L.C." });
    expect(lead.ownerIsCorporate).toBe(true);
    expect(lead.scoreFactors.map((f) => f.factor)).toContain("corporate_owner");
    const renamed = await caller.leads.update({ id: lead.id, patch: { ownerName: "Maria Lopez" } });
    expect(renamed.ownerIsCorporate).toBe(false);
    expect(renamed.scoreFactors.map((f) => f.factor)).not.toContain("corporate_owner");
  });

  raceTest("replays the first result for a retried idempotency key and refuses the key with another payload", async () => {
    const key = "idem-key-0001";
    const payload = { ...input, addressLine1: "1 Idempotent Way", idempotencyKey: key };
    const outcomes = await Promise.all([caller.leads.create(payload).catch((e: unknown) => e), caller.leads.create(payload).catch((e: unknown) => e)]);
    // A concurrent duplicate either replays or is told the first is still running — never a second lead.
    const succeeded = outcomes.filter((o): o is Awaited<ReturnType<Caller["leads"]["create"]>> => !(o instanceof Error));
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    for (const o of outcomes) if (o instanceof Error) expect(codeOf(o)).toBe("CONFLICT");
    const first = succeeded[0]!;
    if (succeeded[1]) expect(succeeded[1].lead.id).toBe(first.lead.id);
    const replay = await caller.leads.create(payload);
    expect(replay).toMatchObject({ replayed: true, lead: { id: first.lead.id } });
    expect(await db.lead.count({ where: { organizationId: team.org.id, addressLine1: "1 Idempotent Way" } })).toBe(1);

    const conflict = await caller.leads.create({ ...payload, addressLine1: "2 Other Way" }).catch((e: unknown) => e);
    expect(codeOf(conflict)).toBe("CONFLICT");
    expect((conflict as Error).message).toMatch(/different request/);
  });

  it("lets an idempotency key be reused after it expires (24 h)", async () => {
    const payload = { ...input, addressLine1: "3 Expiry Street", idempotencyKey: "idem-key-0002" };
    await caller.leads.create(payload);
    await db.idempotencyKey.updateMany({ where: { key: "idem-key-0002" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const reused = await caller.leads.create({ ...payload, addressLine1: "4 Expiry Street" });
    expect(reused).toMatchObject({ replayed: false, created: true });
  });

  it("is for managers: a user gets FORBIDDEN", async () => {
    expect(codeOf(await callerFor(team.user).leads.create(input).catch((e: unknown) => e))).toBe("FORBIDDEN");
  });
});

describe("working a lead", () => {
  it("records status changes and assignment on the timeline and rescores on reply", async () => {
    const { lead } = await caller.leads.create({ addressLine1: "10 Timeline Rd", city: "Austin", state: "TX", zip: "78701" });
    const replied = await callerFor(team.user).leads.update({ id: lead.id, patch: { status: "replied", assigneeId: team.user.id } });
    expect(replied.score).toBe(lead.score + 15);
    expect(replied.assignee?.id).toBe(team.user.id);
    expect(replied.activity.map((a) => a.kind).sort()).toEqual(["assigned", "created", "status_changed"]);
    expect(replied.activity.find((a) => a.kind === "status_changed")?.details).toEqual({ from: "new", to: "replied" });
  });

  it("refuses to assign a lead to someone outside the organization", async () => {
    const { lead } = await caller.leads.create({ addressLine1: "11 Outsider Rd", city: "Austin", state: "TX", zip: "78701" });
    const stranger = await createTeam();
    const error = await caller.leads.update({ id: lead.id, patch: { assigneeId: stranger.user.id } }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("NOT_FOUND");
  });

  it("adds, edits and deletes notes; only the author or a manager may change one", async () => {
    const { lead } = await caller.leads.create({ addressLine1: "12 Notes Ave", city: "Austin", state: "TX", zip: "78701" });
    const note = await callerFor(team.user).notes.add({ leadId: lead.id, body: "Owner wants to sell by spring" });
    const otherUser = callerFor((await createTeamMember("user")) as TestUser);
    expect(codeOf(await otherUser.notes.update({ id: note.id, body: "x" }).catch((e: unknown) => e))).toBe("FORBIDDEN");
    await callerFor(team.user).notes.update({ id: note.id, body: "Owner wants to sell by April" });
    const detail = await caller.leads.get({ id: lead.id });
    expect(detail.notes.map((n) => n.body)).toEqual(["Owner wants to sell by April"]);
    expect(detail.activity.some((a) => a.kind === "note_added")).toBe(true);
    await caller.notes.delete({ id: note.id });
    expect((await caller.leads.get({ id: lead.id })).notes).toEqual([]);
  });

  it("tags a lead, refuses tags of another organization, and keeps tag names unique", async () => {
    const { lead } = await caller.leads.create({ addressLine1: "13 Tag St", city: "Austin", state: "TX", zip: "78701" });
    const other = await createTeam();
    const theirTag = await callerFor(other.manager).tags.create({ name: "theirs" });
    expect(codeOf(await caller.leads.setTags({ leadId: lead.id, tagIds: [theirTag.id] }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    expect(codeOf(await caller.tags.create({ name: "motivated" }).catch((e: unknown) => e))).toBe("CONFLICT");
    const tagged = await caller.leads.setTags({ leadId: lead.id, tagIds: [tagId] });
    expect(tagged.tags.map((t) => t.name)).toEqual(["motivated"]);
    expect(tagged.activity.some((a) => a.kind === "tagged")).toBe(true);
  });

  it("marks a lead won with revenue, then lost, then reopens it", async () => {
    const { lead } = await caller.leads.create({ addressLine1: "14 Deal Blvd", city: "Austin", state: "TX", zip: "78701" });
    const won = await caller.leads.setOutcome({ id: lead.id, outcome: "won", amountCents: 1_250_000, date: "2026-11-01" });
    expect(won).toMatchObject({ status: "closed", wonAmountCents: 1_250_000, wonAt: "2026-11-01" });
    const lost = await caller.leads.setOutcome({ id: lead.id, outcome: "lost", reason: "Sold to another investor" });
    expect(lost).toMatchObject({ status: "dead", wonAmountCents: null, lostReason: "Sold to another investor" });
    const reopened = await caller.leads.setOutcome({ id: lead.id, outcome: "reopen" });
    expect(reopened).toMatchObject({ status: "negotiating", lostReason: null });
    expect(reopened.activity.map((a) => a.kind)).toEqual(expect.arrayContaining(["won", "lost"]));
  });
});

describe("bulk actions", () => {
  it("changes status for a selection and reports matched vs changed", async () => {
    const ids = seeded.filter((l) => l.zip === "30301" && !l.archivedAt).slice(0, 6).map((l) => l.id);
    const result = await callerFor(team.user).leads.bulk({ target: { ids }, action: { kind: "status", status: "contacted" } });
    expect(result.matched).toBe(6);
    expect(result.changed).toBe(6 - seeded.filter((l) => ids.includes(l.id) && l.status === "contacted").length);
    expect(await db.lead.count({ where: { id: { in: ids }, status: "contacted" } })).toBe(6);
  });

  it("tags every lead matching a filter", async () => {
    const tag = await caller.tags.create({ name: "bulk-zip" });
    const result = await caller.leads.bulk({ target: { filters: { zip: "78702" } }, action: { kind: "tag", tagId: tag.id } });
    const expected = seeded.filter((l) => l.zip === "78702" && !l.archivedAt).length;
    expect(result).toEqual({ matched: expected, changed: expected });
    expect(await listAll({ tagIds: [tag.id] })).toHaveLength(expected);
  });

  it("archives and restores for managers only", async () => {
    const ids = seeded.filter((l) => !l.archivedAt).slice(0, 2).map((l) => l.id);
    expect(codeOf(await callerFor(team.user).leads.bulk({ target: { ids }, action: { kind: "archive" } }).catch((e: unknown) => e))).toBe("FORBIDDEN");
    expect(await caller.leads.bulk({ target: { ids }, action: { kind: "archive" } })).toEqual({ matched: 2, changed: 2 });
    expect((await listAll({ archived: "only" })).filter((id) => ids.includes(id))).toHaveLength(2);
    expect(await caller.leads.bulk({ target: { ids }, action: { kind: "restore" } })).toEqual({ matched: 2, changed: 2 });
  });

  it("refuses a selection containing a lead of another organization, changing nothing", async () => {
    const other = await createTeam();
    const { lead: theirs } = await callerFor(other.manager).leads.create({ addressLine1: "99 Foreign Rd", city: "Austin", state: "TX", zip: "78701" });
    const mine = seeded.find((l) => !l.archivedAt && l.status !== "dead")!;
    const error = await caller.leads.bulk({ target: { ids: [mine.id, theirs.id] }, action: { kind: "status", status: "dead" } }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("NOT_FOUND");
    expect((await db.lead.findUniqueOrThrow({ where: { id: mine.id } })).status).not.toBe("dead");
    expect((await db.lead.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("new");
  });
});

async function createTeamMember(role: "user") {
  const { createMember } = await import("@/test/factories");
  return createMember(team.org.id, role);
}
