/**
 * `npm run bench [-- section …]`: the performance figures of SPEC's targets, measured in
 * process against a real Postgres (a fresh database per run). Prints medians and p95s.
 * Sections: search (cached search latency, 50-vs-cap-of-5 concurrency).
 */
import { performance } from "node:perf_hooks";
import { createDatabase, dropDatabase, findPostgresServer, migrate, startEmbeddedPostgres } from "./postgres.mjs";

const sections = process.argv.slice(2);
const wants = (name: string) => sections.length === 0 || sections.includes(name);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
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
  const caller = createCaller(createTRPCContext({ session: { user: { id: user.id, email: user.email }, expires: "2099-01-01" }, requestId: "bench" }));
  return { org, user, caller };
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
      const counting = { name: "sandbox" as const, search: async (q: Parameters<typeof sandbox.search>[0]) => { providerCalls++; return sandbox.search(q); } };
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
} finally {
  await db.$disconnect();
  if (serverUrl) await dropDatabase(serverUrl, database);
  await embedded?.stop();
}
