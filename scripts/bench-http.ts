/**
 * The benchmark's HTTP machinery (scripts/bench.ts): the production build (rebuilt when a source is
 * newer), `next start` in its own process, and load from this process with autocannon — latency
 * measured here per request to the 0.01 ms, throughput from the first request sent to the last
 * answer. Used by the webhooks section and the leads-over-HTTP section.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { freePort, ROOT, run } from "./postgres.mjs";

export function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The production build in .next (what playwright.config.ts starts), rebuilt when any source is newer. Returns what it did. */
export async function ensureProductionBuild(env: NodeJS.ProcessEnv): Promise<string> {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(file).mtimeMs);
    }
  };
  for (const dir of ["src", "public"]) if (existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
  for (const file of ["next.config.mjs", "package-lock.json", "tsconfig.json", "postcss.config.mjs"]) {
    if (existsSync(path.join(ROOT, file))) newest = Math.max(newest, statSync(path.join(ROOT, file)).mtimeMs);
  }
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newest) return "production build: reusing .next (newer than every source file)";
  const started = performance.now();
  await run("next", ["build"], { env: env as Record<string, string>, quiet: true });
  return `production build: .next was missing or stale, built in ${((performance.now() - started) / 1000).toFixed(0)} s`;
}

/** The environment `next start` runs with: sandbox providers, simulated Twilio, quiet logs. */
export function appEnvironment(databaseUrl: string, baseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: process.env.BENCH_APP_POOL_MAX ?? "10",
    NEXTAUTH_URL: baseUrl,
    PUBLIC_BASE_URL: baseUrl,
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: "",
    ...extra,
    NODE_ENV: "production",
  };
  for (const name of ["ATTOM_API_KEY", "BATCHDATA_API_TOKEN", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "OPENAI_API_KEY", "SENTRY_DSN", "NEXT_PUBLIC_SENTRY_DSN"]) delete env[name];
  return env;
}

export type App = { baseUrl: string; pid: number; output: () => string; stop: () => Promise<void> };

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system, ms) a process has used, its reaped children's included; 0 once it is gone. Linux /proc only. */
export function processCpuMs(pid: number): number {
  try {
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU time (ms) of a process and every live descendant (next start's server may run in a child). */
export function processTreeCpuMs(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += processCpuMs(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * `next start` on a free port in its own process, once it answers `readyPath`. BENCH_APP_NODE_ARGS
 * (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to the server's node.
 */
export async function startApp(opts: { port: number; env: NodeJS.ProcessEnv; readyPath?: string }): Promise<App> {
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const nextBin = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const server = spawn(process.execPath, [...nodeArgs, nextBin, "start", "-p", String(opts.port), "-H", "127.0.0.1"], { cwd: ROOT, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  let serverOutput = "";
  // BENCH_APP_LOG=<file>: all of the server's output there too (e.g. with BENCH_APP_NODE_ARGS="--trace-gc").
  const logFile = process.env.BENCH_APP_LOG;
  const keep = (chunk: Buffer) => {
    if (logFile) appendFileSync(logFile, chunk);
    serverOutput = (serverOutput + chunk.toString()).slice(-8000);
  };
  server.stdout.on("data", keep);
  server.stderr.on("data", keep);
  const exited = new Promise((resolve) => server.once("exit", resolve));
  const stop = async () => {
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  };
  const readyPath = opts.readyPath ?? "/api/ping";
  for (let attempt = 0; ; attempt++) {
    const up = await fetch(`${baseUrl}${readyPath}`).then((r) => r.ok, () => false);
    if (up) break;
    if (attempt > 600 || server.exitCode !== null) {
      await stop();
      throw new Error(`next start did not answer ${readyPath}:\n${serverOutput}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, pid: server.pid!, output: () => serverOutput, stop };
}

export { freePort };

export type LoadRequest = { method?: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string; context?: Record<string, unknown> };

export type LoadResult = {
  sent: number;
  answered: number;
  ok: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  line(): string;
};

/**
 * Load from `connections` keep-alive clients (autocannon, no pipelining): either `amount`
 * requests or for `seconds`, each made by `next()` (its context comes back in `onResponse`).
 */
export async function load(
  baseUrl: string,
  opts: { connections: number; amount?: number; seconds?: number; next: () => LoadRequest; onResponse?: (status: number, context: Record<string, unknown>) => void },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  let sent = 0;
  let firstSentAt: number | undefined;
  let lastAnsweredAt: number | undefined;
  const started = performance.now();
  const result = await autocannon({
    url: baseUrl,
    connections: opts.connections,
    ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.seconds ?? 5 }),
    timeout: 10,
    requests: [
      {
        setupRequest: (request, context) => {
          const spec = opts.next();
          const sentAt = performance.now();
          firstSentAt ??= sentAt;
          sent++;
          Object.assign(context, spec.context ?? {}, { sentAt });
          return { ...request, method: spec.method ?? "GET", path: spec.path, headers: spec.headers ?? {}, body: spec.body };
        },
        onResponse: (status, _body, context) => {
          lastAnsweredAt = performance.now();
          latencies.push(lastAnsweredAt - (context as { sentAt: number }).sentAt);
          if (status >= 200 && status < 300) ok++;
          opts.onResponse?.(status, context as Record<string, unknown>);
        },
      },
    ],
  });
  // From the first request sent to the last answer: autocannon resolves on its one-second tick.
  const seconds = ((lastAnsweredAt ?? performance.now()) - (firstSentAt ?? started)) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    sent,
    answered: latencies.length,
    ok,
    rps: ok / seconds,
    p50: sorted.length ? percentile(sorted, 50) : NaN,
    p99: sorted.length ? percentile(sorted, 99) : NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    line() {
      return `${(ok / seconds).toFixed(0)} req/s · p50 ${percentile(sorted, 50)?.toFixed(1)} ms · p99 ${percentile(sorted, 99)?.toFixed(1)} ms · ${ok}/${sorted.length} answered 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (${seconds.toFixed(1)} s)`;
    },
  };
}

/**
 * CPU time (ms) used so far by the Postgres backends serving `database` (server on this machine,
 * /proc readable), by backend pid: the database's share of a request, apart from other sessions' load.
 */
export async function postgresBackendsCpuMs(query: (sql: string) => Promise<{ pid: number }[]>, database: string): Promise<Map<number, number>> {
  const rows = await query(`SELECT pid FROM pg_stat_activity WHERE datname = '${database.replaceAll("'", "''")}' AND pid <> pg_backend_pid()`);
  return new Map(rows.map(({ pid }) => [Number(pid), processCpuMs(Number(pid))]));
}

/** CPU used between two postgresBackendsCpuMs snapshots (backends that started between count from 0, ones that ended are lost). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
