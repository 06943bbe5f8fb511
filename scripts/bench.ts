/**
 * `npm run bench [-- section …]`: the performance figures of SPEC's targets, measured in
 * process against a real Postgres (a fresh database per run). Prints medians and p95s.
 * global-search (⌘K on 100k leads, by each kind of text typed: p50/p95/p99 and the plans;
 * scripts/bench-global-search.ts).
 * Sections: search (cached search latency, 50-vs-cap-of-5 concurrency), leads (list p95 on
 * 100k leads with query plans, counts, CSV export of 100k and 500k rows with heap and RSS growth
 * as measured, CSV import of 10k rows with dedup),
 * inbox-http (the inbox thread list over HTTP against `next start` with 50k conversations in the
 * org: first and middle pages, filters, searches, the unread count, p50/p95/p99; scripts/bench-inbox-http.ts),
 * leads-http (the leads page over HTTP against `next start`: a bare route, a raw-SQL route with the
 * same 50 rows, leads.list default and filtered+sorted, leads.counts, a cached search, the /leads
 * HTML, at 1 and 10 connections, each against both floors; scripts/bench-leads-http.ts),
 * skiptrace (bulk throughput against the BatchData HTTP fake at 0 latency, charge accuracy),
 * import (a 100 MB / 500k-row CSV uploaded and imported as streams: time, rows/s, heap and RSS),
 * webhooks (signed inbound STOPs over HTTP against `next start`, built if stale, from concurrent
 * clients: req/s, p50/p99 against a bare route as the floor, every STOP suppressed, redelivery a no-op),
 * dnc (1M registry numbers streamed in and replaced: numbers/s, bytes per number; checkDnc of 10k phones
 * against the registry-lookup floor, and of one phone),
 * campaigns (a 10k-recipient pre-flight; dispatch at 10/50/100 msg/s with one and two worker
 * processes against a 0-latency Twilio fake: achieved rate, most sends in any 1 s window),
 * compliance (the send decision: decideSendBatch for 10k recipients — quiet hours in each one's zone,
 * frequency counts, opt-outs, DNC, every decision recorded — against the SQL floor of the same rows
 * fetched by one raw query, and a single decideSend),
 * analytics (100k leads, 1M campaign messages, ~1M ledger entries: per chart, the page's read from the
 * daily rollup at 30 and 365 days against the live query it replaces, the whole procedures, and the
 * rollup's first build and worker refreshes; scripts/bench-analytics.ts).
 */
import { performance } from "node:perf_hooks";
import { percentile } from "./bench-http";
import { createDatabase, dropDatabase, findPostgresServer, migrate, startEmbeddedPostgres } from "./postgres.mjs";

const sections = process.argv.slice(2);
const wants = (name: string) => sections.length === 0 || sections.includes(name);

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  return `n=${sorted.length} median ${fmt(percentile(sorted, 50))} · p95 ${fmt(percentile(sorted, 95))} · p99 ${fmt(percentile(sorted, 99))}`;
}
export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await fn();
  return [performance.now() - started, result];
}

const serverUrl = await findPostgresServer({ explicitUrl: process.env.TEST_DATABASE_URL });
const embedded = serverUrl ? null : await startEmbeddedPostgres({ maxConnections: 20 });
const database = `leadflow_bench_${process.pid}`;
const databaseUrl = serverUrl ? await createDatabase(serverUrl, database) : embedded!.url;
await migrate(databaseUrl);
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  DATABASE_POOL_MAX: "10",
  NEXTAUTH_SECRET: "bench-secret-at-least-16",
  LOG_LEVEL: "silent",
  NODE_ENV: "production",
});
console.log(`Postgres: ${serverUrl ? "local server" : "embedded PGlite"} · node ${process.version}`);

const { db } = await import("../src/server/db");
const { createCaller } = await import("../src/server/root");
const { createTRPCContext } = await import("../src/server/trpc");
const { clearInProcessCache } = await import("../src/server/search/cache");
const { searchProperties } = await import("../src/server/search/service");
const { createSandboxPropertySearch } = await import("../src/server/providers/sandbox/property-search");
const { propertySearchQuerySchema } = await import("../src/server/providers/property-search");

async function team(name: string) {
  const org = await db.organization.create({ data: { name, settings: { create: {} } } });
  const user = await db.user.create({ data: { email: `${name.toLowerCase().replaceAll(" ", "-")}-${Date.now()}@bench.test` } });
  await db.membership.create({ data: { organizationId: org.id, userId: user.id, role: "admin" } });
  // Sessions are revocable: the caller needs a live session record, as a sign-in makes.
  const session = await db.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) }, select: { id: true } });
  // A context per call, as each HTTP request has its own: every call reads the session and membership.
  const caller = createCaller(() => createTRPCContext({ session: { user: { id: user.id, email: user.email }, sessionId: session.id, expires: "2099-01-01" }, requestId: "bench" }));
  return { org, user, caller };
}

const STATUSES = ["new", "contacted", "replied", "interested", "negotiating", "under_contract", "closed", "dead"] as const;
const TEMPS = ["COLD", "WARM", "HOT", "ON_FIRE"] as const;
const STREETS = ["Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm Ct", "Main St", "Lake Dr", "Hill Rd"];
const OWNERS = ["Smith", "Johnson", "Garcia", "Nguyen", "Brown", "Davis", "Lopez", "Wilson", "Patel", "Kim"];
/** `count` leads in an organization, 5,000 a statement; every 7th assigned to `assigneeId`. Returns the milliseconds taken. */
async function seedLeads(orgId: string, count: number, prefix: string, assigneeId?: string) {
  const started = performance.now();
  for (let offset = 0; offset < count; offset += 5000) {
    await db.lead.createMany({
      data: Array.from({ length: Math.min(5000, count - offset) }, (_, j) => {
        const i = offset + j;
        return {
          organizationId: orgId,
          source: (["sandbox", "csv", "manual", "attom"] as const)[i % 4]!,
          addressLine1: `${100 + (i % 9000)} ${STREETS[i % 8]} #${i}`,
          city: "Austin",
          state: "TX",
          zip: String(78700 + (i % 40)),
          normalizedAddress: `${prefix}${i}`,
          ownerName: `${OWNERS[i % 10]} ${OWNERS[(i * 7) % 10]} ${i}`,
          normalizedOwner: `${prefix}o${i}`,
          dedupKey: `${prefix}${i}`,
          status: STATUSES[i % 8]!,
          temperature: TEMPS[(i * 3) % 4]!,
          score: (i * 37) % 101,
          hasPhone: i % 3 === 0,
          assigneeId: assigneeId && i % 7 === 0 ? assigneeId : null,
          createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
        };
      }),
    });
  }
  return performance.now() - started;
}

try {
  if (wants("search")) {
    console.log("\n## Search");
    const { caller } = await team("Bench Search");
    const query = { location: { zips: ["78701"] }, filters: { bedsMin: 2 } };
    const [missMs] = await time(() => caller.search.run(query));
    console.log(`first (paid, sandbox) search through the router: ${missMs.toFixed(1)} ms`);
    for (let i = 0; i < 20; i++) await caller.search.run(query); // warm-up
    const lruHits: number[] = [];
    for (let i = 0; i < 500; i++) lruHits.push((await time(() => caller.search.run(query)))[0]);
    console.log(`cached search, in-process LRU hit (router → service → cache, 25 rows): ${summarize(lruHits)}`);
    const pgHits: number[] = [];
    for (let i = 0; i < 200; i++) {
      clearInProcessCache();
      pgHits.push((await time(() => caller.search.run(query)))[0]);
    }
    console.log(`cached search, persisted-cache hit after a restart (LRU cleared each time): ${summarize(pgHits)}`);

    const sandbox = createSandboxPropertySearch();
    const runs: string[] = [];
    for (let run = 0; run < 5; run++) {
      const { org, user } = await team(`Bench Cap ${run}`);
      await db.budgetSetting.create({ data: { organizationId: org.id, provider: "attom", dailyCapCents: 50, costPerCallCents: 10 } });
      let providerCalls = 0;
      const counting = { name: "sandbox" as const, simulated: true, supportsCityCounty: true, search: async (q: Parameters<typeof sandbox.search>[0]) => { providerCalls++; return sandbox.search(q); } };
      const ctx = { db, orgId: org.id, userId: user.id, requestId: "bench-cap" };
      const [ms, outcomes] = await time(() =>
        Promise.allSettled(Array.from({ length: 50 }, (_, i) => searchProperties(ctx, propertySearchQuerySchema.parse({ location: { zips: ["78701"] }, page: i + 1 }), counting))),
      );
      const spent = await db.spendEntry.aggregate({ where: { organizationId: org.id }, _sum: { cents: true }, _count: true });
      const ok = outcomes.filter((o) => o.status === "fulfilled").length;
      runs.push(`run ${run + 1}: ${ok} succeeded, ${providerCalls} provider calls, ${spent._count} charges, ${spent._sum.cents ?? 0}¢ of a 50¢ cap (${Math.max(0, (spent._sum.cents ?? 0) - 50)}¢ over), ${ms.toFixed(0)} ms`);
    }
    console.log(`50 concurrent paid searches against a cap that fits 5:\n  ${runs.join("\n  ")}`);
  }
  if (wants("leads")) {
    console.log("\n## Leads");
    const { org, user, caller } = await team("Bench Leads");
    const other = await team("Bench Other");
    const seededMs = await seedLeads(org.id, 100_000, "b", user.id);
    await seedLeads(other.org.id, 20_000, "o");
    await db.$executeRawUnsafe(`ANALYZE "Lead"`);
    console.log(`seeded 100,000 leads (+20,000 in another org) in ${(seededMs / 1000).toFixed(1)} s`);

    const cases: [string, Parameters<typeof caller.leads.list>[0]][] = [
      ["newest first, no filter", { limit: 50 }],
      ["status in (new, contacted), newest first", { filters: { status: ["new", "contacted"] }, limit: 50 }],
      ["has phone + HOT, by score desc", { filters: { hasPhone: true, temperature: ["HOT"] }, sort: { field: "score", direction: "desc" }, limit: 50 }],
      ["ZIP + score 60–100, by score", { filters: { zip: "78715", scoreMin: 60 }, sort: { field: "score", direction: "desc" }, limit: 50 }],
      ["free text 'garcia', newest first", { filters: { q: "garcia" }, limit: 50 }],
      ["assignee, by owner name", { filters: { assigneeId: user.id }, sort: { field: "ownerName", direction: "asc" }, limit: 50 }],
    ];
    for (const [label, input] of cases) {
      for (let i = 0; i < 10; i++) await caller.leads.list(input);
      const samples: number[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 200; i++) {
        // Alternate first pages and deeper cursor pages.
        const [ms, page] = await time(() => caller.leads.list({ ...input, cursor: i % 2 ? cursor : null }));
        samples.push(ms);
        cursor = page.nextCursor ?? null;
      }
      console.log(`leads.list ${label}: ${summarize(samples)}`);
    }
    const countSamples: number[] = [];
    for (let i = 0; i < 200; i++) countSamples.push((await time(() => caller.leads.counts({ filters: { hasPhone: true } })))[0]);
    console.log(`leads.counts (by status and temperature, has phone: from the counters): ${summarize(countSamples)}`);
    const scanSamples: number[] = [];
    for (let i = 0; i < 50; i++) scanSamples.push((await time(() => caller.leads.counts({ filters: { zip: "78715" } })))[0]);
    console.log(`leads.counts (ZIP filter: counts the matching leads): ${summarize(scanSamples)}`);

    const plans: [string, string][] = [
      ["status filter, newest first", `SELECT id FROM "Lead" WHERE "organizationId" = '${org.id}' AND status IN ('new','contacted') AND "archivedAt" IS NULL ORDER BY "createdAt" DESC, id DESC LIMIT 51`],
      ["score sort with has-phone filter", `SELECT id FROM "Lead" WHERE "organizationId" = '${org.id}' AND "hasPhone" = true AND "archivedAt" IS NULL ORDER BY score DESC, id DESC LIMIT 51`],
      ["free text", `SELECT id FROM "Lead" WHERE "organizationId" = '${org.id}' AND ("addressLine1" ILIKE '%garcia%' OR "ownerName" ILIKE '%garcia%') AND "archivedAt" IS NULL ORDER BY "createdAt" DESC, id DESC LIMIT 51`],
    ];
    for (const [label, sql] of plans) {
      const rows = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF, TIMING OFF) ${sql}`);
      console.log(`plan, ${label}:\n    ${rows.map((r) => r["QUERY PLAN"]).join("\n    ")}`);
    }

    const { leadsCsvStream } = await import("../src/server/leads/export");
    const { leadFiltersSchema, leadSortSchema } = await import("../src/server/leads/schema");

    // Memory: heap (after a forced GC) and RSS at checkpoints of the stream, as growth over the
    // values before it started — signed, as measured (a negative figure means the process held
    // less than before). Flat memory: the growth for 500k rows is no larger than for 100k.
    const largeRows = Number(process.env.BENCH_EXPORT_LARGE_ROWS ?? 500_000);
    const large = await team("Bench Export Large");
    const largeSeedMs = await seedLeads(large.org.id, largeRows, "x");
    await db.$executeRawUnsafe(`VACUUM ANALYZE "Lead"`);
    console.log(`seeded ${largeRows.toLocaleString()} leads in another org for the large export in ${(largeSeedMs / 1000).toFixed(1)} s`);
    const mb = (bytes: number) => `${bytes >= 0 ? "+" : ""}${(bytes / 1e6).toFixed(1)} MB`;
    const exports: [string, string, unknown][] = [
      ["12.5k leads (status new)", org.id, { status: ["new"] }],
      ["100k leads", org.id, {}],
      [`${(largeRows / 1000).toFixed(0)}k leads`, large.org.id, {}],
      ["100k leads", org.id, {}],
      [`${(largeRows / 1000).toFixed(0)}k leads`, large.org.id, {}],
    ];
    // Full collections with turns of the event loop between (finalizers, released buffers) before the baseline.
    const settle = async () => {
      for (let i = 0; i < 4; i++) {
        globalThis.gc?.();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    for (const [label, exportOrg, filters] of exports) {
      await settle();
      const before = process.memoryUsage();
      let bytes = 0;
      let lines = 0;
      let chunks = 0;
      const heap: number[] = [];
      const rss: number[] = [];
      const [ms] = await time(async () => {
        const reader = leadsCsvStream(db, exportOrg, leadFiltersSchema.parse(filters), leadSortSchema.parse(undefined)).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          bytes += value.byteLength;
          for (const byte of value) if (byte === 10) lines++;
          // Every 10 chunks (a chunk is a page of 1,000 rows): retained heap after GC, and RSS.
          if (++chunks % 10 === 0 && globalThis.gc) {
            globalThis.gc();
            const now = process.memoryUsage();
            heap.push(now.heapUsed - before.heapUsed);
            rss.push(now.rss - before.rss);
          }
        }
      });
      await settle();
      const after = process.memoryUsage();
      const range = (xs: number[]) => (xs.length ? `${mb(Math.min(...xs))} … ${mb(Math.max(...xs))}` : "n/a");
      console.log(
        `CSV export of ${label}: ${(ms / 1000).toFixed(2)} s, ${lines - 1} rows, ${(bytes / 1e6).toFixed(1)} MB; ` +
          `heap growth mid-stream (after GC) ${range(heap)}, at the end ${mb(after.heapUsed - before.heapUsed)}; RSS growth mid-stream ${range(rss)}, at the end ${mb(after.rss - before.rss)} (${heap.length} checkpoints)`,
      );
    }

    const { runImport } = await import("../src/server/leads/import/run");
    const { storeUpload } = await import("../src/server/leads/import/upload");
    const { detectMapping } = await import("../src/lib/csv-import/detect");
    const header = ["Property Address", "City", "State", "Zip Code", "Owner 1 Full Name", "Phone 1", "Email", "Beds", "Baths", "Est. Value"];
    const rowsCsv: string[] = [header.join(",")];
    for (let i = 0; i < 10_000; i++) {
      const street = `${200 + (i % 5000)} ${STREETS[i % 8]} Unit ${i}`;
      const owner = `${OWNERS[i % 10]} ${OWNERS[(i * 3) % 10]}${i}`;
      if (i % 20 === 19) {
        // a differently written duplicate of the previous row
        const prev = i - 1;
        rowsCsv.push([`"${200 + (prev % 5000)} ${STREETS[prev % 8]!.toUpperCase().replace("STREET", "ST")} #${prev}"`, "Austin", "tx", "78701", `"${OWNERS[(prev * 3) % 10]}${prev}, ${OWNERS[prev % 10]}"`, "", "", "", "", ""].join(","));
      } else if (i % 97 === 0) {
        rowsCsv.push(["", "Austin", "TX", "78701", owner, "", "", "", "", ""].join(","));
      } else {
        rowsCsv.push([`"${street}"`, "Austin", "TX", "78701", `"${owner}"`, `(512) 555-${String(1000 + (i % 9000)).slice(0, 4)}`, `o${i}@example.com`, String(2 + (i % 4)), "2", String(150000 + i * 10)].join(","));
      }
    }
    const content = rowsCsv.join("\n");
    const importOrg = await team("Bench Import");
    for (const attempt of ["first import", "re-import (all duplicates)"]) {
      const upload = await storeUpload({ db, orgId: importOrg.org.id, userId: importOrg.user.id }, { fileName: "bench.csv", body: [Buffer.from(content)] });
      const job = await db.importJob.create({
        data: {
          organizationId: importOrg.org.id,
          createdById: importOrg.user.id,
          fileName: "bench.csv",
          uploadId: upload.id,
          mapping: detectMapping(header),
          totalRows: upload.rowCount,
        },
      });
      const [ms] = await time(() => runImport(db, job.id));
      const done = await db.importJob.findUniqueOrThrow({ where: { id: job.id } });
      const leads = await db.lead.count({ where: { organizationId: importOrg.org.id } });
      console.log(`CSV import of 10,000 rows, ${attempt}: ${(ms / 1000).toFixed(2)} s — ${done.createdCount} created, ${done.duplicateCount} duplicates, ${done.rejectedCount} rejected; ${leads} leads in the org`);
    }
  }
  if (wants("import")) {
    console.log("\n## CSV import of a large file (upload stream → Postgres chunks → worker stream)");
    const { storeUpload } = await import("../src/server/leads/import/upload");
    const { runImport } = await import("../src/server/leads/import/run");
    const { detectMapping } = await import("../src/lib/csv-import/detect");
    const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 500_000);
    const header = ["Property Address", "City", "State", "Zip Code", "Owner 1 Full Name", "Phone 1", "Email", "Beds", "Baths", "Living Sqft", "Year Built", "Est. Value", "Last Sale Date", "Last Sale Price", "Mailing Address", "Notes"];
    const streets = ["Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm Ct", "Main St", "Lake Dr", "Hill Rd"];
    const owners = ["Smith", "Johnson", "Garcia", "Nguyen", "Brown", "Davis", "Lopez", "Wilson", "Patel", "Kim"];
    const line = (i: number) =>
      [
        `"${100 + (i % 9000)} ${streets[i % 8]} Unit ${i}"`, "Austin", "TX", String(78701 + (i % 40)), `"${owners[i % 10]} ${owners[(i * 7) % 10]} ${i}"`,
        `(512) 555-${String(1000 + (i % 9000)).slice(0, 4)}`, `owner${i}@example.com`, String(2 + (i % 4)), String(1 + (i % 3)), String(900 + (i % 3000)),
        String(1950 + (i % 70)), String(150_000 + (i % 500) * 1000), `2015-0${1 + (i % 9)}-1${i % 10}`, String(120_000 + (i % 400) * 1000),
        `"PO Box ${i}, Dallas TX 75201"`, "County list; verify occupancy",
      ].join(",");
    /** The file, made as it is read (never whole in memory): ~256 KB pieces, as a network delivers a body. */
    function* file() {
      let piece = `${header.join(",")}\n`;
      for (let i = 0; i < rows; i++) {
        piece += `${line(i)}\n`;
        if (piece.length >= 256 * 1024) {
          yield Buffer.from(piece);
          piece = "";
        }
      }
      if (piece) yield Buffer.from(piece);
    }

    if (!globalThis.gc) throw new Error("run with NODE_OPTIONS=--expose-gc (npm run bench does)");
    globalThis.gc();
    /** The heap before the file is uploaded: both phases are measured against it. */
    const baseHeap = process.memoryUsage().heapUsed;
    /** Heap retained after a forced GC, and RSS, sampled every 2 s and at the end of a phase. */
    function memorySampler() {
      const peak = { heap: 0, rss: process.memoryUsage().rss, samples: [] as number[] };
      const sample = () => {
        globalThis.gc!();
        const { heapUsed, rss } = process.memoryUsage();
        peak.heap = Math.max(peak.heap, heapUsed - baseHeap);
        peak.rss = Math.max(peak.rss, rss);
        peak.samples.push(heapUsed - baseHeap);
      };
      const timer = setInterval(sample, 2000);
      return { stop: () => (clearInterval(timer), sample(), peak) };
    }
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    /** Flat memory: the heap after GC levels off (a bounded cache fills) instead of growing with the rows. */
    const describe = (peak: { heap: number; rss: number; samples: number[] }) => {
      const { samples } = peak;
      const checkpoints = [0.1, 0.25, 0.5, 0.75, 1].map((at) => samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(at * samples.length) - 1))] ?? 0);
      return (
        `heap retained after GC (over the heap before the upload) at 10/25/50/75/100 % of the phase: ${checkpoints.map((bytes) => (bytes / 1e6).toFixed(1)).join(" / ")} MB ` +
        `(peak ${mb(peak.heap)}, ${samples.length} samples); RSS peak ${mb(peak.rss)}`
      );
    };

    const { org, user } = await team("Bench Large Import");
    console.log(`rows: ${rows.toLocaleString("en-US")} (BENCH_IMPORT_ROWS), RSS before ${mb(process.memoryUsage().rss)}`);
    let sampler = memorySampler();
    const [uploadMs, upload] = await time(() => storeUpload({ db, orgId: org.id, userId: user.id }, { fileName: "county-list.csv", body: file() }));
    console.log(
      `upload (storeUpload, what POST /api/imports/upload runs): ${mb(upload.byteSize)} in ${(uploadMs / 1000).toFixed(1)} s = ${(upload.byteSize / 1e6 / (uploadMs / 1000)).toFixed(1)} MB/s, ` +
        `${upload.rowCount.toLocaleString("en-US")} rows counted; ${describe(sampler.stop())}`,
    );
    const job = await db.importJob.create({
      data: { organizationId: org.id, createdById: user.id, fileName: upload.fileName, uploadId: upload.id, mapping: detectMapping(header), totalRows: upload.rowCount },
    });
    sampler = memorySampler();
    const [runMs, result] = await time(() => runImport(db, job.id));
    const done = await db.importJob.findUniqueOrThrow({ where: { id: job.id } });
    console.log(
      `import run (worker): ${result.outcome}, ${done.processedRows.toLocaleString("en-US")} rows in ${(runMs / 1000).toFixed(1)} s = ${Math.round(done.processedRows / (runMs / 1000))} rows/s — ` +
        `${done.createdCount} created, ${done.duplicateCount} duplicates, ${done.rejectedCount} rejected; ${describe(sampler.stop())}`,
    );
  }
  if (wants("skiptrace")) {
    console.log("\n## Skip tracing");
    const { startFakeBatchData } = await import("../src/test/fakes/batchdata-server");
    const { createBatchDataSkipTrace } = await import("../src/server/providers/batchdata/client");
    const { createSandboxSkipTrace } = await import("../src/server/providers/sandbox/skip-trace");
    const { runBulkSkipTrace } = await import("../src/server/skip-trace/run-job");
    const fake = await startFakeBatchData();
    try {
      const providers = [
        ["BatchData adapter → HTTP fake (0 ms)", createBatchDataSkipTrace({ token: fake.token, baseUrl: fake.baseUrl })],
        ["sandbox provider", createSandboxSkipTrace()],
      ] as const;
      for (const [label, provider] of providers) {
        const { org, user } = await team(`Bench Trace ${provider.name}`);
        await db.budgetSetting.create({ data: { organizationId: org.id, provider: "batchdata", dailyCapCents: 1_000_000, costPerCallCents: 7 } });
        const leads = Array.from({ length: 2000 }, (_, i) => ({
          organizationId: org.id, source: "csv" as const, addressLine1: `${i + 1} Trace Bench ${i % 7 === 0 ? "NOMATCH " : ""}St`, city: "Austin", state: "TX", zip: "78701",
          ownerName: `Pat Owner${i}`, normalizedAddress: `t${i}`, normalizedOwner: `t${i}`, dedupKey: `trace-${i}`,
        }));
        await db.lead.createMany({ data: leads });
        const ids = (await db.lead.findMany({ where: { organizationId: org.id }, select: { id: true } })).map((l) => l.id);
        const job = await db.skipTraceJob.create({ data: { organizationId: org.id, createdById: user.id, leadIds: ids, total: ids.length } });
        const [ms, outcome] = await time(() => runBulkSkipTrace(db, job.id, provider));
        const report = await db.skipTraceJob.findUniqueOrThrow({ where: { id: job.id } });
        const ledger = await db.spendEntry.aggregate({ where: { organizationId: org.id, provider: "batchdata" }, _sum: { cents: true } });
        const records = await db.skipTraceRecord.groupBy({ by: ["leadId"], where: { jobId: job.id }, _count: true });
        const charged = ledger._sum.cents ?? 0;
        console.log(
          `bulk skip trace, ${label}: ${ids.length} leads in ${(ms / 1000).toFixed(2)} s = ${(ids.length / (ms / 1000)).toFixed(0)} leads/s (${outcome}); ` +
            `${report.matched} matched, ${report.noMatch} no match; charged ${charged}¢ = ${report.matched} × 7¢ ${charged === report.matched * 7 ? "(exact)" : "(MISMATCH)"}; ` +
            `${records.length} leads with a record, ${records.filter((r) => r._count > 1).length} traced twice`,
        );
      }
    } finally {
      await fake.close();
    }
  }
  if (wants("dnc")) {
    console.log("\n## DNC registry (an area code's extract streamed in, replaced, then batch checks)");
    const { loadRegistryExtract } = await import("../src/server/compliance/dnc-registry");
    const { checkDnc } = await import("../src/server/compliance/dnc");
    const { org, user } = await team("Bench DNC");
    const ctx = { db, orgId: org.id, userId: user.id, requestId: "bench-dnc" };
    const count = Number(process.env.BENCH_DNC_NUMBERS ?? 1_000_000);
    const numberAt = (i: number, step: number) => 5_122_000_000 + i * step;
    /** The file, made as it is read: ~220 KB pieces, as a network delivers a body. */
    function* extract(step: number) {
      for (let start = 0; start < count; start += 20_000) {
        let piece = "";
        for (let i = start; i < Math.min(start + 20_000, count); i++) piece += `${numberAt(i, step)}\r\n`;
        yield new TextEncoder().encode(piece);
      }
    }
    const today = new Date().toISOString().slice(0, 10);
    const tableBytes = async () => Number((await db.$queryRaw<{ bytes: bigint }[]>`SELECT pg_total_relation_size('"DncRegistryNumber"') AS bytes`)[0]!.bytes);
    for (const [label, step] of [["first load", 7], ["re-upload (replaces the area code)", 6]] as const) {
      const [ms, result] = await time(() => loadRegistryExtract(ctx, { areaCode: 512, extractDate: today, fileName: "512.txt", body: extract(step) }));
      console.log(`${label}: ${count.toLocaleString("en-US")} numbers in ${(ms / 1000).toFixed(2)} s = ${Math.round(count / (ms / 1000)).toLocaleString("en-US")} numbers/s (${result.upload.byteSize.toLocaleString("en-US")} bytes)`);
      if (step === 7) console.log(`storage: DncRegistryNumber heap + primary key ${((await tableBytes()) / count).toFixed(1)} bytes per number`);
    }
    await db.$executeRaw`VACUUM ANALYZE "DncRegistryNumber"`;
    console.log(`after the re-upload and VACUUM: ${((await tableBytes()) / count).toFixed(1)} bytes per live number (the replaced set's space stays in the table for the next load)`);

    const phones = Array.from({ length: 10_000 }, (_, k) => `+1${numberAt(k * 97, 6) + (k % 2)}`);
    for (let i = 0; i < 3; i++) await checkDnc(db, { organizationId: org.id, phones, purpose: "bench" }); // warm-up
    const batch: number[] = [];
    for (let i = 0; i < 15; i++) batch.push((await time(() => checkDnc(db, { organizationId: org.id, phones, purpose: "bench" })))[0]);
    const nationals = phones.map((p) => Number(p.slice(2)));
    const floor: number[] = [];
    for (let i = 0; i < 15; i++) {
      floor.push(
        (
          await time(
            () => db.$queryRaw`SELECT n.number FROM unnest(${nationals}::bigint[]) AS i(national)
              JOIN "DncRegistryAreaCode" ac ON ac."organizationId" = ${org.id} AND ac."areaCode" = i.national / 10000000
              JOIN "DncRegistryNumber" n ON n."uploadId" = ac."uploadId" AND n.number = i.national`,
          )
        )[0],
      );
    }
    console.log(`checkDnc, 10k phones (every source + 10k evidence rows, one statement): ${summarize(batch)}`);
    console.log(`SQL floor, the registry lookup alone for the same 10k (no evidence): ${summarize(floor)}`);
    const single: number[] = [];
    for (let i = 0; i < 200; i++) single.push((await time(() => checkDnc(db, { organizationId: org.id, phones: [phones[i]!], purpose: "bench" })))[0]);
    console.log(`checkDnc, one phone: ${summarize(single)}`);
  }

  if (wants("compliance")) {
    console.log("\n## Send decisions (pre-flight of 10k recipients, single decision)");
    const { decideSend, decideSendBatch, evaluateSends } = await import("../src/server/compliance/decide");
    const { org } = await team("Bench Decisions");
    const N = 10_000;
    // Recipients across the rule table: ZIPs of Florida, Texas, Rhode Island, New York, Arizona, California …
    const places = [["33101", "305"], ["78701", "512"], ["02903", "401"], ["10001", "212"], ["85004", "602"], ["90012", "213"], ["73102", "405"], ["40202", "502"], ["35203", "205"], ["06103", "860"]] as const;
    const phones = Array.from({ length: N }, (_, i) => `+1${places[i % places.length]![1]}${String(2_000_000 + i * 7)}`);
    await db.lead.createMany({
      data: phones.map((_, i) => ({
        organizationId: org.id, source: "csv" as const, addressLine1: `${i + 1} Decision Bench St`, city: "Anywhere", state: "XX", zip: places[i % places.length]![0],
        mailingAddress: i % 3 === 0 ? `PO Box ${i}, Miami, FL 33139` : null, normalizedAddress: `d${i}`, normalizedOwner: `d${i}`, dedupKey: `decision-${i}`,
      })),
    });
    const leadIds = (await db.lead.findMany({ where: { organizationId: org.id }, orderBy: { addressLine1: "asc" }, select: { id: true, addressLine1: true } }))
      .sort((a, b) => parseInt(a.addressLine1) - parseInt(b.addressLine1)).map((l) => l.id);
    await db.leadPhone.createMany({ data: phones.map((number, i) => ({ organizationId: org.id, leadId: leadIds[i]!, number, source: "bench", type: "mobile" as const })) });
    const at = new Date("2026-12-01T18:00:00Z"); // a Tuesday: 13:00 in New York, 10:00 in Los Angeles
    // Every tenth number was texted 1–3 times in the last 24 h; every 40th opted out.
    for (let i = 0; i < N; i += 10) {
      const conversation = await db.conversation.create({ data: { organizationId: org.id, phone: phones[i]!, leadId: leadIds[i]! } });
      await db.message.createMany({
        data: Array.from({ length: 1 + (i % 3) }, (_, k) => ({ organizationId: org.id, conversationId: conversation.id, direction: "outbound" as const, body: "earlier", status: "delivered" as const, createdAt: new Date(at.getTime() - (k + 1) * 3_600_000) })),
      });
    }
    await db.suppression.createMany({ data: phones.filter((_, i) => i % 40 === 5).map((phone) => ({ organizationId: org.id, phone, reason: "manual" as const, evidence: "bench", liveKey: `${phone}|` })) });
    await db.$executeRaw`ANALYZE`;
    const recipients = phones.map((phone, i) => ({ phone, leadId: leadIds[i]! }));
    const runs = Number(process.env.BENCH_DECISION_RUNS ?? 10);
    let outcomes = "";
    for (let i = 0; i < 2; i++) await decideSendBatch(db, { orgId: org.id, kind: "campaign", at, recipients }); // warm-up
    const batch: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [ms, decisions] = await time(() => decideSendBatch(db, { orgId: org.id, kind: "campaign", at, recipients, campaignId: `bench-${i}` }));
      batch.push(ms);
      const counts = new Map<string, number>();
      for (const d of decisions) counts.set(d.outcome === "allowed" ? "allowed" : `${d.outcome}:${d.reason}`, (counts.get(d.outcome === "allowed" ? "allowed" : `${d.outcome}:${d.reason}`) ?? 0) + 1);
      outcomes = [...counts].map(([k, v]) => `${k} ${v}`).join(", ");
    }
    const evaluate: number[] = [];
    for (let i = 0; i < runs; i++) evaluate.push((await time(() => evaluateSends(db, { orgId: org.id, kind: "campaign", at, recipients })))[0]);
    // The SQL floor: the same rows (phones, their leads' ZIPs, live opt-outs, the last 24 h of texts) in one raw query.
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      floor.push(
        (
          await time(
            () => db.$queryRaw`SELECT p.number, p.status, p.type, l.zip, l."mailingAddress",
                (SELECT array_agg(s.reason) FROM "Suppression" s WHERE s."organizationId" = ${org.id} AND s.phone = p.number AND s."liftedAt" IS NULL) AS suppressions,
                (SELECT array_agg(m."createdAt") FROM "Conversation" c JOIN "Message" m ON m."conversationId" = c.id
                  WHERE c."organizationId" = ${org.id} AND c.phone = p.number AND m.direction = 'outbound' AND m."createdAt" > ${new Date(at.getTime() - 86_400_000)} AND m."createdAt" <= ${at}) AS sent
              FROM "LeadPhone" p JOIN "Lead" l ON l.id = p."leadId"
              WHERE p."organizationId" = ${org.id} AND p.number = ANY(${phones}::text[])`,
          )
        )[0],
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`decideSendBatch, 10k recipients (decide + DNC evidence + 10k decision rows): ${summarize(batch)}  [${outcomes}]`);
    console.log(`evaluateSends, the same 10k (decide only, nothing recorded but DNC evidence): ${summarize(evaluate)}`);
    console.log(`SQL floor, the same rows in one raw query: ${summarize(floor)}  → batch/floor ${(median(batch) / median(floor)).toFixed(1)}×`);
    const single: number[] = [];
    for (let i = 0; i < 200; i++) single.push((await time(() => decideSend(db, { orgId: org.id, phone: phones[(i * 37) % N]!, leadId: leadIds[(i * 37) % N]!, kind: "inbox_reply", at })))[0]);
    console.log(`decideSend, one inbox reply (decide on the pool, record): ${summarize(single)}`);
  }

  if (wants("analytics")) {
    console.log("\n## Analytics (100k leads, 1M messages; p50/p95/p99 per chart)");
    const { benchAnalytics } = await import("./bench-analytics");
    await benchAnalytics({ db, team, seedLeads, summarize, time });
  }

  if (wants("global-search")) {
    console.log("\n## Global search (⌘K) on 100k leads");
    const { benchGlobalSearch } = await import("./bench-global-search");
    await benchGlobalSearch({ db, team, seedLeads, summarize, time });
  }

  if (wants("campaigns")) {
    console.log("\n## Campaigns (pre-flight of 10k recipients; dispatch against a 0-latency Twilio fake)");
    const { benchCampaigns } = await import("./bench-campaigns");
    await benchCampaigns({ db, team, summarize, time });
  }

  if (wants("leads-http")) {
    console.log("\n## Leads page over HTTP (next start, 100k leads)");
    const { benchLeadsHttp } = await import("./bench-leads-http");
    await benchLeadsHttp({ db, databaseUrl, team, seedLeads });
  }

  if (wants("inbox-http")) {
    console.log("\n## Inbox thread list over HTTP (next start, 50k conversations)");
    const { benchInboxHttp } = await import("./bench-inbox-http");
    await benchInboxHttp({ db, databaseUrl, team, seedLeads });
  }

  if (wants("realtime")) {
    console.log("\n## Live updates across processes (two next start processes, 200 SSE subscribers)");
    const { benchRealtime } = await import("./bench-realtime");
    await benchRealtime({ db, databaseUrl, team });
  }

  if (wants("webhooks")) {
    console.log("\n## Twilio webhooks over HTTP (next start, sandbox providers)");
    const { availableParallelism, loadavg } = await import("node:os");
    const { appEnvironment, cpuBetween, ensureProductionBuild, freePort: appPort, load, machineCpuMs, postgresBackendsCpuMs, processTreeCpuMs, startApp, threadSchedulingMs } = await import("./bench-http");
    const { signedTwilioWebhook } = await import("../src/server/messaging/webhook-signature");
    const WARMUP = Number(process.env.BENCH_WEBHOOK_WARMUP ?? 500);
    const SENT = Number(process.env.BENCH_WEBHOOK_REQUESTS ?? 5000);
    const REDELIVERED = Math.min(500, SENT);
    const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 5)) || 1);
    const CONNECTIONS = Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 10);
    const INBOUND = "/api/webhooks/twilio/inbound";
    const PING = "/api/ping";

    const port = await appPort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const appEnv = appEnvironment(databaseUrl, baseUrl);
    const APP_POOL_MAX = appEnv.DATABASE_POOL_MAX;
    console.log(await ensureProductionBuild(appEnv));

    // One organization with a sending number and a lead phone for every STOP (warm-up ones included).
    const { org } = await team("Bench Webhooks");
    const sendingNumber = "+15125550100";
    await db.smsSenderIdentity.create({ data: { organizationId: org.id, kind: "phone_number", value: sendingNumber } });
    const phone = (i: number) => `+1415${2_000_000 + i}`;
    for (let offset = 0; offset < WARMUP + SENT; offset += 5000) {
      const leads = await db.lead.createManyAndReturn({
        data: Array.from({ length: Math.min(5000, WARMUP + SENT - offset) }, (_, j) => ({
          organizationId: org.id, source: "csv" as const, addressLine1: `${offset + j + 1} Webhook Bench St`, city: "Austin", state: "TX", zip: "78701",
          normalizedAddress: `wh${offset + j}`, normalizedOwner: `wh${offset + j}`, dedupKey: `wh-${offset + j}`, status: "contacted" as const, hasPhone: true,
        })),
        select: { id: true, dedupKey: true },
      });
      await db.leadPhone.createMany({ data: leads.map((lead) => ({ organizationId: org.id, leadId: lead.id, number: phone(Number(lead.dedupKey.slice(3))), type: "mobile" as const, source: "bench" })) });
    }
    // An inbound STOP exactly as Twilio posts it (no Advanced Opt-Out, so LeadFlow queues the confirmation).
    const signingEnv = { NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET!, NEXTAUTH_URL: baseUrl, PUBLIC_BASE_URL: baseUrl };
    type Delivery = { index: number; body: string; signature: string };
    const stopWebhook = (i: number, urlPath = INBOUND): Delivery => {
      const sid = `SM${i.toString(16).padStart(32, "0")}`;
      const params = {
        ToCountry: "US", ToState: "TX", SmsMessageSid: sid, NumMedia: "0", ToCity: "AUSTIN", FromZip: "94103", SmsSid: sid, FromState: "CA", SmsStatus: "received",
        FromCity: "SAN FRANCISCO", Body: "STOP", FromCountry: "US", To: sendingNumber, ToZip: "78701", NumSegments: "1", MessageSid: sid,
        AccountSid: `AC${"0".repeat(32)}`, From: phone(i), ApiVersion: "2010-04-01",
      };
      const { init } = signedTwilioWebhook(signingEnv, urlPath, params);
      return { index: i, body: init.body as string, signature: (init.headers as Record<string, string>)["x-twilio-signature"]! };
    };
    const range = (from: number, count: number) => Array.from({ length: count }, (_, j) => from + j);

    /** Posts each delivery once from CONNECTIONS keep-alive clients (bench-http.ts load); which index was answered how. */
    async function fire(urlPath: string, deliveries: Delivery[]) {
      const result = await load(baseUrl, {
        connections: CONNECTIONS,
        amount: deliveries.length,
        requests: deliveries.map((delivery) => ({
          method: "POST",
          path: urlPath,
          headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": delivery.signature, "user-agent": "TwilioProxy/1.1" },
          body: delivery.body,
        })),
      });
      const ok = deliveries.filter((_, i) => result.statuses[i]! >= 200 && result.statuses[i]! < 300).map((delivery) => delivery.index);
      return {
        ...result,
        ok,
        line() {
          return `${result.rps.toFixed(0)} req/s · p50 ${result.p50.toFixed(1)} ms · p99 ${result.p99.toFixed(1)} ms · ${ok.length}/${deliveries.length} answered 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (${result.seconds.toFixed(1)} s)`;
        },
      };
    }
    const rowCounts = async () => {
      const [events, messages, suppressions, activities] = await Promise.all([
        db.providerWebhookEvent.count({ where: { organizationId: org.id } }),
        db.message.count({ where: { organizationId: org.id } }),
        db.suppression.count({ where: { organizationId: org.id } }),
        db.activityEvent.count({ where: { organizationId: org.id } }),
      ]);
      return { events, messages, suppressions, activities };
    };

    // BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to the server's node.
    const app = await startApp({ port, env: appEnv, readyPath: PING });
    try {
      console.log(
        `${SENT} signed STOPs (distinct MessageSid and From, each a lead's phone) after ${WARMUP} warm-up ones; ${CONNECTIONS} concurrent keep-alive clients (autocannon); ` +
          `app pool DATABASE_POOL_MAX=${APP_POOL_MAX}; floor: POST ${PING} (a handler that answers 200, skipping the proxy like the webhook routes) with the same bodies and clients`,
      );
      await fire(INBOUND, range(0, WARMUP).map((i) => stopWebhook(i)));
      await fire(PING, range(0, WARMUP).map((i) => stopWebhook(i, PING)));
      const before = await rowCounts();
      // Server and Postgres CPU per request as well: robust to other load on the machine, unlike req/s.
      const backends = () => postgresBackendsCpuMs((sql) => db.$queryRawUnsafe<{ pid: number }[]>(sql), new URL(databaseUrl).pathname.slice(1));
      const cpuOf = async <T extends { answered: number; seconds: number }>(work: () => Promise<T>) => {
        const [server0, postgres0, machine0, main0] = [processTreeCpuMs(app.pid), await backends(), machineCpuMs(), threadSchedulingMs(app.pid)];
        const result = await work();
        const [server1, postgres1, machine1, main1] = [processTreeCpuMs(app.pid), await backends(), machineCpuMs(), threadSchedulingMs(app.pid)];
        const machineBusy = (machine1.busy - machine0.busy) / (machine1.busy - machine0.busy + machine1.idle - machine0.idle);
        // Over the generator's first-send-to-last-answer window (its start-up is outside it, so a little high).
        const windowMs = result.seconds * 1000;
        const mainThread = { running: (main1.running - main0.running) / windowMs, waiting: (main1.waiting - main0.waiting) / windowMs };
        return { result, server: (server1 - server0) / result.answered, postgres: cpuBetween(postgres0, postgres1) / result.answered, machineBusy, mainThread };
      };
      // Rounds of STOPs and floor requests alternating (which goes first alternates too), so a drift in
      // the machine's speed during the run (other tenants, CPU frequency) reaches both: the ratio is
      // each round's, and the figure quoted is their median.
      type Round = { result: Awaited<ReturnType<typeof fire>>; server: number; postgres: number; machineBusy: number; mainThread: { running: number; waiting: number } };
      const webhookRounds: Round[] = [];
      const floorRounds: Round[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const from = WARMUP + Math.floor((SENT * round) / ROUNDS);
        const count = WARMUP + Math.floor((SENT * (round + 1)) / ROUNDS) - from;
        const stops = () => cpuOf(() => fire(INBOUND, range(from, count).map((i) => stopWebhook(i))));
        const pings = () => cpuOf(() => fire(PING, range(from, count).map((i) => stopWebhook(i, PING))));
        if (round % 2 === 0) {
          webhookRounds.push(await stops());
          floorRounds.push(await pings());
        } else {
          floorRounds.push(await pings());
          webhookRounds.push(await stops());
        }
      }
      /** The rounds as one measurement: every answer's latency, throughput over their seconds, CPU per request over their answers. */
      const pooled = (rounds: Round[]) => {
        const sum = (pick: (round: Round) => number) => rounds.reduce((total, round) => total + pick(round), 0);
        const answered = sum((r) => r.result.answered);
        const ok = rounds.flatMap((r) => r.result.ok);
        const latencies = rounds.flatMap((r) => r.result.latencies).sort((a, b) => a - b);
        const seconds = sum((r) => r.result.seconds);
        const [rps, p50, p99] = [ok.length / seconds, percentile(latencies, 50), percentile(latencies, 99)];
        return {
          ok,
          rps,
          server: sum((r) => r.server * r.result.answered) / answered,
          postgres: sum((r) => r.postgres * r.result.answered) / answered,
          generator: sum((r) => r.result.generatorCpuMs * r.result.answered) / answered,
          machineBusy: sum((r) => r.machineBusy * r.result.seconds) / seconds,
          mainRunning: sum((r) => r.mainThread.running * r.result.seconds) / seconds,
          mainWaiting: sum((r) => r.mainThread.waiting * r.result.seconds) / seconds,
          line: () =>
            `${rps.toFixed(0)} req/s · p50 ${p50.toFixed(1)} ms · p99 ${p99.toFixed(1)} ms · ${ok.length}/${answered} answered 2xx, ` +
            `${sum((r) => r.result.non2xx)} non-2xx, ${sum((r) => r.result.errors)} errors, ${sum((r) => r.result.timeouts)} timeouts (${seconds.toFixed(1)} s in ${rounds.length} rounds)`,
        };
      };
      const [webhook, floor] = [pooled(webhookRounds), pooled(floorRounds)];
      const roundRatios = webhookRounds.map((r, i) => r.result.rps / floorRounds[i]!.result.rps);
      const medianRatio = percentile([...roundRatios].sort((a, b) => a - b), 50);
      const after = await rowCounts();
      console.log(`inbound STOP webhook: ${webhook.line()}`);
      console.log(`floor (bare route):   ${floor.line()}`);
      console.log(
        `CPU per request (next start's process tree / this database's Postgres backends, from /proc): webhook ${webhook.server.toFixed(2)} / ${webhook.postgres.toFixed(2)} ms, ` +
          `floor ${floor.server.toFixed(2)} / ${floor.postgres.toFixed(2)} ms; server CPU ratio floor/webhook ${(floor.server / webhook.server).toFixed(2)}, ` +
          `all CPU ratio ${((floor.server + floor.postgres) / (webhook.server + webhook.postgres)).toFixed(2)}; ` +
          `load generator (not the app's) webhook ${webhook.generator.toFixed(2)} ms, floor ${floor.generator.toFixed(2)} ms; ` +
          `the machine's cores busy (/proc/stat) during the webhook ${(webhook.machineBusy * 100).toFixed(0)} %, the floor ${(floor.machineBusy * 100).toFixed(0)} %; ` +
          `the server's main thread on a CPU / waiting for one (schedstat) during the webhook ${(webhook.mainRunning * 100).toFixed(0)} / ${(webhook.mainWaiting * 100).toFixed(0)} %, ` +
          `the floor ${(floor.mainRunning * 100).toFixed(0)} / ${(floor.mainWaiting * 100).toFixed(0)} %`,
      );
      console.log(
        `ratio webhook/floor: ${medianRatio.toFixed(2)} (median of the ${ROUNDS} rounds' req/s ratios: ${roundRatios.map((r) => r.toFixed(2)).join(", ")}; pooled ${(webhook.rps / floor.rps).toFixed(2)}) · ` +
          `load average during the run ${loadavg().map((l) => l.toFixed(1)).join(" / ")} on ${availableParallelism()} cores`,
      );

      // Not one STOP lost: every answered STOP's number has its live org-wide keyword suppression, and the count equals the count sent.
      const sentPhones = range(WARMUP, SENT).map(phone);
      const suppressed = await db.suppression.count({ where: { organizationId: org.id, phone: { in: sentPhones }, leadId: null, liftedAt: null, reason: "keyword" } });
      const optedOutPhones = await db.leadPhone.count({ where: { organizationId: org.id, number: { in: sentPhones }, status: "opted_out" } });
      const lost = SENT - suppressed;
      // Opt-outs to one sender that arrive together share a statement (messaging/webhooks.ts): how many did.
      const sentSids = range(WARMUP, SENT).map((i) => `SM${i.toString(16).padStart(32, "0")}`);
      const [grouping] = await db.$queryRaw<{ statements: number }[]>`
        SELECT count(DISTINCT xmin::text)::int AS statements FROM "ProviderWebhookEvent" WHERE "provider" = 'twilio' AND "eventId" = ANY(${sentSids}::text[])`;
      console.log(`the ${SENT} STOPs were written by ${grouping!.statements} statements (${(SENT / grouping!.statements).toFixed(1)} a statement on average)`);
      console.log(
        `STOPs sent ${SENT}, answered 2xx ${webhook.ok.length}, suppressed ${suppressed} (new suppression rows ${after.suppressions - before.suppressions}), lead phones opted out ${optedOutPhones}: ` +
          `${lost === 0 && webhook.ok.length === SENT ? "0 lost" : `${lost} LOST`}`,
      );

      // Redelivery: Twilio retries the same MessageSid with the same signature; nothing new may be written.
      const redelivery = await fire(INBOUND, range(WARMUP, REDELIVERED).map((i) => stopWebhook(i)));
      await new Promise((r) => setTimeout(r, 200));
      const afterRedelivery = await rowCounts();
      const added = Object.entries(afterRedelivery).filter(([name, count]) => count !== after[name as keyof typeof after]);
      console.log(
        `redelivery of ${REDELIVERED} STOPs: ${redelivery.line()}; new rows: ${added.length === 0 ? "0" : added.map(([name, count]) => `${name} +${count - after[name as keyof typeof after]}`).join(", ")}`,
      );
      const failures = [
        webhook.ok.length !== SENT && `${SENT - webhook.ok.length} STOPs not answered 2xx`,
        lost !== 0 && `${lost} STOPs without a suppression`,
        floor.ok.length !== SENT && `${SENT - floor.ok.length} floor requests not answered 2xx`,
        redelivery.ok.length !== REDELIVERED && `${REDELIVERED - redelivery.ok.length} redeliveries not answered 2xx`,
        added.length > 0 && "a redelivery wrote rows",
      ].filter(Boolean);
      if (failures.length > 0) {
        process.exitCode = 1;
        console.log(`FAILED: ${failures.join("; ")}\nserver output (tail):\n${app.output()}`);
      }
    } finally {
      await app.stop();
    }
  }
} finally {
  await db.$disconnect();
  if (serverUrl) await dropDatabase(serverUrl, database);
  await embedded?.stop();
}
