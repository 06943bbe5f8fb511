/**
 * `npm run bench analytics`: the analytics page's queries in an organization with 100k leads and
 * 1M campaign messages over a year (plus a spend-ledger entry per text, skip traces, replies,
 * opt-outs and wins). Measures, per chart, the read the page makes from the daily rollup against
 * the live query it replaces (what a page load would cost without the rollup), the whole
 * procedures through the router, and what the rollup costs to build and to refresh (the worker).
 * Sizes: BENCH_ANALYTICS_LEADS (100000), BENCH_ANALYTICS_MESSAGES (1000000).
 */
import { performance } from "node:perf_hooks";
import { Prisma } from "../src/generated/prisma/client";
import type { Db } from "../src/server/db";

type Deps = {
  db: Db;
  team: (name: string) => Promise<{ org: { id: string }; caller: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  seedLeads: (orgId: string, count: number, prefix: string) => Promise<number>;
  summarize: (samples: number[]) => string;
  time: <T>(fn: () => Promise<T>) => Promise<[number, T]>;
};

const TZ = "America/New_York";

export async function benchAnalytics({ db, team, seedLeads, summarize, time }: Deps) {
  const LEADS = Number(process.env.BENCH_ANALYTICS_LEADS ?? 100_000);
  const MESSAGES = Number(process.env.BENCH_ANALYTICS_MESSAGES ?? 1_000_000);
  const { org, caller } = await team("Bench Analytics");
  const orgId = org.id;
  await db.organization.update({ where: { id: orgId }, data: { timeZone: TZ } });
  const { refreshRollupDays } = await import("../src/server/analytics/rollup");
  const { orgDay } = await import("../src/lib/org-day");
  const { addDays } = await import("../src/lib/analytics");

  // --- seed -----------------------------------------------------------------------------------
  let started = performance.now();
  await seedLeads(orgId, LEADS, "an");
  // Spread over the last year; a third have a phone, a fifth are textable, 1 in 200 won.
  await db.$executeRaw`
    WITH ranked AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "Lead" WHERE "organizationId" = ${orgId})
    UPDATE "Lead" l SET "createdAt" = now() - ((r.n % 365) || ' days')::interval - ((r.n % 1440) || ' minutes')::interval,
      "hasPhone" = r.n % 3 = 0, textable = r.n % 5 = 0,
      "wonAt" = CASE WHEN r.n % 200 = 0 THEN (now() - ((r.n % 300) || ' days')::interval)::date END,
      "wonAmountCents" = CASE WHEN r.n % 200 = 0 THEN 1000000 + r.n END
    FROM ranked r WHERE l.id = r.id`;
  console.log(`seeded ${LEADS.toLocaleString("en-US")} leads in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  started = performance.now();
  const campaigns = Array.from({ length: 20 }, (_, i) => `bench-campaign-${i}`);
  await db.campaign.createMany({ data: campaigns.map((id, i) => ({ id, organizationId: orgId, name: `Campaign ${i}`, template: "Hi", audience: {}, status: "completed" as const })) });
  // One conversation per lead with a phone (33k), then the messages: triggers off for the bulk load (it is a copy of history, not traffic).
  await db.$executeRaw`
    INSERT INTO "Conversation" (id, "organizationId", "leadId", phone, "updatedAt", "lastCampaignId")
    SELECT 'bc' || l.id, ${orgId}, l.id, '+1512' || lpad((row_number() OVER (ORDER BY l.id))::text, 7, '0'), now(), 'bench-campaign-' || ((hashtext(l.id) & 2147483647) % 20)
    FROM "Lead" l WHERE l."organizationId" = ${orgId} AND l."hasPhone"`;
  const conversations = await db.conversation.count({ where: { organizationId: orgId } });
  await db.$executeRawUnsafe(`ALTER TABLE "Message" DISABLE TRIGGER USER`);
  try {
    for (let offset = 0; offset < MESSAGES; offset += 200_000) {
      const size = Math.min(200_000, MESSAGES - offset);
      await db.$executeRaw`
        WITH c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM "Conversation" WHERE "organizationId" = ${orgId})
        INSERT INTO "Message" (id, "organizationId", "conversationId", direction, body, status, "errorCode", "costCents", "campaignId", "createdAt", "statusUpdatedAt")
        SELECT 'bm' || g, ${orgId}, c.id,
          (CASE WHEN g % 10 = 0 THEN 'inbound' ELSE 'outbound' END)::"MessageDirection",
          'Hi there',
          (CASE WHEN g % 10 = 0 THEN 'received' WHEN g % 17 = 0 THEN 'undelivered' WHEN g % 23 = 0 THEN 'failed' ELSE 'delivered' END)::"MessageStatus",
          CASE WHEN g % 17 = 0 THEN (CASE WHEN g % 2 = 0 THEN '30007' ELSE '30003' END) END,
          CASE WHEN g % 10 = 0 THEN NULL ELSE 1 END,
          CASE WHEN g % 10 = 0 THEN NULL ELSE 'bench-campaign-' || (g % 20) END,
          now() - ((g % 365) || ' days')::interval - ((g % 1440) || ' minutes')::interval,
          now()
        FROM generate_series(${offset + 1}::int, ${offset + size}::int) g JOIN c ON c.k = g % ${conversations}`;
    }
  } finally {
    await db.$executeRawUnsafe(`ALTER TABLE "Message" ENABLE TRIGGER USER`);
  }
  // The ledger: an SMS entry per outbound text, a skip trace per third lead, a search per day.
  await db.$executeRaw`
    INSERT INTO "SpendEntry" (id, "organizationId", provider, operation, cents, simulated, "relatedType", "relatedId", "createdAt")
    SELECT 'bs' || m.id, ${orgId}, 'twilio_sms', 'sms.send', 1, true, 'message', m.id, m."createdAt"
    FROM "Message" m WHERE m."organizationId" = ${orgId} AND m.direction = 'outbound'`;
  await db.$executeRaw`
    INSERT INTO "SpendEntry" (id, "organizationId", provider, operation, cents, simulated, "createdAt")
    SELECT 'bt' || g, ${orgId}, (CASE WHEN g % 2 = 0 THEN 'batchdata' ELSE 'attom' END)::"PaidProvider",
      CASE WHEN g % 2 = 0 THEN 'skip_trace' ELSE 'property_search' END, 25, true, now() - ((g % 365) || ' days')::interval
    FROM generate_series(1, ${Math.round(LEADS / 3)}::int) g`;
  await db.$executeRaw`
    INSERT INTO "SkipTraceRecord" (id, "organizationId", "leadId", provider, outcome, matched, request, "costCents", "createdAt")
    SELECT 'bk' || l.id, ${orgId}, l.id, 'sandbox', (CASE WHEN l."hasPhone" THEN 'matched' ELSE 'no_match' END)::"SkipTraceOutcome", l."hasPhone", '{}', 25, l."createdAt"
    FROM "Lead" l WHERE l."organizationId" = ${orgId} AND (l."hasPhone" OR l.textable OR (hashtext(l.id) & 2147483647) % 4 = 0)`;
  await db.$executeRaw`
    INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "createdAt", "liveKey")
    SELECT 'bx' || c.id, ${orgId}, c.phone, 'keyword', 'STOP', now() - (((hashtext(c.id) & 2147483647) % 365) || ' days')::interval, c.phone || '|'
    FROM "Conversation" c WHERE c."organizationId" = ${orgId} AND (hashtext(c.id) & 2147483647) % 40 = 0`;
  await db.$executeRawUnsafe(`ANALYZE`);
  const counts = await db.$queryRaw<{ messages: bigint; spend: bigint }[]>`
    SELECT (SELECT count(*) FROM "Message" WHERE "organizationId" = ${orgId}) AS messages, (SELECT count(*) FROM "SpendEntry" WHERE "organizationId" = ${orgId}) AS spend`;
  console.log(
    `seeded ${Number(counts[0]!.messages).toLocaleString("en-US")} messages (${conversations.toLocaleString("en-US")} threads, 20 campaigns) and ${Number(counts[0]!.spend).toLocaleString("en-US")} ledger entries in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // --- the rollup's cost ------------------------------------------------------------------------
  const today = orgDay(TZ);
  const yearAgo = addDays(today, -364);
  const [buildMs] = await time(() => refreshRollupDays(db, orgId, { from: yearAgo, to: today, timeZone: TZ }));
  await db.analyticsRollupState.create({ data: { organizationId: orgId, timeZone: TZ, coveredFrom: new Date(`${yearAgo}T00:00:00Z`), refreshedAt: new Date() } });
  const rows = await db.analyticsDaily.count({ where: { organizationId: orgId } });
  console.log(`rollup, first build of 365 days: ${(buildMs / 1000).toFixed(2)} s → ${rows.toLocaleString("en-US")} rows`);
  const refresh: number[] = [];
  for (let i = 0; i < 5; i++) refresh.push((await time(() => refreshRollupDays(db, orgId, { from: addDays(today, -1), to: today, timeZone: TZ })))[0]);
  console.log(`rollup, worker refresh of the last 2 days (every 10 min): ${summarize(refresh)}`);
  const nightly: number[] = [];
  for (let i = 0; i < 2; i++) nightly.push((await time(() => refreshRollupDays(db, orgId, { from: addDays(today, -44), to: today, timeZone: TZ })))[0]);
  console.log(`rollup, nightly refresh of the last 45 days: ${summarize(nightly)}`);
  await db.analyticsRollupState.update({ where: { organizationId: orgId }, data: { refreshedAt: new Date() } });

  // --- per chart: the page's read from the rollup vs the live query it replaces ----------------------
  const runs = Number(process.env.BENCH_ANALYTICS_RUNS ?? 50);
  const from30 = addDays(today, -29);
  const lo = Prisma.sql`((${from30}::date)::timestamp AT TIME ZONE ${TZ}) AT TIME ZONE 'UTC'`;
  const hi = Prisma.sql`((${addDays(today, 1)}::date)::timestamp AT TIME ZONE ${TZ}) AT TIME ZONE 'UTC'`;
  // As the service reads: per-day rows for the charts drawn by day, then every total summed in Postgres.
  const rollupRead = (from: string, metrics: string[], daily: string[]) => () =>
    Promise.all([
      daily.length > 0
        ? db.$queryRaw`SELECT day::text, metric, key, value::float8 FROM "AnalyticsDaily" WHERE "organizationId" = ${orgId} AND metric = ANY(${daily}::text[]) AND day >= ${from}::date AND day <= ${today}::date`
        : Promise.resolve([]),
      db.$queryRaw`SELECT metric, key, sum(value)::float8 FROM "AnalyticsDaily" WHERE "organizationId" = ${orgId} AND metric = ANY(${metrics}::text[]) AND day >= ${from}::date AND day <= ${today}::date GROUP BY metric, key`,
    ]);
  const charts: { name: string; metrics: string[]; daily: string[]; live: () => Promise<unknown> }[] = [
    {
      name: "leads per day by source + phone rates",
      metrics: ["leads_added", "leads_has_phone", "leads_textable"],
      daily: ["leads_added"],
      live: () => db.$queryRaw`SELECT ((l."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${TZ})::date, l.source, count(*), count(*) FILTER (WHERE l."hasPhone"), count(*) FILTER (WHERE l.textable) FROM "Lead" l WHERE l."organizationId" = ${orgId} AND l."createdAt" >= ${lo} AND l."createdAt" < ${hi} GROUP BY 1, 2`,
    },
    {
      name: "skip-trace hit rate",
      metrics: ["skip_trace_runs"],
      daily: ["skip_trace_runs"],
      live: () => db.$queryRaw`SELECT ((s."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${TZ})::date, s.outcome, count(*) FROM "SkipTraceRecord" s WHERE s."organizationId" = ${orgId} AND s."createdAt" >= ${lo} AND s."createdAt" < ${hi} GROUP BY 1, 2`,
    },
    {
      name: "spend by provider per day + cost per lead",
      metrics: ["spend_cents", "spend_calls"],
      daily: ["spend_cents"],
      live: () => db.$queryRaw`SELECT ((e."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${TZ})::date, e.provider, e.operation, sum(e.cents), count(*) FROM "SpendEntry" e WHERE e."organizationId" = ${orgId} AND e."createdAt" >= ${lo} AND e."createdAt" < ${hi} GROUP BY 1, 2, 3`,
    },
    {
      name: "campaign funnel",
      metrics: ["camp_sent", "camp_delivered", "camp_filtered", "camp_failed", "camp_replied", "camp_opted_out", "camp_interested", "camp_under_contract", "camp_closed", "camp_cost"],
      daily: [],
      live: () => db.$queryRaw`SELECT msg."campaignId", count(*),
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Message" i WHERE i."conversationId" = msg."conversationId" AND i.direction = 'inbound' AND i."createdAt" > msg."createdAt")),
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = msg."organizationId" AND s.phone = c.phone AND s."createdAt" > msg."createdAt")),
          count(*) FILTER (WHERE l.status IN ('interested', 'negotiating', 'under_contract', 'closed'))
        FROM "Message" msg JOIN "Conversation" c ON c.id = msg."conversationId" LEFT JOIN "Lead" l ON l.id = c."leadId"
        WHERE msg."organizationId" = ${orgId} AND msg."createdAt" >= ${lo} AND msg."createdAt" < ${hi} AND msg.direction = 'outbound' AND msg."campaignId" IS NOT NULL GROUP BY 1`,
    },
  ];
  for (const chart of charts) {
    const read30: number[] = [];
    const read365: number[] = [];
    for (let i = 0; i < runs; i++) read30.push((await time(rollupRead(from30, chart.metrics, chart.daily)))[0]);
    for (let i = 0; i < runs; i++) read365.push((await time(rollupRead(yearAgo, chart.metrics, chart.daily)))[0]);
    const live: number[] = [];
    for (let i = 0; i < 3; i++) live.push((await time(chart.live))[0]);
    console.log(`${chart.name}: rollup 30 days ${summarize(read30)} · rollup 365 days ${summarize(read365)} · live query 30 days (no rollup) ${summarize(live)}`);
  }
  const won: number[] = [];
  for (let i = 0; i < runs; i++) {
    won.push(
      (
        await time(
          () => db.$queryRaw`SELECT l.source, l."wonAt", l."wonAmountCents",
            (SELECT c."lastCampaignId" FROM "Conversation" c WHERE c."organizationId" = l."organizationId" AND c."leadId" = l.id AND c."lastCampaignId" IS NOT NULL ORDER BY c."lastMessageAt" DESC NULLS LAST, c.id LIMIT 1)
            FROM "Lead" l WHERE l."organizationId" = ${orgId} AND l."wonAt" >= ${yearAgo}::date AND l."wonAt" <= ${today}::date`,
        )
      )[0],
    );
  }
  console.log(`revenue, ROI, time to close (won leads of 365 days, live through the (organizationId, wonAt) index): ${summarize(won)}`);

  // --- the whole procedures, as the page calls them -----------------------------------------------
  const overview30: number[] = [];
  const overview365: number[] = [];
  const usage: number[] = [];
  for (let i = 0; i < runs; i++) overview30.push((await time(() => caller.analytics.overview()))[0]);
  for (let i = 0; i < runs; i++) overview365.push((await time(() => caller.analytics.overview({ from: yearAgo, to: today })))[0]);
  for (let i = 0; i < runs; i++) usage.push((await time(() => caller.analytics.usage()))[0]);
  console.log(`analytics.overview (router, every chart), last 30 days: ${summarize(overview30)}`);
  console.log(`analytics.overview, 365 days: ${summarize(overview365)}`);
  console.log(`analytics.usage (this month): ${summarize(usage)}`);
}
