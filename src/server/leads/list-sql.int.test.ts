import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import { db, sqlPoolOf } from "@/server/db";
import { createTeam, type TestUser } from "@/test/factories";
import { leadsCsvStream } from "./export";
import { LEAD_STATUSES, leadFiltersSchema, leadSortSchema, listLeadsInput, TEMPERATURES, type LeadFiltersInput, type LeadSort } from "./schema";
import { listLeads } from "./service";

/**
 * The list page and the CSV export run one filter → SQL translation (lead-records/filter-sql.ts):
 * for every filter and sort, paging through leads.list yields exactly the export's rows in the
 * export's order. And a page is one statement with only the parameters its filters use.
 */

type Team = { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let team: Team;
let ctx: { db: typeof db; orgId: string; userId: string; role: "manager"; requestId: string };
let tagId: string;

beforeAll(async () => {
  team = await createTeam();
  const other = await createTeam();
  const base = Date.UTC(2026, 2, 1);
  const rows = (orgId: string, prefix: string, count: number): Prisma.LeadCreateManyInput[] =>
    Array.from({ length: count }, (_, i) => ({
      organizationId: orgId,
      source: (["sandbox", "csv", "manual", "attom"] as const)[i % 4]!,
      addressLine1: `${100 + (i % 37)} ${["Oak St", "Maple Ave", "Pine Rd"][i % 3]}`,
      city: "Austin",
      state: "TX",
      zip: i % 2 ? "78701" : "78702",
      normalizedAddress: `${prefix}${i}`,
      normalizedOwner: `${prefix}o${i}`,
      dedupKey: `${prefix}-${i}`,
      ownerName: i % 4 === 0 ? null : `Owner ${i % 11}`,
      status: LEAD_STATUSES[i % 8]!,
      temperature: TEMPERATURES[(i * 3) % 4]!,
      score: (i * 37) % 101,
      hasPhone: i % 3 === 0,
      skipTracedAt: i % 5 === 0 ? new Date(base) : null,
      archivedAt: i % 13 === 12 ? new Date(base) : null,
      assigneeId: i % 6 === 0 ? team.user.id : null,
      estimatedValueCents: i % 2 ? BigInt(25_000_000 + i) : null,
      // Shared timestamps: the id breaks the ties.
      createdAt: new Date(base + Math.floor(i / 4) * 60_000),
      updatedAt: new Date(base + Math.floor(i / 3) * 60_000),
    }));
  await db.lead.createMany({ data: [...rows(team.org.id, "a", 230), ...rows(other.org.id, "b", 60)] });
  const tag = await db.tag.create({ data: { organizationId: team.org.id, name: "motivated", color: "red" } });
  const second = await db.tag.create({ data: { organizationId: team.org.id, name: "absentee", color: "blue" } });
  tagId = tag.id;
  const leads = await db.lead.findMany({ where: { organizationId: team.org.id }, select: { id: true }, orderBy: { id: "asc" } });
  await db.leadTag.createMany({ data: leads.filter((_, i) => i % 4 === 1).map((lead) => ({ leadId: lead.id, tagId: tag.id, organizationId: team.org.id })) });
  await db.leadTag.createMany({ data: leads.filter((_, i) => i % 8 === 1).map((lead) => ({ leadId: lead.id, tagId: second.id, organizationId: team.org.id })) });
  ctx = { db, orgId: team.org.id, userId: team.manager.id, role: "manager", requestId: "list-sql" };
});

afterEach(() => vi.restoreAllMocks());

async function listIds(filters: LeadFiltersInput, sort?: LeadSort) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listLeads(ctx, listLeadsInput.parse({ filters, sort, cursor, limit: 17 }));
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error("more pages than leads");
}

async function exportIds(filters: LeadFiltersInput, sort?: unknown) {
  const reader = leadsCsvStream(db, team.org.id, leadFiltersSchema.parse(filters), leadSortSchema.parse(sort), { batchSize: 23 }).getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text.split("\n").slice(1).filter(Boolean).map((line) => line.slice(0, line.indexOf(",")));
}

describe("the list and the CSV export", () => {
  const cases: [LeadFiltersInput, { field: "createdAt" | "updatedAt" | "score" | "ownerName" | "addressLine1" | "status"; direction: "asc" | "desc" } | undefined][] = [
    [{}, undefined],
    [{ archived: "include" }, { field: "ownerName", direction: "asc" }],
    [{ archived: "include" }, { field: "ownerName", direction: "desc" }],
    [{ status: ["new", "contacted", "dead"] }, { field: "status", direction: "asc" }],
    [{ hasPhone: true, temperature: ["HOT", "COLD"] }, { field: "score", direction: "desc" }],
    [{ zip: "78701", scoreMin: 20, scoreMax: 80 }, { field: "addressLine1", direction: "asc" }],
    [{ q: "maple", archived: "only" }, { field: "updatedAt", direction: "asc" }],
    [{ skipTraced: false, source: ["csv", "attom"] }, { field: "createdAt", direction: "asc" }],
    [{ assigneeId: "unassigned", hasPhone: false }, { field: "status", direction: "desc" }],
    [{ hasPhone: true, textable: false }, { field: "score", direction: "asc" }],
  ];
  it.each(cases)("page through the same rows in the same order: %o sorted %o", async (filters, sort) => {
    const [listed, exported] = await Promise.all([listIds(filters, sort), exportIds(filters, sort)]);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).toEqual(exported);
  });

  it("select by tag and assignee alike", async () => {
    for (const filters of [{ tagIds: [tagId] }, { assigneeId: team.user.id }, { tagIds: [tagId], archived: "include" as const }]) {
      const [listed, exported] = await Promise.all([listIds(filters, { field: "score", direction: "asc" }), exportIds(filters, { field: "score", direction: "asc" })]);
      expect(listed.length).toBeGreaterThan(0);
      expect(listed).toEqual(exported);
    }
  });
});

describe("a page of the list", () => {
  it("is one statement, whose parameters are only the values its filters use", async () => {
    const pool = sqlPoolOf(db)!;
    const query = vi.spyOn(pool, "query");
    const first = await listLeads(ctx, listLeadsInput.parse({ filters: { status: ["new"], zip: "78702" }, sort: { field: "ownerName", direction: "asc" }, limit: 5 }));
    const next = await listLeads(ctx, listLeadsInput.parse({ filters: { status: ["new"], zip: "78702" }, sort: { field: "ownerName", direction: "asc" }, limit: 5, cursor: first.nextCursor }));
    expect(next.items.length).toBeGreaterThan(0);
    expect(query).toHaveBeenCalledTimes(2); // one per page, the cursor's lead read inside it
    const text = (query.mock.calls[0]![0] as unknown as { text: string }).text;
    expect(text).toMatch(/FROM "User"/); // the assignee …
    expect(text).toMatch(/FROM "LeadTag"/); // … and the tags in the same statement
    for (const [call] of query.mock.calls) {
      const values = (call as unknown as { values: unknown[] }).values;
      expect(values).not.toContain(null);
      expect(values).not.toContain(undefined);
    }
    // org, tag org, status list, zip, limit — and for the cursor page the cursor's id and org.
    expect((query.mock.calls[0]![0] as unknown as { values: unknown[] }).values).toHaveLength(5);
  });

  it("carries each lead's assignee and tags (in the order they were added), money as numbers and instants as UTC", async () => {
    const tagged = await listLeads(ctx, listLeadsInput.parse({ filters: { tagIds: [tagId], archived: "include" }, limit: 100 }));
    const assigned = await listLeads(ctx, listLeadsInput.parse({ filters: { assigneeId: team.user.id, archived: "include" }, limit: 100 }));
    expect(tagged.items.some((item) => item.tags.length === 2)).toBe(true);
    expect(assigned.items.length).toBeGreaterThan(0);
    for (const item of [...tagged.items, ...assigned.items]) {
      const lead = await db.lead.findUniqueOrThrow({
        where: { id: item.id },
        include: { assignee: { select: { id: true, name: true, email: true } }, tags: { orderBy: { createdAt: "asc" }, include: { tag: true } } },
      });
      expect(item.assignee).toEqual(lead.assignee);
      expect(item.tags).toEqual(lead.tags.map(({ tag }) => ({ id: tag.id, name: tag.name, color: tag.color })));
      expect(item.estimatedValueCents).toBe(lead.estimatedValueCents === null ? null : Number(lead.estimatedValueCents));
      expect(item.createdAt.toISOString()).toBe(lead.createdAt.toISOString());
      expect(item.updatedAt.toISOString()).toBe(lead.updatedAt.toISOString());
      expect(item.skipTracedAt?.toISOString() ?? null).toBe(lead.skipTracedAt?.toISOString() ?? null);
      expect(item.archivedAt?.toISOString() ?? null).toBe(lead.archivedAt?.toISOString() ?? null);
    }
  });

  it("refuses a cursor that is not one of the organization's leads", async () => {
    const foreign = await db.lead.findFirstOrThrow({ where: { organizationId: { not: team.org.id } }, select: { id: true } });
    await expect(listLeads(ctx, listLeadsInput.parse({ cursor: foreign.id }))).rejects.toMatchObject({ appCode: "NOT_FOUND" });
    await expect(listLeads(ctx, listLeadsInput.parse({ cursor: "no-such-lead" }))).rejects.toMatchObject({ appCode: "NOT_FOUND" });
  });
});
