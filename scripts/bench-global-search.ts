/**
 * `npm run bench -- global-search` (issue 13 item 5): ⌘K on an organization with 100k leads (a
 * third with a phone), 5k inbox threads and 50 campaigns, beside another organization of 20k leads
 * holding the same phone numbers (the trigram indexes are not per organization, so its rows are in
 * every candidate set). globalSearch.query through the router (session and membership read on
 * every call, as over HTTP) for each kind of text a user types: p50/p95/p99 per kind and over all,
 * then the plans of the lead statements (by words: the candidates, the first 300 leads holding every word, among which the leads shown and the threads are looked for).
 */
import type { Db } from "../src/server/db";

type Caller = {
  globalSearch: { query: (input: { q: string }) => Promise<{ leads: unknown[]; conversations: unknown[]; campaigns: unknown[] }> };
  inbox: { unreadCount: () => Promise<unknown> };
};
type Team = { org: { id: string }; user: { id: string }; caller: Caller };
type Tools = {
  db: Db;
  team: (name: string) => Promise<Team>;
  seedLeads: (orgId: string, count: number, prefix: string, assigneeId?: string) => Promise<number>;
  summarize: (samples: number[]) => string;
  time: <T>(fn: () => Promise<T>) => Promise<[number, T]>;
};

const LEADS = 100_000;

/** A phone for every third lead of the organization: +1602 200 0000 + the lead's rank. */
async function seedPhones(db: Db, orgId: string, prefix: string) {
  await db.$executeRawUnsafe(
    `INSERT INTO "LeadPhone" (id, "organizationId", "leadId", number, type, source, "isBest", "updatedAt")
     SELECT $2 || 'p' || n, $1, id, '+1602' || (2000000 + n)::text, 'mobile', 'bench', true, now()
     FROM (SELECT id, row_number() OVER (ORDER BY "createdAt", id) AS n FROM "Lead" WHERE "organizationId" = $1) l
     WHERE n % 3 = 0`,
    orgId,
    prefix,
  );
}

export async function benchGlobalSearch({ db, team, seedLeads, summarize, time }: Tools): Promise<void> {
  const ours = await team("Bench Global Search");
  const other = await team("Bench Global Other");
  const seededMs = await seedLeads(ours.org.id, LEADS, "gs");
  await seedLeads(other.org.id, 20_000, "go");
  await seedPhones(db, ours.org.id, "gs");
  await seedPhones(db, other.org.id, "go");
  await db.$executeRawUnsafe(
    `INSERT INTO "Conversation" (id, "organizationId", "leadId", phone, "lastMessageAt", "lastMessagePreview", "updatedAt")
     SELECT 'gc' || lp.id, lp."organizationId", lp."leadId", lp.number, now() - (row_number() OVER (ORDER BY lp.id)) * interval '1 minute', 'Is it still for sale?', now()
     FROM "LeadPhone" lp WHERE lp."organizationId" = $1 ORDER BY lp.id LIMIT 5000`,
    ours.org.id,
  );
  for (let i = 0; i < 50; i++) {
    await db.campaign.create({ data: { organizationId: ours.org.id, name: `${["Spring", "Summer", "Fall", "Winter", "Probate"][i % 5]} mailer ${i}`, template: "Hi", audience: { kind: "selection", leadIds: [] } } });
  }
  await db.$executeRawUnsafe(`ANALYZE "Lead"`);
  await db.$executeRawUnsafe(`ANALYZE "LeadPhone"`);
  await db.$executeRawUnsafe(`ANALYZE "Conversation"`);
  const phones = await db.leadPhone.count({ where: { organizationId: ours.org.id } });
  console.log(`seeded ${LEADS.toLocaleString("en-US")} leads (${phones.toLocaleString("en-US")} with a phone), 5,000 threads, 50 campaigns (+20,000 leads with the same numbers in another org); leads in ${(seededMs / 1000).toFixed(1)} s`);

  // Lead number n (1-based, by createdAt) is "<100 + (n-1) % 9000> <street> #<n-1>", owned by "<A> <B> <n-1>" (bench.ts seedLeads).
  const kinds: [string, (i: number) => string][] = [
    ["whole phone, (602) 200-1234 format", (i) => `(602) ${String(2000000 + 3 * (i + 1)).slice(0, 3)}-${String(2000000 + 3 * (i + 1)).slice(3)}`],
    ["whole phone, +1 602.200.1234 format", (i) => `+1 602.${String(2000000 + 3 * (i + 7)).slice(0, 3)}.${String(2000000 + 3 * (i + 7)).slice(3)}`],
    ["part of a number (6 digits)", (i) => `200-${String(100 + ((i * 37) % 900))}`],
    ["street number + street ('4242 oak')", (i) => `${100 + ((i * 97) % 9000)} ${["oak", "maple", "pine", "cedar"][i % 4]}`],
    ["owner words ('garcia nguyen', some never together)", (i) => `${["garcia", "smith", "patel", "kim"][i % 4]} ${["nguyen", "lopez", "davis", "wilson"][(i >> 2) % 4]}`],
    ["one common word ('main', ~12k matches)", () => "main"],
    ["lead number suffix ('#12345')", (i) => `#${10_000 + ((i * 7919) % 89_000)}`],
    ["campaign name ('probate')", () => "probate"],
  ];
  const all: number[] = [];
  for (const [label, text] of kinds) {
    for (let i = 0; i < 10; i++) await ours.caller.globalSearch.query({ q: text(i) });
    const samples: number[] = [];
    let found = 0;
    for (let i = 0; i < 200; i++) {
      const [ms, result] = await time(() => ours.caller.globalSearch.query({ q: text(i) }));
      samples.push(ms);
      if (result.leads.length + result.conversations.length + result.campaigns.length > 0) found++;
    }
    all.push(...samples);
    console.log(`globalSearch.query ${label}: ${summarize(samples)} · ${found}/200 found something`);
  }
  console.log(`globalSearch.query, all kinds together: ${summarize(all)}`);
  // The floor: the same caller's cheapest organization procedure (session and membership reads, one count).
  const floor: number[] = [];
  for (let i = 0; i < 200; i++) floor.push((await time(() => ours.caller.inbox.unreadCount()))[0]);
  console.log(`floor, inbox.unreadCount through the same caller: ${summarize(floor)}`);

  const org = ours.org.id;
  const plans: [string, string][] = [
    [
      "lead by whole phone",
      `SELECT l.id FROM (SELECT DISTINCT ON (lp."leadId") lp."leadId", lp."number" FROM "LeadPhone" lp WHERE lp."organizationId" = '${org}' AND lp."number" = '+16022000300' ORDER BY lp."leadId", lp."isBest" DESC LIMIT 200) hit
       JOIN "Lead" l ON l.id = hit."leadId" AND l."organizationId" = '${org}' ORDER BY (l."archivedAt" IS NULL) DESC, l."updatedAt" DESC, l.id LIMIT 6`,
    ],
    [
      "lead by part of a number",
      `SELECT l.id FROM (SELECT DISTINCT ON (lp."leadId") lp."leadId", lp."number" FROM "LeadPhone" lp WHERE lp."organizationId" = '${org}' AND lp."number" LIKE '%200421%' ORDER BY lp."leadId", lp."isBest" DESC LIMIT 200) hit
       JOIN "Lead" l ON l.id = hit."leadId" AND l."organizationId" = '${org}' ORDER BY (l."archivedAt" IS NULL) DESC, l."updatedAt" DESC, l.id LIMIT 6`,
    ],
    [
      "lead candidates by words ('4242 oak')",
      `SELECT sl.id FROM "Lead" sl WHERE sl."organizationId" = '${org}' AND lower(sl."addressLine1" || ' ' || coalesce(sl."ownerName", '')) LIKE '%4242%' AND lower(sl."addressLine1" || ' ' || coalesce(sl."ownerName", '')) LIKE '%oak%' LIMIT 300`,
    ],
    [
      "lead candidates by words that never meet ('garcia nguyen')",
      `SELECT sl.id FROM "Lead" sl WHERE sl."organizationId" = '${org}' AND lower(sl."addressLine1" || ' ' || coalesce(sl."ownerName", '')) LIKE '%garcia%' AND lower(sl."addressLine1" || ' ' || coalesce(sl."ownerName", '')) LIKE '%nguyen%' LIMIT 300`,
    ],
    [
      "lead candidates by one common word ('main', ~12k matches)",
      `SELECT sl.id FROM "Lead" sl WHERE sl."organizationId" = '${org}' AND lower(sl."addressLine1" || ' ' || coalesce(sl."ownerName", '')) LIKE '%main%' LIMIT 300`,
    ],
  ];
  for (const [label, sql] of plans) {
    // The words' candidates are read as the service reads them: sequential and plain index scans off.
    const rows = await db.$transaction(async (tx) => {
      if (label.startsWith("lead candidates")) {
        await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
        await tx.$executeRawUnsafe("SET LOCAL enable_indexscan = off");
      }
      return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) ${sql}`);
    });
    console.log(`plan, ${label}:\n    ${rows.map((r) => r["QUERY PLAN"]).join("\n    ")}`);
  }
}
