import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createTeam, type TestUser } from "@/test/factories";
import { leadFiltersSchema } from "./schema";

/**
 * The lowest temperature was DEAD, the word of the status "dead"; migration
 * 20261130040000_temperature_cold renames it COLD. Replayed here on a database where the label is
 * still DEAD, with leads of every temperature (their counters kept by the triggers) and a saved
 * filter naming DEAD: afterwards the leads, the counters and the saved filter say COLD and the
 * counts are exactly what they were.
 */

const MIGRATION = path.resolve(import.meta.dirname, "../../../prisma/migrations/20261130040000_temperature_cold/migration.sql");

type Team = { admin: TestUser; manager: TestUser; user: TestUser; org: { id: string } };
let team: Team;

/** The migration's statements, as Prisma's runner splits them. */
function statements(): string[] {
  const sql = readFileSync(MIGRATION, "utf8")
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n");
  return sql
    .split(";")
    .map((statement) => statement.trim())
    .filter(Boolean);
}

async function labels(): Promise<string[]> {
  const rows = await db.$queryRaw<{ label: string }[]>`
    SELECT e.enumlabel::text AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'Temperature' ORDER BY e.enumsortorder`;
  return rows.map((row) => row.label);
}

/** Per temperature: the leads, and what the counters (LeadCount + LeadCountDelta) say. */
async function byTemperature(orgId: string) {
  const leads = await db.$queryRaw<{ temperature: string; n: number }[]>`
    SELECT temperature::text AS temperature, count(*)::int AS n FROM "Lead" WHERE "organizationId" = ${orgId} GROUP BY 1 ORDER BY 1`;
  const counted = await db.$queryRaw<{ temperature: string; n: number }[]>`
    SELECT temperature::text AS temperature, sum(count)::int AS n FROM (
      SELECT temperature, count FROM "LeadCount" WHERE "organizationId" = ${orgId}
      UNION ALL SELECT temperature, count FROM "LeadCountDelta" WHERE "organizationId" = ${orgId}
    ) u GROUP BY 1 HAVING sum(count) <> 0 ORDER BY 1`;
  return { leads: Object.fromEntries(leads.map((r) => [r.temperature, r.n])), counted: Object.fromEntries(counted.map((r) => [r.temperature, r.n])) };
}

async function insertLeads(orgId: string, temperatures: string[], prefix: string) {
  for (const [i, temperature] of temperatures.entries()) {
    // Raw SQL: the generated client knows only the new label.
    await db.$executeRaw`
      INSERT INTO "Lead" (id, "organizationId", source, "addressLine1", city, state, zip, "normalizedAddress", "normalizedOwner", "dedupKey", status, temperature, score, "createdAt", "updatedAt")
      VALUES (${`${prefix}-${i}`}, ${orgId}, 'manual', ${`${i} Elm St`}, 'Austin', 'TX', '78701', ${`${prefix}a${i}`}, '', ${`${prefix}-${i}`},
              ${i % 3 === 0 ? "dead" : "new"}::"LeadStatus", ${temperature}::"Temperature", ${i * 10}, now(), now())`;
  }
}

beforeAll(async () => {
  team = await createTeam("Temperatures");
});

describe("renaming the temperature DEAD to COLD", () => {
  it("keeps every lead, counter and saved filter, with exact counts, under the new name", async () => {
    // Back to the state before the migration.
    await db.$executeRawUnsafe(`ALTER TYPE "Temperature" RENAME VALUE 'COLD' TO 'DEAD'`);
    expect(await labels()).toEqual(["DEAD", "WARM", "HOT", "ON_FIRE"]);
    await insertLeads(team.org.id, ["DEAD", "DEAD", "WARM", "DEAD", "HOT", "ON_FIRE", "DEAD"], "t");
    await db.$executeRaw`UPDATE "Lead" SET temperature = 'DEAD' WHERE id = 't-2'`; // a counted change: WARM → DEAD
    await db.$executeRaw`
      INSERT INTO "SavedLeadFilter" (id, "organizationId", name, filters, "createdAt", "updatedAt")
      VALUES ('sf-cold', ${team.org.id}, 'Cold and hot', '{"temperature": ["DEAD", "HOT"], "archived": "exclude"}'::jsonb, now(), now()),
             ('sf-hot', ${team.org.id}, 'Hot only', '{"temperature": ["HOT"]}'::jsonb, now(), now())`;
    const before = await byTemperature(team.org.id);
    expect(before.leads).toEqual({ DEAD: 5, HOT: 1, ON_FIRE: 1 });
    expect(before.counted).toEqual(before.leads);

    for (const statement of statements()) await db.$executeRawUnsafe(statement);

    expect(await labels()).toEqual(["COLD", "WARM", "HOT", "ON_FIRE"]);
    const after = await byTemperature(team.org.id);
    expect(after.leads).toEqual({ COLD: 5, HOT: 1, ON_FIRE: 1 });
    expect(after.counted).toEqual(after.leads);

    const saved = await db.savedLeadFilter.findMany({ where: { organizationId: team.org.id }, select: { id: true, filters: true }, orderBy: { id: "asc" } });
    expect(saved).toEqual([
      { id: "sf-cold", filters: { temperature: ["COLD", "HOT"], archived: "exclude" } },
      { id: "sf-hot", filters: { temperature: ["HOT"] } },
    ]);

    // What the app shows: the counts by temperature, and the list filtered on Cold.
    const caller = callerFor(team.manager);
    const counts = await caller.leads.counts({});
    expect(counts.byTemperature).toEqual({ COLD: 5, WARM: 0, HOT: 1, ON_FIRE: 1 });
    const cold = await caller.leads.list({ filters: { temperature: ["COLD"] }, limit: 50 });
    expect(cold.items.map((lead) => lead.id).sort()).toEqual(["t-0", "t-1", "t-2", "t-3", "t-6"]);

    // New writes count under the new label too.
    await db.lead.update({ where: { id: "t-4" }, data: { temperature: "COLD" } });
    const later = await byTemperature(team.org.id);
    expect(later.leads).toEqual({ COLD: 6, ON_FIRE: 1 });
    expect(later.counted).toEqual(later.leads);
  });

  it("still reads the old word in filters (links, saved filters, API clients)", async () => {
    const own = await createTeam("Old words");
    await insertLeads(own.org.id, ["COLD", "HOT", "COLD"], "w");
    expect(leadFiltersSchema.parse({ temperature: ["DEAD", "HOT"] }).temperature).toEqual(["COLD", "HOT"]);
    const caller = callerFor(own.manager);
    const viaOldWord = await caller.leads.list({ filters: { temperature: ["DEAD"] }, limit: 50 });
    const viaNewWord = await caller.leads.list({ filters: { temperature: ["COLD"] }, limit: 50 });
    expect(viaOldWord.items.map((lead) => lead.id)).toEqual(viaNewWord.items.map((lead) => lead.id));
    expect(viaNewWord.items.map((lead) => lead.id).sort()).toEqual(["w-0", "w-2"]);
    await expect(caller.leads.list({ filters: { temperature: ["FROZEN" as "COLD"] } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
