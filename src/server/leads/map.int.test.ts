import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { callerFor, createTeam, type TestUser } from "@/test/factories";

// leads.mapPoints (issue 14 item 8): the list's filters on a map, for one organization only.
type Team = { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let ours: Team;
let theirs: Team;

const TEMPS = ["COLD", "WARM", "HOT", "ON_FIRE"] as const;

function lead(orgId: string, i: number, extra: Partial<Prisma.LeadCreateManyInput> = {}): Prisma.LeadCreateManyInput {
  return {
    organizationId: orgId,
    source: "sandbox",
    addressLine1: `${100 + i} Map St`,
    city: "Denver",
    state: "CO",
    zip: i % 2 === 0 ? "80211" : "80212",
    normalizedAddress: `map-${orgId}-${i}`,
    ownerName: `Owner ${i}`,
    normalizedOwner: `owner ${i}`,
    dedupKey: `map-${orgId}-${i}`,
    status: i % 3 === 0 ? "contacted" : "new",
    temperature: TEMPS[i % 4]!,
    score: i * 7,
    estimatedValueCents: 40_000_000n + BigInt(i),
    equityPct: 30 + i,
    // Every fifth lead has no coordinates (a CSV import without them).
    latitude: i % 5 === 4 ? null : 39.76 + i / 1000,
    longitude: i % 5 === 4 ? null : -105.03 - i / 1000,
    ...extra,
  };
}

beforeAll(async () => {
  ours = await createTeam();
  theirs = await createTeam();
  await db.lead.createMany({ data: Array.from({ length: 12 }, (_, i) => lead(ours.org.id, i)) });
  // The other organization's leads sit at the same spot: none may reach our map.
  await db.lead.createMany({ data: Array.from({ length: 5 }, (_, i) => lead(theirs.org.id, i, { ownerName: `Foreign owner ${i}` })) });
});

describe("leads.mapPoints", () => {
  it("places the leads with coordinates and counts the ones without", async () => {
    const answer = await callerFor(ours.user).leads.mapPoints({});
    expect(answer.total).toBe(12);
    // i = 4 and 9 have no coordinates.
    expect(answer.withCoordinates).toBe(10);
    expect(answer.points).toHaveLength(10);
    expect(answer.points.every((point) => Number.isFinite(point.latitude) && Number.isFinite(point.longitude))).toBe(true);
    expect(answer.points.map((point) => point.addressLine1)).not.toContain("104 Map St");
    // Hottest first; what a marker and its card need, and nothing of the other organization.
    expect(answer.points.map((point) => point.score)).toEqual([...answer.points.map((point) => point.score)].sort((a, b) => b - a));
    expect(answer.points[0]).toEqual({
      id: expect.any(String),
      latitude: 39.771,
      longitude: -105.041,
      temperature: "ON_FIRE",
      status: "new",
      addressLine1: "111 Map St",
      city: "Denver",
      state: "CO",
      zip: "80212",
      ownerName: "Owner 11",
      ownerIsCorporate: false,
      score: 77,
      estimatedValueCents: 40_000_011,
      equityPct: 41,
    });
    expect(JSON.stringify(answer)).not.toContain("Foreign owner");
    const theirIds = (await db.lead.findMany({ where: { organizationId: theirs.org.id }, select: { id: true } })).map((row) => row.id);
    expect(answer.points.some((point) => theirIds.includes(point.id))).toBe(false);
  });

  it("honours the list's filters, and the limit with the true counts", async () => {
    const caller = callerFor(ours.manager);
    const contacted = await caller.leads.mapPoints({ filters: { status: ["contacted"] } });
    // i = 0, 3, 6, 9 (9 has no coordinates)
    expect(contacted).toMatchObject({ total: 4, withCoordinates: 3 });
    expect(contacted.points.map((point) => point.status)).toEqual(["contacted", "contacted", "contacted"]);

    const hot = await caller.leads.mapPoints({ filters: { temperature: ["HOT"], zip: "80211" } });
    expect(hot.points.map((point) => point.addressLine1).sort()).toEqual(["102 Map St", "106 Map St", "110 Map St"]);

    const limited = await caller.leads.mapPoints({ limit: 3 });
    expect(limited).toMatchObject({ total: 12, withCoordinates: 10, limit: 3 });
    expect(limited.points.map((point) => point.score)).toEqual([77, 70, 56]);

    const theirView = await callerFor(theirs.user).leads.mapPoints({});
    expect(theirView).toMatchObject({ total: 5, withCoordinates: 4 });
    expect(theirView.points.every((point) => point.ownerName?.startsWith("Foreign owner"))).toBe(true);
  });

  it.each([
    ["a limit over the maximum", { limit: 5000 }],
    ["a limit of zero", { limit: 0 }],
    ["an unknown temperature", { filters: { temperature: ["TEPID"] } }],
    ["a malformed ZIP", { filters: { zip: "8021" } }],
  ])("refuses %s with BAD_REQUEST", async (_label, input) => {
    const error = await callerFor(ours.user)
      .leads.mapPoints(input as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("answers a signed-out caller UNAUTHORIZED", async () => {
    const error = await callerFor(null).leads.mapPoints({}).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
  });
});
