/**
 * The benchmark's HTTP machinery (scripts/bench.ts): the production build (rebuilt when a source is
 * newer), `next start` in its own process, and load from a third process with autocannon — latency
 * measured there per request to the 0.01 ms, throughput from the first request sent to the last
 * answer. Used by the webhooks section and the leads-over-HTTP section.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { NEXT_START_OPTIONS } from "./next-start.mjs";
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

/** The whole machine's CPU time (ms, all cores) so far, busy and idle (iowait counted idle), from /proc/stat. */
export function machineCpuMs(): { busy: number; idle: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const ms = (ticks: number) => (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  return { busy: ms(user! + nice! + system! + irq! + softirq! + steal!), idle: ms(idle! + iowait!) };
}

/**
 * A thread's scheduler figures so far (ms), from /proc/<pid>/task/<tid>/schedstat: time on a CPU,
 * and time runnable but waiting for one (for a process's main thread, tid = pid). Zeros once it is gone.
 */
export function threadSchedulingMs(pid: number, tid = pid): { running: number; waiting: number } {
  try {
    const [running, waiting] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").trim().split(" ").map(Number);
    return { running: running! / 1e6, waiting: waiting! / 1e6 };
  } catch {
    return { running: 0, waiting: 0 };
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
  const server = spawn(process.execPath, [...nodeArgs, nextBin, "start", "-p", String(opts.port), "-H", "127.0.0.1", ...NEXT_START_OPTIONS], { cwd: ROOT, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
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

export type LoadRequest = { method?: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };

export type LoadResult = {
  sent: number;
  answered: number;
  ok: number;
  /** How each request was answered, by its index. */
  statuses: number[];
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Every answered request's latency in ms, ascending. */
  latencies: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** CPU time (ms) the load generator's process used per answered request. */
  generatorCpuMs: number;
  line(): string;
};

/**
 * Load from `connections` keep-alive clients (autocannon, no pipelining, in a process of its own:
 * scripts/load-generator.mjs): either `amount` requests or for `seconds`, the i-th being
 * `requests[i % requests.length]`; `statuses[i]` is how the i-th was answered.
 */
export async function load(baseUrl: string, opts: { connections: number; amount?: number; seconds?: number; requests: LoadRequest[] }): Promise<LoadResult> {
  const generator = spawn(process.execPath, [path.join(ROOT, "scripts", "load-generator.mjs")], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const answer = new Promise<GeneratorAnswer>((resolve, reject) => {
    generator.once("message", (message) => resolve(message as GeneratorAnswer));
    generator.once("error", reject);
    // "close", not "exit": by then every message it sent has been read.
    generator.once("close", (code) => reject(new Error(`the load generator exited (${code}) without an answer`)));
  });
  const { requests, connections, amount } = opts;
  generator.send({ baseUrl, connections, amount, seconds: opts.seconds ?? 5, requests });
  const { sent, latencies, statuses, seconds, non2xx, errors, timeouts, cpuMs } = await answer;
  const ok = statuses.filter((status) => status >= 200 && status < 300).length;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? percentile(sorted, p) : NaN);
  const [p50, p95, p99] = [at(50), at(95), at(99)];
  return {
    sent,
    answered: sorted.length,
    ok,
    statuses,
    rps: ok / seconds,
    p50,
    p95,
    p99,
    latencies: sorted,
    non2xx,
    errors,
    timeouts,
    seconds,
    generatorCpuMs: sorted.length ? cpuMs / sorted.length : NaN,
    line() {
      return `${(ok / seconds).toFixed(0)} req/s · p50 ${p50.toFixed(1)} ms · p99 ${p99.toFixed(1)} ms · ${ok}/${sorted.length} answered 2xx, ${non2xx} non-2xx, ${errors} errors, ${timeouts} timeouts (${seconds.toFixed(1)} s)`;
    },
  };
}

type GeneratorAnswer = { sent: number; latencies: number[]; statuses: number[]; seconds: number; non2xx: number; errors: number; timeouts: number; cpuMs: number };

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
