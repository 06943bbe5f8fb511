/**
 * `npm run bench -- leads-http`: the leads page over HTTP against `next start` (issue 15). One org
 * of 100k leads (+20k in another org), a signed-in admin's session cookie, and in the same run:
 * a bare route (/api/ping), a raw-SQL route fetching the same 50 rows as leads.list's default page
 * (/api/bench/leads: the list's one statement, no session, no tRPC), leads.list default and
 * filtered+sorted, leads.counts, a cached search.run, the /leads HTML, and the REST lead list with
 * an API key (GET /api/v1/leads, issue 13 item 3) — each at 1 and 10 connections, with req/s, p50,
 * p99 and its cost against both floors.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { encode } from "next-auth/jwt";
import { generateApiKey } from "../src/server/auth/api-keys";
import type { Db } from "../src/server/db";
import { appEnvironment, cpuBetween, ensureProductionBuild, freePort, load, postgresBackendsCpuMs, processTreeCpuMs, startApp, type LoadRequest, type LoadResult } from "./bench-http";

type Deps = {
  db: Db;
  databaseUrl: string;
  team: (name: string) => Promise<{ org: { id: string }; user: { id: string; email: string } }>;
  seedLeads: (orgId: string, count: number, prefix: string, assigneeId?: string) => Promise<number>;
};

const trpcGet = (procedure: string, input: unknown) => `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

export async function benchLeadsHttp({ db, databaseUrl, team, seedLeads }: Deps) {
  const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
  const WARMUP_SECONDS = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 2);
  // "none": no latency rounds (e.g. only the CPU-per-request pass).
  const LEVELS = (process.env.BENCH_HTTP_CONNECTIONS ?? "1,10").split(",").filter((level) => level !== "none").map(Number);
  // Server and Postgres CPU per request, over a fixed number of requests per route at 10 connections: robust to other load on the machine, unlike req/s and p99.
  const CPU_REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 500);
  const MIN_REQUESTS = Number(process.env.BENCH_HTTP_MIN_REQUESTS ?? 1000);
  // e.g. BENCH_HTTP_ROUTES="counts,HTML": only the requests whose label contains one of these (the two floors always), to profile one.
  const ONLY = (process.env.BENCH_HTTP_ROUTES ?? "").split(",").filter(Boolean);

  const { org, user } = await team("Bench Leads HTTP");
  const other = await team("Bench Leads HTTP Other");
  const seededMs = await seedLeads(org.id, 100_000, "h", user.id);
  await seedLeads(other.org.id, 20_000, "ho");
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Lead"`);
  console.log(`seeded 100,000 leads (+20,000 in another org) in ${(seededMs / 1000).toFixed(1)} s`);

  const session = await db.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) }, select: { id: true } });
  const secret = process.env.NEXTAUTH_SECRET!;
  const cookie = `next-auth.session-token=${await encode({ token: { sub: user.id, email: user.email, sid: session.id }, secret, maxAge: 86_400 })}`;
  const benchKey = randomBytes(24).toString("hex");
  // An API key of the admin's for the REST list, with a limit the bench never reaches (it measures the API, not the limiter's refusals).
  const apiKey = generateApiKey();
  await db.apiKey.create({ data: { organizationId: org.id, name: "bench", prefix: apiKey.prefix, secretHash: apiKey.secretHash, scopes: ["leads:read"], createdById: user.id, rateLimitPerMinute: 100_000_000 } });

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = appEnvironment(databaseUrl, baseUrl, { LEADFLOW_BENCH_KEY: benchKey });
  console.log(await ensureProductionBuild(env));
  const app = await startApp({ port, env });
  try {
    const authed = { cookie };
    const searchBody = JSON.stringify({ json: { location: { zips: ["78701"] }, filters: { bedsMin: 2 } } });
    const routes: [string, LoadRequest][] = [
      ["bare route (GET /api/ping)", { path: "/api/ping" }],
      ["raw SQL, the same 50 leads", { path: `/api/bench/leads?org=${org.id}`, headers: { "x-bench-key": benchKey } }],
      ["leads.list default", { path: trpcGet("leads.list", { limit: 50 }), headers: authed }],
      [
        "leads.list filtered+sorted",
        { path: trpcGet("leads.list", { filters: { status: ["new", "contacted"], hasPhone: true }, sort: { field: "score", direction: "desc" }, limit: 50 }), headers: authed },
      ],
      ["leads.counts", { path: trpcGet("leads.counts", { filters: {} }), headers: authed }],
      ["cached search.run", { method: "POST", path: "/api/trpc/search.run", headers: { ...authed, "content-type": "application/json" }, body: searchBody }],
      ["GET /leads (HTML)", { path: "/leads", headers: authed }],
      ["REST GET /api/v1/leads (API key)", { path: "/api/v1/leads?limit=50", headers: { authorization: `Bearer ${apiKey.key}` } }],
    ].filter(([label], index) => index < 2 || ONLY.length === 0 || ONLY.some((part) => (label as string).includes(part))) as [string, LoadRequest][];

    // Each route answers as intended before it is measured (a sign-in redirect would be a fast non-2xx).
    for (const [label, request] of routes) {
      const response = await fetch(`${baseUrl}${request.path}`, { method: request.method ?? "GET", headers: request.headers, body: request.body, redirect: "manual" });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${label}: ${response.status} ${text.slice(0, 500)}\n${app.output()}`);
      if ((label.startsWith("leads.list") || label.startsWith("REST")) && !text.includes('"items"')) throw new Error(`${label}: no items in ${text.slice(0, 300)}`);
      if (label.startsWith("GET /leads") && !text.includes('data-testid="lead-count"')) throw new Error(`${label}: not the leads page`);
      if (label.startsWith("GET /leads")) console.log(`${label}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB of HTML`);
      if (process.env.BENCH_DUMP_DIR) writeFileSync(`${process.env.BENCH_DUMP_DIR}/${label.replace(/[^a-z0-9]+/gi, "_")}.txt`, text);
    }
    const sample = (await (await fetch(`${baseUrl}${trpcGet("leads.list", { limit: 50 })}`, { headers: authed })).json()) as { result: { data: { json: { items: { id: string }[] } } } };
    const raw = (await (await fetch(`${baseUrl}${routes[1]![1].path}`, { headers: { "x-bench-key": benchKey } })).json()) as { items: { id: string }[] };
    const same = JSON.stringify(sample.result.data.json.items.map((i) => i.id)) === JSON.stringify(raw.items.map((i) => i.id));
    console.log(
      `next start on ${availableParallelism()} cores; app pool DATABASE_POOL_MAX=${env.DATABASE_POOL_MAX}; autocannon from a process of its own, ${SECONDS} s per measurement (at least ${MIN_REQUESTS} requests) after ${WARMUP_SECONDS} s of warm-up; ` +
        `the raw-SQL route and leads.list return the same 50 leads: ${same ? "yes" : "NO"}`,
    );

    const searchRunsBefore = await db.searchRun.count({ where: { organizationId: org.id } });
    let cachedSearches = 0;
    const results = new Map<string, Map<number, LoadResult>>();
    for (const connections of LEVELS) {
      for (const [label, request] of routes) {
        const warmup = await load(baseUrl, { connections, seconds: WARMUP_SECONDS, requests: [request] });
        // SECONDS' worth of requests at the warm-up's pace, and never fewer than MIN_REQUESTS: a p99 of
        // a few hundred answers (the HTML page's) is its two or three slowest, which vary run to run.
        const result = await load(baseUrl, { connections, amount: Math.max(MIN_REQUESTS, Math.round(warmup.rps * SECONDS) || 0), requests: [request] });
        if (label.startsWith("cached search")) cachedSearches += result.answered;
        if (result.ok !== result.answered || result.errors + result.timeouts > 0) console.log(`  ${label} at ${connections}: ${result.line()}`);
        if (!results.has(label)) results.set(label, new Map());
        results.get(label)!.set(connections, result);
      }
      console.log(`load average after the ${connections}-connection round: ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
    }

    const cpu = new Map<string, { server: number; postgres: number; answered: number }>();
    if (CPU_REQUESTS > 0) {
      const database = new URL(databaseUrl).pathname.slice(1);
      const backends = () => postgresBackendsCpuMs((sql) => db.$queryRawUnsafe<{ pid: number }[]>(sql), database);
      for (const [label, request] of routes) {
        await load(baseUrl, { connections: 10, amount: Math.min(200, CPU_REQUESTS), requests: [request] });
        const [server0, postgres0] = [processTreeCpuMs(app.pid), await backends()];
        const result = await load(baseUrl, { connections: 10, amount: CPU_REQUESTS, requests: [request] });
        const [server1, postgres1] = [processTreeCpuMs(app.pid), await backends()];
        if (label.startsWith("cached search")) cachedSearches += result.answered;
        cpu.set(label, { server: (server1 - server0) / result.answered, postgres: cpuBetween(postgres0, postgres1) / result.answered, answered: result.answered });
      }
      console.log(`\nCPU per request (${CPU_REQUESTS} requests a route at 10 connections, after ${Math.min(200, CPU_REQUESTS)} of warm-up; next start's process tree and this database's Postgres backends, from /proc):`);
      console.log("| request | server CPU ms/req | Postgres CPU ms/req | server CPU vs bare route |");
      console.log("| --- | --- | --- | --- |");
      const bareCpu = cpu.get(routes[0]![0])!.server;
      for (const [label] of routes) {
        const c = cpu.get(label)!;
        console.log(`| ${label} | ${c.server.toFixed(2)} | ${c.postgres.toFixed(2)} | ${(c.server / bareCpu).toFixed(1)} |`);
      }
    }

    for (const connections of LEVELS) {
      const bare = results.get(routes[0]![0])!.get(connections)!;
      const rawSql = results.get(routes[1]![0])!.get(connections)!;
      console.log(`\n${connections} connection${connections === 1 ? "" : "s"}:`);
      console.log("| request | req/s | p50 | p99 | cost vs bare route | cost vs raw-SQL route | throughput ÷ raw-SQL |");
      console.log("| --- | --- | --- | --- | --- | --- | --- |");
      for (const [label] of routes) {
        const r = results.get(label)!.get(connections)!;
        console.log(
          `| ${label} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${(bare.rps / r.rps).toFixed(2)} | ${(rawSql.rps / r.rps).toFixed(2)} | ${(r.rps / rawSql.rps).toFixed(2)} |`,
        );
      }
    }

    // Every cached hit is in the history (written off the request path, within a second).
    await new Promise((r) => setTimeout(r, 2500));
    const searchRuns = (await db.searchRun.count({ where: { organizationId: org.id } })) - searchRunsBefore;
    console.log(`\ncached search.run answers measured: ${cachedSearches}; search-history rows added for them (after the flush): ${searchRuns} (warm-up hits add more)`);

    const at10 = (label: string) => results.get(label)?.get(10);
    const rawAt10 = at10(routes[1]![0]);
    if (rawAt10) {
      const check = (name: string, pass: boolean, detail: string) => console.log(`${pass ? "met    " : "NOT MET"}  ${name}: ${detail}`);
      console.log("\ntargets at 10 connections:");
      const targets: [label: string, rpsRatio: number | null, p99: number][] = [
        ["leads.list default", 0.5, 100],
        ["leads.list filtered+sorted", 0.5, 100],
        ["leads.counts", 0.5, 50],
        ["GET /leads (HTML)", null, 300],
        ["cached search.run", null, 50],
      ];
      for (const [label, rpsRatio, p99] of targets) {
        const r = at10(label);
        if (!r) continue;
        const ratio = r.rps / rawAt10.rps;
        const name = `${label}${rpsRatio === null ? "" : ` ≥ ${rpsRatio}× raw-SQL req/s,`} p99 < ${p99} ms`;
        check(name, (rpsRatio === null || ratio >= rpsRatio) && r.p99 < p99, `${rpsRatio === null ? "" : `${ratio.toFixed(2)}×, `}p99 ${r.p99.toFixed(1)} ms`);
      }
    }
  } finally {
    await app.stop();
  }
}
