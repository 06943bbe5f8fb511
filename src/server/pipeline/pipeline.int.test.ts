import { beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import { orgDay } from "@/lib/org-day";
import { db } from "@/server/db";
import { callerFor, createTeam, type TestUser } from "@/test/factories";
import { LEAD_STATUSES } from "../leads/schema";
import { OPEN_STAGES, STAGE_WEIGHT_PERCENT } from "./schema";

const TEMPS = ["COLD", "WARM", "HOT", "ON_FIRE"] as const;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = { status: (typeof LEAD_STATUSES)[number]; temperature: (typeof TEMPS)[number]; dealValueCents: number | null; expectedCloseOn: string | null; archived: boolean; assigneeId: string | null };

let team: { org: { id: string }; admin: TestUser; manager: TestUser; user: TestUser };
let generated: Gen[];
let today: string;

async function seed(orgId: string, rows: Gen[], tag: string) {
  const data: Prisma.LeadCreateManyInput[] = rows.map((row, i) => ({
    organizationId: orgId,
    source: "manual",
    addressLine1: `${i} ${tag} Way`,
    city: "Austin",
    state: "TX",
    zip: "78701",
    normalizedAddress: `${tag}-${i}`,
    normalizedOwner: "",
    dedupKey: `${tag}-${i}`,
    status: row.status,
    temperature: row.temperature,
    dealValueCents: row.dealValueCents === null ? null : BigInt(row.dealValueCents),
    expectedCloseOn: row.expectedCloseOn ? new Date(`${row.expectedCloseOn}T00:00:00Z`) : null,
    archivedAt: row.archived ? new Date() : null,
    assigneeId: row.assigneeId,
  }));
  await db.lead.createMany({ data });
}

function oracle(rows: Gen[], keep: (row: Gen) => boolean = () => true) {
  const live = rows.filter((row) => !row.archived && row.dealValueCents !== null && keep(row));
  const stages = LEAD_STATUSES.map((status) => {
    const inStage = live.filter((row) => row.status === status);
    return { status, leadsWithValue: inStage.length, valueCents: inStage.reduce((sum, row) => sum + row.dealValueCents!, 0) };
  });
  const open = live.filter((row) => (OPEN_STAGES as readonly string[]).includes(row.status));
  const soon = open.filter((row) => row.expectedCloseOn !== null && row.expectedCloseOn >= today && row.expectedCloseOn <= addDays(today, 29));
  const forecastStages = OPEN_STAGES.map((status) => {
    const stage = stages.find((s) => s.status === status)!;
    const weightPercent = STAGE_WEIGHT_PERCENT[status];
    return { ...stage, status, weightPercent, weightedCents: Math.round((stage.valueCents * weightPercent) / 100) };
  });
  return {
    today,
    stages,
    forecast: {
      stages: forecastStages,
      openValueCents: open.reduce((sum, row) => sum + row.dealValueCents!, 0),
      weightedCents: forecastStages.reduce((sum, s) => sum + s.weightedCents, 0),
      closingSoonCount: soon.length,
      closingSoonCents: soon.reduce((sum, row) => sum + row.dealValueCents!, 0),
      pastCloseCount: open.filter((row) => row.expectedCloseOn !== null && row.expectedCloseOn < today).length,
      wonValueCents: stages.find((s) => s.status === "closed")!.valueCents,
    },
  };
}

beforeAll(async () => {
  team = await createTeam("Pipeline money");
  await db.organization.update({ where: { id: team.org.id }, data: { timeZone: "America/Denver" } });
  today = orgDay("America/Denver");
  const next = random(42);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  generated = Array.from({ length: 240 }, () => ({
    status: pick(LEAD_STATUSES),
    temperature: pick(TEMPS),
    // Odd cents on purpose, up to $2.5M; a third without a value.
    dealValueCents: next() < 0.33 ? null : Math.floor(next() * 250_000_000) + 1,
    expectedCloseOn: next() < 0.3 ? null : addDays(today, Math.floor(next() * 90) - 30),
    archived: next() < 0.1,
    assigneeId: next() < 0.5 ? team.user.id : null,
  }));
  await seed(team.org.id, generated, "ours");
  // Another organization's deals never count for us.
  const other = await createTeam("Pipeline money B");
  await seed(other.org.id, generated.map((row) => ({ ...row, dealValueCents: 99_999_999, archived: false, assigneeId: null })), "theirs");
});

describe("pipeline value per stage and forecast", () => {
  it("sums deal values per stage to the cent, leaving out archived leads and other organizations", async () => {
    const summary = await callerFor(team.user).pipeline.summary({});
    expect(summary).toEqual(oracle(generated));
    expect(summary.forecast.openValueCents).toBeGreaterThan(0);
  });

  it("follows the board's filters (temperature, assignee) and ignores a status filter", async () => {
    const caller = callerFor(team.manager);
    const hot = await caller.pipeline.summary({ filters: { temperature: ["HOT", "ON_FIRE"], status: ["new"] } });
    expect(hot).toEqual(oracle(generated, (row) => row.temperature === "HOT" || row.temperature === "ON_FIRE"));
    const mine = await caller.pipeline.summary({ filters: { assigneeId: team.user.id } });
    expect(mine).toEqual(oracle(generated, (row) => row.assigneeId === team.user.id));
  });

  it("takes a deal value and close date on a lead, and a won amount becomes the closed column's value", async () => {
    const caller = callerFor(team.manager);
    const { lead } = await caller.leads.create({ addressLine1: "1 Deal Ct", city: "Austin", state: "TX", zip: "78701", status: "under_contract" });
    const updated = await caller.leads.update({ id: lead.id, patch: { dealValueCents: 12_345_67, expectedCloseOn: addDays(today, 10) } });
    expect(updated).toMatchObject({ dealValueCents: 12_345_67, expectedCloseOn: addDays(today, 10) });
    const listed = (await caller.leads.list({ filters: { q: "1 Deal Ct" } })).items[0];
    expect(listed).toMatchObject({ dealValueCents: 12_345_67, expectedCloseOn: addDays(today, 10) });
    generated.push({ status: "under_contract", temperature: lead.temperature, dealValueCents: 12_345_67, expectedCloseOn: addDays(today, 10), archived: false, assigneeId: null });
    expect(await caller.pipeline.summary({})).toEqual(oracle(generated));

    const won = await caller.leads.setOutcome({ id: lead.id, outcome: "won", amountCents: 15_000_01, date: today });
    expect(won).toMatchObject({ status: "closed", wonAmountCents: 15_000_01, dealValueCents: 15_000_01 });
    generated[generated.length - 1] = { ...generated.at(-1)!, status: "closed", dealValueCents: 15_000_01 };
    expect(await caller.pipeline.summary({})).toEqual(oracle(generated));

    const cleared = await caller.leads.update({ id: lead.id, patch: { dealValueCents: null, expectedCloseOn: null } });
    expect(cleared).toMatchObject({ dealValueCents: null, expectedCloseOn: null });
  });
});
